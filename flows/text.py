"""Translatable text as data.

The engine never produces finished strings: it produces `Msg` values (a stable key,
the English source text and parameters), and the shell renders them through the
person's gettext catalog. The key is used as the gettext context, so two messages
with the same English wording can still be translated differently.

`t()` is the marker that `pybabel extract` looks for (keyword `t:1c,2`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Union

# A parameter is either the person's own words / a name (inserted verbatim), a
# number, or another message (translated in turn).
Param = Union[str, int, "Msg", "Plain", "Gap", "Plural", "Day"]


@dataclass(frozen=True)
class Plain:
    """Text that is never translated: names, addresses, the person's own words."""

    value: str


@dataclass(frozen=True)
class Day:
    """A calendar day (ISO text, so states stay plain JSON), written out per locale."""

    iso: str


@dataclass(frozen=True)
class Msg:
    key: str
    text: str
    params: Mapping[str, Param] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.key, self.text, tuple(sorted(self.params.items(), key=str))))


def t(key: str, text: str, /, **params: Param) -> Msg:
    """Mark `text` for translation under `key`, with named `{placeholders}`."""
    return Msg(key, text, params)


@dataclass(frozen=True)
class Gap:
    """Something the person still has to fill in, shown in brackets: [your full name]."""

    key: str
    text: str


@dataclass(frozen=True)
class Plural:
    """A counted phrase: `singular`/`plural` are chosen by the locale's plural rules."""

    key: str
    singular: str
    plural: str
    n: int


def gap(key: str, text: str, /) -> Gap:
    """Mark a fill-in-the-blank label for translation (keyword `gap:1c,2`)."""
    return Gap(key, text)


def tn(key: str, singular: str, plural: str, n: int, /) -> Plural:
    """Mark a counted phrase for translation (keyword `tn:1c,2,3`); `{n}` is the count."""
    return Plural(key, singular, plural, n)

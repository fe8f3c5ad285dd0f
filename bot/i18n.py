"""Rendering the engine's messages through gettext catalogs, one locale at a time."""

from __future__ import annotations

import logging
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from string import Formatter

from babel.dates import format_date
from babel.support import NullTranslations, Translations

from bot.bidi import isolate_left_to_right
from flows.languages import DEFAULT_LANGUAGE, LANGUAGES_BY_CODE
from flows.text import Day, Gap, Msg, Param, Plain, Plural

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
log = logging.getLogger(__name__)


@lru_cache(maxsize=32)
def catalog(code: str) -> NullTranslations:
    """The compiled catalog for `code`; English falls back to the source texts."""
    try:
        return Translations.load(str(TRANSLATIONS_DIR), [code], domain="messages")
    except OSError:  # pragma: no cover - a missing .mo is a setup error, not a user one
        log.warning("no compiled catalog for locale %s", code)
        return NullTranslations()


# A translation may choose words by the gender of the person the case is about, where
# its language has no neutral wording: "{g:f=محتجزة|m=محتجز|x=محتجز/ة}". `x` is for
# when the person has not said (it must not assume a man). Variants hold no braces.
GENDER_SELECT = re.compile(r"\{g:((?:[fmx]=[^{}|]*\|?){3})\}")
_VARIANT = re.compile(r"([fmx])=([^{}|]*)")


def choose_gender_variants(template: str, gender: str) -> str:
    """Resolve every `{g:f=…|m=…|x=…}` in a template to the variant for `gender`."""
    def pick(match: re.Match[str]) -> str:
        variants = dict(_VARIANT.findall(match.group(1)))
        return variants.get(gender, variants.get("x", ""))
    return GENDER_SELECT.sub(pick, template)


class Renderer:
    """Turns `Msg` trees into text in one language.

    `gender` is that of the person the case is about, when they said it ("f" or "m"),
    for the languages whose letters must agree with it; otherwise neutral wording.
    """

    def __init__(self, code: str | None, gender: str | None = None) -> None:
        self.code = code if code in LANGUAGES_BY_CODE else DEFAULT_LANGUAGE
        self.gender = gender if gender in ("f", "m") else "x"
        self._catalog = catalog(self.code)
        self._depth = 0  # rendering nests (a message's parameters); only the whole is isolated

    @property
    def rtl(self) -> bool:
        return LANGUAGES_BY_CODE[self.code].rtl

    def render(self, item: Msg | Plain | Gap | Plural | Day | str | int) -> str:
        """`item` as text to show; in a right-to-left locale, with its Latin runs isolated."""
        self._depth += 1
        try:
            text = self._render(item)
        finally:
            self._depth -= 1
        return isolate_left_to_right(text) if self.rtl and self._depth == 0 else text

    def _render(self, item: Msg | Plain | Gap | Plural | Day | str | int) -> str:
        match item:
            case Plain(value=value):
                return value
            case str() | int():
                return str(item)
            case Day(iso=iso):
                # British English for the letters: "Sunday, 14 March 2027", never "March 14".
                locale = "en_GB" if self.code == "en" else self.code
                return format_date(date.fromisoformat(iso), "full", locale=locale)
            case Gap(key=key, text=text):
                return "[" + self._gendered(self._catalog.pgettext(key, text)) + "]"
            case Plural(key=key, singular=singular, plural=plural, n=n):
                template = self._gendered(self._catalog.npgettext(key, singular, plural, n))
                return _fill(template, {"n": str(n)}, singular if n == 1 else plural)
            case Msg(key=key, text=text, params=params):
                template = self._gendered(self._catalog.pgettext(key, text))
                values = {name: self.render(value) for name, value in params.items()}
                return _fill(template, values, text)
        raise TypeError(f"cannot render {type(item).__name__}")

    def _gendered(self, template: str) -> str:
        return choose_gender_variants(template, self.gender) if "{g:" in template else template

    def render_all(self, items: tuple[Param, ...] | list[Param]) -> list[str]:
        return [self.render(item) for item in items]  # type: ignore[arg-type]


def _fill(template: str, values: dict[str, str], source: str) -> str:
    """Fill placeholders without ever evaluating anything from a translation or a user.

    A translation with a broken placeholder falls back to the English source, so a
    catalog mistake shows English rather than crashing the conversation.
    """
    for candidate in (template, source):
        try:
            names = {field for _, field, _, _ in Formatter().parse(candidate) if field}
            if names <= values.keys() and all(name.isidentifier() for name in names):
                return candidate.format_map(values)
        except (ValueError, IndexError, KeyError):
            continue
    return source

"""Button data, typed: what a button does, written once and read back the same way.

Telegram carries a button's data as a short string (at most 64 bytes). The engine never
builds or splits those strings by hand: a `Press` is an action and a value, encoded as
"action:value" and parsed back into a `Press`, or into nothing for data from an older
message or from anyone tampering with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_BUTTON_DATA = 64  # bytes, Telegram's limit


class Action(StrEnum):
    LANGUAGE = "lang"
    PRIVACY = "privacy"
    WHO = "who"
    RELATIONSHIP = "rel"
    SITUATION = "sit"
    CONFIRM = "confirm"
    CENTRE = "centre"
    REMOVAL_WHEN = "when"
    WAITING = "wait"
    LAWYER = "lawyer"
    LAWYER_SILENCE = "silent"
    GENDER = "gender"
    POSTCODE = "postcode"
    OWN_WORDS = "own"
    FRIEND_POSTCODE = "friend"
    POSTCODE_WHOSE = "whose"
    FORGET = "forget"
    REPLIED = "replied"
    NAV = "nav"  # back, restart, language, forget, help, privacy, who_else: at any step
    MORE = "more"  # the results' extra views
    DRAFT = "draft"


@dataclass(frozen=True)
class Press:
    action: Action
    value: str

    @property
    def data(self) -> str:
        return f"{self.action.value}:{self.value}"

    @classmethod
    def parse(cls, data: str) -> Press | None:
        """The press a button's data stands for, or None when it stands for nothing we know."""
        key, separator, value = data[:MAX_BUTTON_DATA].partition(":")
        if not separator or key not in Action._value2member_map_:
            return None
        return cls(Action(key), value)

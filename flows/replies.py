"""What the engine hands back: messages to show, drafts to send, effects to perform."""

from __future__ import annotations

from dataclasses import dataclass

from flows.buttons import Press
from flows.drafts import DraftLetter
from flows.representatives import Purpose
from flows.text import Msg, Plain


@dataclass(frozen=True)
class Choice:
    label: Msg | Plain
    press: Press

    @property
    def data(self) -> str:
        """What the button carries on Telegram (at most 64 bytes)."""
        return self.press.data


@dataclass(frozen=True)
class Say:
    """One message: paragraphs, then buttons (each inner tuple is one row)."""

    parts: tuple[Msg | Plain, ...]
    choices: tuple[tuple[Choice, ...], ...] = ()
    # True when the message holds case facts or contact details: never posted in a group.
    private: bool = False
    # Shown in this language rather than the conversation's: the offer to switch to the
    # language someone writes in is made in that language.
    language: str | None = None


@dataclass(frozen=True)
class SendDraft:
    """A draft letter: the shell sends the English text and its translation."""

    draft: DraftLetter
    # The letter to send in the person's own language (Welsh to a Member of the Senedd,
    # or any language for their records), instead of English with a translation.
    native: bool = False


@dataclass(frozen=True)
class LookUp:
    """Effect: find representatives, then feed a LookupDone event back to the engine."""

    postcodes: tuple[tuple[str, Purpose], ...] = ()
    centre_id: str | None = None
    ministers: bool = True


@dataclass(frozen=True)
class EraseEverything:
    """Effect: delete every row held about this person (after they confirmed)."""


@dataclass(frozen=True)
class RememberLanguage:
    """Effect: the person chose a language; keep it as their preference."""

    code: str


@dataclass(frozen=True)
class OfferReminder:
    """Effect: the person opted in to a check-in after `working_days` (F3)."""

    working_days: int = 20


Effect = LookUp | EraseEverything | RememberLanguage | OfferReminder
Reply = Say | SendDraft | Effect

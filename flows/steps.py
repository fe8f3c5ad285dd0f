"""Where a conversation stands: its step, what is known, and what to come back to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from flows.case import Case, Situation
from flows.representatives import LookupResult, Ministers


class Step(StrEnum):
    LANGUAGE = "language"
    PRIVACY = "privacy"
    WHO = "who"
    RELATIONSHIP = "relationship"
    SITUATION = "situation"
    CONFIRM = "confirm"
    CENTRE = "centre"
    REMOVAL_WHEN = "removal_when"
    WAITING = "waiting"
    LAWYER = "lawyer"
    LAWYER_SILENCE = "lawyer_silence"  # who does not answer: the Home Office, or the lawyer
    GENDER = "gender"  # "a woman or a man?" where the letter's language must agree
    POSTCODE = "postcode"
    OWN_WORDS = "own_words"
    LOOKING_UP = "looking_up"
    RESULTS = "results"
    FORGET = "forget"
    MP_REPLIED = "mp_replied"
    FRIEND_POSTCODE = "friend_postcode"  # G17: a friend elsewhere, for their own MP
    POSTCODE_WHOSE = "postcode_whose"  # a postcode typed at the end: theirs or a friend's?


@dataclass(frozen=True)
class State:
    step: Step = Step.LANGUAGE
    language: str | None = None
    case: Case = field(default_factory=Case)
    # Situations the NLU proposed, waiting for the person to confirm.
    proposed: tuple[Situation, ...] = ()
    # Follow-up questions the person chose to skip: not asked again.
    skipped: tuple[Step, ...] = ()
    results: tuple[LookupResult, ...] = ()
    ministers: Ministers | None = None
    history: tuple[Step, ...] = ()
    # Where to return after an interruption (forget cancelled, language changed).
    resume: Step | None = None
    # The removal essentials (lawyer and MP at once, F5) are on screen already.
    urgent_shown: bool = False
    # A postcode typed at the end, until the person says whose it is.
    pending_postcode: str | None = None
    # The look-up under way is a friend's (G17): its answer sits beside the person's own.
    friend_lookup: bool = False
    # The language of their typed words was compared with the interface's (once).
    language_checked: bool = False


@dataclass(frozen=True)
class Config:
    """Engine knobs the shell sets from its settings."""

    confidence_threshold: float = 0.55
    # Today, for reading typed dates and judging how close a removal is; the shell sets
    # it for each turn.
    today: date = field(default_factory=date.today)

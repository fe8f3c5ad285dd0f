"""Where a conversation stands: its step, what is known, and what to come back to."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    POSTCODE = "postcode"
    LOOKING_UP = "looking_up"
    RESULTS = "results"
    FORGET = "forget"
    MP_REPLIED = "mp_replied"


class Question(StrEnum):
    """Follow-up questions; a skipped one is not asked again."""

    CENTRE = "centre"
    REMOVAL_WHEN = "removal_when"
    WAITING = "waiting"
    LAWYER = "lawyer"
    POSTCODE = "postcode"


@dataclass(frozen=True)
class State:
    step: Step = Step.LANGUAGE
    language: str | None = None
    case: Case = field(default_factory=Case)
    # Situations the NLU proposed, waiting for the person to confirm.
    proposed: tuple[Situation, ...] = ()
    skipped: tuple[Question, ...] = ()
    results: tuple[LookupResult, ...] = ()
    ministers: Ministers | None = None
    history: tuple[Step, ...] = ()
    # Where to return after an interruption (forget cancelled, language changed).
    resume: Step | None = None


@dataclass(frozen=True)
class Config:
    """Engine knobs the shell sets from its settings."""

    confidence_threshold: float = 0.55

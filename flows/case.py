"""What we know about a person's case: who is writing, what is happening, where."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Situation(StrEnum):
    """A situation a person can be in; several can hold at once."""

    REMOVAL = "removal"
    DETAINED = "detained"
    REFUSED = "refused"
    APPEAL_RIGHTS_EXHAUSTED = "appeal_rights_exhausted"
    DELAYED = "delayed"
    NO_LAWYER = "no_lawyer"
    LAWYER_UNRESPONSIVE = "lawyer_unresponsive"


# Most urgent first: the order routes and drafts are presented in.
SITUATION_ORDER: tuple[Situation, ...] = tuple(Situation)


class Writer(StrEnum):
    SELF = "self"
    HELPER = "helper"


class Nation(StrEnum):
    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"


class Relationship(StrEnum):
    """Canonical relationships; the NLU maps every language's words onto these."""

    BROTHER = "brother"
    SISTER = "sister"
    MOTHER = "mother"
    FATHER = "father"
    SON = "son"
    DAUGHTER = "daughter"
    HUSBAND = "husband"
    WIFE = "wife"
    PARTNER = "partner"
    COUSIN = "cousin"
    UNCLE = "uncle"
    AUNT = "aunt"
    NEPHEW = "nephew"
    NIECE = "niece"
    FRIEND = "friend"
    RELATIVE = "relative"
    NEIGHBOUR = "neighbour"
    CLIENT = "client"
    COMMUNITY_MEMBER = "community_member"


class WaitBand(StrEnum):
    """How long someone has waited for a decision, as offered on buttons."""

    UNDER_6_MONTHS = "lt6m"
    SIX_TO_12_MONTHS = "6to12m"
    ONE_TO_2_YEARS = "1to2y"
    OVER_2_YEARS = "gt2y"


class RemovalWhen(StrEnum):
    WITHIN_3_DAYS = "72h"
    THIS_WEEK = "week"
    LATER = "later"
    UNKNOWN = "unknown"


# Free text is bounded before it is kept anywhere, so it can't grow a draft or a
# storage row without limit.
MAX_OWN_WORDS = 600


@dataclass(frozen=True)
class Case:
    writer: Writer | None = None
    relationship: Relationship | None = None
    situations: tuple[Situation, ...] = ()
    centre_id: str | None = None
    waiting: WaitBand | None = None
    waiting_months: int | None = None
    removal_when: RemovalWhen | None = None
    removal_date: str | None = None
    has_lawyer: bool | None = None
    postcode: str | None = None
    nation: Nation | None = None
    own_words: str | None = None
    mp_did_not_reply: bool = False
    asked_about_going_public: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def has(self, situation: Situation) -> bool:
        return situation in self.situations

    @property
    def helping(self) -> bool:
        return self.writer is Writer.HELPER

    @property
    def urgent(self) -> bool:
        return self.has(Situation.REMOVAL)

    @property
    def lawyer_known(self) -> bool:
        """True when we know there is a lawyer, from an answer or from the situation."""
        if self.has(Situation.NO_LAWYER):
            return False
        return bool(self.has_lawyer) or self.has(Situation.LAWYER_UNRESPONSIVE)

    def with_situations(self, *added: Situation) -> Case:
        merged = set(self.situations) | set(added)
        # A lawyer who gets no answer and "no lawyer" can't both be true; the newer wins.
        if Situation.NO_LAWYER in added:
            merged.discard(Situation.LAWYER_UNRESPONSIVE)
        if Situation.LAWYER_UNRESPONSIVE in added:
            merged.discard(Situation.NO_LAWYER)
        ordered = tuple(s for s in SITUATION_ORDER if s in merged)
        return replace(self, situations=ordered)

    def without_situation(self, situation: Situation) -> Case:
        return replace(self, situations=tuple(s for s in self.situations if s != situation))

    def update(self, **changes: object) -> Case:
        return replace(self, **changes)  # type: ignore[arg-type]


def bound_text(text: str, limit: int = MAX_OWN_WORDS) -> str:
    """Strip control and bidi-override characters and cap the length at a word boundary."""
    cleaned = "".join(ch for ch in text if _is_safe_char(ch)).strip()
    cleaned = " ".join(cleaned.split())
    if len(cleaned) <= limit:
        return cleaned
    cut = cleaned[:limit].rsplit(" ", 1)[0]
    return cut + "…"


# Bidi embedding/override/isolate controls can reorder a letter's text when shown to
# an MP; they are never needed in what a person tells us.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_safe_char(ch: str) -> bool:
    if ch in _BIDI_CONTROLS:
        return False
    if ch in "\n\t":
        return True
    code = ord(ch)
    return not (code < 32 or 0x7F <= code < 0xA0)

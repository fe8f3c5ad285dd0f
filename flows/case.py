"""What we know about a person's case: who is writing, what is happening, where."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
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


class Gender(StrEnum):
    """How a letter's translation should speak of the person, where the language must choose."""

    FEMALE = "f"
    MALE = "m"


# What a helper said about who the person is tells the gender, where the word does.
_RELATIONSHIP_GENDER: dict[Relationship, Gender] = {
    Relationship.BROTHER: Gender.MALE, Relationship.FATHER: Gender.MALE,
    Relationship.SON: Gender.MALE, Relationship.HUSBAND: Gender.MALE,
    Relationship.UNCLE: Gender.MALE, Relationship.NEPHEW: Gender.MALE,
    Relationship.SISTER: Gender.FEMALE, Relationship.MOTHER: Gender.FEMALE,
    Relationship.DAUGHTER: Gender.FEMALE, Relationship.WIFE: Gender.FEMALE,
    Relationship.AUNT: Gender.FEMALE, Relationship.NIECE: Gender.FEMALE,
}


class LawyerSilence(StrEnum):
    """Who does not answer, when "the lawyer gets no answer" was said: two different problems."""

    HOME_OFFICE = "home_office"  # the Home Office does not answer the lawyer (G2)
    LAWYER = "lawyer"  # their own lawyer does not answer them: an MP can't make a lawyer reply


class RemovalWhen(StrEnum):
    WITHIN_3_DAYS = "72h"
    THIS_WEEK = "week"
    LATER = "later"
    UNKNOWN = "unknown"


class Urgency(StrEnum):
    """How soon a removal is, which sets a letter's ask, the advice order and the follow-up."""

    NONE = "none"  # no removal
    IMMEDIATE = "immediate"  # within about three days: phone the MP's office today
    THIS_WEEK = "this_week"
    LATER = "later"  # a date further off: act before it, but no "act today"
    UNKNOWN = "unknown"  # removal, date not known


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
    removal_date: str | None = None  # ISO date, read from what the person typed
    has_lawyer: bool | None = None
    # The person's own answer to "a woman or a man?" (asked only where their language's
    # letters must agree, and only when they write for themselves).
    gender: Gender | None = None
    # With LAWYER_UNRESPONSIVE: who is silent. None until asked (or not known).
    lawyer_silence: LawyerSilence | None = None
    postcode: str | None = None
    nation: Nation | None = None
    # What the person wants the MP to know, in their own words and language; it goes
    # into letters only once they gave it at the own-words step (or confirmed it there).
    own_words: str | None = None
    own_words_language: str | None = None
    # What they wrote to describe the case (the latest reading, additions merged): only
    # offered back at the own-words step, never put in a letter unasked.
    described: str | None = None
    # A friend or relative elsewhere who can ask their own MP (G17).
    friend_postcode: str | None = None
    mp_did_not_reply: bool = False
    asked_about_going_public: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def has(self, situation: Situation) -> bool:
        return situation in self.situations

    @property
    def helping(self) -> bool:
        return self.writer is Writer.HELPER

    @property
    def subject_gender(self) -> Gender | None:
        """The gender of the person the case is about, if told; None means neutral wording."""
        if self.helping:
            return _RELATIONSHIP_GENDER.get(self.relationship) if self.relationship else None
        return self.gender

    @property
    def urgent(self) -> bool:
        return self.has(Situation.REMOVAL)

    def removal_day(self) -> date | None:
        if not self.removal_date:
            return None
        try:
            return date.fromisoformat(self.removal_date)
        except ValueError:
            return None  # an older row kept the typed words; they are not a date

    def urgency(self, today: date) -> Urgency:
        """How soon the removal is, from its date when known, else from the button chosen."""
        if not self.urgent:
            return Urgency.NONE
        day = self.removal_day()
        if day is not None:
            days = (day - today).days
            if days <= 3:
                return Urgency.IMMEDIATE
            return Urgency.THIS_WEEK if days <= 7 else Urgency.LATER
        return {
            RemovalWhen.WITHIN_3_DAYS: Urgency.IMMEDIATE,
            RemovalWhen.THIS_WEEK: Urgency.THIS_WEEK,
            RemovalWhen.LATER: Urgency.LATER,
        }.get(self.removal_when or RemovalWhen.UNKNOWN, Urgency.UNKNOWN)

    @property
    def short_wait(self) -> bool:
        """Under six months: an honest letter doesn't call that a very long wait."""
        if self.waiting_months is not None:
            return self.waiting_months < 6
        return self.waiting is WaitBand.UNDER_6_MONTHS

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

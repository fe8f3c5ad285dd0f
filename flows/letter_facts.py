"""The sentences a letter tells about a case, in the voice of whoever signs it.

A letter has a signer and a subject. When the person signs, the facts are in the
first person ("I am held at Brook House"); when a helper, a friend or a community
supporter signs, they are in the third person, after the person has been introduced
("my brother, [their full name]"). Every sentence states only what the person told
us and confirmed; what only they know is a bracketed gap (F9: no invented facts).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from flows.case import (
    Case,
    LawyerSilence,
    Relationship,
    RemovalWhen,
    Situation,
    Urgency,
    WaitBand,
)
from flows.centres import CENTRES_BY_ID
from flows.text import Day, Msg, Param, Plain, gap, t, tn


class Voice(StrEnum):
    FIRST = "first"  # the person signs: "I", "my claim"
    THIRD = "third"  # someone else signs about them: "they", "their claim"


# How a helper names the person ("I am writing about my brother"): a whole phrase per
# relationship, because "my" does not fit every one ("a member of my community").
RELATIONSHIP_PHRASES: dict[Relationship, Msg] = {
    Relationship.BROTHER: t("relp.brother", "my brother"),
    Relationship.SISTER: t("relp.sister", "my sister"),
    Relationship.MOTHER: t("relp.mother", "my mother"),
    Relationship.FATHER: t("relp.father", "my father"),
    Relationship.SON: t("relp.son", "my son"),
    Relationship.DAUGHTER: t("relp.daughter", "my daughter"),
    Relationship.HUSBAND: t("relp.husband", "my husband"),
    Relationship.WIFE: t("relp.wife", "my wife"),
    Relationship.PARTNER: t("relp.partner", "my partner"),
    Relationship.COUSIN: t("relp.cousin", "my cousin"),
    Relationship.UNCLE: t("relp.uncle", "my uncle"),
    Relationship.AUNT: t("relp.aunt", "my aunt"),
    Relationship.NEPHEW: t("relp.nephew", "my nephew"),
    Relationship.NIECE: t("relp.niece", "my niece"),
    Relationship.FRIEND: t("relp.friend", "my friend"),
    Relationship.RELATIVE: t("relp.relative", "a relative of mine"),
    Relationship.NEIGHBOUR: t("relp.neighbour", "my neighbour"),
    Relationship.CLIENT: t("relp.client", "my client"),
    Relationship.COMMUNITY_MEMBER: t("relp.community_member", "a member of my community"),
}

WAIT_NAMES: dict[WaitBand, Msg] = {
    WaitBand.UNDER_6_MONTHS: t("wait.lt6m", "less than six months"),
    WaitBand.SIX_TO_12_MONTHS: t("wait.6to12m", "between six months and a year"),
    WaitBand.ONE_TO_2_YEARS: t("wait.1to2y", "between one and two years"),
    WaitBand.OVER_2_YEARS: t("wait.gt2y", "more than two years"),
}

# When the removal is, for a sentence that already says "plans to remove … ".
_REMOVAL_WHEN_NAMES: dict[RemovalWhen, Msg] = {
    RemovalWhen.WITHIN_3_DAYS: t("removal_when.72h", "within the next three days"),
    RemovalWhen.THIS_WEEK: t("removal_when.week", "this week"),
}

# Gaps: what only the signer or the person can fill in.
G_NAME = gap("gap.your_name", "your full name")
G_ADDRESS = gap("gap.your_address", "your address")
G_CONTACT = gap("gap.your_contact", "your phone number or email")
G_THEIR_NAME = gap("gap.their_name", "their full name")
G_REF = gap("gap.ho_ref", "Home Office reference number, if you have one")


def relationship_phrase(case: Case) -> Param:
    if case.relationship:
        return RELATIONSHIP_PHRASES[case.relationship]
    return gap("gap.how_you_know_them", "how you know them, e.g. my cousin")


def centre_name(case: Case) -> Param:
    centre = CENTRES_BY_ID.get(case.centre_id or "")
    return Plain(centre.name) if centre else gap("gap.centre", "name of the detention centre")


def duration(case: Case) -> Param:
    if case.waiting_months:
        months = case.waiting_months
        if months >= 12 and months % 12 == 0:
            return tn("duration.years", "{n} year", "{n} years", months // 12)
        return tn("duration.months", "{n} month", "{n} months", months)
    if case.waiting:
        return WAIT_NAMES[case.waiting]
    return gap("gap.how_long", "how long the wait has been")


def removal_sentence(case: Case, voice: Voice) -> Msg:
    """When the removal is, as far as the person told us: a date, a band, or a gap."""
    day = case.removal_day()
    first = voice is Voice.FIRST
    if day is not None:
        return (t("draft.me.removal_on", "The Home Office plans to remove me from the UK on "
                  "{day}.", day=Day(day.isoformat())) if first else
                t("draft.they.removal_on", "The Home Office plans to remove them from the UK "
                  "on {day}.", day=Day(day.isoformat())))
    when = _REMOVAL_WHEN_NAMES.get(case.removal_when or RemovalWhen.UNKNOWN)
    if when is not None:
        return (t("draft.me.removal", "The Home Office plans to remove me from the UK {when}.",
                  when=when) if first else
                t("draft.they.removal", "The Home Office plans to remove them from the UK "
                  "{when}.", when=when))
    day_gap = gap("gap.removal_date2", "date of the removal, or delete this sentence if none "
                  "has been given")
    return (t("draft.me.removal_undated", "The Home Office plans to remove me from the UK. "
              "The date is {day}.", day=day_gap) if first else
            t("draft.they.removal_undated", "The Home Office plans to remove them from the UK. "
              "The date is {day}.", day=day_gap))


def facts(case: Case, voice: Voice, brief: bool = False) -> list[Msg]:
    """One sentence per confirmed situation, most urgent first.

    `brief` leaves out what is to be filled in (the points against a refusal, the
    lawyer's name), for a reminder or a meeting request that only recalls the case.
    """
    first = voice is Voice.FIRST
    lines: list[Msg] = []
    for situation in case.situations:
        if situation is Situation.REMOVAL:
            lines.append(removal_sentence(case, voice))
        elif situation is Situation.DETAINED:
            lines.append(t("draft.me.detained", "I am held in immigration detention at "
                           "{centre}.", centre=centre_name(case)) if first else
                         t("draft.they.detained", "They are held in immigration detention at "
                           "{centre}.", centre=centre_name(case)))
        elif situation is Situation.REFUSED and brief:
            lines.append(t("draft.me.refused_short", "The Home Office has refused my claim.")
                         if first else
                         t("draft.they.refused_short", "The Home Office has refused their "
                           "claim."))
        elif situation is Situation.APPEAL_RIGHTS_EXHAUSTED and brief:
            lines.append(t("draft.me.are_short", "The Home Office says my appeal rights are "
                           "exhausted.") if first else
                         t("draft.they.are_short", "The Home Office says their appeal rights "
                           "are exhausted."))
        elif situation is Situation.LAWYER_UNRESPONSIVE and brief:
            continue
        elif situation is Situation.REFUSED:
            reasons = gap("gap.refusal_points", "what is wrong in the refusal, or any new "
                          "evidence, in a sentence or two")
            lines.append(t("draft.me.refused2", "The Home Office has refused my claim. {reasons}",
                           reasons=reasons) if first else
                         t("draft.they.refused2", "The Home Office has refused their claim. "
                           "{reasons}", reasons=reasons))
        elif situation is Situation.APPEAL_RIGHTS_EXHAUSTED:
            barriers = gap("gap.barriers2", "anything that stood in the way of a fair hearing, "
                           "e.g. no lawyer or no interpreter")
            lines.append(t("draft.me.are2", "The Home Office says my appeal rights are "
                           "exhausted. {barriers}", barriers=barriers) if first else
                         t("draft.they.are2", "The Home Office says their appeal rights are "
                           "exhausted. {barriers}", barriers=barriers))
        elif situation is Situation.DELAYED:
            lines.append(t("draft.me.delayed2", "I have been waiting {duration} for a decision "
                           "on my claim.", duration=duration(case)) if first else
                         t("draft.they.delayed", "They have been waiting {duration} for a "
                           "decision on their claim.", duration=duration(case)))
        elif situation is Situation.NO_LAWYER:
            lines.append(t("draft.me.no_lawyer2", "I do not have a lawyer.") if first else
                         t("draft.they.no_lawyer", "They do not have a lawyer."))
        elif situation is Situation.LAWYER_UNRESPONSIVE:
            lines.append(_lawyer_silence_line(case, first))
    if case.has_lawyer and not case.has(Situation.LAWYER_UNRESPONSIVE) and not brief:
        # G14: a caseworker's first question when there is a lawyer is who it is.
        lines.append(t("draft.me.lawyer", "My lawyer is {lawyer}.",
                       lawyer=gap("gap.lawyer", "your lawyer's name or firm")) if first else
                     t("draft.they.lawyer", "Their lawyer is {lawyer}.",
                       lawyer=gap("gap.their_lawyer", "their lawyer's name or firm")))
    return lines


def new_information(voice: Voice) -> Msg:
    """F5: what could justify deferring a removal; a gap, since only they know it."""
    # F5: a deferral is asked for on new information, so the letter asks for it plainly.
    info = gap("gap.new_info3", "what the Home Office has not considered yet, e.g. health, "
               "children at school here, family ties")
    return (t("draft.me.new_info", "New information about my case: {info}", info=info)
            if voice is Voice.FIRST else
            t("draft.they.new_info", "New information about their case: {info}", info=info))


def urgency_line(case: Case, today: date) -> Msg | None:
    """Why the letter is urgent, fitted to how soon the removal is."""
    urgency = case.urgency(today)
    if urgency is Urgency.IMMEDIATE:
        return t("draft.urgent.immediate", "This is urgent: the removal is only days away.")
    if urgency is Urgency.THIS_WEEK:
        return t("draft.urgent.week", "This is urgent: the removal is planned for the coming "
                 "days.")
    return None


def _lawyer_silence_line(case: Case, first: bool) -> Msg:
    """Who does not answer, as the person told it; a marked gap when they weren't sure."""
    lawyer = (gap("gap.lawyer", "your lawyer's name or firm") if first else
              gap("gap.their_lawyer", "their lawyer's name or firm"))
    if case.lawyer_silence is LawyerSilence.HOME_OFFICE:
        return (t("draft.me.lawyer_unresponsive", "My legal representative, {lawyer}, has "
                  "written to the Home Office but has had no reply.", lawyer=lawyer) if first else
                t("draft.they.lawyer_unresponsive", "Their legal representative, {lawyer}, "
                  "has written to the Home Office but has had no reply.", lawyer=lawyer))
    if case.lawyer_silence is LawyerSilence.LAWYER:
        return (t("draft.me.lawyer_silent", "I have a legal representative, {lawyer}, but I "
                  "cannot get an answer from them about my case.", lawyer=lawyer) if first else
                t("draft.they.lawyer_silent", "They have a legal representative, {lawyer}, but "
                  "cannot get an answer from them about their case.", lawyer=lawyer))
    if first:
        who = gap("gap.lawyer_silence", "the Home Office to my lawyer, or my lawyer to me: "
                  "say which")
        return t("draft.me.lawyer_no_answer", "My legal representative is {lawyer}. There "
                 "has been no answer from {who}.", lawyer=lawyer, who=who)
    who = gap("gap.their_lawyer_silence", "the Home Office to their lawyer, or their lawyer to "
              "them: say which")
    return t("draft.they.lawyer_no_answer", "Their legal representative is {lawyer}. There has "
             "been no answer from {who}.", lawyer=lawyer, who=who)

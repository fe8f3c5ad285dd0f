"""Personal draft letters, built from the person's own facts and own words (F9).

A draft is a list of paragraphs, each a translatable message. The shell renders it
twice: in English (the text to send) and in the person's language (so they know
what they are signing). What the person hasn't told us becomes a bracketed gap for
them to fill in; nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.case import Case, Relationship, RemovalWhen, Situation, WaitBand
from flows.centres import CENTRES_BY_ID
from flows.representatives import Representative, Role
from flows.text import Gap, Msg, Param, Plain, Plural, gap, t, tn


class DraftKind(StrEnum):
    MP_CASE = "mp_case"
    CENTRE_MP = "centre_mp"
    HELPER_TO_OWN_MP = "helper_mp"
    DEVOLVED = "devolved"
    COUNCILLOR = "councillor"
    COMMUNITY_SUPPORTER = "community"
    CHASER = "chaser"
    SURGERY_REQUEST = "surgery"
    CONSENT = "consent"


@dataclass(frozen=True)
class DraftLetter:
    kind: DraftKind
    title: Msg
    recipient: Representative | None
    paragraphs: tuple[Msg, ...]


DRAFT_TITLES: dict[DraftKind, Msg] = {
    DraftKind.MP_CASE: t("draft.title.mp_case", "Letter to your MP"),
    DraftKind.CENTRE_MP: t("draft.title.centre_mp", "Letter to the detention centre's MP"),
    DraftKind.HELPER_TO_OWN_MP: t("draft.title.helper_mp", "Letter from you to your own MP"),
    DraftKind.DEVOLVED: t("draft.title.devolved", "Letter to your devolved representative"),
    DraftKind.COUNCILLOR: t("draft.title.councillor", "Letter to a local councillor"),
    DraftKind.COMMUNITY_SUPPORTER: t("draft.title.community",
                                     "Letter for a respected local person to send to the MP"),
    DraftKind.CHASER: t("draft.title.chaser", "Reminder to an MP who has not replied"),
    DraftKind.SURGERY_REQUEST: t("draft.title.surgery", "Asking to meet the MP"),
    DraftKind.CONSENT: t("draft.title.consent", "Consent letter (letter of authority)"),
}

RELATIONSHIP_NAMES: dict[Relationship, Msg] = {
    Relationship.BROTHER: t("rel.brother", "brother"),
    Relationship.SISTER: t("rel.sister", "sister"),
    Relationship.MOTHER: t("rel.mother", "mother"),
    Relationship.FATHER: t("rel.father", "father"),
    Relationship.SON: t("rel.son", "son"),
    Relationship.DAUGHTER: t("rel.daughter", "daughter"),
    Relationship.HUSBAND: t("rel.husband", "husband"),
    Relationship.WIFE: t("rel.wife", "wife"),
    Relationship.PARTNER: t("rel.partner", "partner"),
    Relationship.COUSIN: t("rel.cousin", "cousin"),
    Relationship.UNCLE: t("rel.uncle", "uncle"),
    Relationship.AUNT: t("rel.aunt", "aunt"),
    Relationship.NEPHEW: t("rel.nephew", "nephew"),
    Relationship.NIECE: t("rel.niece", "niece"),
    Relationship.FRIEND: t("rel.friend", "friend"),
    Relationship.RELATIVE: t("rel.relative", "relative"),
    Relationship.NEIGHBOUR: t("rel.neighbour", "neighbour"),
    Relationship.CLIENT: t("rel.client", "client"),
    Relationship.COMMUNITY_MEMBER: t("rel.community_member", "member of my community"),
}

WAIT_NAMES: dict[WaitBand, Msg] = {
    WaitBand.UNDER_6_MONTHS: t("wait.lt6m", "less than six months"),
    WaitBand.SIX_TO_12_MONTHS: t("wait.6to12m", "between six months and a year"),
    WaitBand.ONE_TO_2_YEARS: t("wait.1to2y", "between one and two years"),
    WaitBand.OVER_2_YEARS: t("wait.gt2y", "more than two years"),
}

REMOVAL_NAMES: dict[RemovalWhen, Msg] = {
    RemovalWhen.WITHIN_3_DAYS: t("removal_when.72h", "within the next three days"),
    RemovalWhen.THIS_WEEK: t("removal_when.week", "this week"),
    RemovalWhen.LATER: t("removal_when.later", "soon"),
    RemovalWhen.UNKNOWN: t("removal_when.unknown", "soon (I don't know the date yet)"),
}

# Gaps: what only the person can fill in.
G_NAME = gap("gap.your_name", "your full name")
G_ADDRESS = gap("gap.your_address", "your address")
G_CONTACT = gap("gap.your_contact", "your phone number or email")
G_REF = gap("gap.ho_ref", "Home Office reference number, if you have one")
G_THEIR_NAME = gap("gap.their_name", "their full name")
G_REASONS = gap("gap.refusal_reasons",
                "why the refusal is wrong, or what new evidence you have")
G_NEW_INFO = gap("gap.new_info", "the new information, e.g. health, children, family ties")
G_BARRIERS = gap("gap.barriers", "e.g. no lawyer, no interpreter, evidence not considered")
G_LAWYER = gap("gap.lawyer", "your lawyer's name or firm")
G_DATE_FIRST = gap("gap.first_letter_date", "date of your first letter")
G_SUPPORTER = gap("gap.supporter", "your name and role, e.g. head teacher at … school")
G_DOB = gap("gap.dob", "date of birth")
G_NATIONALITY = gap("gap.nationality", "nationality")
G_OTHER_NAMES = gap("gap.other_names", "any other names used")
G_HOME_ADDRESS = gap("gap.home_address", "home address (in the MP's area)")
G_CURRENT_ADDRESS = gap("gap.current_address", "current address")
G_DETAINEE_NO = gap("gap.detainee_number", "detention number, if any")
G_SIGNATURE = gap("gap.signature", "signature")
G_TODAY = gap("gap.date", "date")
G_HELPER_NAME = gap("gap.helper_name", "full name of the person helping")
G_MP_NAME = gap("gap.mp_name", "name of the MP")


def draft_letter(kind: DraftKind, case: Case, recipient: Representative | None) -> DraftLetter:
    """The draft of `kind` for this case, addressed to `recipient` when known."""
    build = _BUILDERS[kind]
    return DraftLetter(kind=kind, title=DRAFT_TITLES[kind], recipient=recipient,
                       paragraphs=tuple(build(case, recipient)))


def available_drafts(case: Case, has_devolved: bool = False) -> list[DraftKind]:
    """The drafts that fit this case, most useful first."""
    kinds: list[DraftKind] = []
    if case.helping:
        kinds.append(DraftKind.HELPER_TO_OWN_MP)
        kinds.append(DraftKind.CONSENT)
        if case.has(Situation.DETAINED):
            kinds.append(DraftKind.CENTRE_MP)
    else:
        kinds.append(DraftKind.MP_CASE)
        if case.has(Situation.DETAINED):
            kinds.append(DraftKind.CENTRE_MP)
            kinds.append(DraftKind.CONSENT)
    if case.mp_did_not_reply:
        kinds.insert(0, DraftKind.CHASER)
        kinds.append(DraftKind.COMMUNITY_SUPPORTER)
    if not case.has(Situation.DETAINED) and not case.urgent:
        kinds.append(DraftKind.SURGERY_REQUEST)
    if has_devolved:
        kinds.append(DraftKind.DEVOLVED)
    kinds.append(DraftKind.COUNCILLOR)
    if not case.mp_did_not_reply:
        kinds.append(DraftKind.CHASER)
        kinds.append(DraftKind.COMMUNITY_SUPPORTER)
    if DraftKind.CONSENT not in kinds:
        kinds.append(DraftKind.CONSENT)
    return kinds


# --- shared pieces ------------------------------------------------------------------


def _greeting(recipient: Representative | None) -> Msg:
    if recipient is not None and recipient.name:
        return t("draft.dear_named", "Dear {name},", name=Plain(recipient.name))
    return t("draft.dear_unnamed", "Dear {name},", name=G_MP_NAME)


def _centre_name(case: Case) -> Param:
    centre = CENTRES_BY_ID.get(case.centre_id or "")
    return Plain(centre.name) if centre else gap("gap.centre", "name of the detention centre")


def _duration(case: Case) -> Param:
    if case.waiting_months:
        months = case.waiting_months
        if months >= 12 and months % 12 == 0:
            return tn("duration.years", "{n} year", "{n} years", months // 12)
        return tn("duration.months", "{n} month", "{n} months", months)
    if case.waiting:
        return WAIT_NAMES[case.waiting]
    return gap("gap.how_long", "how long you have waited")


def _removal_when(case: Case) -> Param:
    if case.removal_date:
        return Plain(case.removal_date)
    if case.removal_when:
        return REMOVAL_NAMES[case.removal_when]
    return gap("gap.removal_date", "removal date, if you know it")


def _own_words(case: Case) -> list[Msg]:
    if not case.own_words:
        return []
    words = Plain(case.own_words)
    if _mostly_latin(case.own_words):
        return [t("draft.own_words", "In my own words: \u201c{words}\u201d", words=words)]
    # The letter goes out in English; words typed in another script need putting
    # into English first, and the gap says so rather than sending them untranslated.
    return [t("draft.own_words_translate", "In my own words: \u201c{words}\u201d {note}",
              words=words, note=gap("gap.translate_own_words",
                                    "put these words into English before sending"))]


def _mostly_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    latin = sum(1 for ch in letters if ord(ch) < 0x250)
    return latin / len(letters) >= 0.6


def _relationship(case: Case) -> Param:
    if case.relationship:
        return RELATIONSHIP_NAMES[case.relationship]
    return gap("gap.relationship", "relationship, e.g. brother or friend")


def _facts_first_person(case: Case) -> list[Msg]:
    """One sentence per situation, in the person's own voice."""
    lines: list[Msg] = []
    for situation in case.situations:
        if situation is Situation.REMOVAL:
            lines.append(t("draft.me.removal", "The Home Office plans to remove me from the UK "
                           "{when}. This is urgent.", when=_removal_when(case)))
            lines.append(t("draft.me.removal_info", "There is new information that I do not "
                           "think has been considered: {info}. I ask you to contact the Home "
                           "Office urgently and ask for my removal to be deferred while it is "
                           "looked at.", info=G_NEW_INFO))
        elif situation is Situation.DETAINED:
            lines.append(t("draft.me.detained", "I am held in immigration detention at "
                           "{centre}.", centre=_centre_name(case)))
        elif situation is Situation.REFUSED:
            lines.append(t("draft.me.refused", "The Home Office has refused my claim. I believe "
                           "the decision is wrong because {reasons}.", reasons=G_REASONS))
        elif situation is Situation.APPEAL_RIGHTS_EXHAUSTED:
            lines.append(t("draft.me.are", "The Home Office says my appeal rights are exhausted. "
                           "I did not get a fair chance to make my case: {barriers}.",
                           barriers=G_BARRIERS))
        elif situation is Situation.DELAYED:
            lines.append(t("draft.me.delayed", "I have been waiting {duration} for a decision "
                           "on my claim, with no clear answer from the Home Office.",
                           duration=_duration(case)))
        elif situation is Situation.NO_LAWYER:
            lines.append(t("draft.me.no_lawyer", "I do not have a lawyer, and I have not been "
                           "able to get an answer from the Home Office myself."))
        elif situation is Situation.LAWYER_UNRESPONSIVE:
            lines.append(t("draft.me.lawyer_unresponsive", "My legal representative, {lawyer}, "
                           "has written to the Home Office but has had no reply.",
                           lawyer=G_LAWYER))
    return lines


def _facts_third_person(case: Case) -> list[Msg]:
    """The same facts, told by someone writing for the person."""
    lines: list[Msg] = []
    for situation in case.situations:
        if situation is Situation.REMOVAL:
            lines.append(t("draft.they.removal", "The Home Office plans to remove them from the "
                           "UK {when}. This is urgent.", when=_removal_when(case)))
            lines.append(t("draft.they.removal_info", "There is new information that I do not "
                           "think has been considered: {info}. Please contact the Home Office "
                           "urgently and ask for the removal to be deferred while it is looked "
                           "at.", info=G_NEW_INFO))
        elif situation is Situation.DETAINED:
            lines.append(t("draft.they.detained", "They are held in immigration detention at "
                           "{centre}.", centre=_centre_name(case)))
        elif situation is Situation.REFUSED:
            lines.append(t("draft.they.refused", "The Home Office has refused their claim. We "
                           "believe the decision is wrong because {reasons}.",
                           reasons=G_REASONS))
        elif situation is Situation.APPEAL_RIGHTS_EXHAUSTED:
            lines.append(t("draft.they.are", "The Home Office says their appeal rights are "
                           "exhausted, but they did not get a fair chance to make their case: "
                           "{barriers}.", barriers=G_BARRIERS))
        elif situation is Situation.DELAYED:
            lines.append(t("draft.they.delayed", "They have been waiting {duration} for a "
                           "decision on their claim.", duration=_duration(case)))
        elif situation is Situation.NO_LAWYER:
            lines.append(t("draft.they.no_lawyer", "They do not have a lawyer."))
        elif situation is Situation.LAWYER_UNRESPONSIVE:
            lines.append(t("draft.they.lawyer_unresponsive", "Their legal representative, "
                           "{lawyer}, has written to the Home Office but has had no reply.",
                           lawyer=G_LAWYER))
    return lines


def _facts(case: Case) -> list[Msg]:
    return _facts_third_person(case) if case.helping else _facts_first_person(case)


def _ask(case: Case) -> Msg:
    if case.urgent:
        return t("draft.ask.urgent", "Because of the removal date, I would be very grateful if "
                 "you could act today.")
    if case.has(Situation.DELAYED) and len(case.situations) == 1:
        return t("draft.ask.delayed", "Please could you ask the Home Office when a decision will "
                 "be made?")
    return t("draft.ask.general", "Please could you raise this case with the Home Office? If "
             "their reply only gives the stage of the case, I would be grateful if you could "
             "follow it up.")


def _sign_off(name: Param = G_NAME) -> list[Msg]:
    return [
        t("draft.thanks", "Thank you for your help."),
        t("draft.sign_off", "Yours sincerely,\n{name}\n{contact}", name=name, contact=G_CONTACT),
    ]


def _reference() -> Msg:
    return t("draft.reference", "My Home Office reference number is {ref}. I can send copies of "
             "my letters and documents.", ref=G_REF)


def _their_reference() -> Msg:
    return t("draft.helper.ref", "Their Home Office reference number is {ref}.", ref=G_REF)


# --- one builder per kind -------------------------------------------------------------


def _mp_case(case: Case, recipient: Representative | None) -> list[Msg]:
    return [
        _greeting(recipient),
        t("draft.mp.intro_detained", "Before I was detained I lived in your constituency, at "
          "{address}, and I am writing to ask for your help with my immigration case.",
          address=G_ADDRESS)
        if case.has(Situation.DETAINED) else
        t("draft.mp.intro", "I live in your constituency, at {address}, and I am writing to ask "
          "for your help with my immigration case.", address=G_ADDRESS),
        *_facts_first_person(case),
        *_own_words(case),
        _ask(case),
        _reference(),
        t("draft.mp.permission", "I give you and your staff permission to contact the Home "
          "Office about my case and to receive information about it."),
        *_sign_off(),
    ]


def _centre_mp(case: Case, recipient: Representative | None) -> list[Msg]:
    if case.helping:
        opening = t("draft.centre.helper", "I am writing about my {relationship}, {name}, who is "
                    "held at {centre}, in your constituency.", relationship=_relationship(case),
                    name=G_THEIR_NAME, centre=_centre_name(case))
    else:
        opening = t("draft.centre.self", "I am held at {centre}, in your constituency, and I am "
                    "writing to ask for your help.", centre=_centre_name(case))
    return [
        _greeting(recipient),
        opening,
        *[line for line in _facts(case) if not line.key.endswith(".detained")],
        *_own_words(case),
        _ask(case),
        _their_reference() if case.helping else _reference(),
        t("draft.centre.consent", "A signed consent letter is attached.")
        if case.helping else
        t("draft.mp.permission", "I give you and your staff permission to contact the Home "
          "Office about my case and to receive information about it."),
        *_sign_off(),
    ]


def _helper_to_own_mp(case: Case, recipient: Representative | None) -> list[Msg]:
    return [
        _greeting(recipient),
        t("draft.helper.intro", "I live in your constituency, at {address}. I am writing about "
          "my {relationship}, {name}, who needs help with their immigration case.",
          address=G_ADDRESS, relationship=_relationship(case), name=G_THEIR_NAME),
        *_facts_third_person(case),
        *_own_words(case),
        _ask(case),
        _their_reference(),
        t("draft.helper.consent", "They have signed a letter giving their consent for me to "
          "contact you, which I attach."),
        *_sign_off(),
    ]


def _devolved(case: Case, recipient: Representative | None) -> list[Msg]:
    return [
        _greeting(recipient),
        t("draft.devolved.intro", "I live in your area, at {address}. I know immigration is "
          "decided at Westminster, but I would be grateful for any help you can give with "
          "this case.", address=G_ADDRESS),
        *_facts(case),
        *_own_words(case),
        t("draft.devolved.ask", "Could you ask my MP to take up the case, or put me in touch "
          "with people or organisations who could help?"),
        *_sign_off(),
    ]


def _councillor(case: Case, recipient: Representative | None) -> list[Msg]:
    return [
        t("draft.dear_councillor", "Dear Councillor,"),
        t("draft.council.intro", "I live in your ward, at {address}. I am writing about an "
          "immigration case that matters to me and to people around me.", address=G_ADDRESS),
        *_facts(case),
        *_own_words(case),
        t("draft.council.ask", "Would you be willing to support the case, for example by "
          "writing to our MP, and do you know anyone locally who could help?"),
        *_sign_off(),
    ]


def _community(case: Case, recipient: Representative | None) -> list[Msg]:
    return [
        _greeting(recipient),
        t("draft.community.intro", "I am {supporter}, and I know {name} well.",
          supporter=G_SUPPORTER, name=gap("gap.person_or_family", "name of the person or family")),
        t("draft.community.silence", "They have written to you about their immigration case "
          "and have not had a reply. I am writing to ask you to reply to them and to consider "
          "taking up their case."),
        *_facts_third_person(case),
        t("draft.community.value", "They are a valued part of our community, and I would be "
          "glad to tell you more."),
        *_sign_off(G_SUPPORTER),
    ]


def _chaser(case: Case, recipient: Representative | None) -> list[Msg]:
    return [
        _greeting(recipient),
        t("draft.chaser.body", "I wrote to you on {date} about an immigration case and I have "
          "not yet had a reply.", date=G_DATE_FIRST),
        t("draft.chaser.twenty_days", "I understand the Home Office aims to answer MPs within 20 "
          "working days. Could you let me know whether you have been able to contact them?"),
        *([t("draft.chaser.urgent", "The situation is now urgent because of the removal date.")]
          if case.urgent else []),
        *_sign_off(),
    ]


def _surgery(case: Case, recipient: Representative | None) -> list[Msg]:
    return [
        _greeting(recipient),
        t("draft.surgery.body", "I live in your constituency, at {address}, and I would like to "
          "meet you, or the caseworker who handles immigration cases, at one of your surgeries "
          "about my case. Could you tell me when and where I can come?", address=G_ADDRESS),
        t("draft.surgery.documents", "I will bring my documents and letters."),
        *_sign_off(),
    ]


def _consent(case: Case, recipient: Representative | None) -> list[Msg]:
    mp_name: Param = Plain(recipient.name) if recipient and recipient.name else G_MP_NAME
    lines = [
        t("consent.heading", "LETTER OF AUTHORITY"),
        t("consent.field.name", "Full name: {value}", value=G_NAME),
        t("consent.field.other_names", "Other names used: {value}", value=G_OTHER_NAMES),
        t("consent.field.dob", "Date of birth: {value}", value=G_DOB),
        t("consent.field.nationality", "Nationality: {value}", value=G_NATIONALITY),
        t("consent.field.current_address", "Current address: {value}",
          value=_centre_name(case) if case.has(Situation.DETAINED) else G_CURRENT_ADDRESS),
    ]
    if case.has(Situation.DETAINED):
        lines.append(t("consent.field.detainee_no", "Detention number: {value}",
                       value=G_DETAINEE_NO))
    lines += [
        t("consent.field.home_address", "Home address: {value}", value=G_HOME_ADDRESS),
        t("consent.field.ref", "Home Office reference number(s): {value}", value=G_REF),
        t("consent.field.lawyer", "Legal representative: {value}",
          value=G_LAWYER if case.lawyer_known
          else gap("gap.lawyer_or_none", "name and contact, or 'none'")),
        t("consent.authority", "I authorise {mp} and their staff to contact the Home Office, UK "
          "Visas and Immigration and Immigration Enforcement about my case, and to receive "
          "information about it.", mp=mp_name),
    ]
    if case.helping:
        # No relationship word here: the helper chose it ("my brother"), but the person
        # signing would describe it the other way round.
        lines.append(t("consent.helper_named", "I also authorise {helper}, who is helping me, to "
                       "speak to the MP's office about my case for me.", helper=G_HELPER_NAME))
    lines += [
        t("consent.signature", "Signed: {signature}", signature=G_SIGNATURE),
        t("consent.date", "Date: {date}", date=G_TODAY),
    ]
    return lines


_BUILDERS = {
    DraftKind.MP_CASE: _mp_case,
    DraftKind.CENTRE_MP: _centre_mp,
    DraftKind.HELPER_TO_OWN_MP: _helper_to_own_mp,
    DraftKind.DEVOLVED: _devolved,
    DraftKind.COUNCILLOR: _councillor,
    DraftKind.COMMUNITY_SUPPORTER: _community,
    DraftKind.CHASER: _chaser,
    DraftKind.SURGERY_REQUEST: _surgery,
    DraftKind.CONSENT: _consent,
}

# Roles a draft of each kind goes to (looked up in the results); None: no lookup needed.
RECIPIENT_ROLE: dict[DraftKind, Role | None] = {
    DraftKind.MP_CASE: Role.MP,
    DraftKind.CENTRE_MP: Role.MP,
    DraftKind.HELPER_TO_OWN_MP: Role.MP,
    DraftKind.DEVOLVED: None,
    DraftKind.COUNCILLOR: Role.COUNCILLORS,
    DraftKind.COMMUNITY_SUPPORTER: Role.MP,
    DraftKind.CHASER: Role.MP,
    DraftKind.SURGERY_REQUEST: Role.MP,
    DraftKind.CONSENT: Role.MP,
}

__all__ = [
    "DRAFT_TITLES", "RELATIONSHIP_NAMES", "DraftKind", "DraftLetter", "Gap", "Plural",
    "available_drafts", "draft_letter",
]

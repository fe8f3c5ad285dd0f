"""Personal draft letters: each kind knows who signs it, who it is about and who gets it.

A letter kind is one declaration in `KINDS`: its title, its addressee, who signs it
for this case, and how its paragraphs are built. What a letter may ask depends on
the addressee: only an MP can be asked to contact the Home Office or a minister
(G1, G13, F5); an MSP, a Member of the Senedd, an MLA or a councillor can be asked
for support, contacts and a word with the MP (G21–G24). The person's facts are told
in the signer's voice (`letter_facts`), and only as far as the person gave them.

The shell renders a draft twice: in English (the text to send) and in the person's
language (so they know what they sign).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from flows.case import Case, Nation, Situation, Urgency, Writer
from flows.letter_facts import (
    G_ADDRESS,
    G_CONTACT,
    G_NAME,
    G_REF,
    G_THEIR_NAME,
    Voice,
    centre_name,
    facts,
    new_information,
    relationship_phrase,
    urgency_line,
)
from flows.representatives import Representative, Role
from flows.text import Msg, Param, Plain, gap, t


class DraftKind(StrEnum):
    MP_CASE = "mp_case"
    CENTRE_MP = "centre_mp"
    HELPER_TO_OWN_MP = "helper_mp"
    FRIEND_MP = "friend_mp"
    DEVOLVED = "devolved"
    COUNCILLOR = "councillor"
    COMMUNITY_SUPPORTER = "community"
    CHASER = "chaser"
    SURGERY_REQUEST = "surgery"
    CONSENT = "consent"


class Signer(StrEnum):
    PERSON = "person"  # the person the case is about
    HELPER = "helper"  # the friend or relative using the bot for them
    FRIEND = "friend"  # someone close to them in another constituency (G17)
    SUPPORTER = "supporter"  # a respected local person: a teacher, a doctor (G20)


class Addressee(StrEnum):
    HOME_MP = "home_mp"  # the MP where the writer lives (or the person lived)
    CENTRE_MP = "centre_mp"
    FRIEND_MP = "friend_mp"
    DEVOLVED = "devolved"  # MSP, Member of the Senedd or MLA, by nation
    COUNCILLOR = "councillor"
    NOBODY = "nobody"  # the consent letter goes with the others, to no one in particular

    @property
    def is_mp(self) -> bool:
        return self in (Addressee.HOME_MP, Addressee.CENTRE_MP, Addressee.FRIEND_MP)


DEVOLVED_ROLES: dict[Nation, Role] = {
    Nation.SCOTLAND: Role.MSP, Nation.WALES: Role.MS, Nation.NORTHERN_IRELAND: Role.MLA,
}


def addressee_role(addressee: Addressee, nation: Nation | None) -> Role | None:
    """The role a letter to `addressee` greets and is looked up by; None for no one."""
    if addressee is Addressee.DEVOLVED:
        return DEVOLVED_ROLES.get(nation) if nation else None
    if addressee is Addressee.COUNCILLOR:
        return Role.COUNCILLORS
    return None if addressee is Addressee.NOBODY else Role.MP


@dataclass(frozen=True)
class LetterContext:
    """What a letter needs beyond the case: who gets it, which MPs are involved, today."""

    today: date
    recipient: Representative | None = None
    role: Role | None = None  # the addressee's role, for the greeting when no name is known
    mps: tuple[Representative, ...] = ()  # every MP found, named in the consent letter
    language: str | None = None  # the person's language, to label their own words


@dataclass(frozen=True)
class DraftLetter:
    kind: DraftKind
    title: Msg
    recipient: Representative | None
    paragraphs: tuple[Msg, ...]
    signer: Signer = Signer.PERSON
    # A word to the person handing the letter on: who signs it, what goes with it.
    handover: Msg | None = None


@dataclass(frozen=True)
class Letter:
    """One letter being written: the case, in whose voice, to whom."""

    case: Case
    signer: Signer
    context: LetterContext

    @property
    def voice(self) -> Voice:
        return Voice.FIRST if self.signer is Signer.PERSON else Voice.THIRD

    @property
    def urgency(self) -> Urgency:
        return self.case.urgency(self.context.today)


@dataclass(frozen=True)
class KindSpec:
    title: Msg
    addressee: Addressee
    signer: Callable[[Case], Signer]
    build: Callable[[Letter], list[Msg]]
    handover: Callable[[Letter], Msg | None] = field(default=lambda letter: None)


def _writer(case: Case) -> Signer:
    return Signer.HELPER if case.helping else Signer.PERSON


def draft_letter(kind: DraftKind, case: Case, context: LetterContext) -> DraftLetter:
    """The draft of `kind` for this case, addressed to `context.recipient` when known."""
    spec = KINDS[kind]
    letter = Letter(case=case, signer=spec.signer(case), context=context)
    paragraphs = tuple(dict.fromkeys(spec.build(letter)))  # never the same paragraph twice
    return DraftLetter(kind=kind, title=spec.title, recipient=context.recipient,
                       paragraphs=paragraphs, signer=letter.signer,
                       handover=spec.handover(letter))


def available_drafts(case: Case, has_devolved: bool = False,
                     has_friend_mp: bool = False) -> list[DraftKind]:
    """The drafts that fit this case, most useful first; the consent letter always (F6)."""
    detained = case.has(Situation.DETAINED)
    kinds: list[DraftKind] = []
    if case.mp_did_not_reply:
        kinds.append(DraftKind.CHASER)
    if case.helping:
        kinds.append(DraftKind.HELPER_TO_OWN_MP)
        if detained:
            kinds.append(DraftKind.CENTRE_MP)
    elif detained and case.postcode is None:
        # No home before detention was given: the centre's MP is the one to write to.
        kinds += [DraftKind.CENTRE_MP, DraftKind.MP_CASE]
    else:
        kinds.append(DraftKind.MP_CASE)
        if detained:
            kinds.append(DraftKind.CENTRE_MP)
    kinds.append(DraftKind.CONSENT)
    if has_friend_mp:
        kinds.append(DraftKind.FRIEND_MP)
    if case.mp_did_not_reply:
        kinds.append(DraftKind.COMMUNITY_SUPPORTER)
    # A meeting takes weeks to arrange: not for a removal; a detained person can't go,
    # but a helper can go for them (G5).
    if not case.urgent and not (detained and not case.helping):
        kinds.append(DraftKind.SURGERY_REQUEST)
    if has_devolved:
        kinds.append(DraftKind.DEVOLVED)
    kinds.append(DraftKind.COUNCILLOR)
    if not case.mp_did_not_reply:
        kinds += [DraftKind.CHASER, DraftKind.COMMUNITY_SUPPORTER]
    if not has_friend_mp:
        kinds.append(DraftKind.FRIEND_MP)
    return kinds


# --- greeting and closing ---------------------------------------------------------------

_ROLE_GREETINGS: dict[Role, Msg] = {
    Role.MP: t("draft.dear.mp", "Dear Member of Parliament,"),
    Role.MSP: t("draft.dear.msp", "Dear Member of the Scottish Parliament,"),
    Role.MS: t("draft.dear.ms", "Dear Member of the Senedd,"),
    Role.MLA: t("draft.dear.mla", "Dear Member of the Legislative Assembly,"),
    Role.COUNCILLORS: t("draft.dear_councillor", "Dear Councillor,"),
    Role.MAYOR: t("draft.dear.mayor", "Dear Mayor,"),
}

# Honorifics that belong on an envelope, not after "Dear".
_TITLE_PREFIX = re.compile(r"^(the\s+)?(rt\.?\s+hon\.?|right\s+honourable)\s+", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+(MP|MSP|MS|AM|MLA)$")


# "Mr Sam Sample" is greeted "Mr Sample"; "Sir Keir Starmer" is "Sir Keir".
_SURNAME_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"}
_FIRST_NAME_TITLES = {"Sir", "Dame"}


def greeting_name(recipient: Representative) -> str | None:
    """How to greet them: Parliament's own form ("Ms Abbott"), else from the name."""
    if recipient.address_as:
        return recipient.address_as
    if not recipient.name:
        return None
    words = plain_name(recipient.name).split()
    if len(words) >= 3 and words[0] in _SURNAME_TITLES:
        return f"{words[0]} {words[-1]}"
    if len(words) >= 3 and words[0] in _FIRST_NAME_TITLES:
        return f"{words[0]} {words[1]}"
    return " ".join(words) or None


def plain_name(name: str) -> str:
    """ "Rt Hon Jo Bloggs MP" -> "Jo Bloggs": the name without the honorifics."""
    return _TITLE_SUFFIX.sub("", _TITLE_PREFIX.sub("", name.strip())).strip()


def _greeting(letter: Letter) -> Msg:
    recipient = letter.context.recipient
    name = greeting_name(recipient) if recipient is not None else None
    if name:
        return t("draft.dear_named", "Dear {name},", name=Plain(name))
    return _ROLE_GREETINGS[letter.context.role or Role.MP]


def _sign_off(letter: Letter, name: Param = G_NAME) -> list[Msg]:
    # British letters close "sincerely" to a named person, "faithfully" to a title.
    recipient = letter.context.recipient
    named = recipient is not None and greeting_name(recipient) is not None
    close = (t("draft.sign_off", "Yours sincerely,\n{name}\n{contact}", name=name,
               contact=G_CONTACT) if named else
             t("draft.sign_off.faithfully", "Yours faithfully,\n{name}\n{contact}", name=name,
               contact=G_CONTACT))
    return [t("draft.thanks", "Thank you for your help."), close]


# --- the person's own words -----------------------------------------------------------

LANGUAGE_NAMES: dict[str, Msg] = {
    "ar": t("langname.ar", "Arabic"),
    "fa": t("langname.fa", "Persian"),
    "ti": t("langname.ti", "Tigrinya"),
}
_SCRIPT_OF_LANGUAGE = {"ar": "arabic", "fa": "arabic", "ti": "ethiopic"}


def _script(text: str) -> str:
    """The writing system most of the letters are in: latin, arabic, ethiopic or other."""
    counts = {"latin": 0, "arabic": 0, "ethiopic": 0, "other": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if code < 0x250:
            counts["latin"] += 1
        elif 0x600 <= code < 0x800 or 0xFB50 <= code < 0xFF00:
            counts["arabic"] += 1
        elif 0x1200 <= code < 0x13A0 or 0x2D80 <= code < 0x2DE0:
            counts["ethiopic"] += 1
        else:
            counts["other"] += 1
    return max(counts, key=lambda script: counts[script]) if any(counts.values()) else "latin"


def _own_words(letter: Letter) -> list[Msg]:
    """Their words, quoted as typed, labelled with the language when it isn't English.

    The words are the writer's: the person's own, or the helper's. A letter signed by
    someone else quotes the person's words as theirs, and leaves a helper's out.
    """
    case = letter.case
    if not case.own_words:
        return []
    writer_signs = ((letter.signer is Signer.PERSON and case.writer is not Writer.HELPER)
                    or (letter.signer is Signer.HELPER and case.helping))
    if not writer_signs and case.helping:
        return []
    words = Plain(case.own_words)
    script = _script(case.own_words)
    if script == "latin":
        return [t("draft.own_words", "In my own words: \u201c{words}\u201d", words=words)
                if writer_signs else
                t("draft.their_words", "In their own words: \u201c{words}\u201d", words=words)]
    code = case.own_words_language or ""
    language: Param = (LANGUAGE_NAMES[code] if _SCRIPT_OF_LANGUAGE.get(code) == script
                       else gap("gap.which_language", "which language"))
    return [t("draft.own_words_in", "In my own words, in {language}: \u201c{words}\u201d",
              language=language, words=words)
            if writer_signs else
            t("draft.their_words_in", "In their own words, in {language}: \u201c{words}\u201d",
              language=language, words=words)]


# --- what each addressee can be asked --------------------------------------------------


def _mp_ask(letter: Letter) -> list[Msg]:
    """An MP can take the case to the Home Office (G1, G13), and ask for a deferral (F5)."""
    case, urgency = letter.case, letter.urgency
    if urgency is not Urgency.NONE:
        ask = {
            Urgency.IMMEDIATE: t("draft.ask.removal.today", "Please could you contact the Home "
                                 "Office today and ask for the removal to be deferred while "
                                 "this is looked at?"),
            Urgency.THIS_WEEK: t("draft.ask.removal.soon", "Please could you contact the Home "
                                 "Office as soon as you can, before the removal date, and ask "
                                 "for the removal to be deferred while this is looked at?"),
            Urgency.LATER: t("draft.ask.removal.before", "Please could you contact the Home "
                             "Office before the removal date and ask for the removal to be "
                             "deferred while this is looked at?"),
            Urgency.UNKNOWN: t("draft.ask.removal.quickly", "Please could you contact the Home "
                               "Office quickly and ask for the removal to be deferred while "
                               "this is looked at?"),
        }[urgency]
        return [new_information(letter.voice), ask]
    waiting_only = case.has(Situation.DELAYED) and not any(
        case.has(s) for s in (Situation.REFUSED, Situation.APPEAL_RIGHTS_EXHAUSTED,
                              Situation.DETAINED))
    if waiting_only and case.short_wait:
        return [t("draft.ask.where_it_stands", "Please could you ask the Home Office where the "
                  "claim stands and when a decision can be expected?")]
    if waiting_only:
        return [t("draft.ask.delayed", "Please could you ask the Home Office when a decision "
                  "will be made?")]
    detained_only = case.has(Situation.DETAINED) and not any(
        case.has(s) for s in (Situation.REFUSED, Situation.APPEAL_RIGHTS_EXHAUSTED,
                              Situation.DELAYED))
    if detained_only:
        return [t("draft.ask.detained", "Please could you ask the Home Office why I am detained "
                  "and what is happening with my case?") if letter.voice is Voice.FIRST else
                t("draft.ask.detained.they", "Please could you ask the Home Office why they are "
                  "detained and what is happening with their case?")]
    return [t("draft.ask.general2", "Please could you raise this case with the Home Office? If "
              "the Home Office's reply only gives the stage the case has reached, I would be "
              "grateful if you could follow it up.")]


def _supporter_ask(letter: Letter, addressee: Addressee) -> list[Msg]:
    """Anyone but an MP: support, contacts, a word with the MP — never a Home Office request."""
    lines = []
    if addressee is Addressee.DEVOLVED:
        lines.append(t("draft.devolved.reserved2", "I know immigration is decided at "
                       "Westminster and that the Home Office rarely answers anyone but MPs "
                       "about individual cases."))
        lines.append(t("draft.devolved.ask2", "Could you support the case, for example by "
                       "writing to the local MP, and tell me about people or organisations "
                       "who could help?"))
    else:
        lines.append(t("draft.council.ask", "Would you be willing to support the case, for "
                       "example by writing to our MP, and do you know anyone locally who could "
                       "help?"))
    if letter.urgency in (Urgency.IMMEDIATE, Urgency.THIS_WEEK):
        lines.append(t("draft.supporter.urgent", "Because the removal is so close, a word from "
                       "you to the MP in the next day or two would matter a great deal."))
    return lines


def _reference(letter: Letter) -> Msg:
    if letter.voice is Voice.FIRST:
        return t("draft.reference", "My Home Office reference number is {ref}. I can send "
                 "copies of my letters and documents.", ref=G_REF)
    return t("draft.helper.ref", "Their Home Office reference number is {ref}.", ref=G_REF)


def _introduce_them(letter: Letter) -> dict[str, Param]:
    """The person, named before anyone says "they": "my brother, [their full name]"."""
    return {"who": relationship_phrase(letter.case), "name": G_THEIR_NAME}


def _facts_without(letter: Letter, *said: Situation) -> list[Msg]:
    """The facts, less those the opening has already told."""
    shown = letter.case.update(situations=tuple(s for s in letter.case.situations
                                                if s not in said))
    return facts(shown, letter.voice)


def _short_facts(letter: Letter) -> list[Msg]:
    """The facts without the paragraphs to fill in, for reminders and meeting requests."""
    return facts(letter.case, letter.voice, brief=True)


def _lived_here(letter: Letter, area: str) -> Msg:
    """Where the signer lives, which is why this representative is the right one (G3)."""
    detained_person = letter.signer is Signer.PERSON and letter.case.has(Situation.DETAINED)
    if area == "constituency":
        if detained_person:
            return t("draft.mp.intro_detained", "Before I was detained I lived in your "
                     "constituency, at {address}, and I am writing to ask for your help with "
                     "my immigration case.", address=G_ADDRESS)
        return t("draft.mp.intro", "I live in your constituency, at {address}, and I am "
                 "writing to ask for your help with my immigration case.", address=G_ADDRESS)
    if detained_person:
        return t("draft.area.intro_detained", "Before I was detained I lived in your area, at "
                 "{address}, and I am writing about my immigration case.", address=G_ADDRESS)
    return t("draft.area.intro", "I live in your area, at {address}, and I am writing about "
             "my immigration case.", address=G_ADDRESS)


def _helper_lives_here(letter: Letter, area: str) -> Msg:
    params = {"address": G_ADDRESS, **_introduce_them(letter)}
    if area == "constituency":
        return t("draft.helper.intro2", "I live in your constituency, at {address}. I am "
                 "writing about {who}, {name}, who needs help with their immigration case.",
                 **params)
    return t("draft.helper.area_intro", "I live in your area, at {address}. I am writing about "
             "{who}, {name}, who needs help with their immigration case.", **params)


def _consent_note(letter: Letter) -> Msg:
    """How the MP knows they may act (F6, G19)."""
    if letter.signer is Signer.PERSON:
        return t("draft.mp.permission", "I give you and your staff permission to contact the "
                 "Home Office about my case and to receive information about it.")
    if letter.signer is Signer.HELPER:
        return t("draft.helper.consent2", "I attach a letter of authority signed by them, so "
                 "that you can act on their case.")
    return t("draft.friend.consent2", "They can sign a letter of authority naming you, if you "
             "need one.")


# --- one builder per kind -------------------------------------------------------------


def _mp_case(letter: Letter) -> list[Msg]:
    return [
        _greeting(letter),
        _lived_here(letter, "constituency"),
        *facts(letter.case, letter.voice),
        *_optional(urgency_line(letter.case, letter.context.today)),
        *_own_words(letter),
        *_mp_ask(letter),
        _reference(letter),
        _consent_note(letter),
        *_sign_off(letter),
    ]


def _centre_mp(letter: Letter) -> list[Msg]:
    if letter.signer is Signer.HELPER:
        opening = t("draft.centre.helper2", "I am writing about {who}, {name}, who is held at "
                    "{centre}, in your constituency.", centre=centre_name(letter.case),
                    **_introduce_them(letter))
    else:
        opening = t("draft.centre.self", "I am held at {centre}, in your constituency, and I am "
                    "writing to ask for your help.", centre=centre_name(letter.case))
    return [
        _greeting(letter),
        opening,
        *_facts_without(letter, Situation.DETAINED),
        *_optional(urgency_line(letter.case, letter.context.today)),
        *_own_words(letter),
        *_mp_ask(letter),
        _reference(letter),
        _consent_note(letter),
        *_sign_off(letter),
    ]


def _helper_to_own_mp(letter: Letter) -> list[Msg]:
    return [
        _greeting(letter),
        _helper_lives_here(letter, "constituency"),
        *facts(letter.case, letter.voice),
        *_optional(urgency_line(letter.case, letter.context.today)),
        *_own_words(letter),
        *_mp_ask(letter),
        _reference(letter),
        _consent_note(letter),
        *_sign_off(letter),
    ]


def _friend_mp(letter: Letter) -> list[Msg]:
    """G17: someone close to the person, elsewhere, asks their own MP to take an interest."""
    return [
        _greeting(letter),
        t("draft.friend.intro", "I live in your constituency, at {address}. I am writing about "
          "{who}, {name}, who needs help with an immigration case. They do not live in your "
          "constituency, but I do, and I would be grateful if you would take an interest.",
          address=G_ADDRESS, who=gap("gap.friend_knows_them", "how you know them, e.g. my "
                                     "cousin"), name=G_THEIR_NAME),
        *facts(letter.case, letter.voice),
        *_optional(urgency_line(letter.case, letter.context.today)),
        *_own_words(letter),
        *_mp_ask(letter),
        _consent_note(letter),
        *_sign_off(letter),
    ]


def _devolved(letter: Letter) -> list[Msg]:
    opening = (_lived_here(letter, "area") if letter.signer is Signer.PERSON
               else _helper_lives_here(letter, "area"))
    return [
        _greeting(letter),
        opening,
        *facts(letter.case, letter.voice),
        *_own_words(letter),
        *_supporter_ask(letter, Addressee.DEVOLVED),
        *_sign_off(letter),
    ]


def _councillor(letter: Letter) -> list[Msg]:
    opening = (_lived_here(letter, "area") if letter.signer is Signer.PERSON
               else _helper_lives_here(letter, "area"))
    return [
        _greeting(letter),
        opening,
        *facts(letter.case, letter.voice),
        *_own_words(letter),
        *_supporter_ask(letter, Addressee.COUNCILLOR),
        *_sign_off(letter),
    ]


_SUPPORTER = gap("gap.supporter", "your name and role, e.g. head teacher at … school")


def _community(letter: Letter) -> list[Msg]:
    """G20: a respected local person writes to a silent MP."""
    lines = [
        _greeting(letter),
        t("draft.community.intro", "I am {supporter}, and I know {name} well.",
          supporter=_SUPPORTER,
          name=gap("gap.person_or_family", "name of the person or family")),
    ]
    if letter.case.mp_did_not_reply:
        lines.append(t("draft.community.silence", "They have written to you about their "
                       "immigration case and have not had a reply. I am writing to ask you to "
                       "reply to them and to consider taking up their case."))
    else:
        lines.append(t("draft.community.ask", "I am writing to ask you to consider taking up "
                       "their immigration case."))
    return [
        *lines,
        *facts(letter.case, letter.voice),
        *_optional(urgency_line(letter.case, letter.context.today)),
        *_own_words(letter),
        t("draft.community.value", "They are a valued part of our community, and I would be "
          "glad to tell you more."),
        *_sign_off(letter, _SUPPORTER),
    ]


def _chaser(letter: Letter) -> list[Msg]:
    first_letter = gap("gap.first_letter_date", "date of your first letter")
    if letter.signer is Signer.HELPER:
        opening = t("draft.chaser.helper", "I wrote to you on {date} about {who}, {name}, and I "
                    "have not yet had a reply.", date=first_letter, **_introduce_them(letter))
    else:
        opening = t("draft.chaser.body", "I wrote to you on {date} about my immigration case "
                    "and I have not yet had a reply.", date=first_letter)
    reminder = _short_facts(letter)
    return [
        _greeting(letter),
        opening,
        *([t("draft.chaser.remind", "To remind you of the case:"), *reminder] if reminder
          else []),
        *_chaser_ask(letter),
        _reference(letter),
        *_sign_off(letter),
    ]


def _chaser_ask(letter: Letter) -> list[Msg]:
    """A removal within the week can't wait for a target of 20 working days (F3, F5)."""
    if letter.urgency in (Urgency.IMMEDIATE, Urgency.THIS_WEEK):
        return [*_optional(urgency_line(letter.case, letter.context.today)), *_mp_ask(letter)]
    return [t("draft.chaser.ask", "Could you let me know whether you are able to take up the "
              "case and, if so, whether you have contacted the Home Office? I understand the "
              "Home Office aims to answer MPs within 20 working days.")]


def _surgery(letter: Letter) -> list[Msg]:
    if letter.signer is Signer.HELPER:
        opening = t("draft.surgery.helper", "I live in your constituency, at {address}, and I "
                    "would like to meet you, or the caseworker who handles immigration cases, "
                    "at one of your surgeries about {who}, {name}. Could you tell me when and "
                    "where I can come?", address=G_ADDRESS, **_introduce_them(letter))
        documents = t("draft.surgery.helper_documents", "I will bring copies of their documents "
                      "and letters, and a letter of authority signed by them.")
    else:
        opening = t("draft.surgery.body", "I live in your constituency, at {address}, and I "
                    "would like to meet you, or the caseworker who handles immigration cases, "
                    "at one of your surgeries about my case. Could you tell me when and where I "
                    "can come?", address=G_ADDRESS)
        documents = t("draft.surgery.documents", "I will bring my documents and letters.")
    reminder = _short_facts(letter)
    return [
        _greeting(letter),
        opening,
        *reminder,
        documents,
        *_sign_off(letter),
    ]


def _consent(letter: Letter) -> list[Msg]:
    """Signed by the person, authorising the MPs involved and the helper (facts.md §4D)."""
    case = letter.case
    detained = case.has(Situation.DETAINED)
    lines = [
        t("consent.heading", "LETTER OF AUTHORITY"),
        t("consent.field.name", "Full name: {value}", value=G_NAME),
        t("consent.field.other_names", "Other names used: {value}",
          value=gap("gap.other_names", "any other names used")),
        t("consent.field.dob", "Date of birth: {value}", value=gap("gap.dob", "date of birth")),
        t("consent.field.nationality", "Nationality: {value}",
          value=gap("gap.nationality", "nationality")),
        t("consent.field.current_address", "Current address: {value}",
          value=centre_name(case) if detained
          else gap("gap.current_address", "current address")),
    ]
    if detained:
        lines.append(t("consent.field.detainee_no", "Detention number: {value}",
                       value=gap("gap.detainee_number", "detention number, if any")))
    lines += [
        t("consent.field.home_address", "Home address: {value}",
          value=gap("gap.home_address2", "home address in the UK, or the last one")),
        t("consent.field.contact", "Phone or email: {value}", value=G_CONTACT),
        t("consent.field.ref", "Home Office reference number(s): {value}", value=G_REF),
        t("consent.field.lawyer", "Legal representative: {value}",
          value=gap("gap.lawyer", "your lawyer's name or firm") if case.lawyer_known
          else t("consent.none", "none")
          if case.has(Situation.NO_LAWYER) or case.has_lawyer is False
          else gap("gap.lawyer_or_none", "name and contact, or 'none'")),
        t("consent.field.about", "What it is about: {value}",
          value=gap("gap.consent_about", "what you need help with, in a few words")),
        t("consent.authority2", "I authorise {mp}, and their staff, to contact the Home Office, "
          "UK Visas and Immigration and Immigration Enforcement about my case, and to receive "
          "information about it.", mp=_mps_named(letter.context.mps)),
    ]
    if case.helping:
        helper = gap("gap.helper_name", "full name of the person helping")
        relation = gap("gap.helper_relation", "how you know them, e.g. my brother")
    else:
        helper = gap("gap.friend_name", "full name of a friend or relative who may speak for "
                     "you, or delete this line")
        relation = gap("gap.friend_relation", "how you know them")
    lines += [
        t("consent.helper3", "I also authorise {helper} ({relation}) to speak about my case, "
          "for me, to the office of any MP named in this letter, and to receive information "
          "about it.", helper=helper, relation=relation),
        t("consent.signature", "Signed: {signature}",
          signature=gap("gap.signature", "signature")),
        t("consent.date", "Date: {date}", date=gap("gap.date", "date")),
    ]
    return lines


def _mps_named(mps: tuple[Representative, ...]) -> Param:
    named = [mp for mp in mps if mp.name]
    if not named:
        return gap("gap.mp_names", "name of the MP, and of the detention centre's MP if "
                   "there is one")
    joined: Msg | None = None
    for mp in named:
        one = t("consent.mp_named2", "{name} (MP for {area})",
                name=Plain(plain_name(mp.name or "")),
                area=Plain(mp.area or "—"))
        joined = one if joined is None else t("list.and", "{a} and {b}", a=joined, b=one)
    assert joined is not None
    return joined


def _optional(line: Msg | None) -> list[Msg]:
    return [line] if line is not None else []


# --- handing the letter on ---------------------------------------------------------------


def _consent_handover(letter: Letter) -> Msg:
    if letter.case.helping:
        return t("handover.consent.helper", "The person you are helping signs this one, not "
                 "you. Read it to them in their language, fill in the brackets with them, and "
                 "send it with your letter to the MP.")
    return t("handover.consent.self", "You sign this one. Give a copy to the friend or relative "
             "who will speak to the MP for you, and send one with your letter.")


def _friend_handover(letter: Letter) -> Msg:
    return t("handover.friend", "This letter is for a friend or relative who lives in another "
             "area: they fill in the brackets and send it to their own MP.")


def _community_handover(letter: Letter) -> Msg:
    return t("handover.community", "Give this to someone respected who knows the family, such "
             "as a head teacher, a doctor or a faith leader, to change and send in their own "
             "name.")


KINDS: dict[DraftKind, KindSpec] = {
    DraftKind.MP_CASE: KindSpec(t("draft.title.mp_case", "Letter to your MP"),
                                Addressee.HOME_MP, lambda case: Signer.PERSON, _mp_case),
    DraftKind.CENTRE_MP: KindSpec(t("draft.title.centre_mp",
                                    "Letter to the detention centre's MP"),
                                  Addressee.CENTRE_MP, _writer, _centre_mp),
    DraftKind.HELPER_TO_OWN_MP: KindSpec(t("draft.title.helper_mp",
                                           "Letter from you to your own MP"),
                                         Addressee.HOME_MP, lambda case: Signer.HELPER,
                                         _helper_to_own_mp),
    DraftKind.FRIEND_MP: KindSpec(t("draft.title.friend_mp", "Letter for a friend or relative "
                                    "elsewhere to send to their MP"),
                                  Addressee.FRIEND_MP, lambda case: Signer.FRIEND, _friend_mp,
                                  _friend_handover),
    DraftKind.DEVOLVED: KindSpec(t("draft.title.devolved",
                                   "Letter to your devolved representative"),
                                 Addressee.DEVOLVED, _writer, _devolved),
    DraftKind.COUNCILLOR: KindSpec(t("draft.title.councillor", "Letter to a local councillor"),
                                   Addressee.COUNCILLOR, _writer, _councillor),
    DraftKind.COMMUNITY_SUPPORTER: KindSpec(
        t("draft.title.community", "Letter for a respected local person to send to the MP"),
        Addressee.HOME_MP, lambda case: Signer.SUPPORTER, _community, _community_handover),
    DraftKind.CHASER: KindSpec(t("draft.title.chaser", "Reminder to an MP who has not replied"),
                               Addressee.HOME_MP, _writer, _chaser),
    DraftKind.SURGERY_REQUEST: KindSpec(t("draft.title.surgery", "Asking to meet the MP"),
                                        Addressee.HOME_MP, _writer, _surgery),
    DraftKind.CONSENT: KindSpec(t("draft.title.consent", "Consent letter (letter of authority)"),
                                Addressee.NOBODY, lambda case: Signer.PERSON, _consent,
                                _consent_handover),
}

DRAFT_TITLES: dict[DraftKind, Msg] = {kind: spec.title for kind, spec in KINDS.items()}

__all__ = [
    "DEVOLVED_ROLES",
    "DRAFT_TITLES",
    "KINDS",
    "Addressee",
    "DraftKind",
    "DraftLetter",
    "LetterContext",
    "Signer",
    "addressee_role",
    "available_drafts",
    "draft_letter",
    "greeting_name",
]

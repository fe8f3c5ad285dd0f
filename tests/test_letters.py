"""Every letter, read as its signer and as the caseworker who receives it.

A generated matrix: every draft kind × who writes (the person, a helper) × a set of
situations × nation × with and without a named recipient. Each letter is rendered in
English, as it would be sent, and checked for what a reader would notice: who it greets,
what it asks and of whom, whether "they" has been introduced, whether the voice slips,
whether it states a fact the person never gave, and whether a paragraph repeats.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest

from bot.i18n import Renderer
from flows.case import Case, Nation, Relationship, RemovalWhen, Situation, WaitBand, Writer
from flows.drafts import (
    KINDS,
    Addressee,
    DraftKind,
    DraftLetter,
    LetterContext,
    Signer,
    addressee_role,
    available_drafts,
    draft_letter,
    greeting_name,
)
from flows.representatives import Representative, Role
from tests.conftest import TODAY

ENGLISH = Renderer("en")

SITUATION_SETS: tuple[tuple[Situation, ...], ...] = (
    (Situation.REFUSED, Situation.NO_LAWYER),
    (Situation.REMOVAL, Situation.DETAINED),
    (Situation.DELAYED,),
    (Situation.APPEAL_RIGHTS_EXHAUSTED, Situation.LAWYER_UNRESPONSIVE),
    (Situation.REMOVAL, Situation.NO_LAWYER),
)

NAMED: dict[Role, Representative] = {
    Role.MP: Representative(role=Role.MP, name="Rt Hon Jo Example MP", area="Somewhere",
                            address_as="Ms Example"),
    Role.MSP: Representative(role=Role.MSP, name="Robin Test", area="Glasgow"),
    Role.MS: Representative(role=Role.MS, name="Rhian Prawf", area="Caerdydd"),
    Role.MLA: Representative(role=Role.MLA, name="Pat Trial", area="East Antrim"),
}

# Paragraphs that bring the person into a letter someone else signs.
INTRODUCTIONS = {"draft.helper.intro2", "draft.helper.area_intro", "draft.centre.helper2",
                 "draft.friend.intro", "draft.community.intro", "draft.chaser.helper",
                 "draft.surgery.helper"}

# Anything that asks for action by the Home Office: for an MP's eyes only.
HOME_OFFICE_REQUEST = re.compile(
    r"(contact|ask|raise [^.]* with) the Home Office|deferred", re.IGNORECASE)
FIRST_PERSON_CASE = re.compile(
    r"\b(my claim|my case|my appeal|remove me|I am held|my legal representative|"
    r"My Home Office reference|I do not have a lawyer|I have been waiting)\b")
THIRD_PERSON_CASE = re.compile(r"\b(their claim|remove them|They are held|They have been)\b")
PRONOUN = re.compile(r"\b(they|them|their)\b", re.IGNORECASE)
BRACKETS = re.compile(r"\[[^\]]*\]")

# What each situation makes a letter say; absent situations must leave no trace.
SITUATION_TRACES: dict[Situation, re.Pattern[str]] = {
    Situation.REMOVAL: re.compile(r"remove|removal", re.IGNORECASE),
    Situation.DETAINED: re.compile(r"held in immigration detention|I am held|who is held"),
    Situation.REFUSED: re.compile(r"has refused"),
    Situation.APPEAL_RIGHTS_EXHAUSTED: re.compile(r"appeal rights"),
    Situation.DELAYED: re.compile(r"waiting .* for a decision"),
    Situation.NO_LAWYER: re.compile(r"not have a lawyer"),
    Situation.LAWYER_UNRESPONSIVE: re.compile(r"legal representative"),
}


def _case(writer: Writer, situations: tuple[Situation, ...], nation: Nation,
          removal_in_days: int | None) -> Case:
    return Case(
        writer=writer,
        relationship=Relationship.BROTHER if writer is Writer.HELPER else None,
        situations=situations, nation=nation,
        centre_id="brook_house" if Situation.DETAINED in situations else None,
        waiting=WaitBand.OVER_2_YEARS if Situation.DELAYED in situations else None,
        removal_date=((TODAY + timedelta(days=removal_in_days)).isoformat()
                      if removal_in_days is not None and Situation.REMOVAL in situations
                      else None),
        removal_when=RemovalWhen.UNKNOWN if removal_in_days is None and Situation.REMOVAL
        in situations else None,
    )


def _context(kind: DraftKind, case: Case, named: bool) -> LetterContext:
    role = addressee_role(KINDS[kind].addressee, case.nation)
    recipient = NAMED.get(role) if named and role is not None else None
    mps = (NAMED[Role.MP],) if named else ()
    return LetterContext(today=TODAY, recipient=recipient, role=role, mps=mps)


def _letters() -> list[tuple[str, Case, DraftKind, DraftLetter, bool]]:
    out = []
    for writer, situations, nation, named, days in itertools.product(
            (Writer.SELF, Writer.HELPER), SITUATION_SETS, tuple(Nation), (True, False),
            (2, 40, None)):
        if days is not None and Situation.REMOVAL not in situations:
            continue
        case = _case(writer, situations, nation, days)
        # Every letter the bot would offer this case (with a friend's MP found, G17).
        for kind in available_drafts(case, has_devolved=nation is not Nation.ENGLAND,
                                     has_friend_mp=True):
            letter = draft_letter(kind, case, _context(kind, case, named))
            label = (f"{kind.value}-{writer.value}-{'+'.join(s.value for s in situations)}-"
                     f"{nation.value}-{'named' if named else 'unnamed'}-{days}")
            out.append((label, case, kind, letter, named))
    return out


LETTERS = _letters()


def _paragraphs(letter: DraftLetter) -> list[str]:
    return [ENGLISH.render(p) for p in letter.paragraphs]


def test_the_matrix_covers_every_kind_signer_and_nation() -> None:
    kinds = {kind for _, _, kind, _, _ in LETTERS}
    signers = {letter.signer for *_, letter, _ in LETTERS}
    nations = {case.nation for _, case, *_ in LETTERS}
    assert kinds == set(DraftKind) and signers == set(Signer) and nations == set(Nation)
    assert len(LETTERS) > 500


@pytest.mark.parametrize(("label", "case", "kind", "letter", "named"), LETTERS,
                         ids=[row[0] for row in LETTERS])
def test_a_letter_reads_right_for_its_signer_and_its_recipient(
        label: str, case: Case, kind: DraftKind, letter: DraftLetter, named: bool) -> None:
    paragraphs = _paragraphs(letter)
    text = "\n\n".join(paragraphs)
    addressee = KINDS[kind].addressee

    # Greeting: the recipient's own form of address when known, else their role; never a gap.
    if addressee is Addressee.NOBODY:
        assert paragraphs[0] == "LETTER OF AUTHORITY"
    else:
        greeting = paragraphs[0]
        assert greeting.startswith("Dear ") and "[" not in greeting
        recipient = letter.recipient
        if recipient is not None:
            assert greeting == f"Dear {greeting_name(recipient)},"
            assert "Rt Hon" not in greeting and not greeting.endswith(" MP,")

    # Only an MP is asked to act with the Home Office (G21–G24); the consent letter
    # authorises the MPs to, which is its point.
    if not addressee.is_mp and addressee is not Addressee.NOBODY:
        assert not HOME_OFFICE_REQUEST.search(text), label

    # The voice holds: the person's letters in the first person, everyone else's in the third.
    if letter.signer is Signer.PERSON and kind is not DraftKind.CONSENT:
        assert not THIRD_PERSON_CASE.search(text), label
    if letter.signer is not Signer.PERSON:
        assert not FIRST_PERSON_CASE.search(text), label
        # ... and "they" comes only after the person has been introduced.
        first_pronoun = next((i for i, p in enumerate(paragraphs)
                              if PRONOUN.search(BRACKETS.sub("", p))), None)
        introduced = next((i for i, p in enumerate(letter.paragraphs)
                           if p.key in INTRODUCTIONS), None)
        if first_pronoun is not None:
            assert introduced is not None and introduced <= first_pronoun, label

    # No fact the person did not give.
    for situation, trace in SITUATION_TRACES.items():
        if not case.has(situation):
            assert not trace.search(text), (label, situation)
    assert "not been able to get an answer" not in text
    if case.urgency(TODAY).value in ("later", "unknown", "none"):
        assert "today" not in text, label

    # Nothing twice.
    assert len(set(paragraphs)) == len(paragraphs), label


@pytest.mark.parametrize(("writer", "situations", "nation"), itertools.product(
    (Writer.SELF, Writer.HELPER), SITUATION_SETS, tuple(Nation)))
def test_the_consent_letter_is_always_on_offer(writer: Writer,
                                               situations: tuple[Situation, ...],
                                               nation: Nation) -> None:
    case = _case(writer, situations, nation, None)
    for silent in (False, True):
        kinds = available_drafts(case.update(mp_did_not_reply=silent),
                                 has_devolved=nation is not Nation.ENGLAND)
        assert DraftKind.CONSENT in kinds[:4]  # on the first menu, not behind "Other letters"
        assert DraftKind.COMMUNITY_SUPPORTER in kinds and DraftKind.FRIEND_MP in kinds


# --- one test per defect seen ---------------------------------------------------------------


def _english(letter: DraftLetter) -> str:
    return "\n\n".join(_paragraphs(letter))


def test_a_helpers_consent_letter_is_for_the_person_to_sign_naming_the_helper() -> None:
    case = Case(writer=Writer.HELPER, relationship=Relationship.FRIEND,
                situations=(Situation.DETAINED,), centre_id="harmondsworth")
    context = LetterContext(today=TODAY, mps=(
        Representative(role=Role.MP, name="Ann Home", area="Hayes"),
        Representative(role=Role.MP, name="Rt Hon Bob Centre MP", area="Crawley")))
    letter = draft_letter(DraftKind.CONSENT, case, context)
    text = _english(letter)
    assert letter.signer is Signer.PERSON
    assert "I authorise Ann Home (MP for Hayes) and Bob Centre (MP for Crawley), and their " \
           "staff" in text
    assert "I also authorise [full name of the person helping]" in text
    assert "Current address: Harmondsworth" in text
    assert "[your lawyer's name" not in text  # no lawyer was mentioned
    assert letter.handover is not None
    assert "signs this one, not you" in ENGLISH.render(letter.handover)


def test_a_detained_persons_consent_letter_has_a_line_for_the_friend_who_speaks_for_them() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.DETAINED,), centre_id="brook_house")
    text = _english(draft_letter(DraftKind.CONSENT, case, LetterContext(today=TODAY)))
    assert "I also authorise [full name of a friend or relative who may speak for you" in text
    assert "[name of the MP, and of the detention centre's MP if there is one]" in text


def test_greetings_use_parliaments_form_of_address_and_drop_honorifics() -> None:
    abbott = Representative(role=Role.MP, name="Ms Diane Abbott", address_as="Ms Abbott")
    minister = Representative(role=Role.HOME_SECRETARY, name="Rt Hon Imogen Marchbank MP")
    assert greeting_name(abbott) == "Ms Abbott"
    assert greeting_name(minister) == "Imogen Marchbank"


def test_a_devolved_letter_greets_the_msp_not_an_mp_gap() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.REFUSED,), nation=Nation.SCOTLAND)
    unnamed = draft_letter(DraftKind.DEVOLVED, case,
                           LetterContext(today=TODAY, role=Role.MSP))
    assert _paragraphs(unnamed)[0] == "Dear Member of the Scottish Parliament,"
    named = draft_letter(DraftKind.DEVOLVED, case,
                         LetterContext(today=TODAY, role=Role.MSP, recipient=NAMED[Role.MSP]))
    assert _paragraphs(named)[0] == "Dear Robin Test,"


def test_councillor_and_mla_letters_ask_for_support_not_a_deferral() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.REMOVAL, Situation.DETAINED),
                centre_id="larne_house", removal_date=(TODAY + timedelta(days=1)).isoformat(),
                nation=Nation.NORTHERN_IRELAND)
    for kind, role in ((DraftKind.COUNCILLOR, Role.COUNCILLORS), (DraftKind.DEVOLVED, Role.MLA)):
        text = _english(draft_letter(kind, case, LetterContext(today=TODAY, role=role)))
        assert "deferred" not in text and "contact the Home Office" not in text
        assert "writing to" in text and "MP" in text  # a word with the MP instead
        assert "in the next day or two" in text  # and why it can't wait


def test_a_removal_later_never_asks_for_action_today() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.REMOVAL,),
                removal_when=RemovalWhen.LATER)
    text = _english(draft_letter(DraftKind.MP_CASE, case, LetterContext(today=TODAY)))
    assert "today" not in text and "before the removal date" in text


def test_a_typed_removal_date_is_written_out_as_a_day() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.REMOVAL,),
                removal_date=date(2026, 12, 11).isoformat())
    text = _english(draft_letter(DraftKind.MP_CASE, case, LetterContext(today=TODAY)))
    assert "remove me from the UK on Friday, 11 December 2026." in text
    # Four days away: urgent, but not "today" (that is for the next three days).
    assert "This is urgent: the removal is planned for the coming days." in text
    assert "as soon as you can, before the removal date" in text and "today" not in text
    two_days = case.update(removal_date=date(2026, 12, 9).isoformat())
    text = _english(draft_letter(DraftKind.MP_CASE, two_days, LetterContext(today=TODAY)))
    assert "contact the Home Office today" in text and "only days away" in text


def test_a_short_wait_is_not_called_a_very_long_one() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.DELAYED,),
                waiting=WaitBand.UNDER_6_MONTHS)
    text = _english(draft_letter(DraftKind.MP_CASE, case, LetterContext(today=TODAY)))
    assert "less than six months" in text and "where the claim stands" in text
    assert "very long" not in text


def test_no_lawyer_adds_no_fact_the_person_did_not_give() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.NO_LAWYER,))
    text = _english(draft_letter(DraftKind.MP_CASE, case, LetterContext(today=TODAY)))
    assert "I do not have a lawyer." in text
    assert "answer from the Home Office myself" not in text


def test_a_helpers_letters_introduce_the_person_before_they() -> None:
    case = Case(writer=Writer.HELPER, relationship=Relationship.COMMUNITY_MEMBER,
                situations=(Situation.DELAYED,), waiting_months=36)
    text = _english(draft_letter(DraftKind.HELPER_TO_OWN_MP, case, LetterContext(today=TODAY)))
    assert ("I am writing about a member of my community, [their full name], who needs help "
            "with their immigration case.") in text
    assert text.index("[their full name]") < text.index("They have been waiting 3 years")
    surgery = _english(draft_letter(DraftKind.SURGERY_REQUEST, case,
                                    LetterContext(today=TODAY)))
    assert "about my case" not in surgery and "about a member of my community" in surgery


def test_own_words_are_quoted_with_their_language_and_never_an_instruction() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.REFUSED,),
                own_words="أريد أن أبقى مع أطفالي", own_words_language="ar")
    text = _english(draft_letter(DraftKind.MP_CASE, case, LetterContext(today=TODAY)))
    assert "In my own words, in Arabic: \u201cأريد أن أبقى مع أطفالي\u201d" in text
    assert "put these words into English" not in text
    unknown = case.update(own_words_language="ti")  # Arabic letters, Tigrinya interface
    assert "in [which language]:" in _english(
        draft_letter(DraftKind.MP_CASE, unknown, LetterContext(today=TODAY)))


def test_a_helpers_own_words_stay_out_of_letters_others_sign() -> None:
    case = Case(writer=Writer.HELPER, relationship=Relationship.SISTER,
                situations=(Situation.REFUSED,), own_words="She has two small children here.")
    mine = _english(draft_letter(DraftKind.HELPER_TO_OWN_MP, case, LetterContext(today=TODAY)))
    supporter = _english(draft_letter(DraftKind.COMMUNITY_SUPPORTER, case,
                                      LetterContext(today=TODAY)))
    assert "In my own words: \u201cShe has two small children here.\u201d" in mine
    assert "two small children" not in supporter


def test_chaser_and_meeting_letters_recall_the_case() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.DETAINED, Situation.DELAYED),
                centre_id="yarls_wood", waiting_months=18)
    chaser = _english(draft_letter(DraftKind.CHASER, case, LetterContext(today=TODAY)))
    assert "I am held in immigration detention at Yarl's Wood." in chaser
    assert "I have been waiting 18 months for a decision on my claim." in chaser


def test_a_reminder_before_a_removal_asks_for_action_not_patience() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.REMOVAL,),
                removal_date=(TODAY + timedelta(days=2)).isoformat())
    text = _english(draft_letter(DraftKind.CHASER, case, LetterContext(today=TODAY)))
    assert "20 working days" not in text
    assert "contact the Home Office today" in text and "only days away" in text
    routine = _english(draft_letter(DraftKind.CHASER, case.update(situations=(
        Situation.REFUSED,), removal_date=None), LetterContext(today=TODAY)))
    assert "whether you are able to take up the case" in routine
    assert "20 working days" in routine


def test_a_person_with_a_lawyer_names_them_and_one_without_says_none() -> None:
    with_lawyer = Case(writer=Writer.SELF, situations=(Situation.DELAYED,), has_lawyer=True,
                       waiting_months=36)
    letter = _english(draft_letter(DraftKind.MP_CASE, with_lawyer, LetterContext(today=TODAY)))
    assert "My lawyer is [your lawyer's name or firm]." in letter
    without = Case(writer=Writer.SELF, situations=(Situation.REFUSED, Situation.NO_LAWYER))
    consent = _english(draft_letter(DraftKind.CONSENT, without, LetterContext(today=TODAY)))
    assert "Legal representative: none" in consent


def test_a_letter_to_a_title_closes_faithfully_and_to_a_name_sincerely() -> None:
    case = Case(writer=Writer.SELF, situations=(Situation.REFUSED,))
    to_title = _english(draft_letter(DraftKind.COUNCILLOR, case,
                                     LetterContext(today=TODAY, role=Role.COUNCILLORS)))
    assert to_title.startswith("Dear Councillor,") and "Yours faithfully," in to_title
    sample = Representative(role=Role.MP, name="Mr Sam Sample", area="Crawley")
    to_name = _english(draft_letter(DraftKind.MP_CASE, case,
                                    LetterContext(today=TODAY, recipient=sample, role=Role.MP)))
    assert to_name.startswith("Dear Mr Sample,") and "Yours sincerely," in to_name
    assert greeting_name(Representative(role=Role.MP, name="Sir Keir Starmer")) == "Sir Keir"

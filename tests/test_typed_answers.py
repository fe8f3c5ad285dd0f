"""People who type instead of tapping: answers read as meant, corrections merged, requests heard.

Engine tests drive the pure engine with recorded-shape NLU answers; the service tests
go through the real conversation service and SQLite; the last ones ask the real Rasa
server, at the steps where it used to be skipped.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.conversation import ConversationService
from bot.i18n import Renderer
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.nlu.rasa_client import RasaNlu
from bot.render import render_say
from bot.storage.conversations import ConversationStore
from bot.storage.db import create_db_engine
from flows.answers import parse_duration_months
from flows.case import Relationship, Situation, Writer
from flows.engine import prompt
from flows.events import Button, Entity, IntentScore, NluResult, Start, Text
from flows.prompts import ask_who
from flows.replies import Say
from flows.steps import Step
from tests.conftest import TODAY, Conversation

DETAINED = NluResult((IntentScore("detained", 0.9),))


# --- "Is that right?" -------------------------------------------------------------------


def test_a_message_that_adds_is_added_to_what_was_understood() -> None:
    talk = Conversation().begin()
    talk.say("my brother is detained in harmondsworth",
             NluResult((IntentScore("on_behalf+detained", 0.95),),
                       (Entity("relationship", "brother"),
                        Entity("detention_centre", "harmondsworth"))))
    talk.say("also he has no lawyer", NluResult((IntentScore("no_lawyer", 0.9),)))
    assert talk.state.step is Step.CONFIRM
    assert set(talk.state.proposed) == {Situation.DETAINED, Situation.NO_LAWYER}
    assert talk.state.case.relationship is Relationship.BROTHER


def test_a_message_that_corrects_replaces_who_and_what_and_drops_the_retracted_words() -> None:
    talk = Conversation().begin()
    talk.say("i am in detention at brook house and refused", NluResult(
        (IntentScore("refused+detained", 0.9),)))
    talk.say("no sorry not me, my husband is detained", NluResult(
        (IntentScore("on_behalf+detained", 0.9),), (Entity("relationship", "husband"),)))
    case = talk.state.case
    assert talk.state.step is Step.CONFIRM
    assert talk.state.proposed == (Situation.DETAINED,)  # "refused" was retracted
    assert case.writer is Writer.HELPER and case.relationship is Relationship.HUSBAND
    assert "i am in detention" not in (case.described or "")


def test_a_postcode_typed_at_is_that_right_is_kept_and_not_asked_for_again() -> None:
    # Found in a Somali `make chat`: "Back" from the postcode question, then the postcode
    # typed. It was dropped without a word, and asked for again after "Yes".
    talk = Conversation(language="so").begin()
    talk.say("go'aankii waa la iga diiday, qareen ma haysto", NluResult(
        (IntentScore("refused+no_lawyer", 0.9),)))
    talk.say("m1 1ae")
    assert talk.state.step is Step.CONFIRM  # its own question still waits
    assert talk.state.case.postcode == "M1 1AE"
    talk.press("confirm:yes")
    assert talk.state.step is Step.OWN_WORDS  # the postcode question is passed by
    talk.press("own:skip")
    assert talk.lookups and talk.lookups[-1].postcodes[0][0] == "M1 1AE"


def test_a_short_no_is_a_no_but_a_sentence_containing_no_is_read() -> None:
    talk = Conversation().begin()
    talk.say("they refused me", NluResult((IntentScore("refused", 0.9),)))
    talk.say("also no lawyer", NluResult((IntentScore("no_lawyer", 0.8),)))
    assert talk.state.step is Step.CONFIRM  # not taken for the No button
    assert Situation.NO_LAWYER in talk.state.proposed
    talk.say("no")
    assert talk.state.step is Step.SITUATION


# --- consent first ----------------------------------------------------------------------


def test_a_story_before_the_privacy_notice_waits_for_ok_and_keeps_no_words() -> None:
    talk = Conversation()
    talk.send(Start())
    talk.press("lang:en")
    shown = talk.say("they refused me, my postcode is B12 9QJ, help", NluResult(
        (IntentScore("refused", 0.9),)))
    assert talk.state.step is Step.PRIVACY
    assert "Before I use what you wrote, please read this" in talk.text(shown)
    assert talk.state.case.described is None and talk.state.case.postcode is None
    talk.press("privacy:ok")
    assert talk.state.step is Step.CONFIRM and talk.state.proposed == (Situation.REFUSED,)


# --- answers of the follow-up questions ------------------------------------------------


@pytest.mark.parametrize(("typed", "months", "shown"), [
    ("three years", 36, "3 years"),
    ("since 2022", 48, "4 years"),
    ("since March 2023", 45, "45 months"),
])
def test_a_wait_in_words_is_read_and_shown_back(typed: str, months: int, shown: str) -> None:
    talk = Conversation().begin()
    talk.press("sit:delayed")
    talk.press("sit:done")
    replies = talk.say(typed)
    assert talk.state.case.waiting_months == months
    assert f"Waiting time: {shown}." in talk.text(replies)


@pytest.mark.parametrize(("typed", "months"), [
    ("2 yıl", 24), ("3 blynedd", 36), ("18 mis", 18), ("4 ወራት", 4), ("3 বছর", 36),
    ("3 năm", 36), ("3 ساڵ", 36), ("5 місяців", 5), ("2 роки", 24), ("3 vjet", 36),
    ("2 ans", 24), ("8 bilood", 8), ("2 کاله", None), ("2 سال", 24), ("6 مہینے", 6),
    ("từ 2022", 48), ("2022'den beri", 48), ("ers 2023", 36), ("depuis 2021", 60),
    ("з 2022", 48), ("tan iyo 2022", 48), ("waiting an extra month", None),
])
def test_a_wait_is_read_in_the_languages_we_speak(typed: str, months: int | None) -> None:
    """Units from CLDR for every locale (flows/duration_words.py), "since" before or after."""
    assert parse_duration_months(typed, TODAY) == months


@pytest.mark.parametrize("typed", ["a long time, years", "twenty one months", "laba sano"])
def test_a_wait_that_cannot_be_read_is_asked_again(typed: str) -> None:
    talk = Conversation().begin()
    talk.press("sit:delayed")
    talk.press("sit:done")
    replies = talk.say(typed)
    assert talk.state.step is Step.WAITING and talk.state.case.waiting_months is None
    assert '"since 2022"' in talk.text(replies)


# --- typed button labels, through the real service ---------------------------------------


@pytest.fixture
def service(tmp_path: Path) -> ConversationService:
    engine = create_db_engine(f"sqlite:///{tmp_path}/typed.sqlite3")
    return ConversationService(ConversationStore(engine, timedelta(days=30)), NoNlu(),
                               OfflineFinder(), today=lambda: TODAY)


async def _go(service: ConversationService, key: str, *events) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    for event in events:
        result = await service.handle(key, event)
        renderer = Renderer(result.language)
        shown += [render_say(r, renderer).text for r in result.replies if isinstance(r, Say)]
    return shown


async def test_a_typed_button_label_counts_as_the_tap(service: ConversationService) -> None:
    await _go(service, "k", Start(), Button("lang:en"), Button("privacy:ok"),
              Button("who:self"), Button("sit:refused"), Button("sit:done"))
    await _go(service, "k", Text("Not sure"))  # the lawyer question's third button
    state = service.store.load("k").state
    assert state is not None and state.step is Step.POSTCODE
    assert state.case.has_lawyer is None and not state.case.has(Situation.NO_LAWYER)
    await _go(service, "k", Text("skip"))  # "Skip", typed
    state = service.store.load("k").state
    assert state is not None and state.step is Step.OWN_WORDS


async def test_a_label_is_matched_in_the_persons_language(service: ConversationService) -> None:
    await _go(service, "k", Start(), Button("lang:ar"), Button("privacy:ok"))
    shown = await _go(service, "k", Text("مرحبا"))  # not a label: stays at the question
    state = service.store.load("k").state
    assert state is not None and state.step is Step.WHO and shown
    label = Renderer("ar").render(ask_who(state).choices[0][0].label)
    await _go(service, "k", Text(f"  {label}! "))
    state = service.store.load("k").state
    assert state is not None and state.step is Step.SITUATION


# --- the real NLU, heard at every step -----------------------------------------------------


@pytest.mark.rasa
@pytest.mark.parametrize("typed", ["delete everything", "همه چیز رو پاک کن"])
async def test_forget_me_is_heard_at_the_postcode_question(
        tmp_path: Path, nlu: RasaNlu, typed: str) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path}/rasa.sqlite3")
    real = ConversationService(ConversationStore(engine, timedelta(days=30)), nlu,
                               OfflineFinder(), today=lambda: TODAY)
    await _go(real, "k", Start(), Button("lang:en"), Button("privacy:ok"), Button("who:self"),
              Button("sit:refused"), Button("sit:done"), Button("lawyer:no"))
    shown = await _go(real, "k", Text(typed))
    state = real.store.load("k").state
    assert state is not None and state.step is Step.FORGET
    assert not any("doesn't look like a UK postcode" in text for text in shown)
    # A postcode itself is still read as one, without the NLU.
    await _go(real, "k", Button("forget:no"), Text("B12 9QJ"))
    state = real.store.load("k").state
    assert state is not None and state.case.postcode == "B12 9QJ"


# --- what the first message said ---------------------------------------------------------


def test_a_wait_in_the_first_message_is_shown_to_check_and_not_asked_again() -> None:
    talk = Conversation().begin()
    shown = talk.say("waiting 3 years for a decision on my asylum",
                     NluResult((IntentScore("delayed", 0.9),)))
    assert "Waiting time: 3 years" in talk.text(shown)
    talk.press("confirm:yes")
    assert talk.state.step is Step.LAWYER  # the wait is not asked again


def test_a_language_the_interface_does_not_speak_gets_a_word_about_it() -> None:
    talk = Conversation()
    talk.send(Start())
    shown = talk.say("afaan oromoo")
    assert "I can't show my messages in that language yet" in talk.text(shown)
    assert "العربية" in talk.text(shown) and talk.state.step is Step.LANGUAGE
    talk.press("lang:en")
    talk.press("privacy:ok")
    shown = talk.say("my language is oromo", NluResult((IntentScore("change_language", 0.9),)))
    assert "I can't show my messages in that language yet" in talk.text(shown)
    assert talk.state.step is Step.WHO  # nothing lost, same question


def test_a_story_before_the_language_still_meets_the_privacy_notice_first() -> None:
    talk = Conversation()
    talk.send(Start())
    talk.say("home office refused me", NluResult((IntentScore("refused", 0.9),)))
    talk.press("lang:en")
    assert talk.state.step is Step.PRIVACY  # not straight to "Is that right?"
    talk.press("privacy:ok")
    assert talk.state.step is Step.CONFIRM and talk.state.proposed == (Situation.REFUSED,)


def test_a_relationship_typed_in_words_is_not_guessed_into_a_letter() -> None:
    talk = Conversation().begin("other")
    talk.say("im a volunteer, not family")
    assert talk.state.step is Step.SITUATION and talk.state.case.relationship is None
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("draft:helper_mp")
    letter = talk.text(talk.drafts())
    assert "I am writing about [how you know them, e.g. my cousin], [their full name]" in letter
    assert "relative" not in letter


# --- questions are answered, never kept as facts -----------------------------------------


QUESTIONS = {
    "ask_cost": "free",
    "ask_privacy": "never share anything with the Home Office",
    "ask_mp_power": "cannot change a decision or cancel a removal",
    "ask_minister": "the way to a minister is through the MP",
    "ask_what_is_mp": "Member of Parliament",
}


@pytest.mark.parametrize("intent", sorted(QUESTIONS))
@pytest.mark.parametrize("step", ["situation", "removal_when", "postcode"])
def test_a_question_is_answered_and_the_same_question_is_asked_again(
        intent: str, step: str) -> None:
    talk = Conversation().begin()
    if step != "situation":
        talk.press("sit:removal")
        talk.press("sit:done")
        talk.press("lawyer:yes")
        if step == "postcode":
            talk.press("when:unknown")
    before = talk.state
    replies = talk.say("a question", NluResult((IntentScore(intent, 0.93),)))
    shown = talk.text(replies)
    assert QUESTIONS[intent] in shown
    assert talk.state.step is before.step
    assert talk.state.case == before.case  # nothing it said became part of the case
    assert talk.text(replies[-1:]) == talk.text([prompt(talk.state)])  # asked again, last


def test_can_my_mp_stop_my_deportation_is_not_taken_for_a_removal() -> None:
    talk = Conversation().begin()
    talk.say("can my MP stop my deportation?", NluResult(
        (IntentScore("ask_mp_power", 0.81), IntentScore("removal", 0.12))))
    assert talk.state.step is Step.SITUATION
    assert not talk.state.proposed and not talk.state.case.situations


# --- "the day after tomorrow", in the words people use ------------------------------------


@pytest.mark.parametrize(("typed", "days"), [
    ("pasnesër", 2), ("pasneser", 2),  # Albanian, with and without the ë
    ("پس فردا", 2), ("پس‌فردا", 2), ("پسفردا", 2),  # Persian, as keyboards give it
    ("بعد الغد", 2), ("après-demain", 2), ("ngày kia", 2), ("ከነገ ወዲያ", 2),
    ("nesër", 1), ("berri", 1), ("فردا", 1), ("tomorrow", 1),
])
def test_a_removal_day_in_words_is_read_as_that_day(typed: str, days: int) -> None:
    talk = Conversation().begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    talk.press("lawyer:yes")
    assert talk.state.step is Step.REMOVAL_WHEN
    talk.say(typed)
    assert talk.state.case.removal_date == (TODAY + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("typed", ["not today", "per pasneser maybe", "sotto"])
def test_a_day_word_that_is_not_the_whole_answer_is_not_taken_as_the_date(typed: str) -> None:
    talk = Conversation().begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    talk.press("lawyer:yes")
    talk.say(typed)
    assert talk.state.step is Step.REMOVAL_WHEN and talk.state.case.removal_date is None


def test_without_any_nlu_a_story_is_not_met_with_write_it_differently() -> None:
    # While the model trains (or Rasa is down), rewording cannot help: say so.
    talk = Conversation().begin()
    shown = talk.text(talk.say("home office refused my asylum claim and I have no lawyer"))
    assert "can't read typed messages just now" in shown and "differently" not in shown
    assert talk.state.step is Step.SITUATION and not talk.state.proposed
    unsure = NluResult((IntentScore("out_of_scope", 0.4),))
    assert "write it differently" in talk.text(talk.say("blah", unsure))


# --- a removal day in the first message --------------------------------------------------


REMOVAL = NluResult((IntentScore("removal", 0.95),))


@pytest.mark.parametrize(("typed", "day"), [
    ("they will deport me on friday 11 december, flight booked", "2026-12-11"),
    ("I got removal directions, flight on 14/12", "2026-12-14"),
    ("me kane dhene removal directions per pasneser, nuk kam avokat", "2026-12-09"),
    ("بلیط اخراج برای پس فردا است", "2026-12-09"),
    ("عندي تذكرة ترحيل يوم الجمعة", "2026-12-11"),
])
def test_a_removal_day_in_the_first_message_is_shown_to_check_and_not_asked_again(
        typed: str, day: str) -> None:
    talk = Conversation().begin()
    shown = talk.text(talk.say(typed, REMOVAL))
    assert talk.state.case.removal_date == day
    assert "Removal date:" in shown  # shown back at "Is that right?"
    talk.press("confirm:yes")
    talk.press("lawyer:no")
    assert talk.state.step is not Step.REMOVAL_WHEN


@pytest.mark.parametrize("typed", [
    "I came in 2019 and now they want to deport me",  # "now" is no removal day
    "the flight is friday, my lawyer comes tomorrow",  # two days: which one?
    "i have a flight ticket from home office, they deport me",
    "removal directions next week",  # a week is not a day
])
def test_a_message_without_one_clear_removal_day_leaves_the_question(typed: str) -> None:
    talk = Conversation().begin()
    talk.say(typed, REMOVAL)
    assert talk.state.case.removal_date is None
    talk.press("confirm:yes")
    talk.press("lawyer:no")
    assert talk.state.step is Step.REMOVAL_WHEN


def test_no_at_is_that_right_drops_a_date_read_from_the_words() -> None:
    talk = Conversation().begin()
    talk.say("they will deport me on friday 11 december", REMOVAL)
    talk.press("confirm:no")
    assert talk.state.case.removal_date is None  # asked again, not kept as read


@pytest.mark.parametrize("step", ["postcode", "removal_when"])
def test_a_question_the_nlu_cannot_place_is_not_told_it_is_no_postcode_or_date(
        step: str) -> None:
    talk = Conversation().begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    talk.press("lawyer:yes")
    if step == "postcode":
        talk.press("when:unknown")
    unsure = NluResult((IntentScore("removal", 0.27), IntentScore("ask_privacy", 0.23)))
    shown = talk.text(talk.say("کد پستی منو برای چی میخوای؟ وزارت کشور میبینه؟", unsure))
    assert "not sure what you are asking" in shown and "/privacy" in shown
    assert "doesn't look like a UK postcode" not in shown and "couldn't read a date" not in shown
    assert talk.state.step.value == step


def test_two_relatives_named_are_not_guessed_into_the_letter() -> None:
    # Seen in the Persian chat: "I am his sister, I write for my brother" made a letter
    # "about my sister".
    talk = Conversation().begin("other")
    talk.say("خواهرم هستم، برای برادرم می‌نویسم. وکیلش جواب تلفن او را نمی‌دهد", NluResult(
        (IntentScore("on_behalf", 0.6), IntentScore("lawyer_unresponsive", 0.35)),
        (Entity("relationship", "sister"), Entity("relationship", "brother"))))
    case = talk.state.case
    assert case.helping and case.relationship is None


def test_a_removal_the_model_ranks_second_is_still_shown_to_check() -> None:
    # Arabizi, seen in a chat: "salam, I'm in brook house and have a deportation ticket,
    # no lawyer" came back as no_lawyer 0.61, detained+removal 0.24.
    talk = Conversation().begin()
    talk.say("salam, ana f brook house w 3andi tazkara lel tarheel, ma3andish mo7ami",
             NluResult((IntentScore("no_lawyer", 0.61), IntentScore("detained+removal", 0.24),
                        IntentScore("detained", 0.07)),
                       (Entity("detention_centre", "brook_house"),)))
    assert set(talk.state.proposed) == {Situation.NO_LAWYER, Situation.DETAINED,
                                        Situation.REMOVAL}
    # At the lower bar only the removal comes in, not what it was combined with.
    albanian = Conversation().begin()
    albanian.say("me kane dhene removal directions, nuk kam avokat", NluResult(
        (IntentScore("removal", 0.39), IntentScore("no_lawyer", 0.32),
         IntentScore("detained+removal", 0.22))))
    assert set(albanian.state.proposed) == {Situation.REMOVAL, Situation.NO_LAWYER}
    unsure_other = NluResult((IntentScore("no_lawyer", 0.61), IntentScore("delayed", 0.24)))
    other = Conversation().begin()
    other.say("no lawyer, and waiting", unsure_other)
    assert Situation.DELAYED not in other.state.proposed  # the usual bar for the rest

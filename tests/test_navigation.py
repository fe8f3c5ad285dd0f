"""Moving around a conversation: back, restart, language, who else, forget, resume."""

from __future__ import annotations

from flows.case import Situation
from flows.engine import Step
from flows.events import Command, Entity, IntentScore, NluResult, Start
from flows.replies import EraseEverything, RememberLanguage
from tests.conftest import Conversation


def test_back_returns_to_the_previous_question_and_lets_it_be_answered_again() -> None:
    talk = Conversation().begin()
    talk.press("sit:delayed")
    talk.press("sit:done")
    talk.press("wait:gt2y")
    assert talk.state.step is Step.LAWYER
    talk.press("nav:back")
    assert talk.state.step is Step.WAITING
    talk.press("wait:lt6m")
    assert talk.state.case.waiting.value == "lt6m"


def test_changing_language_mid_way_keeps_the_case_and_the_step() -> None:
    talk = Conversation().begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    talk.press("lawyer:yes")  # asked first for a removal
    assert talk.state.step is Step.REMOVAL_WHEN
    talk.send(Command("language"))
    assert talk.state.step is Step.LANGUAGE
    replies = talk.press("lang:ar")
    assert RememberLanguage("ar") in replies
    assert talk.state.step is Step.REMOVAL_WHEN and talk.state.case.urgent
    talk.language = "ar"
    question = talk.text(replies).splitlines()[0]
    assert any("\u0600" <= ch <= "\u06ff" for ch in question)  # now asked in Arabic


def test_asking_in_words_to_change_language_switches_directly() -> None:
    talk = Conversation().begin()
    talk.say("can you speak farsi", NluResult((IntentScore("change_language", 0.9),)))
    assert talk.state.language == "fa" and talk.state.step is Step.SITUATION


def test_restart_clears_the_case_but_keeps_the_language() -> None:
    talk = Conversation(language="fa").begin()
    talk.press("sit:refused")
    talk.send(Command("restart"))
    assert talk.state.case.situations == () and talk.state.language == "fa"
    assert talk.state.step is Step.PRIVACY


def test_forget_can_be_cancelled_and_the_conversation_continues() -> None:
    talk = Conversation().begin()
    talk.press("sit:refused")
    talk.say("delete my data", NluResult((IntentScore("forget_me", 0.95),)))
    assert talk.state.step is Step.FORGET
    talk.press("forget:no")
    assert talk.state.step is Step.SITUATION and talk.state.case.situations


def test_forget_confirmed_asks_the_shell_to_erase_everything() -> None:
    talk = Conversation().begin()
    talk.send(Command("forget"))
    replies = talk.press("forget:yes")
    assert any(isinstance(r, EraseEverything) for r in replies)
    assert talk.state.case.situations == () and talk.state.language is None


def test_a_returning_person_is_welcomed_back_where_they_were() -> None:
    talk = Conversation().begin()
    talk.press("sit:detained")
    talk.press("sit:done")
    replies = talk.send(Start())
    assert "Welcome back" in talk.text(replies)
    assert talk.state.step is Step.CENTRE


def test_telegram_language_skips_the_language_menu() -> None:
    talk = Conversation()
    replies = talk.send(Start(language_hint="ar-EG"))
    assert talk.state.language == "ar" and talk.state.step is Step.PRIVACY
    assert RememberLanguage("ar") in replies


def test_someone_who_starts_by_describing_their_case_keeps_it() -> None:
    talk = Conversation()
    talk.send(Start())
    talk.say("my brother is detained in brook house",
             NluResult((IntentScore("on_behalf+detained", 0.9),),
                       (Entity("relationship", "brother"), Entity("detention_centre",
                                                                  "brook_house"))))
    talk.press("lang:en")
    talk.press("privacy:ok")
    assert talk.state.step is Step.CONFIRM
    talk.press("confirm:yes")
    case = talk.state.case
    assert case.helping and case.relationship.value == "brother"
    assert case.centre_id == "brook_house" and case.has_lawyer is None
    assert talk.state.step is Step.LAWYER


def test_low_confidence_asks_to_confirm_and_no_lets_the_person_choose() -> None:
    talk = Conversation().begin()
    talk.say("they say no more appeal", NluResult((IntentScore("refused", 0.31),)))
    assert talk.state.step is Step.CONFIRM and "Is that right?" in talk.text()
    shown = talk.press("confirm:no")
    # What was understood stays ticked, to change rather than redo.
    assert talk.state.step is Step.SITUATION
    assert talk.state.case.situations == (Situation.REFUSED,)
    assert "Tick or untick what applies" in talk.text(shown)


def test_two_situations_from_one_message() -> None:
    talk = Conversation().begin()
    talk.say("refused and now they want to deport me",
             NluResult((IntentScore("refused+removal", 0.88),)))
    talk.press("confirm:yes")
    assert {s.value for s in talk.state.case.situations} == {"refused", "removal"}


def test_mp_command_looks_up_a_postcode_directly() -> None:
    talk = Conversation().begin()
    talk.send(Command("mp", "sw1a 1aa"))
    assert talk.lookups[-1].postcodes[0][0] == "SW1A 1AA"
    assert talk.state.step is Step.RESULTS


def test_an_unmapped_relationship_word_still_means_someone_else_is_writing() -> None:
    talk = Conversation().begin()
    talk.say("маму тримають у Брук Хаус",
             NluResult((IntentScore("detained", 0.8),), (Entity("relationship", "маму"),)))
    assert talk.state.case.helping
    assert talk.state.case.relationship.value == "relative"

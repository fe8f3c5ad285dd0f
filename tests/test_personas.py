"""Whole conversations of people who type, through the real service and the real Rasa model.

Each persona writes as people do on a phone, in their own language, taps only where a
person would, and ends with a letter. The checks are what the person and the MP's
caseworker would notice: what the letter says, and what it must not say.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from bot.conversation import ConversationService
from bot.i18n import Renderer
from bot.lookups.base import OfflineFinder
from bot.nlu.rasa_client import RasaNlu
from bot.render import draft_as_text, render_draft, render_say
from bot.storage.conversations import ConversationStore
from bot.storage.db import create_db_engine
from flows.events import Button, Event, Start, Text
from flows.replies import Say, SendDraft
from flows.steps import State, Step
from tests.conftest import TODAY

pytestmark = pytest.mark.rasa


@dataclass
class Person:
    """Someone typing to the bot; `shown` is everything they read, drafts included."""

    service: ConversationService
    key: str
    shown: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)

    async def send(self, *events: Event) -> None:
        for event in events:
            result = await self.service.handle(self.key, event)
            renderer = Renderer(result.language)
            for reply in result.replies:
                if isinstance(reply, Say):
                    self.shown.append(render_say(reply, renderer).text)
                elif isinstance(reply, SendDraft):
                    rendered = render_draft(reply, renderer)
                    self.letters.append(rendered.english)
                    self.shown.append(draft_as_text(rendered, renderer))

    async def says(self, *messages: str) -> None:
        await self.send(*(Text(message) for message in messages))

    async def taps(self, *data: str) -> None:
        await self.send(*(Button(item) for item in data))

    @property
    def state(self) -> State:
        loaded = self.service.store.load(self.key).state
        assert loaded is not None
        return loaded


@pytest.fixture
async def people(tmp_path: Path, nlu: RasaNlu) -> AsyncIterator[ConversationService]:
    engine = create_db_engine(f"sqlite:///{tmp_path}/personas.sqlite3")
    yield ConversationService(ConversationStore(engine, timedelta(days=30)), nlu,
                              OfflineFinder(), today=lambda: TODAY)
    engine.dispose()


async def start(service: ConversationService, key: str, language: str) -> Person:
    person = Person(service, key)
    await person.send(Start(), Button(f"lang:{language}"), Button("privacy:ok"))
    return person


async def test_amal_detained_in_arabic_removal_on_friday(people: ConversationService) -> None:
    amal = await start(people, "amal", "ar")
    await amal.says("أنا محتجز في بروك هاوس وسيرحلونني يوم الجمعة")
    assert amal.state.step is Step.CONFIRM
    await amal.says("نعم")  # typed, not tapped
    await amal.taps("lawyer:no")
    await amal.says("الجمعة")  # the removal date, typed
    assert amal.state.case.removal_date == "2026-12-11"
    assert amal.state.step is Step.GENDER  # Arabic letters agree: one tap, skippable
    await amal.taps("gender:skip", "postcode:skip")
    await amal.says("أطفالي في المدرسة هنا")
    await amal.taps("draft:centre_mp")
    letter = amal.letters[-1]
    assert "I am held at Brook House" in letter
    assert "remove me from the UK on Friday, 11 December 2026" in letter
    assert "In my own words, in Arabic: \u201cأطفالي في المدرسة هنا\u201d" in letter
    assert "I do not have a lawyer." in letter
    assert "today" not in letter  # four days away: soon, not today


async def test_reza_helps_his_brother_in_persian(people: ConversationService) -> None:
    reza = await start(people, "reza", "fa")
    await reza.says("برادرم در هارموندزورث بازداشت است و وکیل ندارد")
    case = reza.state.case
    assert case.helping and case.relationship and case.relationship.value == "brother"
    await reza.taps("confirm:yes")
    assert reza.state.step is Step.LAWYER or reza.state.step is Step.POSTCODE
    if reza.state.step is Step.LAWYER:
        await reza.says("نه")
    await reza.says("B12 9QJ")
    await reza.taps("own:skip", "draft:consent")
    consent = reza.letters[-1]
    assert "LETTER OF AUTHORITY" in consent and "Current address: Harmondsworth" in consent
    assert "I also authorise [full name of the person helping]" in consent
    await reza.taps("more:drafts", "draft:helper_mp")
    letter = reza.letters[-1]
    assert "I am writing about my brother, [their full name]" in letter
    assert "They are held in immigration detention at Harmondsworth." in letter
    assert "I am held" not in letter


async def test_hodan_refused_no_lawyer_in_somali_is_understood(
        people: ConversationService) -> None:
    # The interface has no Somali yet: she reads English, writes Somali.
    hodan = await start(people, "hodan", "en")
    await hodan.says("waxaa la igu diiday magangalyada, qareen ma haysto")
    assert "Refused" in hodan.shown[-1] and "No lawyer" in hodan.shown[-1]
    await hodan.says("yes")
    await hodan.says("skip")  # the postcode question, answered by typing the button
    await hodan.taps("own:skip", "draft:mp_case")
    letter = hodan.letters[-1]
    assert "The Home Office has refused my claim." in letter
    assert "I do not have a lawyer." in letter
    assert "remove" not in letter and "detention" not in letter


async def test_arta_mixes_albanian_and_english(people: ConversationService) -> None:
    arta = await start(people, "arta", "en")
    await arta.says("me kane refuzuar azilin, nuk kam avokat")
    await arta.says("po")  # Albanian "yes": the model reads it as yes
    case = arta.state.case
    assert {s.value for s in case.situations} == {"refused", "no_lawyer"}
    assert arta.state.step is Step.POSTCODE  # no lawyer question: she said it already
    await arta.says("Tirana")  # a place, not a postcode
    assert "royalmail.com/find-a-postcode" in arta.shown[-2]


async def test_imran_waiting_three_years_in_roman_urdu(people: ConversationService) -> None:
    imran = await start(people, "imran", "en")
    await imran.says("3 saal se faisle ka intezar kar raha hoon")
    assert "Waiting a long time" in imran.shown[-1]
    await imran.taps("confirm:yes")
    assert imran.state.step is Step.WAITING  # "saal" is not read as years: asked, not guessed
    await imran.says("since 2023")
    assert imran.state.case.waiting_months == 36
    await imran.taps("lawyer:yes", "postcode:skip", "own:skip", "draft:mp_case")
    letter = imran.letters[-1]
    assert "I have been waiting 3 years for a decision on my claim." in letter
    assert "My lawyer is [your lawyer's name or firm]." in letter


async def test_sara_corrects_who_the_letter_is_for(people: ConversationService) -> None:
    sara = await start(people, "sara", "en")
    await sara.says("i am in detention and they refused me")
    await sara.says("no sorry not me, my husband is detained")
    case = sara.state.case
    assert case.helping and case.relationship and case.relationship.value == "husband"
    assert "i am in detention" not in (case.described or "")


async def test_tesfay_detained_in_tigrinya_reads_his_letter_in_tigrinya(
        people: ConversationService) -> None:
    tesfay = await start(people, "tesfay", "ti")
    await tesfay.says("ኣብ ብሩክ ሃውስ ተኣሲረ ኣለኹ")
    await tesfay.says("እወ")
    await tesfay.taps("lawyer:no", "postcode:skip", "own:skip", "draft:centre_mp")
    everything = "\n".join(tesfay.shown)
    assert "I am held at Brook House, in your constituency" in tesfay.letters[-1]
    assert sum("\u1200" <= ch <= "\u137f" for ch in everything.split("Dear")[-1]) > 100


# --- the reproductions of issue 11, typed as they were -------------------------------------


async def test_a_removal_in_albanian_mixed_with_english_is_read_as_a_removal(
        people: ConversationService) -> None:
    besa = await start(people, "besa", "en")
    await besa.says("pershendetje, me kane dhene removal directions per pasneser, nuk kam "
                    "avokat. cfare te bej???")
    understood = besa.shown[-1]
    assert "Removal or deportation" in understood
    assert "Wednesday, 9 December 2026" in understood  # "pasnesër", shown back to check
    await besa.says("po")
    assert besa.state.case.removal_date == "2026-12-09"  # the day is not asked again
    # "nuk kam avokat" is read as a second situation only when the model is sure enough
    # (0.16 for no_lawyer since Turkish and Welsh were added, under the 0.3 bar); else
    # the lawyer is asked, first, as a removal needs (F5). Either way the letter says it.
    if besa.state.step is Step.LAWYER:
        await besa.says("jo")
    assert besa.state.step is Step.POSTCODE
    assert any("lawyer" in text.casefold() for text in besa.shown[-3:])  # F5's essentials
    await besa.taps("postcode:skip", "own:skip", "draft:mp_case")
    letter = besa.letters[-1]
    assert "Wednesday, 9 December 2026" in letter and "I do not have a lawyer." in letter
    assert "cfare te bej" not in letter  # her question to the bot is not in the letter


async def test_delete_everything_at_the_removal_question_is_a_request_not_a_date(
        people: ConversationService) -> None:
    dawit = await start(people, "dawit", "en")
    await dawit.taps("who:self")
    await dawit.says("i have a flight ticket from home office, they deport me")
    await dawit.says("yes")
    await dawit.taps("lawyer:no")
    await dawit.says("delete everything")
    assert dawit.state.step is Step.FORGET
    assert dawit.state.case.removal_date is None


@pytest.mark.parametrize(("language", "typed", "answer"), [
    ("en", "why you need my postcode? will home office see it?", "never share anything"),
    # The model is unsure of this one (removal 0.27, ask_privacy 0.23: "the Home Office"
    # pulls towards removal); the bot then points to /privacy instead of "no postcode".
    ("fa", "کد پستی منو برای چی میخوای؟ وزارت کشور میبینه؟", "/privacy"),
    ("en", "is this free?", "free"),
    ("en", "can my MP stop my deportation?", "cancel a removal"),
    ("en", "can i write to the home secretary?", "through the MP"),
])
async def test_questions_at_the_postcode_question_are_answered_and_it_is_asked_again(
        people: ConversationService, language: str, typed: str, answer: str) -> None:
    asker = await start(people, f"asker-{language}-{len(typed)}", language)
    await asker.taps("who:self", "sit:refused", "sit:done", "lawyer:no")
    await asker.says(typed)
    assert asker.state.step is Step.POSTCODE and asker.state.case.postcode is None
    assert any(answer in text for text in asker.shown[-2:]), asker.shown[-2:]
    assert not any("کد پستی بریتانیا نیست" in text or "doesn't look like a UK postcode" in text
                   for text in asker.shown[-2:])


async def test_a_town_in_arabic_at_the_postcode_question_gets_help_to_find_it(
        people: ConversationService) -> None:
    nour = await start(people, "nour", "ar")
    await nour.taps("who:self", "sit:refused", "sit:done", "lawyer:no", "gender:skip")
    await nour.says("انا ساكن في برمنغهام")
    assert nour.state.step is Step.POSTCODE
    assert "royalmail.com/find-a-postcode" in "\n".join(nour.shown[-2:])


async def test_his_solicitor_never_replies_is_asked_about_not_assumed(
        people: ConversationService) -> None:
    lena = await start(people, "lena", "en")
    await lena.says("my brother's solicitor never replies to him, months now")
    await lena.says("yes")
    assert lena.state.step is Step.LAWYER_SILENCE  # whose silence: asked
    await lena.taps("silent:lawyer", "postcode:skip", "own:skip", "draft:helper_mp")
    letter = lena.letters[-1]
    assert "cannot get an answer from them about their case" in letter
    assert "has written to the Home Office but has had no reply" not in letter


async def test_helping_a_vietnamese_man_is_a_helper_not_the_person(
        people: ConversationService) -> None:
    mo = await start(people, "mo", "en")
    await mo.says("im helping a vietnamese man, he is detained at colnbrook")
    assert mo.state.case.helping

"""Which language a person is answered in: their app's, their choice, the words they type."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.bidi import LRI, PDI, RLM, isolate_left_to_right, without_direction_marks
from bot.conversation import ConversationService
from bot.i18n import Renderer
from bot.language_guess import BackgroundGuesser, _bot_guesser, default_guesser
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.render import render_draft, render_say
from bot.storage.conversations import ConversationStore
from bot.storage.db import create_db_engine
from flows.case import Nation
from flows.engine import prompt
from flows.events import Button, Start, Text
from flows.languages import FIRST_PAGE, LANGUAGES, LANGUAGES_BY_CODE, language_named_in, supported
from flows.replies import Say, SendDraft
from flows.steps import State, Step
from tests.builders import home, mp
from tests.conftest import TODAY, Conversation


@pytest.mark.parametrize(("code", "locale"), [
    ("ps-AF", "ps"), ("prs", "fa"), ("prs-AF", "fa"), ("fa-IR", "fa"), ("ckb", "ckb"),
    ("ckb-IQ", "ckb"), ("ku", "ckb"), ("ti-ER", "ti"), ("am-ET", "am"), ("so-SO", "so"),
    ("ur-PK", "ur"), ("bn-BD", "bn"), ("vi-VN", "vi"), ("sq-XK", "sq"), ("fr-CD", "fr"),
    ("uk-UA", "uk"), ("tr-TR", "tr"), ("cy-GB", "cy"), ("en-GB", "en"), ("AR", "ar"),
    ("ar_SA", "ar"),
    # Languages we don't speak, and anything malformed: English, never an error.
    ("pt-BR", None), ("zz", None), ("", None), (None, None), ("../../etc", None),
    ("x" * 300, None), ("ar-", None), (42, None),
])
def test_telegram_language_codes_are_negotiated_to_our_locales(code: object,
                                                                locale: str | None) -> None:
    assert supported(code) == locale


def test_a_brand_new_person_with_a_pashto_app_is_greeted_in_pashto() -> None:
    talk = Conversation(language="ps")
    shown = talk.send(Start(language_hint="ps-AF"))
    assert talk.state.language == "ps" and talk.state.step is Step.PRIVACY
    assert talk.text(shown) != Conversation(language="en").text(shown)


@pytest.mark.parametrize(("typed", "code"), [
    ("urdu please", "ur"), ("اردو", "ur"), ("پښتو", "ps"), ("کوردی", "ckb"), ("soomaali", "so"),
    ("Cymraeg os gwelwch yn dda", "cy"), ("türkçe", "tr"), ("українська", "uk"),
    ("français", "fr"), ("bangla", "bn"), ("tieng viet", "vi"), ("shqip", "sq"),
    ("አማርኛ", "am"), ("ትግርኛ", "ti"), ("dari", "fa"),
])
def test_a_language_named_in_its_own_script_or_in_english_is_chosen(typed: str,
                                                                   code: str) -> None:
    assert language_named_in(typed) == code
    talk = Conversation()
    talk.send(Start())
    talk.say(typed)
    assert talk.state.language == code and talk.state.step is Step.PRIVACY


def test_the_picker_fits_a_phone_and_reaches_every_language() -> None:
    first = prompt(State())
    assert len(first.choices) <= 5 and all(len(row) <= 2 for row in first.choices)
    talk = Conversation()
    talk.send(Start())
    more = talk.press("lang:more")
    second = next(r for r in more if isinstance(r, Say))
    assert len(second.choices) <= 5 and talk.state.step is Step.LANGUAGE
    offered = {c.press.value for s in (first, second) for row in s.choices for c in row}
    assert {lang.code for lang in LANGUAGES} <= offered
    assert set(FIRST_PAGE) <= offered
    # Each language's button is its own name in its own script.
    labels = {c.label.value for row in second.choices for c in row}  # type: ignore[union-attr]
    assert "Cymraeg" in labels and "Türkçe" in labels
    talk.press("lang:cy")
    assert talk.state.language == "cy" and talk.state.step is Step.PRIVACY


# --- right-to-left ---------------------------------------------------------------------------


def isolated(text: str, run: str) -> bool:
    """True when `run` sits inside one left-to-right isolate of `text`."""
    segments = re.findall(f"{LRI}([^{PDI}]*){PDI}", text)
    return any(run in segment for segment in segments)


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES if lang.rtl])
def test_right_to_left_messages_isolate_latin_runs_and_never_open_left_to_right(
        code: str) -> None:
    talk = Conversation(language=code, results=(
        home("B12 9QJ", Nation.ENGLAND, mp("Alex Example", "Birmingham Ladywood")),))
    talk.begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    if LANGUAGES_BY_CODE[code].first_person_gendered:
        talk.press("gender:skip")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    talk.press("draft:mp_case")
    renderer = Renderer(code)
    for reply in talk.replies:
        if isinstance(reply, Say):
            message = render_say(reply, renderer)
            lines = [line for line in message.text.split("\n") if line]
            assert all(line.startswith(RLM) for line in lines), message.text[:80]
            for label, _ in (b for row in message.buttons for b in row):
                assert label.startswith(RLM)
        elif isinstance(reply, SendDraft):
            rendered = render_draft(reply, renderer)
            # The English letter is sent as it is: never a mark inside it.
            assert rendered.english == without_direction_marks(rendered.english)
            assert isolated(rendered.recipient, "Alex Example")
            assert isolated(rendered.recipient, "someone.mp@parliament.uk")
            assert rendered.translation is not None and RLM in rendered.translation
    shown = talk.marked_text()
    assert isolated(shown, "B12 9QJ")


def test_isolation_keeps_commands_emails_phone_numbers_and_urls_whole() -> None:
    text = isolate_left_to_right(
        "بفرستید /forget یا به diane.abbott.mp@parliament.uk و 0300 123 4567 "
        "https://members.parliament.uk/member/172 (Home Office) ۹ دسامبر 2026")
    for run in ("/forget", "diane.abbott.mp@parliament.uk", "0300 123 4567",
                "https://members.parliament.uk/member/172", "(Home Office)"):
        assert isolated(text, run), run
    assert f"{LRI}2026" not in text  # a lone number reads right already
    assert text.startswith(RLM)


# --- the language someone writes in -------------------------------------------------------------


@pytest.fixture
def service(tmp_path: Path) -> ConversationService:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    return ConversationService(ConversationStore(engine, timedelta(days=30)), NoNlu(),
                               OfflineFinder(), today=lambda: TODAY, guesser=default_guesser())


async def test_someone_writing_somali_under_an_english_interface_is_offered_somali_once(
        service: ConversationService) -> None:
    await service.handle("k", Start())
    await service.handle("k", Button("lang:en"))
    await service.handle("k", Button("privacy:ok"))
    result = await service.handle("k", Text("walaalkay waxaa lagu hayaa xabsiga socdaalka, "
                                            "maxaan sameeyaa"))
    offer = result.replies[0]
    assert isinstance(offer, Say) and offer.language == "so"
    assert [c.data for row in offer.choices for c in row] == ["lang:so"]
    shown = render_say(offer, result.renderer()).text
    # Said in Somali although the interface is English.
    assert "Soomaali" in shown and shown != Renderer("en").render(offer.parts[0])
    again = await service.handle("k", Text("walaalkay wuxuu u baahan yahay caawimaad degdeg ah"))
    assert not any(isinstance(r, Say) and r.language for r in again.replies)  # once only
    switched = await service.handle("k", Button("lang:so"))
    assert switched.language == "so"
    assert switched.state.step is Step.WHO  # carried on where they were


async def test_short_words_and_the_interface_language_bring_no_offer(
        service: ConversationService) -> None:
    await service.handle("k", Start())
    await service.handle("k", Button("lang:fa"))
    await service.handle("k", Button("privacy:ok"))
    short = await service.handle("k", Text("ok"))
    assert not any(isinstance(r, Say) and r.language for r in short.replies)
    same = await service.handle("k", Text("برادرم در بازداشت است و وکیل ندارد"))
    assert not any(isinstance(r, Say) and r.language for r in same.replies)


async def test_forget_is_confirmed_in_the_language_used(service: ConversationService) -> None:
    await service.handle("k", Start())
    await service.handle("k", Button("lang:fa"))
    await service.handle("k", Button("privacy:ok"))
    await service.handle("k", Button("nav:forget"))
    done = await service.handle("k", Button("forget:yes"))
    assert done.erased and done.language == "fa"
    text = "\n".join(render_say(r, done.renderer()).text for r in done.replies
                     if isinstance(r, Say))
    assert "everything I held" not in text and text.strip()


@given(st.text(max_size=400))
@example("AAAAAAAAAAA\x00µ")  # NUL in an n-gram: the trie cannot look it up
def test_any_text_gets_one_of_our_locales_or_no_guess(text: str) -> None:
    guess = default_guesser().guess(text)  # type: ignore[union-attr]
    assert guess is None or guess.locale in LANGUAGES_BY_CODE


@pytest.mark.parametrize(("text", "locale"), [
    ("walaalkay waxaa lagu hayaa xabsiga socdaalka, maxaan sameeyaa", "so"),
    ("vellai im është në paraburgim dhe nuk ka avokat", "sq"),
    ("kardeşim gözaltında, avukatı yok, ne yapabilirim", "tr"),
    ("mae fy mrawd yn y ddalfa ac nid oes ganddo gyfreithiwr", "cy"),
    ("mera bhai detention mein hai aur uska koi wakeel nahi hai", "ur"),
    ("زما ورور په توقیف کې دی او وکیل نه لري", "ps"),
    ("ወንድሜ ታስሯል ጠበቃም የለውም ምን ላድርግ", "am"),
    ("ሓወይ ተኣሲሩ ኣሎ ጠበቓ የብሉን እንታይ ክገብር", "ti"),
])
def test_the_language_of_a_typical_first_message_is_recognised(text: str, locale: str) -> None:
    guess = default_guesser().guess(text)  # type: ignore[union-attr]
    assert guess is not None and guess.locale == locale


TYPICAL_FIRST_MESSAGES = (
    "my brother is in detention and has no lawyer, what can I do",
    "walaalkay waxaa lagu hayaa xabsiga socdaalka, maxaan sameeyaa",
    "زما ورور په توقیف کې دی او وکیل نه لري",
    "ሓወይ ተኣሲሩ ኣሎ ጠበቓ የብሉን እንታይ ክገብር",
    "mera bhai detention mein hai aur uska koi wakeel nahi hai",
)


@pytest.fixture
def fresh_bot_guesser() -> Iterator[None]:
    """The bot's guesser is trained once per process: these tests train their own, and
    leave none behind (one trained without its child would stay for later tests)."""
    _bot_guesser.cache_clear()
    yield
    _bot_guesser.cache_clear()


@pytest.mark.usefixtures("fresh_bot_guesser")
def test_the_bots_guesser_trained_aside_guesses_as_one_trained_here() -> None:
    # The bot's guesser is trained by a child process (so the bot stays small) and
    # handed over as bytes: it must tell languages exactly as one trained in-process.
    background = BackgroundGuesser()
    assert background.wait(timeout=120)
    here = default_guesser()
    assert here is not None
    for text in TYPICAL_FIRST_MESSAGES:
        assert background.guess(text) == here.guess(text), text
    assert background.guess(TYPICAL_FIRST_MESSAGES[1]).locale == "so"  # type: ignore[union-attr]


@pytest.mark.usefixtures("fresh_bot_guesser")
def test_when_no_child_can_be_started_the_bot_still_guesses_languages(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr("sys.executable", "/nonexistent/python3")
    background = BackgroundGuesser()
    assert background.wait(timeout=120)
    guess = background.guess(TYPICAL_FIRST_MESSAGES[2])
    assert guess is not None and guess.locale == "ps"
    assert "training here instead" in caplog.text


def test_mixed_scripts_and_short_words_never_fail() -> None:
    guesser = default_guesser()
    assert guesser is not None
    for text in ("ok", "👍", "B12 9QJ", "salam من در بازداشت هستم home office ሓወይ",
                 "\u202eevil\u202c", "x" * 5000):
        guess = guesser.guess(text)
        assert guess is None or guess.locale in LANGUAGES_BY_CODE

"""Whatever a person sends, they get a clear reply and keep what they already gave."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n import Renderer
from bot.telegram.outgoing import reply_messages
from flows.engine import State, Step, step
from flows.events import Button, Command, IntentScore, LookupDone, NluResult, Start, Text
from flows.languages import LANGUAGES
from flows.replies import Say, SendDraft
from flows.state import dump_state, load_state
from tests.conftest import Conversation
from tests.fakes.telegram_html import parse_html

NASTY = [
    "",
    "   \n\t ",
    "x" * 10_000,
    "\x00\x01\x1b[31mred\x1b[0m",
    "\u202egnp.exe\u202c hello \u2066isolated\u2069",
    "😀🙏🏽👨‍👩‍👧 💔",
    "<b>bold</b><script>alert(1)</script>",
    "*bold* _it_ [link](http://x) `code` ```block```",
    "{name} {0} %s %(x)s {{}}",
    "\ud7ff\ufffd\uffff",
]


@pytest.mark.parametrize("text", NASTY)
def test_any_text_at_any_step_gets_a_reply_and_keeps_the_case(text: str) -> None:
    talk = Conversation().begin()
    talk.press("sit:detained")
    talk.press("sit:done")
    before = talk.state.case
    replies = talk.say(text)
    assert replies and all(isinstance(r, Say) for r in replies)
    assert talk.state.case.situations == before.situations
    assert talk.text(replies).strip()


def test_empty_message_is_answered_kindly() -> None:
    talk = Conversation().begin()
    assert "I didn't get any words there" in talk.text(talk.say(""))


def test_unknown_and_stale_buttons_are_answered_and_reask() -> None:
    talk = Conversation().begin()
    replies = talk.press("lang:zz")  # a language button from an earlier message
    text = talk.text(replies)
    assert "from an earlier message" in text and "What is happening?" in text
    assert talk.state.step is Step.SITUATION
    assert "What is happening?" in talk.text(talk.press("\x00garbage" * 20))


def test_long_text_is_bounded_before_it_reaches_a_draft() -> None:
    talk = Conversation().begin()
    talk.say("refused " * 3000, NluResult((IntentScore("refused", 0.9),)))
    assert talk.state.case.described is not None
    assert len(talk.state.case.described) <= 601
    talk.press("confirm:yes")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.say("my own words " * 2000)  # at the own-words step
    assert talk.state.case.own_words is not None
    assert len(talk.state.case.own_words) <= 601
    talk.press("draft:mp_case")
    assert len(talk.text(talk.drafts())) < 3000


def test_control_and_bidi_characters_never_reach_a_letter() -> None:
    talk = Conversation().begin()
    talk.say("they refused me \u202eevil\u202c \x07 please help",
             NluResult((IntentScore("refused", 0.9),)))
    talk.press("confirm:yes")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:reuse")
    talk.press("draft:mp_case")
    letter = talk.text(talk.drafts())
    assert "they refused me evil please help" in letter
    assert "\u202e" not in letter and "\x07" not in letter


def test_user_braces_are_not_treated_as_placeholders() -> None:
    talk = Conversation().begin()
    talk.say("refused {words} {0} {name.__class__}", NluResult((IntentScore("refused", 0.9),)))
    talk.press("confirm:yes")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:reuse")
    talk.press("draft:mp_case")
    assert "{name.__class__}" in talk.text(talk.drafts())


def test_invalid_postcode_gets_an_example_and_keeps_everything() -> None:
    talk = Conversation().begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    situations = talk.state.case.situations
    text = talk.text(talk.say("12"))
    assert "doesn't look like a UK postcode" in text and "B12 9QJ" in text
    assert talk.state.step is Step.POSTCODE and talk.state.case.situations == situations
    # Words without digits are a place, not a postcode: help to find the postcode.
    text = talk.text(talk.say("انا ساكن في برمنغهام"))
    assert "royalmail.com/find-a-postcode" in text and "FindYourMP" in text
    assert talk.state.step is Step.POSTCODE and talk.state.case.situations == situations
    text = talk.text(talk.say("B12"))
    assert "only the first half of a postcode" in text


def test_a_late_lookup_answer_is_ignored() -> None:
    state = State(step=Step.WHO, language="en")
    after, replies = step(state, LookupDone())
    assert after == state and replies == []


LOCALES = [lang.code for lang in LANGUAGES]

events = st.one_of(
    st.builds(Text, st.text(max_size=300)),
    st.builds(Text, st.text(max_size=80), st.none(), st.sampled_from([None, *LOCALES, "zz"])),
    st.builds(Button, st.text(max_size=70)),
    st.builds(Button, st.sampled_from([
        "lang:en", "lang:ar", "privacy:ok", "who:self", "who:other", "rel:brother",
        "sit:detained", "sit:removal", "sit:done", "confirm:yes", "confirm:no",
        "centre:brook_house", "centre:morton_hall", "when:72h", "wait:gt2y", "lawyer:no",
        "postcode:skip", "draft:consent", "draft:mp_case", "more:silent", "nav:back",
        "nav:forget", "forget:no", "nav:language", "more:who_else", "own:skip", "own:reuse",
        "more:friend", "friend:skip", "whose:mine", "whose:friend", "more:why", "more:advice",
        "more:drafts", "draft:friend_mp", "draft:chaser", "draft:devolved", "gender:f",
        "gender:m", "gender:skip", "gender:x", "lang:more", "lang:first", "lang:cy", "lang:ps",
        "lang:zz", "draft:native.consent", "draft:native.mp_case", "draft:native.",
        "draft:native.nonsense"])),
    st.builds(Command, st.sampled_from(["start", "help", "back", "restart", "language",
                                        "forget", "privacy", "draft", "mp", "nonsense"]),
              st.text(max_size=20)),
    st.just(Start()),
    st.just(LookupDone()),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, max_size=25))
def test_no_sequence_of_events_breaks_the_engine_or_its_saved_state(seq: list) -> None:
    state = State()
    for event in seq:
        state, replies = step(state, event)
        assert isinstance(replies, list)
        assert load_state(dump_state(state)) == state


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, max_size=20), st.sampled_from(LOCALES), st.sampled_from(["f", "m", None]))
def test_every_reply_renders_as_safe_telegram_html_in_any_locale(seq: list, code: str,
                                                                 gender: str | None) -> None:
    """Whatever is sent, every reply renders in every locale, and nothing a person typed
    becomes markup: the only tags in a message are the bot's own."""
    state = State()
    renderer = Renderer(code, gender)
    for event in seq:
        state, replies = step(state, event)
        shown = [r for r in replies if isinstance(r, Say | SendDraft)]
        for message in reply_messages(shown, renderer):
            if message.text:
                parse_html(message.text)  # raises on markup Telegram would refuse
                tags = set(re.findall(r"</?([a-z]+)", message.text))
                assert tags <= {"b", "pre", "blockquote"}, tags

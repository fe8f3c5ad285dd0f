"""The Telegram adapter's pure pieces: splitting, HTML, keyboards, limits, dates, storage.

Fast and without a network; the end-to-end suite shows them working together.
HTML is checked with the same parser the fake Bot API uses, so "Telegram would
accept this" means the same thing in both places.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine

from bot.bidi import without_direction_marks
from bot.i18n import Renderer
from bot.settings import Settings
from bot.telegram.commands import GROUP_COMMANDS, PRIVATE_COMMANDS, command_menu
from bot.telegram.groups import deep_link, group_answer, start_event
from bot.telegram.health import beat, is_fresh
from bot.telegram.keyboards import callback_data_ok, incoming_button, inline_keyboard
from bot.telegram.outgoing import draft_messages, letter_filename, plain_text, say_messages
from bot.telegram.ratelimit import PersonRateLimit, Verdict
from bot.telegram.reminders import Reminders, ReminderStore
from bot.telegram.split import split_text, utf16_len
from bot.telegram.texts import COMMAND_DESCRIPTIONS, GROUP_FORGET, GROUP_INVITE
from bot.telegram.workdays import add_working_days, is_working_day, reminder_due
from bot.telegram_app import webhook_options
from flows.buttons import Action, Press
from flows.case import Case, Nation, Situation
from flows.drafts import DRAFT_TITLES, DraftKind, LetterContext, draft_letter
from flows.events import Command, Start
from flows.languages import LANGUAGES
from flows.replies import Choice, Say, SendDraft
from flows.representatives import Role
from flows.text import Msg, Plain, t
from tests.builders import mp
from tests.fakes.telegram_html import parse_html

# --- splitting ------------------------------------------------------------------------------


def test_short_text_is_one_piece_and_empty_text_none() -> None:
    assert split_text("hello") == ["hello"]
    assert split_text("  \n ") == []


def test_pieces_stay_within_the_limit_counting_emoji_twice() -> None:
    text = ("🙂" * 30 + " ") * 10  # each emoji is two UTF-16 units
    pieces = split_text(text, limit=50)
    assert all(utf16_len(piece) <= 50 for piece in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_cuts_prefer_paragraphs_then_lines_then_words() -> None:
    text = "first paragraph here\n\nsecond one\nwith two lines"
    assert split_text(text, limit=30) == ["first paragraph here", "second one\nwith two lines"]
    assert split_text("aaaa bbbb cccc", limit=9) == ["aaaa bbbb", "cccc"]
    assert split_text("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]


# --- messages -------------------------------------------------------------------------------


def test_everything_a_person_wrote_is_escaped_and_buttons_ride_on_the_last_piece() -> None:
    words = "<script>alert('x')</script> & <b>not bold</b> " * 200  # ~9 600 characters
    say = Say((Plain(words),), ((Choice(Plain("OK"), Press(Action.PRIVACY, "ok")),),), private=True)
    messages = say_messages(say, Renderer("en"))
    assert len(messages) == 3
    for message in messages:
        visible = parse_html(message.text)  # Telegram would accept it
        assert utf16_len(visible) <= 4096
        assert message.private
    assert [m.keyboard is not None for m in messages] == [False, False, True]
    assert "<script>" not in messages[0].text and "&lt;script&gt;" in messages[0].text


def _draft(language_case: Case | None = None) -> SendDraft:
    case = language_case or Case().with_situations(Situation.DETAINED).update(
        centre_id="brook_house", own_words="they said <no> & I am scared")
    recipient = mp("Ms Example <MP>", "Crawley", email="example.mp@parliament.uk")
    context = LetterContext(today=date(2026, 12, 7), recipient=recipient, role=Role.MP)
    return SendDraft(draft_letter(DraftKind.CENTRE_MP, case, context))


def test_a_draft_is_a_copyable_letter_a_folded_translation_and_a_file() -> None:
    messages = draft_messages(_draft(), Renderer("ar"))
    letter, translation, file = messages
    assert "<pre>" in letter.text and "example.mp@parliament.uk" in parse_html(letter.text)
    assert "Ms Example &lt;MP&gt;" in without_direction_marks(letter.text)
    assert "<blockquote expandable>" in translation.text
    assert file.document is not None
    assert file.document.filename == letter_filename(Renderer("ar").render(DRAFT_TITLES[
        DraftKind.CENTRE_MP]))
    content = file.document.content.decode("utf-8")
    assert "they said <no> & I am scared" in content  # a file needs no escaping
    assert all(m.private for m in messages)
    for message in messages[:2]:
        parse_html(message.text)


def test_an_english_draft_has_no_translation_message() -> None:
    messages = draft_messages(_draft(), Renderer("en"))
    assert [bool(m.document) for m in messages] == [False, True]


def test_a_long_draft_is_numbered_and_split_into_valid_pieces() -> None:
    long_words = Plain("&<>" + "word " * 3000)
    base = _draft().draft
    letter = type(base)(base.kind, base.title, base.recipient,
                        (*base.paragraphs, Msg("test.long", "{w}", {"w": long_words})))
    messages = draft_messages(SendDraft(letter), Renderer("fa"))
    texts = [m.text for m in messages if m.document is None]
    assert len(texts) >= 6
    assert any(text.startswith("(1/") for text in texts)
    for text in texts:
        assert utf16_len(parse_html(text)) <= 4096


def test_plain_text_is_what_telegram_shows() -> None:
    message = say_messages(Say((Plain("a < b & c"),)), Renderer("en"))[0]
    assert plain_text(message) == "a < b & c" == parse_html(message.text)


# --- keyboards and callback data ------------------------------------------------------------


@pytest.mark.parametrize("data", ["lang:ar", "sit:appeal_rights_exhausted", "centre:brook_house",
                                  "postcode:skip", "draft:helper_mp"])
def test_the_engines_callback_data_is_accepted(data: str) -> None:
    assert callback_data_ok(data) and incoming_button(data) == data


@pytest.mark.parametrize("data", [None, "", "nocolon", "x" * 65, "lang:ar; DROP", "Lang:ar",
                                  "lang:عربي", "a:" + "b" * 63])
def test_odd_callback_data_becomes_a_stale_press(data: str | None) -> None:
    assert incoming_button(data) == ""


def test_a_button_telegram_would_refuse_is_left_out() -> None:
    keyboard = inline_keyboard(((("fine", "lang:en"), ("bad", "x" * 70)),))
    assert keyboard is not None
    assert [[b.callback_data for b in row] for row in keyboard.inline_keyboard] == [["lang:en"]]
    assert inline_keyboard(((("bad", "nope"),),)) is None


# --- groups and deep links -------------------------------------------------------------------


def test_deep_link_payloads_are_checked() -> None:
    assert start_event(None) == Start()
    assert start_event(["group"]) == Start(payload="group")
    assert start_event(["forget"]) == Command("forget")
    assert start_event(["no spaces or <tags>"]) == Start()
    assert start_event(["x" * 65]) == Start()


def test_a_group_answer_is_a_link_to_a_private_chat() -> None:
    answer = group_answer("forget", Renderer("en"), "SomeBot")
    assert answer.text == Renderer("en").render(GROUP_FORGET)
    assert answer.keyboard is not None
    [[button]] = answer.keyboard.inline_keyboard
    assert button.url == deep_link("SomeBot", "forget") == "https://t.me/SomeBot?start=forget"
    assert group_answer(None, Renderer("en"), "SomeBot").text == \
        Renderer("en").render(GROUP_INVITE)
    assert not answer.private


# --- the per-person limit ------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.postgres
def test_a_burst_is_allowed_then_one_notice_then_silence_until_refilled(engine: Engine) -> None:
    clock = Clock()
    limit = PersonRateLimit(engine, capacity=3, per_second=0.5, notice_every=60, clock=clock)
    verdicts = [limit.check("a") for _ in range(6)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY, Verdict.DROP, Verdict.DROP]
    assert limit.check("b") is Verdict.ALLOW  # others are not affected
    clock.now += 2  # one token back
    assert limit.check("a") is Verdict.ALLOW
    assert limit.check("a") is Verdict.DROP  # still within the notice window
    clock.now += 60
    assert [limit.check("a") for _ in range(4)][-1] is Verdict.NOTIFY


@pytest.mark.postgres
def test_only_buckets_full_again_are_purged_and_forget_erases_one(engine: Engine) -> None:
    clock = Clock()
    limit = PersonRateLimit(engine, capacity=2, per_second=0.5, clock=clock)
    limit.check("early")  # one token short: full again 2 s later
    clock.now += 1
    for _ in range(3):
        limit.check("flooding")  # empty and told: full again 4 s later
    limit.check("forgotten")
    limit.erase("forgotten")
    assert {r[0] for r in _buckets(engine)} == {"early", "flooding"}
    clock.now += 1
    assert limit.purge() == 1  # "early" is full again: no different from no row
    assert [r[0] for r in _buckets(engine)] == ["flooding"]
    assert limit.check("flooding") is Verdict.DROP  # its row, kept, still counts
    clock.now += 60
    assert limit.purge() == 1 and _buckets(engine) == []
    assert limit.check("early") is Verdict.ALLOW


@pytest.mark.postgres
def test_a_database_failure_lets_the_message_through(engine: Engine,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    limit = PersonRateLimit(engine, capacity=1, per_second=0.0, clock=Clock())
    with engine.begin() as connection:
        connection.execute(sql("DROP TABLE rate_bucket"))
    # The limit guards the bot; the turn that follows meets the failure and apologises.
    assert [limit.check("a") for _ in range(3)] == [Verdict.ALLOW] * 3
    assert "rate limit check failed" in caplog.text and "rate_bucket" not in caplog.text


def _buckets(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sql("SELECT user_key FROM rate_bucket"))]


# --- working days and reminders -----------------------------------------------------------------


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday -> Monday
    assert not is_working_day(date(2026, 12, 25)) and not is_working_day(date(2026, 12, 28))
    # From Monday 14 December 2026: 25 and 28 December and 1 January are holidays.
    assert add_working_days(date(2026, 12, 14), 20) == date(2027, 1, 14)
    assert add_working_days(date(2026, 11, 2), 20) == date(2026, 11, 30)


def test_an_unknown_nation_counts_with_englands_bank_holidays() -> None:
    for start in (date(2026, 3, 20), date(2026, 11, 2), date(2026, 12, 14)):
        assert add_working_days(start, 20) == add_working_days(start, 20, Nation.ENGLAND)


def test_st_andrews_day_is_skipped_in_scotland_only() -> None:
    # Monday 30 November 2026.
    assert not is_working_day(date(2026, 11, 30), Nation.SCOTLAND)
    for nation in (Nation.ENGLAND, Nation.WALES, Nation.NORTHERN_IRELAND):
        assert is_working_day(date(2026, 11, 30), nation)
    assert add_working_days(date(2026, 11, 27), 1, Nation.SCOTLAND) == date(2026, 12, 1)
    assert add_working_days(date(2026, 11, 27), 1, Nation.ENGLAND) == date(2026, 11, 30)


def test_the_twelfth_of_july_is_skipped_in_northern_ireland_only() -> None:
    # Monday 12 July 2027; in 2026 it is a Sunday, so Monday 13 July is the holiday.
    for day in (date(2027, 7, 12), date(2026, 7, 13)):
        assert not is_working_day(day, Nation.NORTHERN_IRELAND)
        assert is_working_day(day, Nation.ENGLAND) and is_working_day(day, Nation.SCOTLAND)
    assert add_working_days(date(2027, 7, 9), 1, Nation.NORTHERN_IRELAND) == date(2027, 7, 13)


def test_easter_monday_is_skipped_everywhere_but_scotland() -> None:
    # Easter Monday 2026 is 6 April; Good Friday (3 April) is a holiday everywhere.
    assert is_working_day(date(2026, 4, 6), Nation.SCOTLAND)
    for nation in (Nation.ENGLAND, Nation.WALES, Nation.NORTHERN_IRELAND):
        assert not is_working_day(date(2026, 4, 6), nation)
    assert all(not is_working_day(date(2026, 4, 3), nation) for nation in Nation)
    assert add_working_days(date(2026, 4, 2), 1, Nation.SCOTLAND) == date(2026, 4, 6)
    assert add_working_days(date(2026, 4, 2), 1, Nation.WALES) == date(2026, 4, 7)


def test_a_reminder_is_due_on_a_working_day_morning() -> None:
    due = reminder_due(datetime(2026, 11, 26, 23, 30, tzinfo=UTC))
    assert due == datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    assert is_working_day(due.date())
    # In Scotland St Andrew's Day counts not, and then Christmas and Boxing Day come.
    due = reminder_due(datetime(2026, 11, 26, 23, 30, tzinfo=UTC), Nation.SCOTLAND)
    assert due == datetime(2026, 12, 29, 9, 0, tzinfo=UTC)


class _Jobs:
    """Just enough of PTB's JobQueue for Reminders: what was scheduled, and when."""

    def __init__(self) -> None:
        self.when: dict[str, datetime] = {}

    def run_once(self, callback: object, when: datetime, name: str, **_: object) -> None:
        self.when[name] = when

    def get_jobs_by_name(self, name: str) -> list[object]:
        return []


@pytest.mark.postgres
def test_a_reminder_counts_the_bank_holidays_of_the_persons_nation(engine: Engine) -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    store = ReminderStore(engine, now=lambda: now)
    jobs = _Jobs()
    reminders = Reminders(store, jobs, send=None)  # type: ignore[arg-type]
    assert reminders.remember("in-glasgow", 1, Nation.SCOTLAND) == reminder_due(
        now, Nation.SCOTLAND) == datetime(2026, 12, 29, 9, 0, tzinfo=UTC)
    assert reminders.remember("unknown", 2) == datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    assert jobs.when["reminder:in-glasgow"] == datetime(2026, 12, 29, 9, 0, tzinfo=UTC)
    assert store.get("unknown") is not None


@pytest.mark.postgres
def test_a_reminder_is_claimed_once_and_only_when_due(engine: Engine) -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    store = ReminderStore(engine, now=lambda: now)
    store.put("key", 42, now + timedelta(days=1))
    assert store.claim("key") is None  # not yet
    store.put("key", 43, now - timedelta(minutes=1))  # the latest request wins
    assert len(store.pending()) == 1
    claimed = store.claim("key")
    assert claimed is not None and claimed.chat_id == 43
    assert store.claim("key") is None and store.pending() == []
    store.put("other", 44, now)
    store.erase("other")
    assert store.get("other") is None


# --- settings, menus, health ---------------------------------------------------------------


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, telegram_bot_token=SecretStr("1:x"),  # type: ignore[call-arg]
                    **values)


def test_webhook_options_come_from_the_url_with_a_secret_always() -> None:
    options = webhook_options(_settings(webhook_url="https://example.org/tg/hook/"))
    assert options["url_path"] == "tg/hook/"
    assert re.fullmatch(r"[A-Za-z0-9_-]{30,256}", options["secret_token"])
    configured = webhook_options(_settings(webhook_url="https://example.org/x",
                                           webhook_secret=SecretStr("s3cret-OK_1")))
    assert configured["secret_token"] == "s3cret-OK_1"
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        webhook_options(_settings(webhook_url="https://example.org/x",
                                  webhook_secret=SecretStr("has spaces")))


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES])
def test_every_menu_is_valid_for_telegram(code: str) -> None:
    for names in (PRIVATE_COMMANDS, GROUP_COMMANDS):
        for command in command_menu(code, names):
            assert re.fullmatch(r"[a-z0-9_]{1,32}", command.command)
            assert 1 <= len(command.description) <= 256
    assert set(COMMAND_DESCRIPTIONS) == set(PRIVATE_COMMANDS)


def test_the_heartbeat_is_fresh_after_a_beat(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat"
    assert not is_fresh(path)
    beat(path)
    assert is_fresh(path)
    assert not is_fresh(path, max_age=-1)


def test_texts_are_translatable_messages() -> None:
    from bot.telegram import texts

    found = [value for value in vars(texts).values() if isinstance(value, Msg)]
    found += list(texts.COMMAND_DESCRIPTIONS.values())
    assert all(message.key.startswith("telegram.") for message in found)
    assert t("telegram.x", "y") == Msg("telegram.x", "y")


async def test_a_private_message_is_never_sent_to_a_group() -> None:
    from bot.telegram.delivery import send_messages
    from bot.telegram.outgoing import Outgoing

    class RecordingBot:
        def __init__(self) -> None:
            self.sent: list[str] = []

        async def send_message(self, chat_id: int, text: str, **_: object) -> None:
            self.sent.append(text)

    bot = RecordingBot()
    messages = [Outgoing("postcode B12 9QJ", private=True), Outgoing("invitation")]
    await send_messages(bot, -100, messages, to_group=True)  # type: ignore[arg-type]
    assert bot.sent == ["invitation"]

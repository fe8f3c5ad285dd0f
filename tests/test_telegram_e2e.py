"""The Telegram bot end to end: the real Application, over HTTP, against a fake Bot API.

Everything here is real except Telegram itself and the upstream services: the
python-telegram-bot Application (polling or webhook, AIORateLimiter, JobQueue),
the conversation engine, a SQLite file, the Rasa HTTP client (talking to a stub
Rasa), and the live representative finder (its upstreams served by respx from the
recorded fixtures). Tests wait on the fake's record of requests, never on sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

import flows.results
from bot.bidi import RLM, without_direction_marks
from bot.nlu.server import free_port
from bot.render import TRANSLATION_HEADING
from bot.settings import Settings
from bot.storage.db import create_db_engine
from bot.telegram.groups import deep_link
from bot.telegram.outgoing import letter_filename
from bot.telegram.ratelimit import PersonRateLimit
from bot.telegram.reminders import ReminderStore
from bot.telegram.texts import (
    COMMAND_DESCRIPTIONS,
    GROUP_HELP,
    GROUP_INVITE,
    PRIVATE_CHAT_BUTTON,
    RATE_LIMITED,
    TEXT_ONLY,
)
from bot.telegram.turns import runtime_of
from bot.telegram.workdays import reminder_due
from flows.case import Nation
from flows.drafts import DRAFT_TITLES, DraftKind, DraftLetter
from flows.engine import Step
from flows.languages import LANGUAGES
from flows.text import Msg, Plain
from tests.fakes.bot_api import (
    BOT_USERNAME,
    FakeBotApi,
    iter_group_texts,
)
from tests.telegram_support import (
    db_rows,
    key_of,
    press,
    prompt_text,
    running,
    say,
    shown,
    to_the_drafts,
)

# --- journeys -----------------------------------------------------------------------------


async def test_a_detained_person_writing_in_arabic_gets_the_centres_mp_and_a_draft(
        fake: FakeBotApi, settings: Settings) -> None:
    amal = fake.person(1001, "Amal", "ar")
    async with running(settings):
        question = await say(fake, amal, "/start")
        assert question.text == prompt_text(Step.PRIVACY, "ar")  # Telegram's language first
        question = await press(fake, amal, "privacy:ok", question)
        question = await say(fake, amal, "أنا محتجز في بروك هاوس")
        assert "Brook House" in question.text
        assert shown(Msg("sit.detained", "Detained"), "ar") in question.text
        question = await press(fake, amal, "confirm:yes", question)
        question = await press(fake, amal, "lawyer:no", question)
        # Arabic letters agree with the writer's gender: one tap, asked of her only.
        assert question.button_data()[:3] == ["gender:f", "gender:m", "gender:skip"]
        question = await press(fake, amal, "gender:f", question)
        question = await press(fake, amal, "postcode:skip", question)
        mark = fake.mark()
        question = await press(fake, amal, "own:reuse", question)  # her first message
        results = "\n".join(c.text for c in fake.since(mark))
        assert "Mr Sam Example" in results and "sam.example.mp@parliament.uk" in results

        mark = fake.mark()
        amal.presses("draft:centre_mp", question)
        document = (await fake.wait_for(lambda c: c.method == "sendDocument", after=mark))[0]
        after = fake.since(mark)
    name, text = document.document  # type: ignore[misc]
    assert name == letter_filename(shown(DRAFT_TITLES[DraftKind.CENTRE_MP], "ar"))
    assert "Brook House" in text and "Dear Mr Example" in text  # the English letter
    # Her own words, quoted as she wrote them and labelled for the MP's office.
    assert "In my own words, in Arabic: \u201cأنا محتجز في بروك هاوس\u201d" in text
    heading = shown(TRANSLATION_HEADING, "ar")
    translation = text.split(heading, 1)[1]  # the Arabic letter follows its heading
    assert sum("\u0600" <= ch <= "\u06ff" for ch in translation) > 100
    assert "Brook House" in translation
    letter = next(c for c in after if c.method == "sendMessage" and "<pre>" in c.params["text"])
    assert "sam.example.mp@parliament.uk" in letter.text  # who it goes to, on the screen
    assert "Dear Mr Example" in letter.params["text"].split("<pre>", 1)[1]
    assert any("<blockquote expandable>" in c.params.get("text", "") for c in after)


async def test_a_friend_writing_in_persian_gets_a_consent_letter(
        fake: FakeBotApi, settings: Settings) -> None:
    reza = fake.person(1002, "Reza", "fa")
    async with running(settings):
        question = await say(fake, reza, "/start")
        question = await press(fake, reza, "privacy:ok", question)
        question = await say(fake, reza, "برادرم در هارموندزورث بازداشت است")
        assert "Harmondsworth" in question.text
        question = await press(fake, reza, "confirm:yes", question)
        question = await press(fake, reza, "lawyer:no", question)
        assert question.text == prompt_text(Step.POSTCODE, "fa", case=_helper_case())
        question = await say(fake, reza, "WC1X 8QD")
        question = await press(fake, reza, "own:skip", question)
        assert "draft:consent" in question.button_data()
        mark = fake.mark()
        reza.presses("draft:consent", question)
        document = (await fake.wait_for(lambda c: c.method == "sendDocument", after=mark))[0]
    name, text = document.document  # type: ignore[misc]
    # Named by the letter's title in her language, not in English.
    assert name == letter_filename(shown(DRAFT_TITLES[DraftKind.CONSENT], "fa"))
    assert "LETTER OF AUTHORITY" in text
    heading = shown(Msg("consent.heading", "LETTER OF AUTHORITY"), "fa")
    assert heading in without_direction_marks(text)
    assert "Current address: Harmondsworth" in text  # the brother's facts, in English
    # The brother signs it, and it authorises the helper by name.
    assert "I also authorise [full name of the person helping]" in text


def _helper_case():  # type: ignore[no-untyped-def]
    from flows.case import Case, Relationship, Situation, Writer

    return Case(writer=Writer.HELPER, relationship=Relationship.BROTHER).with_situations(
        Situation.DETAINED)


async def test_a_group_answers_each_person_in_their_language_and_posts_nothing_personal(
        fake: FakeBotApi, settings: Settings) -> None:
    group = fake.group(-100500, "Volunteers")
    sam, tesfay = fake.person(2001, "Sam", "en"), fake.person(2002, "Tesfay", "ti")
    wahid = fake.person(2003, "Wahid", "ps-AF")
    async with running(settings):
        mark = fake.mark()
        asked = sam.says(f"/start@{BOT_USERNAME}", group)
        answer = (await fake.wait_for(lambda c: c.chat_id == group["id"], after=mark))[0]
        assert answer.text == shown(GROUP_HELP, "en")
        assert answer.params["reply_parameters"]["message_id"] == asked["message_id"]
        assert answer.buttons == [{"text": "Continue in private chat",
                                   "url": deep_link(BOT_USERNAME, "group")}]

        mark = fake.mark()
        tesfay.says(f"@{BOT_USERNAME} I was refused, my postcode is B12 9QJ", group)
        answer = (await fake.wait_for(lambda c: c.chat_id == group["id"], after=mark))[0]
        assert answer.text == shown(GROUP_INVITE, "ti") != shown(GROUP_INVITE, "en")
        assert answer.buttons[0]["text"] == shown(PRIVATE_CHAT_BUTTON, "ti")

        # In the same group, a Pashto speaker (his app says ps-AF) is answered in Pashto,
        # right to left: the answer opens with a right-to-left mark, not the bot's name.
        mark = fake.mark()
        wahid.says(f"@{BOT_USERNAME} زما ورور توقیف دی", group)
        answer = (await fake.wait_for(lambda c: c.chat_id == group["id"], after=mark))[0]
        assert answer.text == shown(GROUP_INVITE, "ps") != shown(GROUP_INVITE, "en")
        assert answer.marked_text.startswith(RLM)

        # Not addressed to the bot: no answer. A reply to the bot and /mp: an invitation.
        mark = fake.mark()
        sam.says("my brother is detained, postcode B12 9QJ", group)
        sam.says("can you help with my refusal? B12 9QJ", group, reply_to=answer.result)
        sam.says(f"/mp@{BOT_USERNAME} B12 9QJ", group)
        answers = await fake.wait_for(lambda c: c.chat_id == group["id"], after=mark, count=2)
        assert [a.text for a in answers] == [shown(GROUP_INVITE, "en")] * 2

        # The person follows the deep link: the case goes on privately, in Tigrinya.
        question = await say(fake, tesfay, "/start group")
        assert question.text == prompt_text(Step.PRIVACY, "ti")
        assert question.text != prompt_text(Step.PRIVACY, "en")

    group_text = "\n".join(iter_group_texts(fake, group["id"]))
    for private in ("B12", "9QJ", "refus", "detained", "Dear", "brother"):
        assert private not in group_text
    assert len(fake.sent_to(group["id"])) == 5
    # Nothing from the group was stored; only Tesfay's private chat was.
    stored = {row[0] for row in db_rows(settings, "conversation")}
    assert stored == {key_of(tesfay)}


async def test_forget_erases_the_conversation_and_the_reminder(
        fake: FakeBotApi, settings: Settings) -> None:
    nadia = fake.person(3001, "Nadia", "en")
    async with running(settings) as application:
        menu = await to_the_drafts(fake, nadia)
        after_draft = await press(fake, nadia, "draft:mp_case", menu)
        mark = fake.mark()
        nadia.presses("more:remind", after_draft)
        await fake.wait_for(lambda c: c.method == "sendMessage", after=mark)
        reminders = runtime_of(application).reminders
        assert reminders.scheduled(key_of(nadia)) is not None
        assert len(db_rows(settings, "reminder")) == 1 and db_rows(settings, "conversation")

        question = await say(fake, nadia, "/forget")
        assert "forget:yes" in question.button_data()
        mark = fake.mark()
        nadia.presses("forget:yes", question)
        done = await fake.wait_for(lambda c: c.method == "sendMessage", after=mark)
        assert "everything I held about you is deleted" in done[0].text
        assert reminders.scheduled(key_of(nadia)) is None
    assert db_rows(settings, "conversation") == []
    assert db_rows(settings, "reminder") == []


async def test_a_reminder_survives_a_restart_and_asks_whether_the_mp_replied(
        fake: FakeBotApi, settings: Settings) -> None:
    omar = fake.person(4001, "Omar", "en")
    asked_at = datetime.now(UTC)
    async with running(settings) as application:
        menu = await to_the_drafts(fake, omar)
        after_draft = await press(fake, omar, "draft:mp_case", menu)
        mark = fake.mark()
        omar.presses("more:remind", after_draft)
        await fake.wait_for(lambda c: c.method == "sendMessage", after=mark)
        due = runtime_of(application).reminders.scheduled(key_of(omar))
    # A London postcode: England's bank holidays.
    assert due is not None and due.date() == reminder_due(asked_at, Nation.ENGLAND).date()
    [(key, chat_id, _, _)] = db_rows(settings, "reminder")
    assert (key, chat_id) == (key_of(omar), omar.user_id)  # the opted-in chat id, keyed row

    # Twenty working days pass while the bot is down.
    store = ReminderStore(create_db_engine(settings.database_url))
    store.put(key, chat_id, datetime.now(UTC) - timedelta(hours=1))
    store.engine.dispose()
    mark = fake.mark()
    async with running(settings):
        question = await fake.wait_for_prompt(omar.user_id, after=mark)
        assert question.button_data() == ["replied:yes", "replied:no"]
        assert db_rows(settings, "reminder") == []  # sent once, then gone
        mark = fake.mark()
        omar.presses("replied:no", question)
        chaser = await fake.wait_for(lambda c: c.method == "sendDocument", after=mark)
    assert chaser[0].document[0] == letter_filename(  # type: ignore[index]
        shown(DRAFT_TITLES[DraftKind.CHASER], "en"))


async def test_a_stale_or_forged_button_is_answered_kindly(
        fake: FakeBotApi, settings: Settings) -> None:
    lina = fake.person(5001, "Lina", "en")
    async with running(settings):
        first = await say(fake, lina, "/start")
        await press(fake, lina, "privacy:ok", first)
        for data in ("privacy:ok", "x'; DROP TABLE conversation; --" + "x" * 80):
            mark = fake.mark()
            query = lina.presses(data, first.result)
            question = await fake.wait_for_prompt(lina.user_id, after=mark)
            answers = [c for c in fake.since(mark) if c.method == "answerCallbackQuery"]
            assert [a.params["callback_query_id"] for a in answers] == [query["id"]]
            stale = [c.text for c in fake.since(mark) if c.method == "sendMessage"]
            assert any("doesn't apply any more" in text for text in stale)
            assert question.text == prompt_text(Step.WHO, "en")


async def test_ticking_a_situation_updates_the_buttons_in_place(
        fake: FakeBotApi, settings: Settings) -> None:
    ali = fake.person(5002, "Ali", "en")
    async with running(settings):
        question = await say(fake, ali, "/start")
        question = await press(fake, ali, "privacy:ok", question)
        question = await press(fake, ali, "who:self", question)
        mark = fake.mark()
        ali.presses("sit:refused", question)
        edit = (await fake.wait_for(lambda c: c.method == "editMessageReplyMarkup",
                                    after=mark))[0]
        labels = [b["text"] for b in edit.buttons]
        assert "✓ Refused" in labels
        assert not [c for c in fake.since(mark) if c.method == "sendMessage"]


async def test_a_long_draft_is_split_within_telegrams_limits(
        fake: FakeBotApi, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    long_words = " ".join(f"<b>word{n}</b>&amp;" for n in range(1500))  # ~27 000 characters
    real_draft_letter = flows.results.draft_letter

    def long_draft(*args: Any) -> DraftLetter:
        letter = real_draft_letter(*args)
        return DraftLetter(letter.kind, letter.title, letter.recipient,
                           (*letter.paragraphs, Msg("test.long", "{words}",
                                                    {"words": Plain(long_words)})))

    monkeypatch.setattr(flows.results, "draft_letter", long_draft)
    hana = fake.person(6001, "Hana", "ar")
    async with running(settings):
        await say(fake, hana, "/start")
        menu = await to_the_drafts(fake, hana)
        mark = fake.mark()
        hana.presses("draft:mp_case", menu)
        await fake.wait_for(lambda c: c.method == "sendDocument", after=mark)
        sent = fake.since(mark)
    pieces = [c for c in sent if c.method == "sendMessage" and "<pre>" in c.params["text"]]
    assert len(pieces) >= 7
    assert all(len(c.text.encode("utf-16-le")) // 2 <= 4096 for c in sent if c.text)
    english = "".join(c.text.split("\n", 1)[1] for c in pieces)
    assert long_words.replace(" ", "") in english.replace(" ", "").replace("\n", "")
    assert pieces[0].text.startswith(f"(1/{len(pieces)})")
    document = next(c for c in sent if c.method == "sendDocument").document
    assert document is not None and long_words in document[1]


async def test_the_webhook_rejects_a_wrong_secret_and_processes_the_right_one(
        fake: FakeBotApi, settings: Settings) -> None:
    port = free_port()
    hooked = settings.model_copy(update={
        "webhook_url": "https://bot.example.test/telegram/hook", "webhook_listen": "127.0.0.1",
        "webhook_port": port, "webhook_secret": SecretStr("right-Secret_123")})
    rania = fake.person(7001, "Rania", "en")
    update = {"update_id": 1, "message": {
        "message_id": 1, "date": 0, "chat": rania.private_chat, "from": rania.user,
        "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
    fake.chats[rania.user_id] = rania.private_chat
    url = f"http://127.0.0.1:{port}/telegram/hook"
    async with running(hooked), httpx.AsyncClient() as client:
        assert fake.webhook["url"] == "https://bot.example.test/telegram/hook"
        assert fake.webhook["secret_token"] == "right-Secret_123"
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            refused = await client.post(url, json=update, headers=headers)
            assert refused.status_code == 403
        assert fake.sent_to(rania.user_id) == []
        accepted = await client.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "right-Secret_123"})
        assert accepted.status_code == 200
        await fake.wait_for_prompt(rania.user_id, after=0)


# PTB's own AIORateLimiter reads RetryAfter.retry_after, which PTB 22 marks as changing type.
@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
async def test_flooding_gets_one_kind_notice_and_telegrams_retry_after_is_honoured(
        fake: FakeBotApi, settings: Settings) -> None:
    yusuf = fake.person(8001, "Yusuf", "en")
    limit = PersonRateLimit(create_db_engine(settings.database_url), capacity=3,
                            per_second=0.001, notice_every=3600)
    async with running(settings, person_limit=limit):
        fake.fail_next("sendMessage", 429, retry_after=1)
        mark = fake.mark()
        for n in range(7):
            yusuf.says(f"/help {n}")
        await fake.wait_for(lambda c: c.method == "sendMessage" and c.text == shown(
            RATE_LIMITED, "en"), after=mark)
        # Three turns, each the help text and then the question (with its buttons).
        await fake.wait_for(lambda c: c.chat_id == yusuf.user_id and bool(c.buttons),
                            after=mark, count=3)
        mark_after = fake.mark()
        yusuf.says("/help again")
        yusuf.sends_photo()
        await say(fake, fake.person(8002, "Other", "en"), "/start")  # others still served
    texts = [c.text for c in fake.since(mark) if c.method == "sendMessage"]
    assert texts.count(shown(RATE_LIMITED, "en")) == 1
    assert [c for c in fake.calls if c.status == 429]  # Telegram said "retry after 1 s"…
    assert len([t for t in texts if "/language" in t]) == 3  # …and nothing was lost
    assert not [c for c in fake.since(mark_after) if c.chat_id == yusuf.user_id]


async def test_menus_are_set_per_language_and_a_photo_gets_a_kind_word(
        fake: FakeBotApi, settings: Settings) -> None:
    dawit = fake.person(9001, "Dawit", "en")
    async with running(settings):
        mark = fake.mark()
        dawit.sends_photo()
        reply = (await fake.wait_for(lambda c: c.chat_id == dawit.user_id, after=mark))[0]
        assert reply.text == shown(TEXT_ONLY, "en")
    private_ar = fake.commands[("all_private_chats", "ar")]
    assert [c["command"] for c in private_ar] == [
        "start", "help", "language", "mp", "draft", "privacy", "forget", "cancel"]
    assert without_direction_marks(private_ar[0]["description"]) == shown(
        COMMAND_DESCRIPTIONS["start"], "ar")
    assert {lang for scope, lang in fake.commands if scope == "all_group_chats"} == {
        "", *(language.code for language in LANGUAGES)}


async def test_telegram_failing_for_a_moment_still_gets_the_person_their_answer(
        fake: FakeBotApi, settings: Settings) -> None:
    """A 502 on getUpdates (long polling) and on the reply itself: the reply still comes,
    once, in order."""
    hana = fake.person(9100, "Hana", "so")
    async with running(settings):
        fake.fail_next("getUpdates", status=502)
        fake.fail_next("getUpdates", status=502)
        fake.fail_next("sendMessage", status=502)
        question = await say(fake, hana, "/start")
        assert question.text == prompt_text(Step.PRIVACY, "so")
        mark = fake.mark()
        fake.fail_next("sendMessage", status=500)
        hana.presses("privacy:ok", question)
        question = await fake.wait_for_prompt(hana.user_id, after=mark)
        assert question.text == prompt_text(Step.WHO, "so")
    sent = [c for c in fake.calls_of("sendMessage") if c.chat_id == hana.user_id]
    assert len(sent) == 2  # one privacy question, one "who needs help?": none lost or twice

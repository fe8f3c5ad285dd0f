"""Random Telegram updates through the real Application: never a crash, always kind.

Hypothesis draws batches of updates of every kind people and Telegram send — text of
any Unicode (huge, past Telegram's own limit, control and bidi characters, markup),
stickers, photos, voice notes, locations, contacts, edited and forwarded messages,
channel posts, group chatter, other bots, update types newer than our library,
button presses with random data, random commands — and pushes them through
python-telegram-bot against the local Bot API fake. After each batch: no update
failed, every private message from a person was answered, nothing was posted in a
group that did not address the bot, and the fake accepted every call (its own check:
valid HTML, limits).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.settings import Settings
from tests.fakes.bot_api import BOT_USERNAME, FakeBotApi
from tests.telegram_support import running

PEOPLE = [{"id": 5000 + n, "is_bot": False, "first_name": f"P{n}",
           "language_code": code} for n, code in enumerate(["en", "ar", "ps", None, "xx-YY"])]
ANOTHER_BOT = {"id": 5900, "is_bot": True, "first_name": "SomeBot", "username": "some_bot"}
GROUP = {"id": -100777, "type": "supergroup", "title": "Volunteers"}
CHANNEL = {"id": -100888, "type": "channel", "title": "News"}

texts = st.one_of(
    st.text(max_size=200),
    st.builds(lambda piece, n: (piece * n)[:4096], st.text(min_size=1, max_size=8),
              st.integers(400, 4096)),  # huge
    # Past Telegram's own 4 096: a Bot API server of another make, or a bug, might.
    st.builds(lambda piece, n: piece * n, st.text(min_size=1, max_size=4),
              st.integers(20_000, 100_000)),
    st.sampled_from(["<b>bold</b> & <script>", "\u202eevil\u202c", "\x00\x07\x1b[31m",
                     "/start", "/forget", "/mp B12 9QJ", "/draft", "/nonsense", "/language",
                     "B12 9QJ", "یه سوال", "", " ", f"@{BOT_USERNAME} hi"]),
)
contents = st.one_of(
    texts.map(lambda text: {"text": text}),
    st.just({"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                         "is_animated": False, "is_video": False, "type": "regular"}}),
    st.just({"photo": [{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}]}),
    st.just({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}}),
    st.just({"location": {"latitude": 51.5, "longitude": -0.1}}),
    st.just({"contact": {"phone_number": "+440000", "first_name": "X"}}),
    texts.map(lambda text: {"text": text, "forward_origin": {
        "type": "hidden_user", "sender_user_name": "Someone", "date": 1}}),
)


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    person = draw(st.sampled_from(PEOPLE))
    kind = draw(st.sampled_from(["message", "message", "message", "edited_message",
                                 "group", "channel_post", "callback_query", "unknown",
                                 "from_a_bot"]))
    if kind == "unknown":
        # An update type newer than our python-telegram-bot: it must pass unhandled.
        return {draw(st.sampled_from(["future_update", "business_message_v9"])): {
            "id": draw(st.integers(1, 10**6)), "payload": draw(st.text(max_size=50))}}
    message: dict[str, Any] = {"message_id": draw(st.integers(1, 10**6)), "date": 1,
                               "chat": {"id": person["id"], "type": "private",
                                        "first_name": person["first_name"]},
                               "from": person, **draw(contents)}
    if kind == "group":
        return {"message": {**message, "chat": GROUP}}
    if kind == "channel_post":
        message.pop("from")
        return {"channel_post": {**message, "chat": CHANNEL}}
    if kind == "from_a_bot":
        return {"message": {**message, "from": ANOTHER_BOT, "chat": GROUP}}
    if kind == "edited_message":
        return {"edited_message": {**message, "edit_date": 2}}
    if kind == "callback_query":
        return {"callback_query": {
            "id": str(draw(st.integers(1, 10**9))), "from": person, "chat_instance": "c",
            "message": {"message_id": 1, "date": 1, "chat": message["chat"], "text": "?"},
            "data": draw(st.one_of(st.text(max_size=64), st.sampled_from([
                "lang:ar", "lang:more", "privacy:ok", "who:self", "gender:f", "draft:consent",
                "draft:native.consent", "nav:forget", "forget:yes", "sit:detained"])))}}
    return {"message": message}


async def _quiet(api: FakeBotApi, seconds: float = 0.8, limit: float = 30.0) -> None:
    """Wait until the bot has sent nothing for `seconds` (it has answered everything)."""
    loop = asyncio.get_running_loop()
    started, count, since = loop.time(), len(api.calls), loop.time()
    while loop.time() - started < limit:
        await asyncio.sleep(0.1)
        if len(api.calls) != count:
            count, since = len(api.calls), loop.time()
        elif loop.time() - since >= seconds:
            return


@hypothesis_settings(max_examples=4, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(updates(), min_size=10, max_size=25))
def test_random_updates_never_fail_and_every_person_is_answered(
        batch: list[dict[str, Any]], fake: FakeBotApi,
        settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    caplog.clear()

    async def run() -> None:
        async with running(settings):
            mark = fake.mark()
            for update in batch:
                fake.push(update)
            await _quiet(fake)
            after = fake.since(mark)
            asked = {u["message"]["chat"]["id"] for u in batch
                     if "message" in u and u["message"]["chat"]["type"] == "private"}
            answered = {c.chat_id for c in after if c.method in ("sendMessage", "sendDocument")}
            assert asked <= answered, f"no answer to {asked - answered}"
            in_group = [c for c in after if c.chat_id == GROUP["id"]]
            addressed = [u for u in batch if (u.get("message", {}).get("chat") == GROUP
                         and f"@{BOT_USERNAME}" in str(u["message"].get("text", "")))
                         or (str(u.get("message", {}).get("text", "")).startswith("/")
                         and u.get("message", {}).get("chat") == GROUP)]
            assert len(in_group) <= len(addressed)
            assert not any(c.chat_id == CHANNEL["id"] for c in after)

    asyncio.run(run())
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == [], [r.getMessage() for r in failures]

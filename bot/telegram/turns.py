"""What one update does: the glue between the handlers and the conversation service.

Private chats: limit → per-person lock → ConversationService.handle → send the
replies → remember a reminder the person asked for. Groups: limit → one short
answer with a deep link (see bot.telegram.groups). Logs say what kind of update,
which kind of chat and how long it took — never who, and never what was written.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from telegram import Chat, Update, User
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, ContextTypes

from bot.conversation import ConversationService
from bot.i18n import Renderer
from bot.identity import user_key
from bot.services import Services
from bot.telegram.delivery import send_messages, settle_pressed, typing_while_slow
from bot.telegram.groups import GROUP_TYPES, group_answer
from bot.telegram.keyboards import incoming_button
from bot.telegram.outgoing import Outgoing, escape, reply_messages
from bot.telegram.ratelimit import PersonRateLimit, Verdict
from bot.telegram.reminders import Reminders
from bot.telegram.texts import RATE_LIMITED, TEXT_ONLY
from flows.events import Button, Event, ReminderDue
from flows.languages import supported
from flows.signposts import advice_nation

log = logging.getLogger(__name__)

RUNTIME_KEY = "raise_my_case"
_ANSWER_TEXT_LIMIT = 200  # Telegram's limit for a callback answer's text


class KeyedLocks:
    """One asyncio lock per person, so their turns run one at a time, in order.

    Updates are processed concurrently (one person's slow look-up doesn't hold up
    everyone else); this keeps each person's state and messages in sequence.
    Locks are dropped as soon as nobody holds or waits for them.
    """

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass
class Runtime:
    """Everything the handlers share, kept in application.bot_data."""

    services: Services
    limiter: PersonRateLimit
    reminders: Reminders
    locks: KeyedLocks
    heartbeat: Path | None = None

    @property
    def service(self) -> ConversationService:
        return self.services.conversations

    def key_for(self, user: User) -> str:
        return user_key(self.services.secret, "telegram", user.id)

    def language_for(self, key: str, user: User) -> str | None:
        """Their own choice if they made one, else their Telegram app's language."""
        return self.service.store.load(key).language or supported(user.language_code)


def runtime_of(application: Application) -> Runtime:  # type: ignore[type-arg]
    runtime = application.bot_data[RUNTIME_KEY]
    assert isinstance(runtime, Runtime)
    return runtime


async def converse(update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event) -> None:
    """One turn of a private conversation, from the person's update to the bot's replies."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != Chat.PRIVATE:
        return
    runtime = runtime_of(context.application)
    key = runtime.key_for(user)
    verdict = runtime.limiter.check(key)
    if verdict is not Verdict.ALLOW:
        if verdict is Verdict.NOTIFY:
            await _send_rate_notice(context, chat.id, runtime.language_for(key, user))
        return
    await _turn(update, context, runtime, key, event)


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: answered at once (always), then a turn like any message."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None:
        return
    runtime = runtime_of(context.application)
    key = runtime.key_for(user)
    verdict = runtime.limiter.check(key)
    notice = None
    if verdict is Verdict.NOTIFY:
        notice = Renderer(runtime.language_for(key, user)).render(RATE_LIMITED)
        notice = notice if len(notice) <= _ANSWER_TEXT_LIMIT else notice[:199] + "…"
    # Unanswered, the button keeps spinning on the person's phone.
    with contextlib.suppress(TelegramError):
        await query.answer(notice)
    if verdict is not Verdict.ALLOW or chat is None or chat.type != Chat.PRIVATE:
        return  # a group has only link buttons of ours; anything else there is ignored
    await _turn(update, context, runtime, key, Button(incoming_button(query.data)))


async def _turn(update: Update, context: ContextTypes.DEFAULT_TYPE, runtime: Runtime,
                key: str, event: Event) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    started = time.perf_counter()
    hint = supported(user.language_code)
    async with runtime.locks.hold(key):
        async with typing_while_slow(context.bot, chat.id):
            result = await runtime.service.handle(key, event, language_hint=hint)
        messages = reply_messages(result.replies, result.renderer(hint))
        if result.reminder_requested:
            # Kept before "I'll check in with you" goes out, so that message is true. Its
            # working days skip the bank holidays where the person is (held, else lives).
            runtime.reminders.remember(key, chat.id, advice_nation(result.state.case))
        if update.callback_query is not None:
            messages = await settle_pressed(update.callback_query, messages)
        await send_messages(context.bot, chat.id, messages)
    log.info("update kind=%s chat=%s took_ms=%d", type(event).__name__.lower(), chat.type,
             (time.perf_counter() - started) * 1000)


async def answer_group(update: Update, context: ContextTypes.DEFAULT_TYPE,
                       command: str | None) -> None:
    """A group message meant for the bot: one short answer in the writer's language."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None or chat.type not in GROUP_TYPES:
        return
    runtime = runtime_of(context.application)
    key = runtime.key_for(user)
    verdict = runtime.limiter.check(key)
    if verdict is Verdict.DROP:
        return
    renderer = Renderer(runtime.language_for(key, user))
    if verdict is Verdict.NOTIFY:
        answer = Outgoing(escape(renderer.render(RATE_LIMITED)))
    else:
        answer = group_answer(command, renderer, context.bot.username)
    await send_messages(context.bot, chat.id, [answer], reply_to=message.message_id,
                        to_group=True)
    log.info("update kind=group_%s chat=%s", "command" if command else "mention", chat.type)


async def ask_for_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, voice note or sticker in a private chat: only text can be read."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    runtime = runtime_of(context.application)
    key = runtime.key_for(user)
    verdict = runtime.limiter.check(key)
    if verdict is Verdict.DROP:
        return
    renderer = Renderer(runtime.language_for(key, user))
    text = RATE_LIMITED if verdict is Verdict.NOTIFY else TEXT_ONLY
    await send_messages(context.bot, chat.id, [Outgoing(escape(renderer.render(text)))])
    log.info("update kind=not_text chat=%s", chat.type)


async def send_reminder(context: CallbackContext, key: str, chat_id: int) -> None:  # type: ignore[type-arg]
    """The check-in a person asked for: the engine asks whether the MP replied."""
    runtime = runtime_of(context.application)
    async with runtime.locks.hold(key):
        result = await runtime.service.handle(key, ReminderDue())
        await send_messages(context.bot, chat_id,
                            reply_messages(result.replies, result.renderer()))


async def _send_rate_notice(context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                            language: str | None) -> None:
    text = escape(Renderer(language).render(RATE_LIMITED))
    await send_messages(context.bot, chat_id, [Outgoing(text)])

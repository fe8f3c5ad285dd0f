"""Sending prepared messages to a chat, and tidying the message whose button was pressed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

from telegram import Bot, CallbackQuery, InputFile, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from bot.telegram.outgoing import Outgoing, plain_text

log = logging.getLogger(__name__)

# Show "typing…" only when a turn is slow enough to notice (NLU, look-ups), and renew
# it before Telegram's 5-second display runs out.
TYPING_AFTER_SECONDS = 0.8
TYPING_EVERY_SECONDS = 4.5


# A reply that Telegram failed to take (a 5xx, a dropped connection) is sent again, a
# few times: a lost reply leaves a person waiting. Not a refusal (BadRequest: the same
# request fails again) and not a timeout (the message may have arrived: no duplicates).
# Flood control (RetryAfter) is python-telegram-bot's rate limiter's job.
SEND_ATTEMPTS = 3
T = TypeVar("T")


def _worth_retrying(error: BaseException) -> bool:
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest | TimedOut)


async def _with_retries(send: Callable[[], Awaitable[T]]) -> T:
    async for attempt in AsyncRetrying(
            retry=retry_if_exception(_worth_retrying), stop=stop_after_attempt(SEND_ATTEMPTS),
            wait=wait_exponential(multiplier=0.5, max=4), reraise=True):
        with attempt:
            return await send()
    raise AssertionError("unreachable: tenacity either returns or raises")


async def send_messages(bot: Bot, chat_id: int, messages: Sequence[Outgoing], *,
                        reply_to: int | None = None, to_group: bool = False) -> None:
    """Send in order; the first message replies to `reply_to` when given (groups).

    With `to_group`, a message marked private is never sent: a last line of defence
    behind the group policy, which never lets the engine's replies reach a group.
    """
    for index, message in enumerate(messages):
        if to_group and message.private:
            log.error("a private message was about to go to a group; not sent")
            continue
        reply = (ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
                 if reply_to is not None and index == 0 else None)
        if message.document is not None:
            document = message.document
            await _with_retries(lambda document=document, reply=reply: bot.send_document(
                chat_id, InputFile(document.content, filename=document.filename),
                caption=document.caption, parse_mode=ParseMode.HTML, reply_parameters=reply))
        else:
            await _send_text(bot, chat_id, message, reply)


async def _send_text(bot: Bot, chat_id: int, message: Outgoing,
                     reply: ReplyParameters | None) -> None:
    try:
        await _with_retries(lambda: bot.send_message(
            chat_id, message.text, parse_mode=ParseMode.HTML, reply_markup=message.keyboard,
            reply_parameters=reply))
    except BadRequest as error:
        if "parse" not in str(error).lower():
            raise
        # Should never happen (everything is escaped), but a person must still get
        # the words: send them without any markup.
        log.warning("HTML refused by Telegram; sent as plain text")
        await bot.send_message(chat_id, plain_text(message), parse_mode=None,
                               reply_markup=message.keyboard, reply_parameters=reply)


async def settle_pressed(query: CallbackQuery, messages: list[Outgoing]) -> list[Outgoing]:
    """Deal with the message whose button was pressed; returns what is left to send.

    When the answer is the same question with updated buttons (ticking situations),
    the buttons change in place instead of a new message. Otherwise the old buttons
    are removed, so they can't be pressed again by mistake.
    """
    pressed = query.message
    if not isinstance(pressed, Message) or pressed.reply_markup is None:
        return messages
    only = messages[0] if len(messages) == 1 else None
    if (only is not None and only.keyboard is not None and only.document is None
            and plain_text(only).strip() == (pressed.text or "").strip()):
        try:
            await query.edit_message_reply_markup(only.keyboard)
            return []
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return []
        except TelegramError:
            pass
        return messages
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
    return messages


@contextlib.asynccontextmanager
async def typing_while_slow(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    task = asyncio.create_task(_keep_typing(bot, chat_id))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _keep_typing(bot: Bot, chat_id: int) -> None:
    await asyncio.sleep(TYPING_AFTER_SECONDS)
    while True:
        with contextlib.suppress(TelegramError):
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        await asyncio.sleep(TYPING_EVERY_SECONDS)

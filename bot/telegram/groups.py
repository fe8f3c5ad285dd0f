"""Group chats: the bot answers only when spoken to, and never about a case.

Design: in a group the engine conversation does not run at all. A command, a
mention of the bot or a reply to one of its messages gets one short message, in
the language of the person who wrote (their saved choice, else their Telegram
language), with a button that opens a private chat through a deep link
(t.me/<bot>?start=<payload>). Postcodes, case facts and drafts only ever appear
in that private chat, so nothing personal is posted in a group, whatever the
engine would have said next, and nothing from the group is stored.
"""

from __future__ import annotations

import re

from telegram import Chat, Message, MessageEntity
from telegram.ext import filters

from bot.i18n import Renderer
from bot.telegram.keyboards import link_keyboard
from bot.telegram.outgoing import Outgoing, escape
from bot.telegram.texts import (
    GROUP_FORGET,
    GROUP_HELP,
    GROUP_INVITE,
    GROUP_PRIVACY,
    PRIVATE_CHAT_BUTTON,
)
from flows.events import Command, Event, Start
from flows.text import Msg

GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)

# Deep-link payloads: Telegram allows [A-Za-z0-9_-]{1,64}. Anything else is ignored.
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
PAYLOAD_FROM_GROUP = "group"
PAYLOAD_FORGET = "forget"

# What each command means in a group: the message, and where the button leads.
_GROUP_ANSWERS: dict[str, tuple[Msg, str]] = {
    "start": (GROUP_HELP, PAYLOAD_FROM_GROUP),
    "help": (GROUP_HELP, PAYLOAD_FROM_GROUP),
    "privacy": (GROUP_PRIVACY, PAYLOAD_FROM_GROUP),
    "forget": (GROUP_FORGET, PAYLOAD_FORGET),
}


class AddressedToBot(filters.MessageFilter):
    """A group message meant for the bot: it mentions the bot, or replies to the bot."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        sender = message.from_user
        if sender is None or sender.is_bot:
            return False
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None \
                and replied.from_user.id == bot.id:
            return True
        wanted = f"@{bot.username}".casefold()
        kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        found = {**message.parse_entities(kinds), **message.parse_caption_entities(kinds)}
        for entity, text in found.items():
            if entity.type == MessageEntity.MENTION and text.casefold() == wanted:
                return True
            if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None \
                    and entity.user.id == bot.id:
                return True
        return False


def deep_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username}?start={payload}"


def group_answer(command: str | None, renderer: Renderer, bot_username: str) -> Outgoing:
    """The one message a group gets: what the bot is, and a button to a private chat."""
    message, payload = _GROUP_ANSWERS.get(command or "", (GROUP_INVITE, PAYLOAD_FROM_GROUP))
    keyboard = link_keyboard(renderer.render(PRIVATE_CHAT_BUTTON),
                             deep_link(bot_username, payload))
    return Outgoing(escape(renderer.render(message)), keyboard)


def start_event(args: list[str] | None) -> Event:
    """The event a private /start stands for, from its deep-link payload (if well-formed)."""
    payload = args[0] if args and _PAYLOAD.fullmatch(args[0]) else None
    if payload == PAYLOAD_FORGET:
        return Command("forget")
    return Start(payload=payload)

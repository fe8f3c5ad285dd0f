"""The command menu, set once per language so each person sees it in theirs.

Telegram picks the list matching the person's app language (language_code) and
falls back to the one set without a language. Private chats get every command;
groups only those that make sense there (the case itself moves to a private chat).
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError

from bot.i18n import Renderer
from bot.telegram.texts import COMMAND_DESCRIPTIONS
from flows.languages import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

PRIVATE_COMMANDS = ("start", "help", "language", "mp", "draft", "privacy", "forget", "cancel")
GROUP_COMMANDS = ("start", "help", "privacy", "forget")
_DESCRIPTION_LIMIT = 256  # Telegram's


def command_menu(code: str, names: tuple[str, ...]) -> list[BotCommand]:
    renderer = Renderer(code)
    return [BotCommand(name, renderer.render(COMMAND_DESCRIPTIONS[name])[:_DESCRIPTION_LIMIT])
            for name in names]


async def set_command_menus(bot: Bot) -> bool:
    """Every language's menu for private chats and groups; False if Telegram refused any.

    A failure is logged and the bot carries on: a missing menu is an inconvenience,
    not a reason not to answer people.
    """
    scopes: tuple[tuple[BotCommandScope, tuple[str, ...]], ...] = (
        (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
        (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
    )
    ok = True
    for scope, names in scopes:
        targets: list[tuple[str, str | None]] = [(DEFAULT_LANGUAGE, None)]
        targets += [(lang.code, lang.code) for lang in LANGUAGES]
        for code, language_code in targets:
            try:
                await bot.set_my_commands(command_menu(code, names), scope=scope,
                                          language_code=language_code)
            except TelegramError as error:
                ok = False
                log.warning("command menu not set (scope=%s, language=%s): %s",
                            scope.type, code, type(error).__name__)
    return ok

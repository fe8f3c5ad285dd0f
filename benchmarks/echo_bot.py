"""A bare python-telegram-bot echo bot: the yardstick `bench_telegram` holds ours against.

Long polling, every message answered with its own text, and python-telegram-bot's
defaults for everything else (no rate limiter, one update at a time), so what it
costs is what python-telegram-bot itself costs. It reads the bot's own variables,
TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL, and stops on SIGTERM or Ctrl-C.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/bot \
        python -m benchmarks.echo_bot
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The message's own text, back to its chat."""
    if update.effective_chat and update.effective_message:
        await context.bot.send_message(update.effective_chat.id,
                                       update.effective_message.text or "?")


def main() -> None:
    builder = Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
    base_url = os.environ.get("TELEGRAM_API_BASE_URL")
    if base_url:
        builder = builder.base_url(base_url.rstrip("/"))
    application = builder.build()
    application.add_handler(MessageHandler(filters.ALL, echo))
    application.run_polling(allowed_updates=[Update.MESSAGE])


if __name__ == "__main__":
    main()

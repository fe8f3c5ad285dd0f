"""Raise My Case: `python -m bot run` (Telegram, or the terminal chat without a token),
`python -m bot chat` (always the terminal chat)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from bot.log_safety import quiet_third_party_loggers
from bot.settings import get_settings

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("command", choices=["run", "chat"], nargs="?", default="run")
    parser.add_argument("--no-nlu-server", action="store_true",
                        help="don't start the local Rasa server (use RASA_URL or buttons only)")
    args = parser.parse_args(argv)
    settings = get_settings()
    # The terminal chat shares the screen with the logs: keep them to warnings there.
    level = settings.log_level.upper() if args.command == "run" else "WARNING"
    logging.basicConfig(level=level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_third_party_loggers()
    # The operator sees when typed messages start being understood, in the chat too.
    logging.getLogger("bot.nlu.local").setLevel(logging.INFO)
    with contextlib.ExitStack() as stack:
        nlu = None
        if settings.nlu_enabled and not settings.rasa_url and not args.no_nlu_server:
            nlu = _local_nlu(settings, stack)
        if args.command == "run" and settings.telegram_bot_token:
            from bot.telegram_app import run_telegram

            run_telegram(settings, nlu=nlu)
        else:
            asyncio.run(_chat(settings, nlu))
    return 0


def _local_nlu(settings, stack: contextlib.ExitStack):  # type: ignore[no-untyped-def]
    """Rasa on RASA_PORT as soon as a model is trained; buttons for typed text until then."""
    from bot.nlu.local import GatedNlu, LocalRasa
    from bot.services import build_nlu

    local = LocalRasa(settings.rasa_port)
    local.start()
    stack.callback(local.stop)
    return GatedNlu(build_nlu(settings, auth_token=local.auth_token), local.ready)


async def _chat(settings, nlu=None) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import TerminalChat
    from bot.services import build_services

    services = build_services(settings, nlu=nlu)
    try:
        await TerminalChat(services.conversations, services.secret).run()
    finally:
        await services.aclose()


if __name__ == "__main__":
    sys.exit(main())

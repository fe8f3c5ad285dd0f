"""Raise My Case: `python -m bot run` (Telegram, or the terminal chat without a token),
`python -m bot chat` (always the terminal chat)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

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
    # httpx logs full URLs at INFO, and look-up URLs contain postcodes.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with contextlib.ExitStack() as stack:
        if settings.nlu_enabled and not settings.rasa_url and not args.no_nlu_server:
            stack.enter_context(_local_rasa(settings.rasa_port))
        if args.command == "run" and settings.telegram_bot_token:
            from bot.telegram_app import run_telegram

            run_telegram(settings)
        else:
            asyncio.run(_chat(settings))
    return 0


@contextlib.contextmanager
def _local_rasa(port: int):  # type: ignore[no-untyped-def]
    """Start the local Rasa server for the session; carry on with buttons if it can't."""
    try:
        from bot.nlu.server import RasaServer

        server = RasaServer(port=port)
        server.start()
    except Exception as error:  # noqa: BLE001 - the bot still works with buttons
        log.warning("NLU server not started (%s); continuing with buttons", error)
        yield
        return
    try:
        yield
    finally:
        server.stop()


async def _chat(settings) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import TerminalChat
    from bot.services import build_services

    services = build_services(settings)
    try:
        await TerminalChat(services.conversations, services.secret).run()
    finally:
        await services.aclose()


if __name__ == "__main__":
    sys.exit(main())

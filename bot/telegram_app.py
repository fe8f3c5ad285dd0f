"""Raise My Case on Telegram: python-telegram-bot in front of the conversation engine.

Run it with `make run` (or `python -m bot run`) and TELEGRAM_BOT_TOKEN set. It uses
long polling; with WEBHOOK_URL set it serves a webhook instead, and Telegram must
send the secret token with every request (WEBHOOK_SECRET, or one generated at each
start). TELEGRAM_API_BASE_URL points it at another Bot API server. Ctrl-C or
SIGTERM stops it cleanly; `run_telegram` returns once everything is closed.

What a person gets:
- Private chat: every message, command and button press is one turn of the shared
  conversation service (free text goes through the NLU first); choices come as
  inline buttons; drafts come as a tap-to-copy block plus a .txt file with the
  translation (bot.telegram.outgoing).
- Group chat: the bot answers only commands, mentions and replies to it, with one
  short message in the writer's language and a button to a private chat. The case
  itself never runs in a group (bot.telegram.groups).
- Languages: Telegram's app language first, then the person's own choice, which
  the engine keeps.
- Limits: PTB's AIORateLimiter keeps to Telegram's flood limits and honours
  RetryAfter; a per-person token bucket, kept in the database so that every worker
  counts against the same budget, stops floods (bot.telegram.ratelimit).
- Reminders: "Remind me" schedules a check-in 20 working days later, stored in the
  database and reloaded at startup (bot.telegram.reminders).

Logs carry update kinds, chat types and timings, never what anyone wrote or who.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.log_safety import log_failure, quiet_third_party_loggers
from bot.nlu.base import NluClient
from bot.services import Services, build_services
from bot.settings import Settings
from bot.telegram.commands import PRIVATE_COMMANDS, set_command_menus
from bot.telegram.groups import AddressedToBot, start_event
from bot.telegram.health import HEARTBEAT_EVERY_SECONDS, HEARTBEAT_FILE, beat
from bot.telegram.ratelimit import PersonRateLimit
from bot.telegram.reminders import Reminders, ReminderStore
from bot.telegram.turns import (
    RUNTIME_KEY,
    KeyedLocks,
    Runtime,
    answer_group,
    ask_for_text,
    converse,
    press,
    runtime_of,
    send_reminder,
)
from flows.events import Command, Text

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
CONCURRENT_UPDATES = 32  # one person's slow look-up must not hold up the others
POLL_TIMEOUT_SECONDS = 30
HOUSEKEEPING_EVERY_SECONDS = 6 * 3600
_WEBHOOK_SECRET_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


# --- handlers: one short function each ---------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, maybe with a deep-link payload (from a group's button, or "forget")."""
    await converse(update, context, start_event(context.args))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: what the bot does, then the current question again."""
    await converse(update, context, Command("help"))


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: choose another language."""
    await converse(update, context, Command("language"))


async def mp(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mp <postcode>: who the MP for that postcode is."""
    await converse(update, context, Command("mp", " ".join(context.args or [])))


async def draft(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/draft: the drafts that fit the case."""
    await converse(update, context, Command("draft"))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: what is kept, and for how long."""
    await converse(update, context, Command("privacy"))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget: asks to confirm, then erases everything (reminders included)."""
    await converse(update, context, Command("forget"))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel: stop and start again, keeping only the language."""
    await converse(update, context, Command("cancel"))


async def other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other command (/back, /restart…): the engine knows it or says so kindly."""
    name, argument = _split_command(update.effective_message.text or "")  # type: ignore[union-attr]
    await converse(update, context, Command(name, argument))


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text in a private chat: the NLU reads it, then the engine answers."""
    await converse(update, context, Text(update.effective_message.text or ""))  # type: ignore[union-attr]


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, voice note or sticker: kindly ask for text."""
    await ask_for_text(update, context)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: always answered; stale or odd data gets the engine's kind reply."""
    await press(update, context)


async def group_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command in a group: a short answer and a button to a private chat."""
    name, _ = _split_command(update.effective_message.text or "")  # type: ignore[union-attr]
    await answer_group(update, context, name)


async def group_mention(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A mention of the bot, or a reply to it, in a group: an invitation to a private chat."""
    await answer_group(update, context, None)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a failure by type and place only: updates and errors can hold people's words."""
    if context.error is None:  # PTB always sets it for error handlers
        log.error("update failed without an error")
        return
    log_failure(log, "update", context.error)


def register_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in one place. The first match wins, so groups come first."""
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    application.add_handlers([
        CommandHandler([*PRIVATE_COMMANDS, "back", "restart"], group_command, filters=groups),
        MessageHandler(groups & AddressedToBot(), group_mention),
        CommandHandler("start", start, filters=private),
        CommandHandler("help", help_command, filters=private),
        CommandHandler("language", language, filters=private),
        CommandHandler("mp", mp, filters=private),
        CommandHandler("draft", draft, filters=private),
        CommandHandler("privacy", privacy, filters=private),
        CommandHandler("forget", forget, filters=private),
        CommandHandler("cancel", cancel, filters=private),
        MessageHandler(private & filters.COMMAND, other_command),
        MessageHandler(private & filters.TEXT, text_message),
        MessageHandler(private, not_text),
        CallbackQueryHandler(button),
    ])
    application.add_error_handler(on_error)


# --- building and running ------------------------------------------------------------------


def build_application(settings: Settings, services: Services, *,
                      person_limit: PersonRateLimit | None = None,
                      heartbeat: Path | None = HEARTBEAT_FILE,
                      telegram_rate_limit: bool = True) -> Application:  # type: ignore[type-arg]
    """The Application, built once: token, Bot API server, flood limits, handlers.

    `telegram_rate_limit=False` leaves out AIORateLimiter. Only for load tests against a
    local Bot API server: Telegram's 30 messages a second is Telegram's policy, and with
    it 10 000 turns would measure the limiter's queue rather than the bot.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    quiet_third_party_loggers()  # before the first update can be logged
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .concurrent_updates(CONCURRENT_UPDATES)
        # Link previews cost data on basic phones and add nothing to these messages.
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
    )
    if telegram_rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if settings.telegram_api_base_url:
        base_url = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base_url)
        if base_url.endswith("/bot"):
            builder = builder.base_file_url(base_url.removesuffix("/bot") + "/file/bot")
    application = builder.build()
    if application.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        raise RuntimeError("python-telegram-bot[job-queue] is required for reminders")
    reminders = Reminders(ReminderStore(services.engine), application.job_queue, send_reminder)
    limiter = person_limit or PersonRateLimit(services.engine)
    # /forget reaches the reminders and the person's message budget too.
    services.conversations.extra_erasers += [reminders.erase, limiter.erase]
    application.bot_data[RUNTIME_KEY] = Runtime(
        services=services, limiter=limiter, reminders=reminders, locks=KeyedLocks(),
        heartbeat=heartbeat)
    register_handlers(application)
    return application


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for Updater.start_webhook: where to listen and what Telegram must send."""
    if not settings.webhook_url:
        raise ValueError("WEBHOOK_URL is not set")
    # An empty WEBHOOK_SECRET= (a blank line in .env) means "not set".
    configured = (settings.webhook_secret.get_secret_value() or None
                  if settings.webhook_secret else None)
    if configured is not None and not (
            0 < len(configured) <= 256 and set(configured) <= _WEBHOOK_SECRET_CHARS):
        raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    if configured is None:
        # Right for one worker. Workers behind one URL must share a secret: each start would
        # hand Telegram a new one, and the others would refuse every update (403).
        log.info("WEBHOOK_SECRET not set: a new secret for this run (several workers need "
                 "one, the same for all)")
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        # Without a configured secret, a fresh one each start: setWebhook hands it over.
        "secret_token": configured or secrets.token_urlsafe(32),
        "allowed_updates": ALLOWED_UPDATES,
    }


@contextlib.asynccontextmanager
async def serve(application: Application, settings: Settings) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Start receiving updates (polling or webhook) and stop everything when the block ends."""
    runtime = runtime_of(application)
    async with application:  # initialize (getMe) … shutdown
        await set_command_menus(application.bot)
        await application.start()
        try:
            _schedule_housekeeping(application, runtime)
            runtime.reminders.reload()
            if settings.webhook_url:
                await application.updater.start_webhook(**webhook_options(settings))  # type: ignore[union-attr]
            else:
                await application.updater.start_polling(  # type: ignore[union-attr]
                    timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES)
            log.info("telegram adapter running (%s)",
                     "webhook" if settings.webhook_url else "long polling")
            yield application
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()


def _schedule_housekeeping(application: Application, runtime: Runtime) -> None:  # type: ignore[type-arg]
    jobs = application.job_queue
    assert jobs is not None
    heartbeat = runtime.heartbeat
    if heartbeat is not None:
        async def _beat(_: ContextTypes.DEFAULT_TYPE) -> None:
            beat(heartbeat)

        beat(heartbeat)  # at once: a job's first run can only be scheduled after "now"
        jobs.run_repeating(_beat, interval=HEARTBEAT_EVERY_SECONDS, name="heartbeat")

    async def _purge(_: ContextTypes.DEFAULT_TYPE) -> None:
        # Conversations also expire when read, but someone who never returns must
        # not be kept past the promised 30 days either.
        purged = runtime.service.store.purge_expired()
        log.info("expired conversations purged: %d", purged)
        refilled = runtime.limiter.purge()
        log.info("full message budgets purged: %d", refilled)

    jobs.run_repeating(_purge, interval=HOUSEKEEPING_EVERY_SECONDS, first=60, name="purge")


def run_telegram(settings: Settings, *, nlu: NluClient | None = None) -> None:
    """Run the bot until Ctrl-C or SIGTERM; returns once everything is closed.

    `nlu` replaces the one the settings describe (the local, model-gated Rasa of `make run`).
    """
    try:
        asyncio.run(_run_until_stopped(settings, nlu))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were in place
        pass
    except InvalidToken:
        log.error("Telegram refused TELEGRAM_BOT_TOKEN; check it with @BotFather")
        raise SystemExit(1) from None
    except NetworkError as error:
        log.error("cannot reach the Bot API (%s); check the network or TELEGRAM_API_BASE_URL",
                  type(error).__name__)
        raise SystemExit(1) from None
    log.info("telegram adapter stopped")


async def _run_until_stopped(settings: Settings, nlu: NluClient | None) -> None:
    services = build_services(settings, nlu=nlu)
    try:
        if not settings.telegram_rate_limit:
            # Against Telegram itself this ends in flood errors: say so where it is seen.
            log.warning("TELEGRAM_RATE_LIMIT=false: no bot-wide send limit "
                        "(for a local Bot API server only)")
        application = build_application(settings, services,
                                        telegram_rate_limit=settings.telegram_rate_limit)
        stopping = asyncio.Event()
        _on_stop_signals(stopping.set)
        async with serve(application, settings):
            await stopping.wait()
    finally:
        await services.aclose()


def _on_stop_signals(stop: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    wanted = (signal.SIGINT, signal.SIGTERM)

    def handle() -> None:
        log.info("stopping…")
        stop()
        # A second Ctrl-C while shutting down interrupts at once.
        for sig in wanted:
            loop.remove_signal_handler(sig)

    for sig in wanted:
        with contextlib.suppress(NotImplementedError):  # not on Windows' default loop
            loop.add_signal_handler(sig, handle)


def _split_command(text: str) -> tuple[str, str]:
    """'/back@SomeBot  x y' -> ('back', 'x y')."""
    head, _, argument = text.strip().partition(" ")
    return head.lstrip("/").split("@", 1)[0].lower(), argument.strip()

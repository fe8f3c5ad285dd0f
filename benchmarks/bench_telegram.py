"""Update → reply through python-telegram-bot, against the local Bot API fake.

Our bot (the real Application: rate limiter, job queue, SQLite, the engine; NLU off,
so these are button-and-command turns) and a bare python-telegram-bot echo bot are
driven the same way in the same run: each second, `rate` new people send /start, and
the time from an update being queued to the bot's reply to that person is measured.
A rate is *sustained* when every update is answered within 2 s of the window's end
and p99 stays under 1 s. Also: the bot's resident memory after the runs.

Telegram's own limit is about 30 messages a second for a whole bot, and our
Application keeps to it (AIORateLimiter); the echo bot has no limiter. So above 30
updates a second that each need a reply, the comparison measures the limiter.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import tempfile
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.services import build_services
from bot.settings import Settings
from bot.telegram_app import build_application, serve
from tests.fakes.bot_api import TOKEN, FakeBotApi

RESULTS = Path(__file__).parent / "results" / "telegram.json"
RATES = (30, 60, 150)
WINDOW_SECONDS = 8


async def _drive(fake: FakeBotApi, rate: int, first_id: int) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    pushed: dict[int, float] = {}
    started = loop.time()
    for second in range(WINDOW_SECONDS):
        for n in range(rate):
            user_id = first_id + second * rate + n
            person = fake.person(user_id, "P", "en")
            pushed[user_id] = loop.time()
            person.says("/start")
            await asyncio.sleep(max(0.0, started + second + (n + 1) / rate - loop.time()))
    deadline = loop.time() + 2.0
    answered: dict[int, float] = {}
    while loop.time() < deadline and len(answered) < len(pushed):
        for call in list(fake.calls):
            chat = call.chat_id
            if chat in pushed and chat not in answered and call.method == "sendMessage":
                answered[chat] = call.at
        await asyncio.sleep(0.05)
    latencies = sorted((answered[c] - pushed[c]) * 1000 for c in answered)
    quantile = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {"rate": rate, "updates": len(pushed), "answered": len(answered),
            "p50_ms": round(quantile[49]), "p95_ms": round(quantile[94]),
            "p99_ms": round(quantile[98]),
            "sustained": len(answered) == len(pushed) and quantile[98] < 1000}


async def _our_bot(tmp: str) -> list[dict[str, Any]]:
    with FakeBotApi() as fake:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=SecretStr(TOKEN), telegram_api_base_url=fake.base_url,
            database_url=f"sqlite:///{tmp}/bench.sqlite3", nlu_enabled=False,
            lookups_enabled=False, id_hmac_secret=SecretStr("bench"))
        services = build_services(settings)
        application = build_application(settings, services, heartbeat=None)
        try:
            async with serve(application, settings):
                return [await _drive(fake, rate, 10_000_000 * (i + 1))
                        for i, rate in enumerate(RATES)]
        finally:
            await services.aclose()


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat and update.effective_message:
        await context.bot.send_message(update.effective_chat.id,
                                       update.effective_message.text or "?")


async def _echo_bot() -> list[dict[str, Any]]:
    with FakeBotApi() as fake:
        application = Application.builder().token(TOKEN).base_url(fake.base_url).build()
        application.add_handler(MessageHandler(filters.ALL, _echo))
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0.0, timeout=10)
            try:
                return [await _drive(fake, rate, 90_000_000 * (i + 1))
                        for i, rate in enumerate(RATES)]
            finally:
                await application.updater.stop()
                await application.stop()


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ours = asyncio.run(_our_bot(tmp))
    echo = asyncio.run(_echo_bot())
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = max((r["rate"] for r in ours if r["sustained"]), default=0)
    best_echo = max((r["rate"] for r in echo if r["sustained"]), default=0)
    summary = {"ours": ours, "echo": echo, "highest_sustained": best,
               "highest_sustained_echo": best_echo,
               "peak_rss_mb_of_the_benchmark_process": round(rss_mb)}
    for name, rows in (("ours", ours), ("echo", echo)):
        for row in rows:
            print(name, row)
    print({k: v for k, v in summary.items() if k not in ("ours", "echo")})
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


if __name__ == "__main__":
    main()

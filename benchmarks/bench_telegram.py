"""Update → reply through python-telegram-bot, with the bot run as deployed, Rasa in the loop.

Our bot runs as its own process, `python -m bot run`, as `make run` starts it: long
polling against the local Bot API fake (TELEGRAM_API_BASE_URL), a fresh SQLite
file, the real Rasa server with the trained model (started once here; RASA_URL and
RASA_AUTH_TOKEN), no live look-ups. A bare python-telegram-bot echo bot
(benchmarks/echo_bot.py) runs as a process of its own against the same fake, in
the same run. The fake, and the people writing, are in this process.

Every update is a new person whose first message is a held-out sentence of
nlu/tests (every language, in turn), so each needs a parse by Rasa; the time from
queuing the update to the first sendMessage to that person is its latency.

- Our bot as deployed (AIORateLimiter keeps it to Telegram's 30 messages a second):
  cold start, from the process's start to its first getUpdates and to its reply to
  a /start queued before it started; then p50/p95/p99 at 30 updates a second.
- Capacity, without Telegram's cap (TELEGRAM_RATE_LIMIT=false, a setting for a
  local Bot API server only): rates up the ladder until one is not sustained. The
  echo bot climbs the same ladder. A rate is *sustained* when every update is
  answered within DRAIN_SECONDS of the window's end, p99 stays under
  SUSTAINED_P99_MS (a queue growing through the window shows there) and, for our
  bot, no parse failed (a parse that times out is answered with buttons: quick,
  but not understood).
- Peak resident memory of each bot process (VmHWM, /proc/<pid>/status), read just
  before it is stopped.
- Per rate, where the cores went: CPU time per update of the bot process, of Rasa's
  process group (/proc/<pid>/stat) and of this process (the fake and the people),
  and the "typing…" actions sent while turns were slow (each counts against
  Telegram's 30 a second).
- The same bot also climbs a second ladder with people walking whole journeys,
  mostly buttons (benchmarks/journeys.py): the traffic a deployed bot gets.

Everything shares the machine: Rasa, the bot, the fake and the writers. The figures
are the whole loop's on it, not the bot's alone.

    python -m benchmarks.bench_telegram        (make bench runs it with the others)
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.journeys import journey_ladder
from benchmarks.processes import (
    DRAIN_SECONDS,
    SUSTAINED_P99_MS,
    BotProcess,
    TimedBotApi,
    cpu_seconds,
    group_cpu_seconds,
    log_tail,
)
from bot.nlu.server import REPO_ROOT, RasaServer, find_model, free_port, stop_servers_on_sigterm
from bot.nlu.training_files import language_files, read_examples
from bot.settings import Settings
from flows.languages import supported
from tests.fakes.bot_api import TOKEN, FakeBotApi

RESULTS = Path(__file__).parent / "results" / "telegram.json"
JOURNEY_IDS = 10_000_000  # user ids kept for the journeys' people
DEPLOYED_RATE = 30  # updates a second: Telegram's bot-wide limit on what a bot sends
# Low rungs too: with Rasa in the loop the bot can be slower than 30 a second on a small
# machine, and "0" would hide by how much.
LADDER = (10, 20, 30, 45, 60, 100, 150, 200, 300)
WINDOW_SECONDS = 5.0
# At the rate the targets name, a longer window: 300 updates make p99 the 3rd-slowest.
WINDOW_SECONDS_AT_30 = 10.0
WARM_UP = 20  # updates at WARM_UP_RATE before any figure: first parses, pools, caches
WARM_UP_RATE = 10
START_TIMEOUT_SECONDS = 90.0  # a cold start on a busy 2-core machine, with room
STOP_TIMEOUT_SECONDS = 15.0
TARGETS = {"p99_ms_at_30": 150, "highest_sustained": 150, "ratio": 0.5, "peak_rss_mb": 150}


def held_out_messages() -> list[tuple[str, str | None]]:
    """(text, phone language) of every held-out sentence, the languages taking turns."""
    by_language = [[(e.text, supported(e.language)) for e in read_examples(path)]
                   for path in language_files()]
    by_language = [examples for examples in by_language if examples]
    if not by_language:
        raise SystemExit("no held-out sentences in nlu/tests")
    longest = max(len(examples) for examples in by_language)
    return [examples[n % len(examples)] for n in range(longest) for examples in by_language]


class Writers:
    """New people, each sending one held-out sentence; ids never repeat within a run."""

    def __init__(self, fake: TimedBotApi, rasa_pid: int | None) -> None:
        self.fake = fake
        self.rasa_pid = rasa_pid
        self.messages = held_out_messages()
        self.next_id = 100_000_000

    def send(self, rate: float, count: int) -> tuple[dict[int, float], float]:
        """`count` messages at `rate` a second; when each was queued, and how long it took."""
        queued: dict[int, float] = {}
        started = time.monotonic()
        for n in range(count):
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            user_id, self.next_id = self.next_id, self.next_id + 1
            text, language = self.messages[user_id % len(self.messages)]
            queued[user_id] = time.monotonic()
            self.fake.person(user_id, "P", language).says(text)
        return queued, time.monotonic() - started

    def wait_for_replies(self, queued: dict[int, float], bot: BotProcess,
                         within: float) -> dict[int, float]:
        """Latency in ms of each update answered within `within` seconds from now."""
        deadline = time.monotonic() + within
        replies = self.fake.first_reply_at
        while time.monotonic() < deadline and not all(user in replies for user in queued):
            bot.check_alive()
            time.sleep(0.02)
        return {user: (replies[user] - at) * 1000 for user, at in queued.items()
                if user in replies}

    def rasa_cpu_seconds(self) -> float:
        return group_cpu_seconds(self.rasa_pid) if self.rasa_pid is not None else 0.0

    def warm_up(self, bot: BotProcess) -> None:
        queued, _ = self.send(WARM_UP_RATE, WARM_UP)
        self.wait_for_replies(queued, bot, within=30.0)

    def rate(self, bot: BotProcess, rate: int) -> dict[str, Any]:
        """One rung: `rate` updates a second for the window; latency and whether it held."""
        count = round(rate * (WINDOW_SECONDS_AT_30 if rate == DEPLOYED_RATE else WINDOW_SECONDS))
        failures_before = bot.nlu_failures()
        typing_before = self.fake.typing
        cpu_before = (cpu_seconds(bot.process.pid), self.rasa_cpu_seconds(),
                      time.process_time())
        queued, took = self.send(rate, count)
        latencies = sorted(self.wait_for_replies(queued, bot, within=DRAIN_SECONDS).values())
        failures = bot.nlu_failures() - failures_before
        bot_cpu = cpu_seconds(bot.process.pid) - cpu_before[0]
        rasa_cpu = self.rasa_cpu_seconds() - cpu_before[1]
        here_cpu = time.process_time() - cpu_before[2]
        # Inclusive: with a hundred samples, exclusive quantiles reach past the slowest.
        cuts = (statistics.quantiles(latencies, n=100, method="inclusive")
                if len(latencies) > 1 else [0.0] * 99)
        p99 = cuts[98]
        return {
            "rate": rate,
            "offered_per_second": round(count / took, 1),
            "updates": count,
            "answered": len(latencies),
            "p50_ms": round(cuts[49]), "p95_ms": round(cuts[94]), "p99_ms": round(p99),
            "max_ms": round(latencies[-1]) if latencies else None,
            "nlu_failures": failures,
            # Where the two cores went, per update: the bot process, and Rasa's.
            "bot_cpu_ms_each": round(bot_cpu * 1000 / count, 1),
            "rasa_cpu_ms_each": round(rasa_cpu * 1000 / count, 1),
            # The fake Bot API and the people writing, in this process: the same cores.
            "fake_and_people_cpu_ms_each": round(here_cpu * 1000 / count, 1),
            # "typing…" shown while a turn is slow: it counts against Telegram's 30 a second.
            "typing_actions": self.fake.typing - typing_before,
            "sustained": len(latencies) == count and p99 <= SUSTAINED_P99_MS and failures == 0,
        }

    def ladder(self, bot: BotProcess) -> list[dict[str, Any]]:
        """Up the ladder until a rate is not sustained (those above it would not be either)."""
        rungs = []
        for rate in LADDER:
            rung = self.rate(bot, rate)
            print(f"  {bot.name:<14} {rung}", flush=True)
            rungs.append(rung)
            if not rung["sustained"]:
                break
        return rungs


def environment(fake: FakeBotApi, **settings: str) -> dict[str, str]:
    """This process's environment without any of the bot's settings, then `settings`.

    A developer's own TELEGRAM_BOT_TOKEN or WEBHOOK_URL must not reach the benchmark.
    """
    env = {name: value for name, value in os.environ.items()
           if name.lower() not in Settings.model_fields}
    path = os.environ.get("PYTHONPATH")
    env["PYTHONPATH"] = f"{REPO_ROOT}{os.pathsep}{path}" if path else str(REPO_ROOT)
    env["TELEGRAM_BOT_TOKEN"] = TOKEN
    env["TELEGRAM_API_BASE_URL"] = fake.base_url
    env.update({name.upper(): value for name, value in settings.items()})
    return env


@contextmanager
def running(name: str, command: Sequence[str], env: dict[str, str],
            workdir: Path) -> Iterator[BotProcess]:
    """A bot process (its log in `workdir`), stopped with SIGTERM when the block ends."""
    log_path = workdir / f"{name.replace('/', '-')}.log"
    with log_path.open("wb") as log:
        started = time.monotonic()
        # The working directory is the bot's data/ place and where it would read a .env:
        # a temporary one, so the repo's own are neither read nor written.
        process = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT)
        bot = BotProcess(name, process, log_path, started)
        try:
            yield bot
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def measure_cold_start(fake: TimedBotApi, bot: BotProcess, user_id: int) -> dict[str, float]:
    """Seconds from the process's start to its first getUpdates, and to the /start reply."""
    deadline = bot.started_at + START_TIMEOUT_SECONDS
    while user_id not in fake.first_reply_at:
        bot.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{bot.name}: no reply {START_TIMEOUT_SECONDS:.0f} s after "
                               f"starting:\n{log_tail(bot.log_path)}")
        time.sleep(0.01)
    assert fake.first_poll_at is not None
    return {"first_get_updates_s": round(fake.first_poll_at - bot.started_at, 2),
            "first_reply_s": round(fake.first_reply_at[user_id] - bot.started_at, 2)}


def run_bot(fake: TimedBotApi, writers: Writers, name: str, command: Sequence[str],
            env: dict[str, str], workdir: Path, *, ladder: bool,
            journeys: bool = False) -> dict[str, Any]:
    """Start one bot with a /start already waiting, then its rates; its figures."""
    fake.first_poll_at = None
    user_id, writers.next_id = writers.next_id, writers.next_id + 1
    fake.person(user_id, "P", "en").says("/start")
    with running(name, command, env, workdir) as bot:
        figures: dict[str, Any] = {"cold_start": measure_cold_start(fake, bot, user_id),
                                   "rss_after_start_mb": bot.memory_mb("VmRSS")}
        print(f"  {name:<14} cold start {figures['cold_start']}", flush=True)
        writers.warm_up(bot)
        if ladder:
            rungs = writers.ladder(bot)
            figures["ladder"] = rungs
            figures["highest_sustained"] = highest_sustained(rungs)
        else:
            figures["at_30"] = writers.rate(bot, DEPLOYED_RATE)
            print(f"  {name:<14} {figures['at_30']}", flush=True)
        if journeys:
            first_id, writers.next_id = writers.next_id, writers.next_id + JOURNEY_IDS
            walks = journey_ladder(fake, bot, writers.rasa_pid, first_id)
            figures["journeys"] = walks
            figures["journeys_highest_sustained"] = highest_sustained(walks)
        figures["peak_rss_mb"] = bot.memory_mb()
        figures["nlu_failures_in_all"] = bot.nlu_failures()
    return figures


def highest_sustained(rungs: list[dict[str, Any]]) -> int:
    return max((rung["rate"] for rung in rungs if rung["sustained"]), default=0)


def run(rasa: RasaServer) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, TimedBotApi() as fake:
        workdir = Path(tmp)
        writers = Writers(fake, rasa.pid)
        ours = [sys.executable, "-m", "bot", "run"]

        def our_env(database: str, **extra: str) -> dict[str, str]:
            return environment(
                fake, database_url=f"sqlite:///{workdir / database}", rasa_url=rasa.url,
                rasa_auth_token=rasa.auth_token, lookups_enabled="false", **extra)

        deployed = run_bot(fake, writers, "ours/deployed", ours, our_env("deployed.sqlite3"),
                           workdir, ladder=False)
        capacity = run_bot(fake, writers, "ours/capacity", ours,
                           our_env("capacity.sqlite3", telegram_rate_limit="false"),
                           workdir, ladder=True, journeys=True)
        echo = run_bot(fake, writers, "echo", [sys.executable, "-m", "benchmarks.echo_bot"],
                       environment(fake), workdir, ladder=True)
        refused = dict(fake.refused)
    echo_best = echo["highest_sustained"]
    ratio = capacity["highest_sustained"] / echo_best if echo_best else None
    journeys_ratio = capacity["journeys_highest_sustained"] / echo_best if echo_best else None
    return {
        "measured_on": date.today().isoformat(),
        "updates": "new people, each one held-out sentence of nlu/tests (all languages)",
        "sustained_means": f"all answered within {DRAIN_SECONDS:.0f} s of the window, "
                           f"p99 <= {SUSTAINED_P99_MS:.0f} ms, no parse failed",
        "ours_deployed": deployed,
        "ours_capacity": capacity,
        "echo": echo,
        "throughput_ratio": round(ratio, 2) if ratio is not None else None,
        "journeys_throughput_ratio": (round(journeys_ratio, 2) if journeys_ratio is not None
                                      else None),
        "peak_rss_mb": max(deployed["peak_rss_mb"], capacity["peak_rss_mb"]),
        "calls_refused_by_the_fake": refused,
    }


def summary(results: dict[str, Any]) -> str:
    deployed, capacity, echo = (results[k] for k in ("ours_deployed", "ours_capacity", "echo"))
    at_30 = deployed["at_30"]
    echo_30 = next((rung for rung in echo["ladder"] if rung["rate"] == DEPLOYED_RATE), None)

    def verdict(value: float | None, target: float, floor: bool) -> str:
        if value is None:
            return "no figure"
        return "ok" if (value >= target if floor else value <= target) else "NOT MET"

    rows = [
        ("p50 / p95 / p99 at 30/s, ours as deployed",
         f"{at_30['p50_ms']} / {at_30['p95_ms']} / {at_30['p99_ms']} ms",
         verdict(at_30["p99_ms"], TARGETS["p99_ms_at_30"], False)),
        ("p50 / p95 / p99 at 30/s, echo bot",
         f"{echo_30['p50_ms']} / {echo_30['p95_ms']} / {echo_30['p99_ms']} ms"
         if echo_30 else "not reached (a lower rate was not sustained)", ""),
        ("highest sustained, ours, first messages only (no Telegram cap)",
         f"{capacity['highest_sustained']}/s",
         verdict(capacity["highest_sustained"], TARGETS["highest_sustained"], True)),
        ("highest sustained, ours, people walking journeys",
         f"{capacity['journeys_highest_sustained']}/s",
         verdict(capacity["journeys_highest_sustained"], TARGETS["highest_sustained"], True)),
        ("highest sustained, echo bot", f"{echo['highest_sustained']}/s", ""),
        ("ours / echo", str(results["throughput_ratio"]),
         verdict(results["throughput_ratio"], TARGETS["ratio"], True)),
        ("ours / echo, journeys", str(results["journeys_throughput_ratio"]),
         verdict(results["journeys_throughput_ratio"], TARGETS["ratio"], True)),
        ("bot peak RSS", f"{results['peak_rss_mb']} MB (echo {echo['peak_rss_mb']} MB)",
         verdict(results["peak_rss_mb"], TARGETS["peak_rss_mb"], False)),
        ("cold start: first getUpdates / first reply",
         f"{deployed['cold_start']['first_get_updates_s']} / "
         f"{deployed['cold_start']['first_reply_s']} s (echo "
         f"{echo['cold_start']['first_get_updates_s']} / "
         f"{echo['cold_start']['first_reply_s']} s)", ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}  {mark}".rstrip() for name, value, mark in rows)


def main(rasa: RasaServer | None = None) -> dict[str, Any]:
    """`rasa`: a server already started (make bench shares one); else one is started here."""
    if rasa is None:
        with RasaServer(port=free_port(), model=find_model()) as own:
            results = run(own)
    else:
        results = run(rasa)
    print(summary(results))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    stop_servers_on_sigterm()  # SIGTERM unwinds: Rasa and the bot processes are stopped
    main()

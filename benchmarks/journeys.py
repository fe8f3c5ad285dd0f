"""Update → answer with people walking whole journeys: the traffic a deployed bot gets.

bench_telegram's ladder sends every update as a new person's first message, so each
one needs a parse by Rasa: the worst case for the NLU. People in a conversation mostly
tap buttons (a basic phone, patchy signal), and a postcode or a date typed at its own
question is read without the NLU. Here people walk the journeys of the load test
(tests/visitors.py): /start, their language, the privacy note, who needs help, their
situation typed in their own words (a held-out sentence), then each question's answer,
a button or their postcode typed out, then the letters.

The load is a closed loop, as people are: each person reads the answer for
THINK_SECONDS before the next message, so `rate` updates a second need `rate` ×
THINK_SECONDS people at once. A person who has sent JOURNEY_MESSAGES (or meets a
question they can't answer) leaves, and a new one arrives in their place. The latency
of an update runs from queuing it to the *end* of its answer (the question the person
waits for), not to the first message of the answer.

A rate is sustained when, as for bench_telegram's ladder, every update sent in the
window is answered within DRAIN_SECONDS of its end, p99 stays under SUSTAINED_P99_MS
and no parse failed; and, the loop being closed (a slow bot slows its people down),
the people managed at least MIN_OFFERED_SHARE of the rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Iterator
from typing import Any

from benchmarks.processes import (
    DRAIN_SECONDS,
    SUSTAINED_P99_MS,
    BotProcess,
    TimedBotApi,
    cpu_seconds,
    group_cpu_seconds,
)
from tests.fakes.bot_api import Call
from tests.visitors import TYPED, Inbox, Visitor, cast, send_next

JOURNEY_LADDER = (30, 45, 60, 100, 150, 200)
THINK_SECONDS = 2.0  # reading the answer and tapping: quick, for a phone
JOURNEY_MESSAGES = 10  # as in the load test: to the letters
WINDOW_SECONDS = 10.0
MIN_OFFERED_SHARE = 0.9
CAST_AT_ONCE = 500  # new people are cast in batches (one read of the held-out files each)


class People:
    """An endless supply of new people, user ids never repeating within a run."""

    def __init__(self, fake: TimedBotApi, first_id: int) -> None:
        self._fake = fake
        self._next_id = first_id
        self._batch: Iterator[Visitor] = iter(())
        self._seed = 0

    def next(self) -> Visitor:
        visitor = next(self._batch, None)
        if visitor is None:
            self._seed += 1
            self._batch = iter(cast(self._fake, CAST_AT_ONCE, self._next_id, self._seed))
            self._next_id += CAST_AT_ONCE
            visitor = next(self._batch)
        return visitor


class Rung:
    """What one rate's people sent and got: latencies, the unanswered, what was typed."""

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.unanswered = 0
        self.typed = 0
        self.sent = 0


async def _person_slot(people: People, inbox: Inbox, rung: Rung, starts_after: float,
                       window_ends: float) -> None:
    """One place in the crowd: a person walks their journey; when they leave, a new one
    comes. Nothing new is sent after the window, but the last answer is waited for."""
    await asyncio.sleep(starts_after)
    while time.monotonic() < window_ends:
        visitor = people.next()
        question: Call | None = None
        for _ in range(JOURNEY_MESSAGES):
            if time.monotonic() >= window_ends:
                return
            try:
                sent = send_next(visitor, question)
            except AssertionError:
                break  # a question this walker can't answer: the person leaves
            rung.sent += 1
            rung.typed += sent.kind == TYPED
            within = max(window_ends - time.monotonic(), 0.0) + DRAIN_SECONDS
            answer = await inbox.answer_after(visitor.person.user_id, sent.at, within)
            if answer is None:
                rung.unanswered += 1
                break
            rung.latencies_ms.append((answer.at - sent.at) * 1000)
            question = answer if answer.buttons else None
            await asyncio.sleep(THINK_SECONDS)


async def _rung(people: People, inbox: Inbox, rate: int) -> Rung:
    crowd = round(rate * THINK_SECONDS)
    rung = Rung()
    started = time.monotonic()
    window_ends = started + WINDOW_SECONDS
    # The crowd arrives spread over one think time, so the rate is even from the start.
    await asyncio.gather(*(_person_slot(people, inbox, rung, n * THINK_SECONDS / crowd,
                                        window_ends) for n in range(crowd)))
    return rung


def _figures(rate: int, rung: Rung, bot_cpu: float, rasa_cpu: float,
             here_cpu: float, failures: int) -> dict[str, Any]:
    latencies = sorted(rung.latencies_ms)
    cuts = (statistics.quantiles(latencies, n=100, method="inclusive")
            if len(latencies) > 1 else [0.0] * 99)
    offered = rung.sent / WINDOW_SECONDS
    return {
        "rate": rate,
        "offered_per_second": round(offered, 1),
        "updates": rung.sent,
        "answered": len(latencies),
        "typed_share": round(rung.typed / rung.sent, 2) if rung.sent else None,
        "p50_ms": round(cuts[49]), "p95_ms": round(cuts[94]), "p99_ms": round(cuts[98]),
        "max_ms": round(latencies[-1]) if latencies else None,
        "nlu_failures": failures,
        "bot_cpu_ms_each": round(bot_cpu * 1000 / max(rung.sent, 1), 1),
        "rasa_cpu_ms_each": round(rasa_cpu * 1000 / max(rung.sent, 1), 1),
        "fake_and_people_cpu_ms_each": round(here_cpu * 1000 / max(rung.sent, 1), 1),
        "sustained": (rung.unanswered == 0 and len(latencies) == rung.sent
                      and cuts[98] <= SUSTAINED_P99_MS and failures == 0
                      and offered >= MIN_OFFERED_SHARE * rate),
    }


async def _ladder(fake: TimedBotApi, bot: BotProcess, rasa_pgid: int | None,
                  first_id: int) -> list[dict[str, Any]]:
    inbox = Inbox(fake, asyncio.get_running_loop())
    people = People(fake, first_id)
    rungs = []
    for rate in JOURNEY_LADDER:
        failures_before = bot.nlu_failures()
        bot_before = cpu_seconds(bot.process.pid)
        rasa_before = group_cpu_seconds(rasa_pgid) if rasa_pgid else 0.0
        here_before = time.process_time()
        rung = await _rung(people, inbox, rate)
        rasa_cpu = (group_cpu_seconds(rasa_pgid) - rasa_before) if rasa_pgid else 0.0
        figures = _figures(rate, rung, cpu_seconds(bot.process.pid) - bot_before,
                           rasa_cpu, time.process_time() - here_before,
                           bot.nlu_failures() - failures_before)
        print(f"  {bot.name + ' journeys':<14} {figures}", flush=True)
        rungs.append(figures)
        bot.check_alive()
        if not figures["sustained"]:
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(inbox.quiet(1.0), DRAIN_SECONDS)  # the last answers
    return rungs


def journey_ladder(fake: TimedBotApi, bot: BotProcess, rasa_pgid: int | None,
                   first_id: int) -> list[dict[str, Any]]:
    """Up JOURNEY_LADDER until a rate is not sustained; each rung's figures."""
    return asyncio.run(_ladder(fake, bot, rasa_pgid, first_id))

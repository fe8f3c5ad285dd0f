"""Conversation turns without the network: engine + SQLite + rendering.

Measures what a person on a slow phone waits for beyond the NLU and the look-ups:
the p50/p99 time of one turn through ConversationService on a real SQLite file,
the size of a stored conversation row, the size of the biggest rendered message,
and peak Python memory for a batch of conversations.

Targets (checked and printed, not asserted in tests): p99 turn < 50 ms, stored row
< 8 KiB, biggest message < 4096 characters (one Telegram message).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from bot.conversation import ConversationService
from bot.i18n import Renderer
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.render import render_say
from bot.storage.conversations import ConversationStore
from bot.storage.db import create_db_engine
from flows.events import Button, Event, Start, Text
from flows.replies import Say

RESULTS = Path(__file__).parent / "results"
PEOPLE = 50
JOURNEY: tuple[Event, ...] = (
    Start(),
    Button("lang:ar"),
    Button("privacy:ok"),
    Button("who:other"),
    Button("rel:brother"),
    Button("sit:detained"),
    Button("sit:removal"),
    Button("sit:done"),
    Button("lawyer:no"),  # asked first for a removal
    Button("centre:brook_house"),
    Button("when:72h"),
    Text("B12 9QJ"),
    Button("own:skip"),
    Button("draft:helper_mp"),
    Button("draft:consent"),
    Button("more:who_else"),
)


async def _run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{tmp}/bench.sqlite3")
        service = ConversationService(
            ConversationStore(engine, timedelta(days=30)), NoNlu(), OfflineFinder()
        )
        timings: list[float] = []
        longest = 0
        tracemalloc.start()
        for person in range(PEOPLE):
            for event in JOURNEY:
                started = time.perf_counter()
                result = await service.handle(f"person-{person}", event)
                timings.append((time.perf_counter() - started) * 1000)
                renderer = Renderer(result.language)
                for reply in result.replies:
                    if isinstance(reply, Say):
                        longest = max(longest, len(render_say(reply, renderer).text))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        with engine.connect() as connection:
            row_bytes = connection.execute(
                text("select max(length(state_json)) from conversation")
            ).scalar_one()
        engine.dispose()
    quantiles = statistics.quantiles(timings, n=100)
    return {
        "turns": len(timings),
        "turn_p50_ms": round(quantiles[49], 2),
        "turn_p99_ms": round(quantiles[98], 2),
        "max_state_row_bytes": int(row_bytes),
        "longest_message_chars": longest,
        "peak_python_mib": round(peak / 2**20, 1),
    }


def main() -> dict[str, float]:
    figures = asyncio.run(_run())
    checks = {
        "turn_p99_ms": (figures["turn_p99_ms"], 50),
        "max_state_row_bytes": (figures["max_state_row_bytes"], 8192),
        "longest_message_chars": (figures["longest_message_chars"], 4096),
    }
    for name, value in figures.items():
        target = checks.get(name)
        verdict = (
            ""
            if target is None
            else ("  ok" if target[0] < target[1] else f"  OVER target {target[1]}")
        )
        print(f"{name:>24}: {value}{verdict}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "engine.json").write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()

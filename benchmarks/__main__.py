"""Runs every benchmark in turn; `make bench` calls this.

A benchmark that fails is reported and the others still run; the exit status
says whether all of them ran. The NLU and Telegram benchmarks share one Rasa
server (its start takes a minute), started when the first of them needs it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from benchmarks import bench_engine, bench_language, bench_nlu, bench_telegram
from bot.nlu.server import RasaServer, stop_servers_on_sigterm


class SharedRasa:
    """One Rasa server for the benchmarks that need one, started at the first ask."""

    def __init__(self) -> None:
        self._started: tuple[RasaServer, float] | None = None

    def get(self) -> tuple[RasaServer, float]:
        if self._started is None:
            self._started = bench_nlu.started_server()
        return self._started

    def stop(self) -> None:
        if self._started is not None:
            self._started[0].stop()


def main() -> int:
    stop_servers_on_sigterm()
    rasa = SharedRasa()
    benchmarks: dict[str, Callable[[], object]] = {
        "engine": bench_engine.main,
        "language": bench_language.main,
        "nlu": lambda: bench_nlu.main(rasa.get()),
        "telegram": lambda: bench_telegram.main(rasa.get()[0]),
    }
    failed = []
    try:
        for name, run in benchmarks.items():
            print(f"== {name} ==", flush=True)
            try:
                run()
            except Exception:  # noqa: BLE001 - one broken benchmark must not hide the rest
                traceback.print_exc()
                failed.append(name)
    finally:
        rasa.stop()
    if failed:
        print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

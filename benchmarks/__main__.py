"""Runs every benchmark in turn; `make bench` calls this.

A benchmark that fails is reported and the others still run; the exit status
says whether all of them ran.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from benchmarks import bench_engine, bench_language, bench_nlu, bench_telegram
from bot.nlu.server import stop_servers_on_sigterm

BENCHMARKS: dict[str, Callable[[], object]] = {
    "engine": bench_engine.main,
    "language": bench_language.main,
    "nlu": bench_nlu.main,
    "telegram": bench_telegram.main,
}


def main() -> int:
    stop_servers_on_sigterm()
    failed = []
    for name, run in BENCHMARKS.items():
        print(f"== {name} ==", flush=True)
        try:
            run()
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the rest
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

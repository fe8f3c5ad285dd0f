"""Liveness for container health checks: the bot touches a file, the check reads its age.

A polling bot has no port to probe; a heartbeat written by a JobQueue job shows the
event loop is alive and scheduling. `python -m bot.telegram.health` exits 0 when
the heartbeat is fresh, 1 otherwise (the Docker HEALTHCHECK).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.settings import DATA_DIR

HEARTBEAT_FILE = DATA_DIR / "heartbeat"
HEARTBEAT_EVERY_SECONDS = 30.0
STALE_AFTER_SECONDS = 120.0


def beat(path: Path = HEARTBEAT_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{time.time():.0f}\n", encoding="ascii")


def is_fresh(path: Path = HEARTBEAT_FILE, max_age: float = STALE_AFTER_SECONDS) -> bool:
    try:
        return time.time() - path.stat().st_mtime <= max_age
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else HEARTBEAT_FILE
    return 0 if is_fresh(path) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Logging a failure without its message.

Exception text can carry personal data: an SQL error quotes the row it failed to
write, an HTTP error its URL (and URLs carry postcodes), a KeyError the key. The
type and where it was raised are enough to find a bug, so that is all that is
logged.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

# Innermost first; past a few frames the chain is framework plumbing.
MAX_FRAMES = 6


def where(error: BaseException) -> str:
    """Where `error` was raised: 'file.py:12 function < file.py:40 caller', innermost first."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    return " < ".join(f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"
                      for frame in reversed(frames[-MAX_FRAMES:]))


def log_failure(logger: logging.Logger, what: str, error: BaseException,
                level: int = logging.ERROR) -> None:
    """Log that `what` failed, with the error's type and place, never its message."""
    logger.log(level, "%s failed: %s at %s", what, type(error).__name__, where(error))


# Libraries whose own debug and info logs carry what people send or our secrets:
# python-telegram-bot logs whole updates (message text, names, Telegram ids), httpx and
# httpcore log URLs (the bot token, postcodes), apscheduler logs job names (user keys).
THIRD_PARTY_LOGGERS = ("telegram", "httpx", "httpcore", "apscheduler")


def quiet_third_party_loggers() -> None:
    """Keep those libraries to warnings, whatever LOG_LEVEL the operator chose."""
    for name in THIRD_PARTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)

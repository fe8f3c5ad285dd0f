"""A per-person limit against floods and abuse: a token bucket per user key.

Telegram's own flood limits are PTB's AIORateLimiter's job; this one protects the
bot (NLU, look-ups, the database) and the groups it sits in from one person
sending hundreds of messages. Someone over the limit is told once per window, in
their language, and the rest is dropped quietly until the bucket refills.

The buckets are rows in the database (bot.storage.rate_buckets), so with several
workers behind a load balancer a person has one budget, not one per worker. Each
check reads the bucket and writes it back with a compare-and-set; a check that lost
to another worker's reads again. Rows of buckets that are full again are purged
(housekeeping), and /forget erases the person's row (registered as an eraser).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from enum import Enum

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.log_safety import log_failure
from bot.storage.rate_buckets import Bucket, RateBucketStore
from bot.storage.versioned import WriteConflict

log = logging.getLogger(__name__)

# Each lost compare-and-set means another check of the same person's was counted, so
# this many losses in a row take a flood of that many messages at once: the one in hand
# is then dropped, the same as over the limit.
CHECK_ATTEMPTS = 8


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # over the limit: tell the person (once per window)
    DROP = "drop"  # over the limit, already told


class PersonRateLimit:
    """`capacity` messages at once, refilled at `per_second`; one notice per `notice_every`.

    `clock` gives seconds since the epoch: a wall clock, since workers on several machines
    share the buckets (a monotonic clock means something else on each machine).
    """

    def __init__(self, engine: Engine, capacity: int = 20, per_second: float = 0.5,
                 notice_every: float = 60.0, clock: Callable[[], float] = time.time) -> None:
        self.store = RateBucketStore(engine)
        self.capacity = capacity
        self.per_second = per_second
        self.notice_every = notice_every
        self._clock = clock

    def check(self, key: str) -> Verdict:
        try:
            for _ in range(CHECK_ATTEMPTS):
                now = self._clock()
                verdict, bucket = self._take(self.store.get(key), now)
                try:
                    self.store.put(key, bucket)
                except WriteConflict:
                    continue
                return verdict
        except SQLAlchemyError as error:
            # The limit guards the bot; it must not silence people when the database
            # fails. The turn that follows meets the same failure and apologises kindly.
            log_failure(log, "rate limit check", error, level=logging.WARNING)
            return Verdict.ALLOW
        return Verdict.DROP

    def erase(self, key: str) -> None:
        """For /forget: the person's bucket goes with everything else."""
        self.store.erase(key)

    def purge(self) -> int:
        """Delete the buckets that are full again (no different from none); returns how many."""
        return self.store.purge_full(self._clock())

    def _take(self, stored: Bucket | None, now: float) -> tuple[Verdict, Bucket]:
        """The verdict for one message, and the bucket to write back."""
        bucket = stored or Bucket(float(self.capacity), now)
        # A clock that stepped back (another machine's, or an adjustment) refills nothing.
        elapsed = max(0.0, now - bucket.updated)
        tokens = min(float(self.capacity), bucket.tokens + elapsed * self.per_second)
        noticed_at = bucket.noticed_at
        if tokens >= 1.0:
            tokens -= 1.0
            verdict = Verdict.ALLOW
        elif noticed_at is None or now - noticed_at >= self.notice_every:
            noticed_at = now
            verdict = Verdict.NOTIFY
        else:
            verdict = Verdict.DROP
        full_at = (now + (self.capacity - tokens) / self.per_second
                   if self.per_second > 0 else None)
        return verdict, replace(bucket, tokens=tokens, updated=now, noticed_at=noticed_at,
                                full_at=full_at)

"""A per-person limit against floods and abuse: a token bucket per user key.

Telegram's own flood limits are PTB's AIORateLimiter's job; this one protects the
bot (NLU, look-ups, the database) and the groups it sits in from one person
sending hundreds of messages. Someone over the limit is told once per window, in
their language, and the rest is dropped quietly until the bucket refills.

Kept in memory, per process: with several workers behind a load balancer each
worker counts on its own, so the effective limit is up to N times higher. That is
acceptable for abuse protection; a shared store (Redis, the database) would be the
next step if it ever is not.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # over the limit: tell the person (once per window)
    DROP = "drop"  # over the limit, already told


@dataclass
class _Bucket:
    tokens: float
    updated: float
    noticed_at: float | None = None


class PersonRateLimit:
    """`capacity` messages at once, refilled at `per_second`; one notice per `notice_every`."""

    def __init__(self, capacity: int = 20, per_second: float = 0.5,
                 notice_every: float = 60.0, max_people: int = 50_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self.notice_every = notice_every
        self.max_people = max_people
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def check(self, key: str) -> Verdict:
        now = self._clock()
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.capacity), now)
        # Most recently seen last; the oldest is forgotten first (it would be full again).
        self._buckets[key] = bucket
        if len(self._buckets) > self.max_people:
            self._buckets.popitem(last=False)
        bucket.tokens = min(float(self.capacity),
                            bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Verdict.ALLOW
        if bucket.noticed_at is None or now - bucket.noticed_at >= self.notice_every:
            bucket.noticed_at = now
            return Verdict.NOTIFY
        return Verdict.DROP

"""People's message budgets (bot.telegram.ratelimit) in the database, shared by every worker.

Read, then written back with a compare-and-set (bot.storage.versioned), so two workers
taking from one person's budget at once both count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.storage.db import erase_person
from bot.storage.models import RateBucketRow
from bot.storage.versioned import read_row, write_versioned


@dataclass(frozen=True)
class Bucket:
    tokens: float
    updated: float  # seconds since the epoch
    noticed_at: float | None = None
    full_at: float | None = None  # when it will be full again; None: never
    version: int | None = None  # as read; None: no row yet


class RateBucketStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> Bucket | None:
        row = read_row(self.engine, RateBucketRow, key)
        if row is None:
            return None
        return Bucket(row.tokens, row.updated, row.noticed_at, row.full_at, row.version)

    def put(self, key: str, bucket: Bucket) -> None:
        """Write `bucket` over the one read as `bucket.version`; WriteConflict if it changed."""
        write_versioned(self.engine, RateBucketRow, key, bucket.version, {
            "tokens": bucket.tokens, "updated": bucket.updated,
            "noticed_at": bucket.noticed_at, "full_at": bucket.full_at})

    def erase(self, key: str) -> None:
        erase_person(self.engine, RateBucketRow, key)

    def purge_full(self, now: float) -> int:
        """Delete the buckets that are full again by `now`; returns how many went."""
        with Session(self.engine) as session:
            result = session.exec(delete(RateBucketRow).where(  # type: ignore[call-overload]
                RateBucketRow.full_at <= now))  # type: ignore[operator]
            session.commit()
            return int(result.rowcount)

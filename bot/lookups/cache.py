"""The look-up cache: SQLite (or PostgreSQL) rows shared by all users.

Three jobs:
- keep upstream answers for a time that suits each kind of data (`CacheKind`);
- when an upstream is down, serve the last answer marked stale rather than nothing;
- collapse concurrent identical requests into one upstream call (single-flight).

Privacy: a row's key is a keyed hash of (kind, query), so the table never holds a
postcode in clear. Callers store public data only (areas, members), never the
postcode itself nor anything about the person who asked.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.lookups.errors import UpstreamError
from bot.storage.models import LookupCacheRow

logger = logging.getLogger(__name__)

# Bump when a payload's format changes: old rows then simply stop matching.
PAYLOAD_VERSION = "1"
# A fetch that got only part of its data is kept briefly, so the next person retries.
PARTIAL_TTL = timedelta(minutes=15)
PURGE_EVERY = timedelta(hours=6)
# After a failed refresh, serve the stale copy straight away for a while instead of
# making every person wait through the retries of an upstream that is down.
FAILURE_COOLDOWN = timedelta(seconds=60)
MAX_COOLDOWNS = 1000

Json = Any
Clock = Callable[[], datetime]


class CacheKind(Enum):
    """What is cached, for how long it is fresh, and how old it may be when served stale."""

    # Postcode areas change only with the quarterly ONS postcode directory.
    POSTCODE = ("postcode", timedelta(days=30), timedelta(days=365))
    SCOTTISH_POSTCODE = ("scottish_postcode", timedelta(days=30), timedelta(days=365))
    OUTCODE = ("outcode", timedelta(days=30), timedelta(days=365))
    # Members change with by-elections, resignations and party switches.
    MP = ("mp", timedelta(days=1), timedelta(days=30))
    DEVOLVED = ("devolved", timedelta(days=1), timedelta(days=30))
    TWFY = ("twfy", timedelta(days=1), timedelta(days=30))
    # Ministers change in reshuffles, sometimes in an afternoon (F11).
    MINISTERS = ("ministers", timedelta(hours=4), timedelta(days=14))

    def __init__(self, label: str, ttl: timedelta, max_stale: timedelta) -> None:
        self.label = label
        self.ttl = ttl
        self.max_stale = max_stale


@dataclass(frozen=True)
class Cached:
    payload: Json
    stale: bool = False  # an expired copy, served because the upstream failed
    partial: bool = False  # the upstream answered only in part; nothing better was kept


class PartialResult(Exception):
    """Raised by a fetch that got only part of its data.

    The cache then prefers an older complete copy (served stale); with none, it
    keeps the partial payload for PARTIAL_TTL and returns it marked partial.
    """

    def __init__(self, payload: Json) -> None:
        super().__init__("partial result")
        self.payload = payload


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # Stored aware; older sqlmodel releases hand SQLite datetimes back naive (UTC).
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class LookupCache:
    def __init__(self, engine: Engine, *, secret: bytes | None = None,
                 now: Clock = _utcnow) -> None:
        self._engine = engine
        # With a secret the keys are HMACs: a plain hash of a postcode can be
        # reversed by hashing all 1.8 million postcodes.
        self._secret = secret
        self._now = now
        self._flights: dict[str, asyncio.Future[Cached]] = {}
        self._cooldown_until: dict[str, datetime] = {}
        self._last_purge: datetime | None = None

    def key(self, kind: CacheKind, query: str) -> str:
        material = f"{PAYLOAD_VERSION}\x1f{kind.label}\x1f{query}".encode()
        if self._secret:
            return hmac.new(self._secret, material, hashlib.sha256).hexdigest()
        return hashlib.sha256(material).hexdigest()

    async def get_or_fetch(
        self,
        kind: CacheKind,
        query: str,
        fetch: Callable[[], Awaitable[Json]],
        *,
        ttl_for: Callable[[Json], timedelta] | None = None,
    ) -> Cached:
        """A fresh cached payload, else one fetched (once, however many ask), else a stale one.

        `ttl_for` lets a payload shorten its own freshness (a "no such postcode"
        answer, say). Raises the fetch's UpstreamError only when there is no usable
        copy at all.
        """
        key = self.key(kind, query)
        flight = self._flights.get(key)
        if flight is None:
            # The flight covers the read as well as the fetch: a caller whose read
            # raced a finishing fetch would otherwise start a second one.
            flight = asyncio.ensure_future(self._resolve(key, kind, fetch, ttl_for))
            self._flights[key] = flight
            flight.add_done_callback(lambda done: self._land(key, done))
        # shield: one waiter giving up must not cancel the call the others wait for.
        return await asyncio.shield(flight)

    async def _resolve(self, key: str, kind: CacheKind,
                       fetch: Callable[[], Awaitable[Json]],
                       ttl_for: Callable[[Json], timedelta] | None) -> Cached:
        row = await self._read(key)
        now = _utc(self._now())
        if row is not None and _utc(row.fresh_until) > now:
            logger.debug("cache hit kind=%s", kind.label)
            return Cached(json.loads(row.payload_json))
        if self._cooling_down(key, now):
            stale = self._usable_stale(kind, row)
            if stale is not None:
                return stale
        logger.debug("cache miss kind=%s", kind.label)
        return await self._refresh(key, kind, fetch, row, ttl_for)

    def _land(self, key: str, flight: asyncio.Future[Cached]) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]

    def _cooling_down(self, key: str, now: datetime) -> bool:
        until = self._cooldown_until.get(key)
        if until is None:
            return False
        if until <= now:
            del self._cooldown_until[key]
            return False
        return True

    def _start_cooldown(self, key: str) -> None:
        now = _utc(self._now())
        if len(self._cooldown_until) >= MAX_COOLDOWNS:
            self._cooldown_until = {k: t for k, t in self._cooldown_until.items() if t > now}
        if len(self._cooldown_until) < MAX_COOLDOWNS:
            self._cooldown_until[key] = now + FAILURE_COOLDOWN

    async def _refresh(self, key: str, kind: CacheKind,
                       fetch: Callable[[], Awaitable[Json]],
                       row: LookupCacheRow | None,
                       ttl_for: Callable[[Json], timedelta] | None) -> Cached:
        try:
            payload = await fetch()
        except PartialResult as partial:
            stale = self._usable_stale(kind, row)
            if stale is not None:
                self._start_cooldown(key)
                return stale
            await self._write(key, kind, partial.payload, PARTIAL_TTL)
            return Cached(partial.payload, partial=True)
        except UpstreamError as error:
            self._start_cooldown(key)
            stale = self._usable_stale(kind, row)
            if stale is None:
                raise
            logger.warning("serving stale kind=%s because %s failed", kind.label,
                           error.source)
            return stale
        await self._write(key, kind, payload, ttl_for(payload) if ttl_for else kind.ttl)
        return Cached(payload)

    def _usable_stale(self, kind: CacheKind, row: LookupCacheRow | None) -> Cached | None:
        if row is None or _utc(row.fetched_at) < _utc(self._now()) - kind.max_stale:
            return None
        return Cached(json.loads(row.payload_json), stale=True)

    async def _read(self, key: str) -> LookupCacheRow | None:
        try:
            return await asyncio.to_thread(self._read_sync, key)
        except SQLAlchemyError as exc:
            # A broken cache must not break the look-up: carry on as a miss.
            logger.error("cache read failed: %s", type(exc).__name__)
            return None

    def _read_sync(self, key: str) -> LookupCacheRow | None:
        with Session(self._engine) as session:
            row = session.get(LookupCacheRow, key)
            if row is not None:
                session.expunge(row)
            return row

    async def _write(self, key: str, kind: CacheKind, payload: Json,
                     ttl: timedelta) -> None:
        now = _utc(self._now())
        row = LookupCacheRow(key=key, kind=kind.label,
                             payload_json=json.dumps(payload, separators=(",", ":")),
                             fetched_at=now, fresh_until=now + ttl)
        purge = self._last_purge is None or now - self._last_purge > PURGE_EVERY
        if purge:
            self._last_purge = now
        try:
            await asyncio.to_thread(self._write_sync, row, now if purge else None)
        except SQLAlchemyError as exc:
            logger.error("cache write failed: %s", type(exc).__name__)

    def _write_sync(self, row: LookupCacheRow, purge_at: datetime | None) -> None:
        with Session(self._engine) as session:
            session.merge(row)
            if purge_at is not None:
                self._purge(session, purge_at)
            session.commit()

    @staticmethod
    def _purge(session: Session, now: datetime) -> None:
        """Drop rows too old to serve even stale; the table stays bounded."""
        for kind in CacheKind:
            session.exec(  # type: ignore[call-overload]
                delete(LookupCacheRow).where(
                    LookupCacheRow.kind == kind.label,  # type: ignore[arg-type]
                    LookupCacheRow.fetched_at < now - kind.max_stale,  # type: ignore[arg-type]
                )
            )

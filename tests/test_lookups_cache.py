"""LookupCache against a real SQLite file: hit, miss, stale, partial, single-flight, privacy."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest

from bot.lookups.cache import FAILURE_COOLDOWN, PARTIAL_TTL, CacheKind, LookupCache, PartialResult
from bot.lookups.errors import UpstreamTimeout, UpstreamUnavailable
from bot.storage.db import create_db_engine

POSTCODE = "B12 9QJ"




class Upstream:
    """A fetch that counts its calls and answers what it is told to."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def __call__(self) -> object:
        self.calls += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer




@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cache.sqlite3"


@pytest.fixture
def cache(db_path, clock) -> LookupCache:
    return LookupCache(create_db_engine(f"sqlite:///{db_path}"), secret=b"test-secret",
                       now=clock)


async def test_a_miss_fetches_and_a_hit_does_not(cache):
    upstream = Upstream({"constituency": "Birmingham Ladywood"})
    first = await cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, upstream)
    second = await cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, upstream)
    assert first.payload == second.payload == {"constituency": "Birmingham Ladywood"}
    assert not first.stale and not second.stale
    assert upstream.calls == 1


async def test_an_expired_entry_is_refreshed(cache, clock):
    upstream = Upstream({"mp": "old"}, {"mp": "new"})
    await cache.get_or_fetch(CacheKind.MINISTERS, "home-office", upstream)
    clock.advance(CacheKind.MINISTERS.ttl + timedelta(minutes=1))
    refreshed = await cache.get_or_fetch(CacheKind.MINISTERS, "home-office", upstream)
    assert refreshed.payload == {"mp": "new"} and not refreshed.stale
    assert upstream.calls == 2


async def test_when_the_upstream_is_down_the_expired_copy_is_served_stale(cache, clock):
    upstream = Upstream({"mp": "known"}, UpstreamUnavailable("members-api", "HTTP 500"))
    await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    clock.advance(CacheKind.MP.ttl + timedelta(hours=1))
    served = await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    assert served.payload == {"mp": "known"}
    assert served.stale


async def test_with_nothing_cached_the_upstream_error_reaches_the_caller(cache):
    upstream = Upstream(UpstreamTimeout("postcodes.io", "timed out"))
    with pytest.raises(UpstreamTimeout):
        await cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, upstream)


async def test_a_copy_older_than_the_kind_allows_is_not_served(cache, clock):
    upstream = Upstream({"minister": "long gone"}, UpstreamUnavailable("members-api", "down"))
    await cache.get_or_fetch(CacheKind.MINISTERS, "home-office", upstream)
    clock.advance(CacheKind.MINISTERS.max_stale + timedelta(days=1))
    with pytest.raises(UpstreamUnavailable):
        await cache.get_or_fetch(CacheKind.MINISTERS, "home-office", upstream)


async def test_after_a_failure_stale_is_served_without_calling_again_for_a_while(cache, clock):
    upstream = Upstream({"mp": "known"}, UpstreamUnavailable("members-api", "down"))
    await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    clock.advance(CacheKind.MP.ttl + timedelta(minutes=1))
    await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    assert upstream.calls == 2
    again = await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    assert again.stale and upstream.calls == 2  # no third wait on a dead upstream
    clock.advance(FAILURE_COOLDOWN + timedelta(seconds=1))
    await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    assert upstream.calls == 3


async def test_concurrent_identical_requests_make_one_upstream_call(cache):
    calls = 0
    release = asyncio.Event()

    async def slow_fetch() -> dict[str, str]:
        nonlocal calls
        calls += 1
        await release.wait()
        return {"constituency": "Sevenoaks"}

    waiting = [asyncio.create_task(cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, slow_fetch))
               for _ in range(10)]
    await asyncio.sleep(0.05)
    release.set()
    results = await asyncio.gather(*waiting)
    assert calls == 1
    assert {r.payload["constituency"] for r in results} == {"Sevenoaks"}


async def test_one_waiter_giving_up_does_not_cancel_the_shared_call(cache):
    release = asyncio.Event()

    async def slow_fetch() -> dict[str, int]:
        await release.wait()
        return {"answer": 42}

    impatient = asyncio.create_task(cache.get_or_fetch(CacheKind.MP, "x", slow_fetch))
    patient = asyncio.create_task(cache.get_or_fetch(CacheKind.MP, "x", slow_fetch))
    await asyncio.sleep(0.01)
    impatient.cancel()
    release.set()
    assert (await patient).payload == {"answer": 42}


async def test_a_partial_answer_is_kept_briefly_and_marked(cache, clock):
    upstream = Upstream(PartialResult({"mp": "no email"}), {"mp": "complete"})
    first = await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    assert first.partial and first.payload == {"mp": "no email"}
    clock.advance(PARTIAL_TTL + timedelta(seconds=1))
    second = await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    assert second.payload == {"mp": "complete"} and not second.partial


async def test_a_partial_answer_never_replaces_an_older_complete_one(cache, clock):
    upstream = Upstream({"mp": "complete"}, PartialResult({"mp": "no email"}))
    await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    clock.advance(CacheKind.MP.ttl + timedelta(minutes=1))
    served = await cache.get_or_fetch(CacheKind.MP, "crawley", upstream)
    assert served.payload == {"mp": "complete"} and served.stale


async def test_a_payload_can_shorten_its_own_freshness(cache, clock):
    upstream = Upstream({"status": "unknown"}, {"status": "found"})
    def one_day(payload):
        return timedelta(days=1)
    await cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, upstream, ttl_for=one_day)
    clock.advance(timedelta(days=2))
    again = await cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, upstream, ttl_for=one_day)
    assert again.payload == {"status": "found"}


async def test_the_database_never_holds_the_postcode_in_clear(cache, db_path):
    upstream = Upstream({"constituency": "Birmingham Ladywood"})
    await cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, upstream)
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT key, kind, payload_json FROM lookup_cache").fetchall()
    dumped = repr(rows) + db_path.read_bytes().decode("latin-1")
    assert len(rows) == 1
    for spelling in (POSTCODE, POSTCODE.replace(" ", ""), POSTCODE.lower()):
        assert spelling not in dumped
    assert len(rows[0][0]) == 64  # a hex digest


def test_keys_depend_on_the_secret_so_they_cannot_be_rebuilt_from_a_postcode_list(db_path):
    engine = create_db_engine(f"sqlite:///{db_path}")
    with_secret = LookupCache(engine, secret=b"one").key(CacheKind.POSTCODE, POSTCODE)
    other_secret = LookupCache(engine, secret=b"two").key(CacheKind.POSTCODE, POSTCODE)
    assert with_secret != other_secret
    assert LookupCache(engine).key(CacheKind.POSTCODE, POSTCODE) != with_secret


async def test_rows_too_old_to_serve_are_purged(cache, clock, db_path):
    await cache.get_or_fetch(CacheKind.MINISTERS, "home-office", Upstream({"old": True}))
    clock.advance(CacheKind.MINISTERS.max_stale + timedelta(days=1))
    await cache.get_or_fetch(CacheKind.POSTCODE, POSTCODE, Upstream({"new": True}))
    with sqlite3.connect(db_path) as db:
        kinds = [k for (k,) in db.execute("SELECT kind FROM lookup_cache")]
    assert kinds == ["postcode"]


def test_a_cached_representative_keeps_every_field_a_letter_needs() -> None:
    """A member served from the cache is greeted as Parliament says, like a fresh one."""
    from bot.lookups.codec import dump_representative, load_representative
    from flows.representatives import Contact, Representative, Role

    member = Representative(role=Role.MP, name="Ms Diane Abbott", area="Hackney North",
                            party="Independent", address_as="Ms Abbott",
                            contact=Contact(email="x@parliament.uk"), interests=("Housing",))
    assert load_representative(dump_representative(member)) == member

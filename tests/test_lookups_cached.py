"""cached_fetch, the one way a look-up reads a source: cached, fetched, stale, or None.

Recorded postcodes.io answers served by respx over a real SQLite cache.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
import respx

from bot.lookups.cache import CacheKind, LookupCache, PartialResult
from bot.lookups.cached import cached_fetch, complete_or_partial
from bot.lookups.postcodes import PostcodesClient
from bot.storage.db import create_db_engine
from tests.lookup_support import load

POSTCODES = "https://postcodes.test"
POSTCODE = "WC1X 8QD"


@pytest.fixture
def cache(tmp_path, clock) -> LookupCache:
    return LookupCache(create_db_engine(f"sqlite:///{tmp_path / 'cache.sqlite3'}"),
                       secret=b"test", now=clock)


@pytest.fixture
def postcodes(http) -> PostcodesClient:
    return PostcodesClient(http, POSTCODES)


def postcode_fetch(postcodes: PostcodesClient) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def fetch() -> dict[str, Any]:
        return (await postcodes.lookup(POSTCODE)).to_json()
    return fetch


async def test_a_cached_value_is_served_without_a_request(cache, postcodes):
    with respx.mock as router:
        route = router.get(f"{POSTCODES}/postcodes/WC1X8QD").respond(
            200, json=load("postcodes_io_postcode_england_WC1X8QD.json"))
        first = await cached_fetch(cache, CacheKind.POSTCODE, POSTCODE, postcode_fetch(postcodes))
        again = await cached_fetch(cache, CacheKind.POSTCODE, POSTCODE, postcode_fetch(postcodes))
    assert route.call_count == 1
    assert first is not None and again is not None
    assert again.payload == first.payload and not again.stale
    assert again.payload["facts"]["constituency"] == "Holborn and St Pancras"


async def test_an_upstream_error_with_nothing_cached_is_none_logged_by_kind_only(
        cache, postcodes, caplog):
    caplog.set_level(logging.DEBUG)
    with respx.mock as router:
        router.get(f"{POSTCODES}/postcodes/WC1X8QD").respond(500, text=f"no {POSTCODE} here")
        found = await cached_fetch(cache, CacheKind.POSTCODE, POSTCODE, postcode_fetch(postcodes))
    assert found is None  # the caller decides what the person gets instead
    assert "postcode unavailable: UpstreamUnavailable from postcodes.io" in caplog.text
    for text in ("WC1X 8QD", "WC1X8QD", "WC1X"):
        assert text not in caplog.text


async def test_an_upstream_error_after_expiry_serves_the_old_copy_marked_stale(
        cache, postcodes, clock, caplog):
    with respx.mock as router:
        router.get(f"{POSTCODES}/postcodes/WC1X8QD").respond(
            200, json=load("postcodes_io_postcode_england_WC1X8QD.json"))
        fresh = await cached_fetch(cache, CacheKind.POSTCODE, POSTCODE, postcode_fetch(postcodes))
    clock.advance(CacheKind.POSTCODE.ttl + timedelta(days=1))
    with respx.mock as router:
        router.get(f"{POSTCODES}/postcodes/WC1X8QD").respond(503)
        stale = await cached_fetch(cache, CacheKind.POSTCODE, POSTCODE, postcode_fetch(postcodes))
    assert fresh is not None and stale is not None
    assert stale.stale and stale.payload == fresh.payload
    assert "unavailable" not in caplog.text  # an old answer is an answer


async def test_a_payload_can_shorten_its_own_freshness(cache, postcodes, clock):
    with respx.mock as router:
        route = router.get(f"{POSTCODES}/outcodes/BR8").respond(
            200, json=load("postcodes_io_outcode.json"))

        async def fetch() -> list[str]:
            return list(await postcodes.outcode_constituencies("BR8") or ())

        await cached_fetch(cache, CacheKind.OUTCODE, "BR8", fetch,
                           ttl_for=lambda _: timedelta(hours=1))
        clock.advance(timedelta(hours=2))
        refreshed = await cached_fetch(cache, CacheKind.OUTCODE, "BR8", fetch)
    assert route.call_count == 2
    assert refreshed is not None and refreshed.payload == ["Sevenoaks", "Orpington"]


async def test_an_incomplete_payload_is_kept_marked_partial(cache):
    async def fetch() -> dict[str, bool]:
        return complete_or_partial({"found": True}, complete=False)

    found = await cached_fetch(cache, CacheKind.MP, "holborn and st pancras", fetch)
    assert found is not None and found.partial and found.payload == {"found": True}


def test_a_complete_payload_is_returned_as_it_is():
    assert complete_or_partial({"a": 1}, complete=True) == {"a": 1}
    with pytest.raises(PartialResult):
        complete_or_partial({"a": 1}, complete=False)

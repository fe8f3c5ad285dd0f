"""JsonClient: bounded retries, Retry-After, timeouts and garbage, served by respx.

Sleeps are recorded instead of slept, so the tests are instant and can assert how
long the bot would have waited.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import respx

from bot.lookups.errors import (
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from bot.lookups.http import JsonClient, parse_retry_after
from tests.lookup_support import RecordedSleeps

URL = "https://api.postcodes.test/postcodes/SW1A2AA"
POSTCODE_IN_URL = "SW1A2AA"


@pytest.fixture
async def client(sleeps: RecordedSleeps):
    http = JsonClient(timeout_seconds=1.0, sleep=sleeps)
    yield http
    await http.aclose()


async def test_a_5xx_is_retried_and_the_next_answer_used(client, sleeps):
    with respx.mock:
        route = respx.get(URL).mock(side_effect=[
            httpx.Response(502), httpx.Response(200, json={"status": 200, "result": True})])
        body = await client.get_json(URL, source="postcodes.io")
    assert body == {"status": 200, "result": True}
    assert route.call_count == 2
    assert len(sleeps.waits) == 1 and 0 < sleeps.waits[0] <= 1.0


async def test_a_persistent_500_gives_up_after_three_attempts(client, sleeps):
    with respx.mock:
        route = respx.get(URL).mock(return_value=httpx.Response(500))
        with pytest.raises(UpstreamUnavailable) as raised:
            await client.get_json(URL, source="postcodes.io")
    assert route.call_count == 3
    assert len(sleeps.waits) == 2
    assert sleeps.waits[1] >= sleeps.waits[0] * 0.5  # exponential, with jitter
    assert "500" in str(raised.value)


async def test_a_429_waits_as_long_as_retry_after_says_when_that_is_short(client, sleeps):
    with respx.mock:
        route = respx.get(URL).mock(side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(200, json={"ok": 1})])
        assert await client.get_json(URL, source="members-api") == {"ok": 1}
    assert route.call_count == 2
    assert sleeps.waits == [2.0]


async def test_a_long_retry_after_fails_at_once_instead_of_sleeping_52_minutes(client, sleeps):
    with respx.mock:
        route = respx.get(URL).mock(
            return_value=httpx.Response(429, headers={"Retry-After": "3123"}))
        with pytest.raises(UpstreamRateLimited) as raised:
            await client.get_json(URL, source="members-api")
    assert route.call_count == 1
    assert sleeps.waits == []
    assert raised.value.retry_after == 3123


async def test_a_503_with_a_long_retry_after_also_fails_fast(client, sleeps):
    with respx.mock:
        respx.get(URL).mock(return_value=httpx.Response(503, headers={"Retry-After": "600"}))
        with pytest.raises(UpstreamUnavailable):
            await client.get_json(URL, source="members-api")
    assert sleeps.waits == []


async def test_timeouts_are_retried_then_reported_as_a_timeout(client):
    with respx.mock:
        route = respx.get(URL).mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(UpstreamTimeout):
            await client.get_json(URL, source="postcodes.io")
    assert route.call_count == 3


async def test_a_connection_error_is_an_unavailable_upstream(client):
    with respx.mock:
        respx.get(URL).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(UpstreamUnavailable):
            await client.get_json(URL, source="postcodes.io")


async def test_garbage_instead_of_json_is_a_bad_response_and_not_retried(client):
    with respx.mock:
        route = respx.get(URL).mock(return_value=httpx.Response(
            200, text="<html>Just a moment...</html>", headers={"content-type": "text/html"}))
        with pytest.raises(UpstreamBadResponse):
            await client.get_json(URL, source="members-api")
    assert route.call_count == 1


async def test_a_404_keeps_the_body_that_explains_it(client):
    with respx.mock:
        respx.get(URL).mock(return_value=httpx.Response(
            404, json={"status": 404, "error": "Invalid postcode"}))
        with pytest.raises(UpstreamNotFound) as raised:
            await client.get_json(URL, source="postcodes.io")
    assert raised.value.body == {"status": 404, "error": "Invalid postcode"}


async def test_other_4xx_are_rejections_and_not_retried(client):
    with respx.mock:
        route = respx.get(URL).mock(return_value=httpx.Response(403))
        with pytest.raises(UpstreamRejected) as raised:
            await client.get_json(URL, source="theyworkforyou")
    assert route.call_count == 1
    assert raised.value.status == 403


async def test_logs_and_errors_never_contain_the_url(client, caplog):
    caplog.set_level(logging.DEBUG)
    with respx.mock:
        respx.get(URL).mock(side_effect=[httpx.ReadTimeout("slow"), httpx.Response(500),
                                         httpx.Response(500)])
        with pytest.raises(UpstreamUnavailable) as raised:
            await client.get_json(URL, source="postcodes.io")
    assert POSTCODE_IN_URL not in caplog.text
    assert POSTCODE_IN_URL not in str(raised.value)
    assert "postcodes.io" in caplog.text


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True),
                             now=now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True),
                             now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None

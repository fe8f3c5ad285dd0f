"""One shared HTTP client for every upstream: JSON in, specific errors out.

A person is waiting in a chat while this runs, so everything is bounded: a short
timeout per request, at most a few attempts, backoff measured in seconds, and a
`Retry-After` honoured only when it is short. A long one (the Members API has
been seen asking for 52 minutes) fails at once so the caller can serve its cache.

Nothing here logs a URL: URLs carry postcodes. Logs say which source, which
status, how long.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from bot.lookups.errors import (
    UpstreamBadResponse,
    UpstreamError,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)

logger = logging.getLogger(__name__)

USER_AGENT = "raise-my-case/0.1 (open-source bot; representative look-ups)"
MAX_ATTEMPTS = 3
BACKOFF_INITIAL_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 4.0
# Longest Retry-After we wait for inside a conversation; anything longer fails fast.
RETRY_AFTER_CAP_SECONDS = 5.0
# Upstreams (the Members API behind Cloudflare especially) throttle bursts; a few
# requests in flight per host is plenty for a chat bot.
PER_HOST_CONCURRENCY = 4

Sleep = Callable[[float], Awaitable[None]]


class _Transient(Exception):
    """A failure worth another attempt; carries the error to raise if none is left."""

    def __init__(self, error: UpstreamError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit() alone accepts "¹"
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class JsonClient:
    """GET JSON with bounded retries. One instance is shared by all sources."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        client: httpx.AsyncClient | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        backoff_initial: float = BACKOFF_INITIAL_SECONDS,
        backoff_max: float = BACKOFF_MAX_SECONDS,
        retry_after_cap: float = RETRY_AFTER_CAP_SECONDS,
        per_host_concurrency: int = PER_HOST_CONCURRENCY,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )
        self._max_attempts = max_attempts
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._retry_after_cap = retry_after_cap
        self._per_host_concurrency = per_host_concurrency
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._sleep = sleep
        # httpx logs every request URL at INFO; ours carry postcodes (and
        # python-telegram-bot's carry the bot token). Keep that logger quiet.
        logging.getLogger("httpx").setLevel(logging.WARNING)

    async def get_json(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """The decoded JSON body of a 2xx answer, or a specific UpstreamError."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    number = attempt.retry_state.attempt_number
                    return await self._attempt(url, source, params, headers, number)
        except _Transient as failure:
            raise failure.error from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def aclose(self) -> None:
        await self._client.aclose()

    def _wait(self, state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome is not None else None
        if isinstance(failure, _Transient) and failure.retry_after is not None:
            return failure.retry_after
        # Exponential with jitter, so bot workers that failed together retry apart.
        exponential = self._backoff_initial * 2 ** (state.attempt_number - 1)
        jitter = random.uniform(0, self._backoff_initial)
        return min(self._backoff_max, exponential + jitter)

    def _slot(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self._per_host_concurrency)
        return slot

    async def _attempt(
        self,
        url: str,
        source: str,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
        number: int,
    ) -> Any:
        started = time.monotonic()
        async with self._slot(url):
            try:
                response = await self._client.get(url, params=params, headers=headers)
            except httpx.TimeoutException as exc:
                logger.warning("upstream %s timed out (attempt %d)", source, number)
                raise _Transient(UpstreamTimeout(source, "timed out")) from exc
            except httpx.TransportError as exc:
                logger.warning("upstream %s unreachable: %s (attempt %d)", source,
                               type(exc).__name__, number)
                raise _Transient(UpstreamUnavailable(source, type(exc).__name__)) from exc
        elapsed_ms = (time.monotonic() - started) * 1000
        status = response.status_code
        logger.info("upstream %s -> %d in %.0f ms (attempt %d)", source, status, elapsed_ms,
                    number)
        if status == 429 or status >= 500:
            raise self._retryable_status(source, status, response)
        if status == 404:
            raise UpstreamNotFound(source, _json_or_none(response))
        if status >= 400:
            raise UpstreamRejected(source, status)
        try:
            return response.json()
        except ValueError as exc:
            # Often an HTML error page from a proxy. Not retried: the same proxy
            # would answer again, and the cache has a better answer.
            raise UpstreamBadResponse(source, f"HTTP {status} body is not JSON") from exc

    def _retryable_status(self, source: str, status: int,
                          response: httpx.Response) -> Exception:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None and retry_after > self._retry_after_cap:
            # Waiting would leave the person staring at a silent chat: give up now.
            return UpstreamRateLimited(source, retry_after)
        error: UpstreamError
        if status == 429:
            error = UpstreamRateLimited(source, retry_after)
        else:
            error = UpstreamUnavailable(source, f"HTTP {status}")
        return _Transient(error, retry_after)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None

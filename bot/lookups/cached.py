"""The one way a look-up reads a source: through the shared cache, degrading on failure.

`cached_fetch` answers with a fresh cached payload, else a fetched one, else a
stale one (LookupCache decides which). When the upstream failed and nothing usable
is cached it answers None, having logged the cache kind, the source's label and
the error's type, never its message: a message can hold a URL, and URLs hold
postcodes. What to give the person instead is each caller's own decision.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.lookups.cache import Cached, CacheKind, Json, LookupCache, PartialResult
from bot.lookups.errors import UpstreamError

logger = logging.getLogger(__name__)

Fetch = Callable[[], Awaitable[Json]]


async def cached_fetch(cache: LookupCache, kind: CacheKind, query: str, fetch: Fetch, *,
                       ttl_for: Callable[[Json], timedelta] | None = None) -> Cached | None:
    """The payload for (kind, query), cached for kind.ttl (or ttl_for(payload)); None when down."""
    try:
        return await cache.get_or_fetch(kind, query, fetch, ttl_for=ttl_for)
    except UpstreamError as error:
        logger.warning("%s unavailable: %s from %s", kind.label, type(error).__name__,
                       error.source)
        return None


def complete_or_partial(payload: Json, *, complete: bool) -> Json:
    """What a fetch returns: the payload, or PartialResult so an older whole copy wins."""
    if not complete:
        raise PartialResult(payload)
    return payload

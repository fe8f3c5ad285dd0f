"""Finding representatives: the seam between the engine and the public data sources."""

from bot.lookups.base import OfflineFinder, RepresentativeFinder
from bot.lookups.cache import CacheKind, LookupCache
from bot.lookups.errors import (
    UpstreamBadResponse,
    UpstreamError,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from bot.lookups.finder import LiveFinder, build_finder

__all__ = [
    "CacheKind",
    "LiveFinder",
    "LookupCache",
    "OfflineFinder",
    "RepresentativeFinder",
    "UpstreamBadResponse",
    "UpstreamError",
    "UpstreamNotFound",
    "UpstreamRateLimited",
    "UpstreamRejected",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "build_finder",
]

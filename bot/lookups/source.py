"""What one source adds to a look-up, and what a devolved source must answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.lookups.postcodes import PostcodeFacts
from flows.representatives import Representative


@dataclass(frozen=True)
class Part:
    """One source's share of a result."""

    reps: tuple[Representative, ...] = ()
    stale: bool = False
    failed: bool = False  # the source could not answer (in full): flag the result
    missing: bool = False  # the source answered that the area does not exist
    devolved_constituency: str | None = None
    devolved_region: str | None = None


class DevolvedSource(Protocol):
    """The members of one nation's parliament or assembly for a postcode."""

    async def find(self, postcode: str, facts: PostcodeFacts) -> Part:
        """Never raises on an upstream failure: it gives the official route, flagged."""
        ...

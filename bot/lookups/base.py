"""The representatives port, and an offline implementation that never fails."""

from __future__ import annotations

from typing import Protocol

from flows.centres import DetentionCentre
from flows.postcodes import guess_nation, normalise_postcode
from flows.representatives import Area, LookupProblem, LookupResult, Ministers, Purpose


class RepresentativeFinder(Protocol):
    async def by_postcode(self, postcode: str, purpose: Purpose) -> LookupResult:
        """Who represents `postcode`. Never raises: problems come back in the result."""
        ...

    async def by_centre(self, centre: DetentionCentre) -> LookupResult:
        """The MP for a detention centre's constituency (purpose DETENTION_CENTRE)."""
        ...

    async def ministers(self) -> Ministers:
        """The current Home Secretary and immigration minister, fetched live (F11)."""
        ...

    async def aclose(self) -> None: ...


class OfflineFinder:
    """Knows only what the postcode itself tells: its shape and a guess at the nation.

    Used when live look-ups are switched off; the engine then points to the
    official "find your MP" routes instead of naming anyone.
    """

    async def by_postcode(self, postcode: str, purpose: Purpose) -> LookupResult:
        normalised = normalise_postcode(postcode)
        if normalised is None:
            return LookupResult(purpose=purpose, problem=LookupProblem.INVALID_POSTCODE)
        area = Area(postcode=normalised, nation=guess_nation(normalised))
        return LookupResult(purpose=purpose, area=area,
                            problem=LookupProblem.UPSTREAM_UNAVAILABLE)

    async def by_centre(self, centre: DetentionCentre) -> LookupResult:
        if centre.postcode is None:
            return LookupResult(purpose=Purpose.DETENTION_CENTRE,
                                problem=LookupProblem.CENTRE_HAS_NO_POSTCODE)
        area = Area(postcode=centre.postcode, nation=guess_nation(centre.postcode))
        return LookupResult(purpose=Purpose.DETENTION_CENTRE, area=area,
                            problem=LookupProblem.UPSTREAM_UNAVAILABLE)

    async def ministers(self) -> Ministers:
        return Ministers(stale=True)

    async def aclose(self) -> None:
        return None

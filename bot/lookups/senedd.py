"""Members of the Senedd (Wales): an honest route when names can't be fetched.

The Senedd publishes no JSON members API. postcodes.io gives the Senedd
constituency (`senedd_constituency`; from May 2026 each of the 16 constituencies
elects six members, F1), and TheyWorkForYou's getMS names the members when a key
is configured. Without a key, the person gets one MS entry with no name, the
constituency when known, and the two official ways to find and write to them.
"""

from __future__ import annotations

from dataclasses import replace

from bot.lookups.links import SENEDD_FIND_MEMBER, writetothem
from bot.lookups.postcodes import PostcodeFacts
from bot.lookups.source import Part
from bot.lookups.twfy import TwfyFallback, TwfyFunction
from flows.representatives import Contact, Representative, Role


class SeneddSource:
    """Members of the Senedd: TheyWorkForYou's names with a key, else the official route."""

    def __init__(self, twfy: TwfyFallback) -> None:
        self._twfy = twfy

    async def find(self, postcode: str, facts: PostcodeFacts) -> Part:
        route = senedd_route(postcode, facts.senedd_constituency)
        found = await self._twfy.members(TwfyFunction.MS, postcode, route)
        # Without a key, the route is the designed answer, not a failure.
        return replace(found, failed=found.failed and self._twfy.configured,
                       devolved_constituency=facts.senedd_constituency)


def senedd_route(postcode: str, senedd_constituency: str | None) -> Representative:
    """An MS entry without a name: the Senedd's finder and WriteToThem for this postcode."""
    return Representative(
        role=Role.MS,
        name=None,
        area=senedd_constituency,
        contact=Contact(website=writetothem(postcode), profile_url=SENEDD_FIND_MEMBER),
    )

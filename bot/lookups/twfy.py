"""TheyWorkForYou (mySociety): an extra provider, used only when TWFY_API_KEY is set.

Used for Members of the Senedd, which no JSON API publishes, and as a fallback for
MSPs and MLAs when the parliaments' own data is down. Its API gives names,
parties and profile pages, never contact details. The free tier allows few calls,
which the one-day cache makes enough. Its terms require the credit "Data service
provided by TheyWorkForYou" wherever these names are shown.

getMP answers an object; getMSP, getMLA and getMS answer an array (several members
per area); errors come back as {"error": "..."}. Shapes: tests/fixtures/api/twfy_*.json.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from bot.lookups.cache import CacheKind, LookupCache
from bot.lookups.cached import cached_fetch
from bot.lookups.codec import dump_representatives, load_representatives
from bot.lookups.errors import UpstreamBadResponse, UpstreamRejected
from bot.lookups.http import JsonClient
from bot.lookups.names import text
from bot.lookups.source import Part
from flows.representatives import Contact, Representative, Role

logger = logging.getLogger(__name__)

SOURCE = "theyworkforyou"
SITE = "https://www.theyworkforyou.com"
# Answers meaning "nobody here", not "something is wrong".
NO_RESULT_ERRORS = ("unknown postcode", "invalid postcode", "postcode not in correct region",
                    "unknown constituency")


class TwfyFunction(StrEnum):
    MSP = "getMSP"
    MS = "getMS"
    MLA = "getMLA"


_ROLES = {TwfyFunction.MSP: Role.MSP, TwfyFunction.MS: Role.MS, TwfyFunction.MLA: Role.MLA}
_PROFILE_PATHS = {TwfyFunction.MSP: "msp", TwfyFunction.MS: "ms", TwfyFunction.MLA: "mla"}


class TwfyClient:
    def __init__(self, http: JsonClient, base_url: str, api_key: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._key = api_key

    async def members(self, function: TwfyFunction,
                      postcode: str) -> tuple[Representative, ...]:
        body = await self._http.get_json(
            f"{self._base}/{function.value}", source=SOURCE,
            params={"key": self._key, "postcode": postcode, "output": "js"},
        )
        if isinstance(body, dict) and "error" in body:
            message = str(body["error"]).casefold()
            if message.startswith(NO_RESULT_ERRORS):
                return ()
            # A bad or missing key: a configuration problem, not an outage.
            logger.error("TheyWorkForYou refused %s: key or plan problem", function.value)
            raise UpstreamRejected(SOURCE, 401)
        rows = body if isinstance(body, list) else [body] if isinstance(body, dict) else None
        if rows is None:
            raise UpstreamBadResponse(SOURCE, f"{function.value} answered neither list nor object")
        return tuple(rep for rep in (_rep(row, function) for row in rows) if rep)


class TwfyFallback:
    """TheyWorkForYou's names when a key is configured; else the official route, flagged."""

    def __init__(self, cache: LookupCache, client: TwfyClient | None) -> None:
        self._cache = cache
        self._client = client

    @property
    def configured(self) -> bool:
        return self._client is not None

    async def members(self, function: TwfyFunction, postcode: str, route: Representative,
                      known: Part | None = None) -> Part:
        """The members for `postcode`, or `route`; `known` carries an earlier step's flags."""
        known = known or Part()
        if self._client is not None:
            client = self._client

            async def fetch() -> list[dict[str, Any]]:
                return dump_representatives(await client.members(function, postcode))

            cached = await cached_fetch(self._cache, CacheKind.TWFY,
                                        f"{function.value}\x1f{postcode}", fetch)
            if cached is not None and (reps := load_representatives(cached.payload)):
                return Part(reps=reps, stale=cached.stale or known.stale, failed=known.failed)
        return Part(reps=(route,), stale=known.stale, failed=True)


def _rep(row: Any, function: TwfyFunction) -> Representative | None:
    if not isinstance(row, dict):
        return None
    name = text(row.get("full_name")) or " ".join(
        p for p in (text(row.get("given_name")), text(row.get("family_name"))) if p)
    if not name:
        return None
    url = text(row.get("url"))
    person_id = text(row.get("person_id"))
    if url:
        profile = f"{SITE}{url}" if url.startswith("/") else url
    elif person_id:
        profile = f"{SITE}/{_PROFILE_PATHS[function]}/?p={person_id}"
    else:
        profile = None
    return Representative(role=_ROLES[function], name=name, area=text(row.get("constituency")),
                          party=text(row.get("party")), contact=Contact(profile_url=profile))

"""LiveFinder: who represents a postcode or a detention centre, from the live sources.

Postcode -> postcodes.io (constituency, council, devolved areas) -> in parallel:
the MP (Members API) and the members from the nation's own source (one per nation,
in the table built in LiveFinder); councillors and mayor follow from the postcode.
Every answer is read through the shared cache (cached_fetch). A failing source
never ends the conversation: the result carries what is known plus `problem`, and
`stale` when an expired copy was served.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bot.log_safety import log_failure
from bot.lookups.base import OfflineFinder, RepresentativeFinder
from bot.lookups.cache import CacheKind, LookupCache
from bot.lookups.cached import cached_fetch, complete_or_partial
from bot.lookups.codec import dump_representative, load_optional
from bot.lookups.councils import local_part
from bot.lookups.http import JsonClient
from bot.lookups.members import MembersClient
from bot.lookups.ministers import MinistersClient
from bot.lookups.names import fold_name
from bot.lookups.niassembly import AssemblySource, NiAssemblyClient
from bot.lookups.postcodes import (
    PostcodeFacts,
    PostcodeLookup,
    PostcodesClient,
    PostcodeStatus,
)
from bot.lookups.scotland import HolyroodSource, ScottishParliamentClient
from bot.lookups.senedd import SeneddSource
from bot.lookups.source import DevolvedSource, Part
from bot.lookups.twfy import TwfyClient, TwfyFallback
from bot.settings import Settings
from flows.case import Nation
from flows.centres import DetentionCentre
from flows.postcodes import guess_nation, normalise_postcode, outward_code
from flows.representatives import (
    Area,
    LookupProblem,
    LookupResult,
    Ministers,
    Purpose,
)

logger = logging.getLogger(__name__)

# "No such postcode" may stop being true when the next postcode directory is out.
NEGATIVE_POSTCODE_TTL = timedelta(days=1)


class LiveFinder:
    """RepresentativeFinder over the live sources and the shared cache."""

    def __init__(
        self,
        *,
        http: JsonClient,
        cache: LookupCache,
        postcodes: PostcodesClient,
        members: MembersClient,
        ministers: MinistersClient,
        scotland: ScottishParliamentClient,
        niassembly: NiAssemblyClient,
        twfy: TwfyClient | None = None,
    ) -> None:
        self._http = http
        self._cache = cache
        self._postcodes = postcodes
        self._members = members
        self._ministers = ministers
        twfy_fallback = TwfyFallback(cache, twfy)
        # England has no devolved members to find.
        self._devolved: dict[Nation, DevolvedSource] = {
            Nation.SCOTLAND: HolyroodSource(cache, postcodes, scotland, twfy_fallback),
            Nation.WALES: SeneddSource(twfy_fallback),
            Nation.NORTHERN_IRELAND: AssemblySource(cache, niassembly, twfy_fallback),
        }

    async def by_postcode(self, postcode: str, purpose: Purpose) -> LookupResult:
        started = time.monotonic()
        try:
            result = await self._by_postcode(postcode, purpose)
        except Exception as exc:  # noqa: BLE001 - the port promises never to raise
            log_failure(logger, "postcode look-up", exc)
            result = _unavailable(postcode, purpose)
        _log_result("postcode", result, started)
        return result

    async def by_centre(self, centre: DetentionCentre) -> LookupResult:
        started = time.monotonic()
        try:
            result = await self._by_centre(centre)
        except Exception as exc:  # noqa: BLE001 - the port promises never to raise
            log_failure(logger, "centre look-up", exc)
            result = LookupResult(purpose=Purpose.DETENTION_CENTRE,
                                  problem=LookupProblem.UPSTREAM_UNAVAILABLE)
        _log_result("centre", result, started)
        return result

    async def ministers(self) -> Ministers:
        try:
            cached = await cached_fetch(self._cache, CacheKind.MINISTERS, "home-office",
                                        self._ministers_payload)
        except Exception as exc:  # noqa: BLE001 - the port promises never to raise
            log_failure(logger, "ministers look-up", exc)
            cached = None
        if cached is None:
            return Ministers(stale=True)
        return Ministers(home_secretary=load_optional(cached.payload["home_secretary"]),
                         immigration_minister=load_optional(
                             cached.payload["immigration_minister"]),
                         stale=cached.stale)

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- postcode --------------------------------------------------------------

    async def _by_postcode(self, text: str, purpose: Purpose) -> LookupResult:
        postcode = normalise_postcode(text)
        if postcode is None:
            outward = outward_code(text)
            if outward is None:
                return LookupResult(purpose=purpose, problem=LookupProblem.INVALID_POSTCODE)
            return await self._by_outward_code(outward, purpose)
        guessed = Area(postcode=postcode, nation=guess_nation(postcode))
        cached = await cached_fetch(self._cache, CacheKind.POSTCODE, postcode,
                                    lambda: self._postcode_payload(postcode),
                                    ttl_for=_postcode_ttl)
        if cached is None:
            return LookupResult(purpose=purpose, area=guessed,
                                problem=LookupProblem.UPSTREAM_UNAVAILABLE)
        looked = PostcodeLookup.from_json(cached.payload)
        if looked.status is PostcodeStatus.INVALID:
            return LookupResult(purpose=purpose, problem=LookupProblem.INVALID_POSTCODE)
        if looked.status is PostcodeStatus.TERMINATED:
            return LookupResult(purpose=purpose, area=guessed, stale=cached.stale,
                                problem=LookupProblem.TERMINATED_POSTCODE,
                                terminated_year=looked.terminated_year)
        if looked.status is PostcodeStatus.UNKNOWN or looked.facts is None:
            return LookupResult(purpose=purpose, area=guessed, stale=cached.stale,
                                problem=LookupProblem.UNKNOWN_POSTCODE)
        return await self._representatives(postcode, looked.facts, purpose, cached.stale)

    async def _representatives(self, postcode: str, facts: PostcodeFacts, purpose: Purpose,
                               stale: bool) -> LookupResult:
        mp_part = self._mp_part(facts.constituency)
        if purpose is Purpose.DETENTION_CENTRE:
            # For a centre only its MP matters (G18); its councillors would mislead.
            parts = [await mp_part]
        else:
            parts = list(await asyncio.gather(mp_part, self._devolved_part(postcode, facts)))
            parts.append(local_part(postcode, facts))
        devolved = next((p for p in parts if p.devolved_constituency or p.devolved_region),
                        Part())
        area = Area(
            postcode=postcode,
            nation=facts.nation,
            constituency=facts.constituency,
            council=facts.council,
            ward=facts.ward,
            devolved_constituency=devolved.devolved_constituency,
            devolved_region=devolved.devolved_region,
        )
        failed = any(p.failed for p in parts)
        return LookupResult(
            purpose=purpose,
            area=area,
            representatives=tuple(rep for part in parts for rep in part.reps),
            problem=LookupProblem.UPSTREAM_UNAVAILABLE if failed else None,
            stale=stale or any(p.stale for p in parts),
        )

    async def _devolved_part(self, postcode: str, facts: PostcodeFacts) -> Part:
        source = self._devolved.get(facts.nation) if facts.nation else None
        return await source.find(postcode, facts) if source else Part()

    async def _by_outward_code(self, outward: str, purpose: Purpose) -> LookupResult:
        cached = await cached_fetch(self._cache, CacheKind.OUTCODE, outward,
                                    lambda: self._outcode_payload(outward))
        if cached is None:
            # Still ask for the full postcode; the candidates are a nicety.
            return LookupResult(purpose=purpose, problem=LookupProblem.PARTIAL_POSTCODE)
        if not cached.payload["known"]:
            return LookupResult(purpose=purpose, problem=LookupProblem.INVALID_POSTCODE)
        return LookupResult(purpose=purpose, problem=LookupProblem.PARTIAL_POSTCODE,
                            candidates=tuple(cached.payload["constituencies"]),
                            stale=cached.stale)

    # --- MP ----------------------------------------------------------------------

    async def _mp_part(self, constituency: str | None) -> Part:
        if not constituency:
            return Part()
        cached = await cached_fetch(self._cache, CacheKind.MP, fold_name(constituency),
                                    lambda: self._mp_payload(constituency))
        if cached is None:
            return Part(failed=True)
        if not cached.payload["found"]:
            # postcodes.io and Parliament disagree on a name: worth knowing about.
            logger.warning("constituency not found in the Members API")
            return Part(failed=True, missing=True, stale=cached.stale)
        rep = load_optional(cached.payload["representative"])
        return Part(reps=(rep,) if rep else (), stale=cached.stale, failed=cached.partial)

    # --- detention centres --------------------------------------------------------

    async def _by_centre(self, centre: DetentionCentre) -> LookupResult:
        purpose = Purpose.DETENTION_CENTRE
        if centre.postcode is not None:
            result = await self._by_postcode(centre.postcode, purpose)
            resolved = result.mp is not None or result.problem is LookupProblem.UPSTREAM_UNAVAILABLE
            if resolved or not centre.constituency_hint:
                return result
        if not centre.constituency_hint:
            return LookupResult(purpose=purpose, problem=LookupProblem.CENTRE_HAS_NO_POSTCODE)
        # No usable postcode: search the seat a source named (F10 data, dated).
        part = await self._mp_part(centre.constituency_hint)
        if part.missing or (not part.failed and not part.reps):
            return LookupResult(purpose=purpose, problem=LookupProblem.CENTRE_HAS_NO_POSTCODE)
        return LookupResult(
            purpose=purpose, representatives=part.reps, stale=part.stale,
            problem=LookupProblem.UPSTREAM_UNAVAILABLE if part.failed else None,
        )

    # --- what is cached: public data only, never the postcode -------------------------

    async def _postcode_payload(self, postcode: str) -> dict[str, Any]:
        return (await self._postcodes.lookup(postcode)).to_json()

    async def _outcode_payload(self, outward: str) -> dict[str, Any]:
        found = await self._postcodes.outcode_constituencies(outward)
        return {"known": found is not None, "constituencies": list(found or ())}

    async def _mp_payload(self, constituency: str) -> dict[str, Any]:
        found = await self._members.mp_for_constituency(constituency)
        payload = {"found": found.found,
                   "representative": dump_representative(found.representative)
                   if found.representative else None}
        return complete_or_partial(payload, complete=found.complete)

    async def _ministers_payload(self) -> dict[str, Any]:
        found = await self._ministers.current()
        payload = {
            "home_secretary": dump_representative(found.home_secretary)
            if found.home_secretary else None,
            "immigration_minister": dump_representative(found.immigration_minister)
            if found.immigration_minister else None,
        }
        return complete_or_partial(payload, complete=found.complete)


def build_finder(settings: Settings, engine: Engine, *,
                 cache_secret: bytes | None = None) -> RepresentativeFinder:
    """The finder the settings ask for: live look-ups, or offline links only.

    `cache_secret` keys the cache's hashes; by default it is derived from
    ID_HMAC_SECRET when that is set (pass the generated secret otherwise).
    """
    if not settings.lookups_enabled:
        return OfflineFinder()
    if cache_secret is None and settings.id_hmac_secret is not None:
        cache_secret = settings.id_hmac_secret.get_secret_value().encode()
    if cache_secret is not None:
        # Its own key, so a cache key can never be confused with a user key.
        cache_secret = hashlib.sha256(b"lookup-cache\x00" + cache_secret).digest()
    http = JsonClient(timeout_seconds=settings.http_timeout_seconds)
    members = MembersClient(http, settings.members_api_url)
    twfy_key = settings.twfy_api_key.get_secret_value() if settings.twfy_api_key else None
    return LiveFinder(
        http=http,
        cache=LookupCache(engine, secret=cache_secret),
        postcodes=PostcodesClient(http, settings.postcodes_api_url),
        members=members,
        ministers=MinistersClient(http, settings.members_api_url, members),
        scotland=ScottishParliamentClient(http, settings.scotparl_api_url),
        niassembly=NiAssemblyClient(http, settings.niassembly_api_url),
        twfy=TwfyClient(http, settings.twfy_api_url, twfy_key) if twfy_key else None,
    )


def _postcode_ttl(payload: dict[str, Any]) -> timedelta:
    found = payload.get("status") in (PostcodeStatus.FOUND, PostcodeStatus.TERMINATED)
    return CacheKind.POSTCODE.ttl if found else NEGATIVE_POSTCODE_TTL


def _unavailable(text: str, purpose: Purpose) -> LookupResult:
    postcode = normalise_postcode(text)
    area = Area(postcode=postcode, nation=guess_nation(postcode)) if postcode else None
    return LookupResult(purpose=purpose, area=area, problem=LookupProblem.UPSTREAM_UNAVAILABLE)


def _log_result(kind: str, result: LookupResult, started: float) -> None:
    logger.info("%s look-up: problem=%s stale=%s representatives=%d in %.0f ms", kind,
                result.problem.value if result.problem else "none", result.stale,
                len(result.representatives), (time.monotonic() - started) * 1000)


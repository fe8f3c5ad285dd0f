"""LiveFinder: who represents a postcode or a detention centre, from the live sources.

Postcode -> postcodes.io (constituency, council, devolved areas) -> in parallel:
the MP (Members API), the devolved members for the nation, councillors and mayor.
Every answer goes through the shared cache. A failing source never ends the
conversation: the result carries what is known plus `problem`, and `stale` when
an expired copy was served.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import traceback
from collections.abc import Awaitable
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from bot.lookups.base import OfflineFinder, RepresentativeFinder
from bot.lookups.cache import Cached, CacheKind, LookupCache, PartialResult
from bot.lookups.codec import (
    dump_representative,
    dump_representatives,
    load_optional,
    load_representatives,
)
from bot.lookups.councils import councillors_route, mayor_for
from bot.lookups.errors import UpstreamError
from bot.lookups.http import JsonClient
from bot.lookups.members import MembersClient
from bot.lookups.ministers import MinistersClient
from bot.lookups.names import fold_name
from bot.lookups.niassembly import AssemblyDirectory, NiAssemblyClient, mla_route
from bot.lookups.postcodes import (
    PostcodeFacts,
    PostcodeLookup,
    PostcodesClient,
    PostcodeStatus,
    ScottishAreas,
)
from bot.lookups.scotland import HolyroodDirectory, ScottishParliamentClient, msp_route
from bot.lookups.senedd import senedd_route
from bot.lookups.twfy import TwfyClient, TwfyFunction
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
    Representative,
)

logger = logging.getLogger(__name__)

# "No such postcode" may stop being true when the next postcode directory is out.
NEGATIVE_POSTCODE_TTL = timedelta(days=1)


@dataclass(frozen=True)
class _Part:
    """One source's share of a result."""

    reps: tuple[Representative, ...] = ()
    stale: bool = False
    failed: bool = False  # the source could not answer (in full): flag the result
    missing: bool = False  # the source answered that the area does not exist
    devolved_constituency: str | None = None
    devolved_region: str | None = None


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
        self._scotland = scotland
        self._niassembly = niassembly
        self._twfy = twfy

    async def by_postcode(self, postcode: str, purpose: Purpose) -> LookupResult:
        started = time.monotonic()
        try:
            result = await self._by_postcode(postcode, purpose)
        except Exception as exc:  # noqa: BLE001 - the port promises never to raise
            _log_unexpected("postcode look-up", exc)
            result = _unavailable(postcode, purpose)
        _log_result("postcode", result, started)
        return result

    async def by_centre(self, centre: DetentionCentre) -> LookupResult:
        started = time.monotonic()
        try:
            result = await self._by_centre(centre)
        except Exception as exc:  # noqa: BLE001 - the port promises never to raise
            _log_unexpected("centre look-up", exc)
            result = LookupResult(purpose=Purpose.DETENTION_CENTRE,
                                  problem=LookupProblem.UPSTREAM_UNAVAILABLE)
        _log_result("centre", result, started)
        return result

    async def ministers(self) -> Ministers:
        try:
            cached = await self._cache.get_or_fetch(CacheKind.MINISTERS, "home-office",
                                                    self._fetch_ministers)
        except UpstreamError as exc:
            logger.warning("ministers unavailable: %s", type(exc).__name__)
            return Ministers(stale=True)
        except Exception as exc:  # noqa: BLE001 - the port promises never to raise
            _log_unexpected("ministers look-up", exc)
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
        try:
            cached = await self._cache.get_or_fetch(
                CacheKind.POSTCODE, postcode, lambda: self._fetch_postcode(postcode),
                ttl_for=_postcode_ttl)
        except UpstreamError:
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

    async def _fetch_postcode(self, postcode: str) -> dict[str, Any]:
        return (await self._postcodes.lookup(postcode)).to_json()

    async def _representatives(self, postcode: str, facts: PostcodeFacts, purpose: Purpose,
                               stale: bool) -> LookupResult:
        mp_part = self._mp_part(facts.constituency)
        if purpose is Purpose.DETENTION_CENTRE:
            # For a centre only its MP matters (G18); its councillors would mislead.
            parts = [await mp_part]
        else:
            parts = list(await asyncio.gather(mp_part, self._devolved_part(postcode, facts)))
            parts.append(_local_part(postcode, facts))
        devolved = next((p for p in parts if p.devolved_constituency or p.devolved_region),
                        _Part())
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

    async def _by_outward_code(self, outward: str, purpose: Purpose) -> LookupResult:
        try:
            cached = await self._cache.get_or_fetch(CacheKind.OUTCODE, outward,
                                                    lambda: self._fetch_outcode(outward))
        except UpstreamError:
            # Still ask for the full postcode; the candidates are a nicety.
            return LookupResult(purpose=purpose, problem=LookupProblem.PARTIAL_POSTCODE)
        if not cached.payload["known"]:
            return LookupResult(purpose=purpose, problem=LookupProblem.INVALID_POSTCODE)
        return LookupResult(purpose=purpose, problem=LookupProblem.PARTIAL_POSTCODE,
                            candidates=tuple(cached.payload["constituencies"]),
                            stale=cached.stale)

    async def _fetch_outcode(self, outward: str) -> dict[str, Any]:
        found = await self._postcodes.outcode_constituencies(outward)
        return {"known": found is not None, "constituencies": list(found or ())}

    # --- MP ----------------------------------------------------------------------

    async def _mp_part(self, constituency: str | None) -> _Part:
        if not constituency:
            return _Part()
        try:
            cached = await self._cache.get_or_fetch(
                CacheKind.MP, fold_name(constituency), lambda: self._fetch_mp(constituency))
        except UpstreamError:
            return _Part(failed=True)
        if not cached.payload["found"]:
            # postcodes.io and Parliament disagree on a name: worth knowing about.
            logger.warning("constituency not found in the Members API")
            return _Part(failed=True, missing=True, stale=cached.stale)
        rep = load_optional(cached.payload["representative"])
        return _Part(reps=(rep,) if rep else (), stale=cached.stale, failed=cached.partial)

    async def _fetch_mp(self, constituency: str) -> dict[str, Any]:
        found = await self._members.mp_for_constituency(constituency)
        payload = {"found": found.found,
                   "representative": dump_representative(found.representative)
                   if found.representative else None}
        if not found.complete:
            raise PartialResult(payload)
        return payload

    # --- devolved ----------------------------------------------------------------

    async def _devolved_part(self, postcode: str, facts: PostcodeFacts) -> _Part:
        if facts.nation is Nation.SCOTLAND:
            return await self._scottish_part(postcode)
        if facts.nation is Nation.WALES:
            return await self._welsh_part(postcode, facts)
        if facts.nation is Nation.NORTHERN_IRELAND and facts.constituency:
            return await self._northern_irish_part(postcode, facts.constituency)
        return _Part()

    async def _scottish_part(self, postcode: str) -> _Part:
        areas, areas_part = await self._scottish_areas(postcode)
        try:
            cached = await self._cache.get_or_fetch(CacheKind.DEVOLVED, "holyrood",
                                                    self._fetch_holyrood)
        except UpstreamError:
            fallback = await self._fallback(TwfyFunction.MSP, postcode, areas_part,
                                            msp_route(postcode, areas.constituency))
            return replace(fallback, devolved_constituency=areas.constituency,
                           devolved_region=areas.region)
        directory = HolyroodDirectory.from_json(cached.payload)
        reps = directory.representatives(areas.constituency, areas.constituency_code,
                                         areas.region, areas.region_code)
        if not reps and (areas.constituency or areas.region):
            # New boundaries not yet in the Parliament's data, or a renamed area.
            logger.warning("holyrood areas not matched in the Scottish Parliament data")
        return _Part(
            reps=reps or (msp_route(postcode, areas.constituency),),
            stale=cached.stale or areas_part.stale,
            failed=areas_part.failed or not directory.complete,
            devolved_constituency=areas.constituency,
            devolved_region=areas.region,
        )

    async def _scottish_areas(self, postcode: str) -> tuple[ScottishAreas, _Part]:
        try:
            cached = await self._cache.get_or_fetch(
                CacheKind.SCOTTISH_POSTCODE, postcode, lambda: self._fetch_scottish(postcode))
        except UpstreamError:
            return ScottishAreas(), _Part(failed=True)
        payload = cached.payload
        areas = ScottishAreas(**payload) if payload else ScottishAreas()
        return areas, _Part(stale=cached.stale)

    async def _fetch_scottish(self, postcode: str) -> dict[str, Any] | None:
        areas = await self._postcodes.scottish_areas(postcode)
        return asdict(areas) if areas else None

    async def _fetch_holyrood(self) -> dict[str, Any]:
        directory = await self._scotland.directory()
        if not directory.complete:
            raise PartialResult(directory.to_json())
        return directory.to_json()

    async def _welsh_part(self, postcode: str, facts: PostcodeFacts) -> _Part:
        route = senedd_route(postcode, facts.senedd_constituency)
        part = await self._fallback(TwfyFunction.MS, postcode, _Part(), route)
        # Without a key, the route is the designed answer, not a failure.
        return _Part(reps=part.reps, stale=part.stale,
                     failed=part.failed and self._twfy is not None,
                     devolved_constituency=facts.senedd_constituency)

    async def _northern_irish_part(self, postcode: str, constituency: str) -> _Part:
        try:
            cached = await self._cache.get_or_fetch(CacheKind.DEVOLVED, "niassembly",
                                                    self._fetch_assembly)
        except UpstreamError:
            fallback = await self._fallback(TwfyFunction.MLA, postcode, _Part(),
                                            mla_route(postcode, constituency))
            return replace(fallback, devolved_constituency=constituency)
        directory = AssemblyDirectory.from_json(cached.payload)
        reps = directory.representatives(constituency)
        if not reps:
            logger.warning("assembly constituency not matched in the NI Assembly data")
        return _Part(
            reps=reps or (mla_route(postcode, constituency),),
            stale=cached.stale,
            failed=not directory.complete,
            devolved_constituency=reps[0].area if reps else constituency,
        )

    async def _fetch_assembly(self) -> dict[str, Any]:
        directory = await self._niassembly.directory()
        if not directory.complete:
            raise PartialResult(directory.to_json())
        return directory.to_json()

    async def _fallback(self, function: TwfyFunction, postcode: str, known: _Part,
                        route: Representative) -> _Part:
        """TheyWorkForYou when configured; else the official route, flagged as failed."""
        if self._twfy is not None:
            twfy = self._twfy
            try:
                cached: Cached = await self._cache.get_or_fetch(
                    CacheKind.TWFY, f"{function.value}\x1f{postcode}",
                    lambda: _dump(twfy.members(function, postcode)))
                reps = load_representatives(cached.payload)
                if reps:
                    return _Part(reps=reps, stale=cached.stale or known.stale,
                                 failed=known.failed)
            except UpstreamError:
                pass
        return _Part(reps=(route,), stale=known.stale, failed=True)

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

    # --- ministers ---------------------------------------------------------------

    async def _fetch_ministers(self) -> dict[str, Any]:
        found = await self._ministers.current()
        payload = {
            "home_secretary": dump_representative(found.home_secretary)
            if found.home_secretary else None,
            "immigration_minister": dump_representative(found.immigration_minister)
            if found.immigration_minister else None,
        }
        if not found.complete:
            raise PartialResult(payload)
        return payload


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


async def _dump(found: Awaitable[tuple[Representative, ...]]) -> list[dict[str, Any]]:
    return dump_representatives(await found)


def _postcode_ttl(payload: dict[str, Any]) -> timedelta:
    found = payload.get("status") in (PostcodeStatus.FOUND, PostcodeStatus.TERMINATED)
    return CacheKind.POSTCODE.ttl if found else NEGATIVE_POSTCODE_TTL


def _local_part(postcode: str, facts: PostcodeFacts) -> _Part:
    reps = [councillors_route(postcode, facts)] if facts.council else []
    mayor = mayor_for(facts)
    if mayor is not None:
        reps.append(mayor)
    return _Part(reps=tuple(reps))


def _unavailable(text: str, purpose: Purpose) -> LookupResult:
    postcode = normalise_postcode(text)
    area = Area(postcode=postcode, nation=guess_nation(postcode)) if postcode else None
    return LookupResult(purpose=purpose, area=area, problem=LookupProblem.UPSTREAM_UNAVAILABLE)


def _log_unexpected(what: str, exc: BaseException) -> None:
    """Log a bug's type and where it happened, never its message.

    The conversation must go on whatever broke. Exception text can carry URLs and
    values, and those carry postcodes; file and line are enough to find the bug.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    logger.error("%s failed unexpectedly: %s at %s", what, type(exc).__name__, where)


def _log_result(kind: str, result: LookupResult, started: float) -> None:
    logger.info("%s look-up: problem=%s stale=%s representatives=%d in %.0f ms", kind,
                result.problem.value if result.problem else "none", result.stale,
                len(result.representatives), (time.monotonic() - started) * 1000)


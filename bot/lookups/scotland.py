"""MSPs from the Scottish Parliament's open data (data.parliament.scot/api).

Each dataset is a whole JSON array, so the current directory is built once a day
from seven of them and joined in code; the finder caches the joined result, not
the raw arrays. The API answers 405 without `Accept: application/json`.

Assumptions, from code that consumes these datasets (tests/fixtures/api/README.md):
- `constituencies`: ID, Name, ConstituencyCode (GSS), RegionID, ValidFromDate,
  ValidUntilDate. `regions`: ID, Name, RegionCode, StartDate, EndDate.
- `MemberElectionConstituencyStatuses` / `MemberElectionregionStatuses`: PersonID,
  ConstituencyID / RegionID, ValidFromDate, ValidUntilDate.
- `members`: PersonID, ParliamentaryName ("Surname, Forename"), PreferredName.
  `IsCurrent` flips to false at dissolution, so seats are judged by the dated
  status records, not by it.
- `memberparties`: PersonID, PartyID, dates; `parties`: ID, PreferredName, ActualName.
- `emailaddresses` (PersonID, Address, IsDefault) and `websites` (PersonID, WebURL)
  are optional: without them the directory is marked incomplete, not lost.
Names are matched after folding; the API abbreviates one region name, listed below.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bot.lookups.cache import CacheKind, LookupCache
from bot.lookups.cached import cached_fetch, complete_or_partial
from bot.lookups.errors import UpstreamBadResponse, UpstreamError
from bot.lookups.http import JsonClient
from bot.lookups.links import (
    SCOTTISH_PARLIAMENT_FIND_MSP,
    SCOTTISH_PARLIAMENT_MSPS,
    writetothem,
)
from bot.lookups.names import fold_name, parse_timestamp, text
from bot.lookups.postcodes import PostcodeFacts, PostcodesClient, ScottishAreas
from bot.lookups.source import Part
from bot.lookups.twfy import TwfyFallback, TwfyFunction
from flows.representatives import Contact, Representative, Role

logger = logging.getLogger(__name__)

SOURCE = "scottish-parliament"
REQUIRED = ("members", "constituencies", "regions", "MemberElectionConstituencyStatuses",
            "MemberElectionregionStatuses", "memberparties", "parties")
OPTIONAL = ("emailaddresses", "websites")
PROFILE_PREFIX = "https://www.parliament.scot/msps/current-and-previous-msps/"
# The Scottish Parliament abbreviates this region; postcodes.io and people don't.
REGION_SPELLINGS = {"central scot and lothians west": "Central Scotland and Lothians West"}


@dataclass(frozen=True)
class SeatedMsp:
    person_id: int
    name: str
    party: str | None
    email: str | None
    profile_url: str
    constituency_id: int | None = None  # set for constituency members
    region_id: int | None = None  # set for regional (list) members


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    code: str | None
    region_id: int | None = None  # constituencies only


@dataclass(frozen=True)
class HolyroodDirectory:
    constituencies: tuple[Place, ...]
    regions: tuple[Place, ...]
    msps: tuple[SeatedMsp, ...]
    complete: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"constituencies": [asdict(c) for c in self.constituencies],
                "regions": [asdict(r) for r in self.regions],
                "msps": [asdict(m) for m in self.msps],
                "complete": self.complete}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HolyroodDirectory:
        return cls(constituencies=tuple(Place(**c) for c in data["constituencies"]),
                   regions=tuple(Place(**r) for r in data["regions"]),
                   msps=tuple(SeatedMsp(**m) for m in data["msps"]),
                   complete=bool(data.get("complete", True)))

    def representatives(self, constituency: str | None, constituency_code: str | None,
                        region: str | None,
                        region_code: str | None) -> tuple[Representative, ...] | None:
        """The constituency MSP and the regional MSPs; None when the areas aren't known here."""
        seat = _find(self.constituencies, constituency, constituency_code)
        area = _find(self.regions, region, region_code)
        if area is None and seat is not None and seat.region_id is not None:
            area = next((r for r in self.regions if r.id == seat.region_id), None)
        if seat is None and area is None:
            return None
        found: list[Representative] = []
        if seat is not None:
            found += [_rep(m, seat.name, regional=False) for m in self.msps
                      if m.constituency_id == seat.id]
        if area is not None:
            region_name = _public_region_name(area.name)
            found += sorted((_rep(m, region_name, regional=True) for m in self.msps
                             if m.region_id == area.id), key=lambda r: r.name or "")
        return tuple(found)


def msp_route(postcode: str, constituency: str | None) -> Representative:
    """An MSP entry without a name: the Parliament's finder and WriteToThem for this postcode."""
    return Representative(role=Role.MSP, name=None, area=constituency,
                          contact=Contact(website=writetothem(postcode),
                                          profile_url=SCOTTISH_PARLIAMENT_FIND_MSP))


class ScottishParliamentClient:
    def __init__(self, http: JsonClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def directory(self, now: datetime | None = None) -> HolyroodDirectory:
        moment = now or datetime.now(UTC)
        required = await asyncio.gather(*(self._dataset(name) for name in REQUIRED))
        optional = await asyncio.gather(*(self._dataset(name) for name in OPTIONAL),
                                        return_exceptions=True)
        for failure in optional:
            if isinstance(failure, BaseException) and not isinstance(failure, UpstreamError):
                raise failure
        data = dict(zip(REQUIRED, required, strict=True))
        extra = {name: value if isinstance(value, list) else []
                 for name, value in zip(OPTIONAL, optional, strict=True)}
        complete = all(isinstance(value, list) for value in optional)
        return _join(data, extra, moment, complete)

    async def _dataset(self, name: str) -> list[dict[str, Any]]:
        body = await self._http.get_json(f"{self._base}/{name}", source=SOURCE,
                                         headers={"Accept": "application/json"})
        if not isinstance(body, list):
            raise UpstreamBadResponse(SOURCE, f"{name} is not a dataset array")
        return [row for row in body if isinstance(row, dict)]


class HolyroodSource:
    """MSPs for a postcode: its Holyrood areas, then the Parliament's directory.

    With the directory down: TheyWorkForYou, else the route. The areas come from
    postcodes.io's Scotland endpoint, cached per postcode like the postcode itself.
    """

    def __init__(self, cache: LookupCache, postcodes: PostcodesClient,
                 parliament: ScottishParliamentClient, twfy: TwfyFallback) -> None:
        self._cache = cache
        self._postcodes = postcodes
        self._parliament = parliament
        self._twfy = twfy

    async def find(self, postcode: str, facts: PostcodeFacts) -> Part:
        areas, known = await self._areas(postcode)
        route = msp_route(postcode, areas.constituency)
        cached = await cached_fetch(self._cache, CacheKind.DEVOLVED, "holyrood",
                                    self._directory)
        if cached is None:
            found = await self._twfy.members(TwfyFunction.MSP, postcode, route, known)
            return replace(found, devolved_constituency=areas.constituency,
                           devolved_region=areas.region)
        directory = HolyroodDirectory.from_json(cached.payload)
        reps = directory.representatives(areas.constituency, areas.constituency_code,
                                         areas.region, areas.region_code)
        if not reps and (areas.constituency or areas.region):
            # New boundaries not yet in the Parliament's data, or a renamed area.
            logger.warning("holyrood areas not matched in the Scottish Parliament data")
        return Part(
            reps=reps or (route,),
            stale=cached.stale or known.stale,
            failed=known.failed or not directory.complete,
            devolved_constituency=areas.constituency,
            devolved_region=areas.region,
        )

    async def _areas(self, postcode: str) -> tuple[ScottishAreas, Part]:
        """The Holyrood areas, and how they were got (stale, failed) as a Part."""
        cached = await cached_fetch(self._cache, CacheKind.SCOTTISH_POSTCODE, postcode,
                                    lambda: self._areas_payload(postcode))
        if cached is None:
            return ScottishAreas(), Part(failed=True)
        areas = ScottishAreas(**cached.payload) if cached.payload else ScottishAreas()
        return areas, Part(stale=cached.stale)

    async def _areas_payload(self, postcode: str) -> dict[str, Any] | None:
        areas = await self._postcodes.scottish_areas(postcode)
        return asdict(areas) if areas else None

    async def _directory(self) -> dict[str, Any]:
        directory = await self._parliament.directory()
        return complete_or_partial(directory.to_json(), complete=directory.complete)


def _join(data: dict[str, list[dict[str, Any]]], extra: dict[str, list[dict[str, Any]]],
          now: datetime, complete: bool) -> HolyroodDirectory:
    constituencies = tuple(
        Place(id=row["ID"], name=name, code=text(row.get("ConstituencyCode")),
              region_id=row.get("RegionID") if isinstance(row.get("RegionID"), int) else None)
        for row in data["constituencies"]
        if isinstance(row.get("ID"), int) and (name := text(row.get("Name")))
        and _active(row, now)
    )
    regions = tuple(
        Place(id=row["ID"], name=name, code=text(row.get("RegionCode")))
        for row in data["regions"]
        if isinstance(row.get("ID"), int) and (name := text(row.get("Name")))
        and _active(row, now, "StartDate", "EndDate")
    )
    seat_ids = {c.id for c in constituencies}
    region_ids = {r.id for r in regions}
    members = {row.get("PersonID"): row for row in data["members"]}
    parties = {row.get("ID"): row for row in data["parties"]}
    party_of = _latest_by(data["memberparties"], "PersonID", now)
    emails = _emails(extra["emailaddresses"])
    profiles = _profiles(extra["websites"])

    def seated(person_id: Any, **seat: int) -> SeatedMsp | None:
        member = members.get(person_id)
        if member is None or not isinstance(person_id, int):
            return None
        membership = party_of.get(person_id, {})
        return SeatedMsp(
            person_id=person_id, name=_display_name(member),
            party=_party_name(parties.get(membership.get("PartyID"))),
            email=emails.get(person_id),
            profile_url=profiles.get(person_id, SCOTTISH_PARLIAMENT_MSPS),
            **seat,
        )

    msps: list[SeatedMsp] = []
    # One constituency member per seat: the latest active status wins.
    for seat_id, status in _latest_by(data["MemberElectionConstituencyStatuses"],
                                      "ConstituencyID", now).items():
        if seat_id in seat_ids and (msp := seated(status.get("PersonID"),
                                                  constituency_id=seat_id)):
            msps.append(msp)
    for status in data["MemberElectionregionStatuses"]:
        region_id = status.get("RegionID")
        if region_id in region_ids and _active(status, now) and (
                msp := seated(status.get("PersonID"), region_id=region_id)):
            msps.append(msp)
    unique = {(m.person_id, m.constituency_id, m.region_id): m for m in msps}
    return HolyroodDirectory(constituencies, regions, tuple(unique.values()), complete)


def _active(row: dict[str, Any], now: datetime, start: str = "ValidFromDate",
            end: str = "ValidUntilDate") -> bool:
    began, ended = parse_timestamp(row.get(start)), parse_timestamp(row.get(end))
    return (began is None or began <= now) and (ended is None or ended >= now)



def _latest_by(rows: Iterable[dict[str, Any]], field: str,
               now: datetime) -> dict[Any, dict[str, Any]]:
    latest: dict[Any, dict[str, Any]] = {}
    for row in rows:
        if not _active(row, now):
            continue
        key = row.get(field)
        if key not in latest or str(row.get("ValidFromDate")) > str(
                latest[key].get("ValidFromDate")):
            latest[key] = row
    return latest


def _party_name(party: dict[str, Any] | None) -> str | None:
    if party is None:
        return None
    return text(party.get("PreferredName")) or text(party.get("ActualName"))


def _display_name(member: dict[str, Any]) -> str:
    """'Scott, Eleanor' with PreferredName 'Ellie' -> 'Ellie Scott'."""
    listed = text(member.get("ParliamentaryName")) or ""
    surname, _, given = (part.strip() for part in listed.partition(","))
    if not given:
        return listed
    return f"{text(member.get('PreferredName')) or given} {surname}"


def _emails(rows: list[dict[str, Any]]) -> dict[int, str]:
    found: dict[int, str] = {}
    for row in sorted(rows, key=lambda r: not r.get("IsDefault")):
        address = text(row.get("Address"))
        person = row.get("PersonID")
        if isinstance(person, int) and address and "@" in address:
            found.setdefault(person, address)
    return found


def _profiles(rows: list[dict[str, Any]]) -> dict[int, str]:
    found: dict[int, str] = {}
    for row in rows:
        url = text(row.get("WebURL"))
        person = row.get("PersonID")
        if isinstance(person, int) and url and url.lower().startswith(PROFILE_PREFIX):
            found.setdefault(person, url)
    return found


def _find(places: tuple[Place, ...], name: str | None, code: str | None) -> Place | None:
    if code:
        by_code = next((p for p in places if p.code == code), None)
        if by_code is not None:
            return by_code
    if not name:
        return None
    wanted = fold_name(name)
    return next((p for p in places if _public_fold(p.name) == wanted), None)


def _public_fold(name: str) -> str:
    return fold_name(_public_region_name(name))


def _public_region_name(name: str) -> str:
    return REGION_SPELLINGS.get(fold_name(name), name)


def _rep(msp: SeatedMsp, area: str, *, regional: bool) -> Representative:
    return Representative(role=Role.MSP, name=msp.name, area=area, party=msp.party,
                          regional=regional,
                          contact=Contact(email=msp.email, profile_url=msp.profile_url))

"""MLAs from the Northern Ireland Assembly's open data (data.niassembly.gov.uk).

GetAllCurrentMembers_JSON returns every current MLA at once:
{"AllMembersList": {"Member": [{PersonId, MemberFullDisplayName, PartyName,
ConstituencyName, ...}]}}. Email comes from GetAllMemberContactDetails_JSON (same
wrapper; the field is spelt "EmaiAddress" upstream), which is optional.

Assembly constituencies keep the pre-2024 Westminster boundaries until the next
Assembly election, and one 2024 Westminster seat was renamed; the postcode's
Westminster seat is mapped to the Assembly seat of the same (or former) name. At
the edges of the 2024 changes this can name the neighbouring MLAs: the profile
links let the person check.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass, replace
from typing import Any

from bot.lookups.cache import CacheKind, LookupCache
from bot.lookups.cached import cached_fetch, complete_or_partial
from bot.lookups.errors import UpstreamBadResponse, UpstreamError
from bot.lookups.http import JsonClient
from bot.lookups.links import NI_ASSEMBLY_PROFILE, writetothem
from bot.lookups.names import fold_name, text
from bot.lookups.postcodes import PostcodeFacts
from bot.lookups.source import Part
from bot.lookups.twfy import TwfyFallback, TwfyFunction
from flows.representatives import Contact, Representative, Role

logger = logging.getLogger(__name__)

SOURCE = "ni-assembly"
# 2024 Westminster name -> Assembly constituency name (folded).
WESTMINSTER_TO_ASSEMBLY = {"belfast south and mid down": "belfast south"}
# MLAs' own addresses first; constituency-office addresses are shared by staff.
PREFERRED_EMAIL_DOMAIN = "@mla.niassembly.gov.uk"


@dataclass(frozen=True)
class Mla:
    person_id: str
    name: str
    party: str | None
    constituency: str
    email: str | None = None


@dataclass(frozen=True)
class AssemblyDirectory:
    members: tuple[Mla, ...]
    complete: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"members": [asdict(m) for m in self.members], "complete": self.complete}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AssemblyDirectory:
        return cls(tuple(Mla(**m) for m in data["members"]), bool(data.get("complete", True)))

    def representatives(self, westminster_constituency: str) -> tuple[Representative, ...]:
        wanted = assembly_constituency_key(westminster_constituency)
        return tuple(
            Representative(role=Role.MLA, name=m.name, area=m.constituency, party=m.party,
                           contact=Contact(email=m.email, profile_url=NI_ASSEMBLY_PROFILE.format(
                               person_id=m.person_id)))
            for m in sorted(self.members, key=lambda m: m.name)
            if fold_name(m.constituency) == wanted
        )


def assembly_constituency_key(westminster_constituency: str) -> str:
    folded = fold_name(westminster_constituency)
    return WESTMINSTER_TO_ASSEMBLY.get(folded, folded)


def mla_route(postcode: str, constituency: str) -> Representative:
    """An MLA entry without a name: WriteToThem lists and writes to this postcode's MLAs."""
    return Representative(role=Role.MLA, name=None, area=constituency,
                          contact=Contact(website=writetothem(postcode)))


class NiAssemblyClient:
    def __init__(self, http: JsonClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def directory(self) -> AssemblyDirectory:
        members, contacts = await asyncio.gather(
            self._members("GetAllCurrentMembers_JSON"),
            self._members("GetAllMemberContactDetails_JSON"),
            return_exceptions=True,
        )
        if isinstance(members, BaseException):
            raise members
        if isinstance(contacts, BaseException) and not isinstance(contacts, UpstreamError):
            raise contacts
        emails = _emails(contacts) if isinstance(contacts, list) else {}
        found = []
        for row in members:
            person_id, name = text(row.get("PersonId")), _name(row)
            constituency = text(row.get("ConstituencyName"))
            if person_id and name and constituency:
                found.append(Mla(person_id=person_id, name=name,
                                 party=text(row.get("PartyName")), constituency=constituency,
                                 email=emails.get(person_id)))
        return AssemblyDirectory(tuple(found), complete=isinstance(contacts, list))

    async def _members(self, operation: str) -> list[dict[str, Any]]:
        body = await self._http.get_json(f"{self._base}/members.asmx/{operation}",
                                         source=SOURCE)
        listing = body.get("AllMembersList") if isinstance(body, dict) else None
        rows = listing.get("Member") if isinstance(listing, dict) else None
        if isinstance(rows, dict):  # a single member comes back unwrapped
            rows = [rows]
        if not isinstance(rows, list):
            raise UpstreamBadResponse(SOURCE, f"{operation} without AllMembersList.Member")
        return [row for row in rows if isinstance(row, dict)]


class AssemblySource:
    """MLAs for a postcode: the Assembly's directory, else TheyWorkForYou, else the route."""

    def __init__(self, cache: LookupCache, assembly: NiAssemblyClient,
                 twfy: TwfyFallback) -> None:
        self._cache = cache
        self._assembly = assembly
        self._twfy = twfy

    async def find(self, postcode: str, facts: PostcodeFacts) -> Part:
        constituency = facts.constituency
        if not constituency:
            return Part()
        route = mla_route(postcode, constituency)
        cached = await cached_fetch(self._cache, CacheKind.DEVOLVED, "niassembly",
                                    self._directory)
        if cached is None:
            found = await self._twfy.members(TwfyFunction.MLA, postcode, route)
            return replace(found, devolved_constituency=constituency)
        directory = AssemblyDirectory.from_json(cached.payload)
        reps = directory.representatives(constituency)
        if not reps:
            logger.warning("assembly constituency not matched in the NI Assembly data")
        return Part(
            reps=reps or (route,),
            stale=cached.stale,
            failed=not directory.complete,
            devolved_constituency=reps[0].area if reps else constituency,
        )

    async def _directory(self) -> dict[str, Any]:
        directory = await self._assembly.directory()
        return complete_or_partial(directory.to_json(), complete=directory.complete)


def _name(row: dict[str, Any]) -> str | None:
    full = text(row.get("MemberFullDisplayName"))
    if full:
        return full
    first, last = text(row.get("MemberFirstName")), text(row.get("MemberLastName"))
    return " ".join(p for p in (first, last) if p) or text(row.get("MemberName"))


def _emails(rows: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in rows:
        person_id = text(row.get("PersonId"))
        email = text(row.get("EmaiAddress")) or text(row.get("EmailAddress"))
        if not person_id or not email or "@" not in email:
            continue
        if person_id not in found or (email.endswith(PREFERRED_EMAIL_DOMAIN)
                                      and not found[person_id].endswith(
                                          PREFERRED_EMAIL_DOMAIN)):
            found[person_id] = email
    return found

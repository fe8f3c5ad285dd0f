"""UK Parliament Members API: the MP for a constituency, with contact and interests.

Shapes: tests/fixtures/api/members_api_*.json. A constituency search returns
constituencies old and new (pre-2024 seats keep their names with an endDate), so
the match is on the exact name of a current constituency. `currentRepresentation:
null` is a vacant seat.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from bot.lookups.errors import UpstreamBadResponse, UpstreamError
from bot.lookups.http import JsonClient
from bot.lookups.links import MEMBERS_CONSTITUENCY, MEMBERS_PROFILE
from bot.lookups.names import fold_name, text
from flows.representatives import Contact, Representative, Role

logger = logging.getLogger(__name__)

SOURCE = "members-api"
PARLIAMENTARY_OFFICE = 1  # ContactInformation.typeId
CONSTITUENCY_OFFICE = 4


@dataclass(frozen=True)
class MpLookup:
    found: bool  # False: no current constituency of that name
    representative: Representative | None = None
    complete: bool = True  # False: contact details or interests could not be fetched


@dataclass(frozen=True)
class MemberSummary:
    """The parts of a MemberItem every caller needs."""

    id: int
    name: str | None
    party: str | None
    seat: str | None  # constituency, or "Life peer" and the like in the Lords
    address_as: str | None = None  # "Ms Abbott": the form for a letter's greeting


class MembersClient:
    def __init__(self, http: JsonClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def mp_for_constituency(self, constituency: str) -> MpLookup:
        match = await self._find_constituency(constituency)
        if match is None:
            return MpLookup(found=False)
        constituency_id = match.get("id")
        name = text(match.get("name")) or constituency
        current = match.get("currentRepresentation")
        member = member_summary(current.get("member")) if isinstance(current, dict) else None
        if member is None:
            vacant = Representative(
                role=Role.MP, name=None, area=name, vacant=True,
                contact=Contact(profile_url=MEMBERS_CONSTITUENCY.format(
                    constituency_id=constituency_id)),
            )
            return MpLookup(found=True, representative=vacant)
        contact, interests = await asyncio.gather(
            self.contact(member.id), self.interests(member.id), return_exceptions=True)
        complete = not isinstance(contact, BaseException) and not isinstance(
            interests, BaseException)
        for failure in (contact, interests):
            if isinstance(failure, BaseException) and not isinstance(failure, UpstreamError):
                raise failure
        rep = Representative(
            role=Role.MP,
            name=member.name,
            area=name,
            party=member.party,
            address_as=member.address_as,
            contact=contact if isinstance(contact, Contact) else profile_only(member.id),
            interests=interests if isinstance(interests, tuple) else (),
        )
        return MpLookup(found=True, representative=rep, complete=complete)

    async def constituency_exists(self, name: str) -> bool:
        return await self._find_constituency(name) is not None

    async def contact(self, member_id: int) -> Contact:
        body = await self._get(f"/Members/{member_id}/Contact")
        entries = [e for e in _value_list(body) if isinstance(e, dict)]
        return contact_from_entries(entries, member_id)

    async def interests(self, member_id: int) -> tuple[str, ...]:
        """Areas of focus ("Countries of interest: Africa, Jamaica"), for G6/G7."""
        body = await self._get(f"/Members/{member_id}/Focus")
        found: list[str] = []
        for entry in _value_list(body):
            if not isinstance(entry, dict):
                continue
            topics = [t for t in (text(f) for f in entry.get("focus") or ()) if t]
            if not topics:
                continue
            category = text(entry.get("category"))
            joined = ", ".join(topics)
            found.append(f"{category}: {joined}" if category else joined)
        return tuple(dict.fromkeys(found))

    async def _find_constituency(self, constituency: str) -> dict[str, Any] | None:
        body = await self._get("/Location/Constituency/Search",
                               params={"searchText": constituency, "take": 20})
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise UpstreamBadResponse(SOURCE, "constituency search without items")
        wanted = fold_name(constituency)
        matches = [
            value for value in (i.get("value") for i in items if isinstance(i, dict))
            if isinstance(value, dict) and fold_name(str(value.get("name", ""))) == wanted
        ]
        # A current seat has no endDate; pre-2024 seats of the same name do.
        current = [m for m in matches if m.get("endDate") is None]
        if not current:
            return None
        return max(current, key=lambda m: str(m.get("startDate") or ""))

    async def _get(self, path: str, params: dict[str, str | int] | None = None) -> Any:
        return await self._http.get_json(f"{self._base}{path}", source=SOURCE, params=params)


def member_summary(item: Any) -> MemberSummary | None:
    """A MemberItem ({value, links}) as the few fields callers use."""
    value = item.get("value") if isinstance(item, dict) else None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        return None
    party = value.get("latestParty")
    membership = value.get("latestHouseMembership")
    return MemberSummary(
        id=value["id"],
        name=text(value.get("nameDisplayAs")),
        party=text(party.get("name")) if isinstance(party, dict) else None,
        seat=text(membership.get("membershipFrom")) if isinstance(membership, dict) else None,
        address_as=text(value.get("nameAddressAs")),
    )


def profile_only(member_id: int) -> Contact:
    return Contact(profile_url=MEMBERS_PROFILE.format(member_id=member_id))


def _value_list(body: Any) -> list[Any]:
    value = body.get("value") if isinstance(body, dict) else None
    if not isinstance(value, list):
        raise UpstreamBadResponse(SOURCE, "list response without value")
    return value


def contact_from_entries(entries: list[dict[str, Any]], member_id: int) -> Contact:
    """Choose what to show from a member's ContactInformation entries.

    Email: the @parliament.uk address of the parliamentary office first, as the
    Commons advises for casework. Phone and postal address: the constituency
    office first (caseworkers sit there), else Westminster. An "address" with a
    single line and no postcode ("Constituency Office") is a label, not an address.
    """
    parliamentary = [e for e in entries if e.get("typeId") == PARLIAMENTARY_OFFICE]
    constituency = [e for e in entries if e.get("typeId") == CONSTITUENCY_OFFICE]
    offices = constituency + parliamentary
    emails = [text(e.get("email")) for e in parliamentary + constituency + entries]
    emails = [e for e in emails if e]
    email = next((e for e in emails if e.lower().endswith("@parliament.uk")), None)
    email = email or (emails[0] if emails else None)
    phone = next((p for p in (text(e.get("phone")) for e in offices) if p), None)
    address = next((a for a in (_address(e) for e in offices) if a), None)
    website = next((w for w in (_website(e) for e in entries) if w), None)
    return Contact(email=email, phone=phone, address=address, website=website,
                   profile_url=MEMBERS_PROFILE.format(member_id=member_id))


def _address(entry: dict[str, Any]) -> str | None:
    lines = [t for t in (text(entry.get(f"line{i}")) for i in range(1, 6)) if t]
    postcode = text(entry.get("postcode"))
    if postcode is None and len(lines) < 2:
        return None
    return ", ".join([*lines, postcode] if postcode else lines)


def _website(entry: dict[str, Any]) -> str | None:
    if text(entry.get("type")) != "Website":
        return None
    candidate = text(entry.get("website")) or text(entry.get("line1"))
    return candidate if candidate and candidate.startswith(("http://", "https://")) else None

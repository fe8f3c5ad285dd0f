"""The current Home Secretary and immigration minister, from the Members API (F11).

Nothing here names a person: the department is resolved by name
(/Reference/Departments), its posts fetched (/Posts/GovernmentPosts?departmentId=,
which includes junior ministers; without a department only Cabinet posts come
back), and the current holder is the one without an endDate.

Post names are matched by words, because titles are reworded in reshuffles: the
immigration brief has been "Immigration", "Border Security and Asylum" and
"Migration and Citizenship" within a few years.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.lookups.errors import UpstreamBadResponse, UpstreamError
from bot.lookups.http import JsonClient
from bot.lookups.members import MembersClient, member_summary, profile_only
from bot.lookups.names import fold_name, parse_timestamp, text
from flows.representatives import Contact, Representative, Role

SOURCE = "members-api"
HOME_OFFICE = "home office"
HOME_SECRETARY_POST = "secretary of state for the home department"
# Most specific first: an explicit immigration minister wins over the asylum brief.
IMMIGRATION_KEYWORDS = ("immigration", "border security and asylum", "asylum", "migration")


@dataclass(frozen=True)
class MinistersLookup:
    home_secretary: Representative | None
    immigration_minister: Representative | None
    complete: bool = True  # False: a minister's contact details could not be fetched


@dataclass(frozen=True)
class _Holder:
    post_name: str
    member: Any  # MemberItem


class MinistersClient:
    def __init__(self, http: JsonClient, base_url: str, members: MembersClient) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._members = members

    async def current(self, now: datetime | None = None) -> MinistersLookup:
        moment = now or datetime.now(UTC)
        department_id = await self._home_office_id()
        params = {"departmentId": department_id} if department_id is not None else None
        posts = await self._get("/Posts/GovernmentPosts", params)
        if not isinstance(posts, list):
            raise UpstreamBadResponse(SOURCE, "government posts are not a list")
        holders = [h for h in (_current_holder(p, moment) for p in posts) if h]
        secretary = next((h for h in holders if _is_home_secretary(h.post_name)), None)
        minister = _immigration_minister([h for h in holders if h is not secretary])
        (home_secretary, ok_1), (immigration_minister, ok_2) = await asyncio.gather(
            self._representative(secretary, Role.HOME_SECRETARY),
            self._representative(minister, Role.IMMIGRATION_MINISTER),
        )
        return MinistersLookup(home_secretary, immigration_minister, complete=ok_1 and ok_2)

    async def _home_office_id(self) -> int | None:
        body = await self._get("/Reference/Departments", {"nameContains": "Home"})
        departments = [d.get("value", d) for d in body if isinstance(d, dict)] if isinstance(
            body, list) else []
        named = [(fold_name(str(d.get("name", ""))), d.get("id")) for d in departments
                 if isinstance(d, dict)]
        exact = [i for n, i in named if n == HOME_OFFICE and isinstance(i, int)]
        loose = [i for n, i in named if HOME_OFFICE in n and isinstance(i, int)]
        found = exact or loose
        return found[0] if found else None

    async def _representative(self, holder: _Holder | None,
                              role: Role) -> tuple[Representative | None, bool]:
        member = member_summary(holder.member) if holder else None
        if holder is None or member is None:
            return None, True
        complete = True
        try:
            contact = await self._members.contact(member.id)
        except UpstreamError:
            contact, complete = profile_only(member.id), False
        rep = Representative(role=role, name=member.name, area=member.seat,
                             party=member.party, post_title=holder.post_name,
                             address_as=member.address_as,
                             contact=Contact(email=contact.email, phone=contact.phone,
                                             profile_url=contact.profile_url))
        return rep, complete

    async def _get(self, path: str, params: dict[str, str | int] | None) -> Any:
        return await self._http.get_json(f"{self._base}{path}", source=SOURCE, params=params)


def _is_home_secretary(post_name: str) -> bool:
    return HOME_SECRETARY_POST in fold_name(post_name)


def _immigration_minister(holders: list[_Holder]) -> _Holder | None:
    for keyword in IMMIGRATION_KEYWORDS:
        for holder in holders:
            if keyword in fold_name(holder.post_name):
                return holder
    return None


def _current_holder(item: Any, now: datetime) -> _Holder | None:
    post = item.get("value") if isinstance(item, dict) else None
    if not isinstance(post, dict):
        return None
    name = text(post.get("name")) or text(post.get("hansardName"))
    holders = post.get("postHolders")
    if name is None or not isinstance(holders, list):
        return None
    current = [h for h in holders if isinstance(h, dict) and _in_office(h, now)]
    if not current:
        return None
    latest = max(current, key=lambda h: str(h.get("startDate") or ""))
    return _Holder(post_name=name, member=latest.get("member"))


def _in_office(holder: dict[str, Any], now: datetime) -> bool:
    start, end = parse_timestamp(holder.get("startDate")), parse_timestamp(holder.get("endDate"))
    if start is not None and start > now:
        return False
    return end is None or end > now


"""postcodes.io: a postcode's constituency, nation, council, ward and devolved areas.

Shapes: tests/fixtures/api/postcodes_io_*.json. Since v17 both
`parliamentary_constituency` and `parliamentary_constituency_2024` hold the 2024
seats; `_2024` is read first because it says so. The Scottish Parliament areas
are only in the separate /scotland/postcodes endpoint; `senedd_constituency` is
newer than some deployments and may be missing (then the Senedd route is a link).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from bot.lookups.errors import UpstreamBadResponse, UpstreamNotFound
from bot.lookups.http import JsonClient
from bot.lookups.names import text
from flows.case import Nation

SOURCE = "postcodes.io"

NATIONS = {
    "England": Nation.ENGLAND,
    "Scotland": Nation.SCOTLAND,
    "Wales": Nation.WALES,
    "Northern Ireland": Nation.NORTHERN_IRELAND,
}


class PostcodeStatus(StrEnum):
    FOUND = "found"
    INVALID = "invalid"  # postcodes.io says the text is not a postcode
    UNKNOWN = "unknown"  # well-formed, but no such postcode
    TERMINATED = "terminated"  # existed once; Royal Mail retired it


@dataclass(frozen=True)
class PostcodeFacts:
    """Public area data for a postcode. Deliberately without the postcode itself."""

    country: str | None = None
    constituency: str | None = None
    constituency_code: str | None = None
    council: str | None = None
    council_code: str | None = None
    county: str | None = None
    county_code: str | None = None
    ward: str | None = None
    region: str | None = None  # English region; None outside England
    senedd_constituency: str | None = None

    @property
    def nation(self) -> Nation | None:
        # Channel Islands and the Isle of Man are in the directory but not in the UK.
        return NATIONS.get(self.country or "")


@dataclass(frozen=True)
class PostcodeLookup:
    status: PostcodeStatus
    facts: PostcodeFacts | None = None
    terminated_year: int | None = None
    terminated_month: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status.value,
                "facts": asdict(self.facts) if self.facts else None,
                "terminated_year": self.terminated_year,
                "terminated_month": self.terminated_month}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PostcodeLookup:
        facts = data.get("facts")
        return cls(status=PostcodeStatus(data["status"]),
                   facts=PostcodeFacts(**facts) if facts else None,
                   terminated_year=data.get("terminated_year"),
                   terminated_month=data.get("terminated_month"))


@dataclass(frozen=True)
class ScottishAreas:
    """Holyrood areas of a Scottish postcode (2026 designation in current postcodes.io)."""

    constituency: str | None = None
    constituency_code: str | None = None
    region: str | None = None
    region_code: str | None = None


class PostcodesClient:
    def __init__(self, http: JsonClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def lookup(self, postcode: str) -> PostcodeLookup:
        """`postcode` must already be normalised ("B12 9QJ")."""
        try:
            body = await self._get(f"/postcodes/{_path(postcode)}")
        except UpstreamNotFound as missing:
            return await self._explain_404(postcode, missing.body)
        result = _result(body)
        if not isinstance(result, dict):
            return PostcodeLookup(PostcodeStatus.UNKNOWN)
        return PostcodeLookup(PostcodeStatus.FOUND, _facts(result))

    async def scottish_areas(self, postcode: str) -> ScottishAreas | None:
        """None when the Scottish directory does not know the postcode."""
        try:
            body = await self._get(f"/scotland/postcodes/{_path(postcode)}")
        except UpstreamNotFound:
            return None
        result = _result(body)
        if not isinstance(result, dict):
            return None
        codes = result.get("codes") if isinstance(result.get("codes"), dict) else {}
        return ScottishAreas(
            constituency=text(result.get("scottish_parliamentary_constituency")),
            constituency_code=text(codes.get("scottish_parliamentary_constituency")),
            region=text(result.get("scottish_parliamentary_region")),
            region_code=text(codes.get("scottish_parliamentary_region")),
        )

    async def outcode_constituencies(self, outward: str) -> tuple[str, ...] | None:
        """Constituencies an outward code ("BR8") spans; None when the code is unknown."""
        try:
            body = await self._get(f"/outcodes/{_path(outward)}")
        except UpstreamNotFound:
            return None
        result = _result(body)
        if not isinstance(result, dict):
            return None
        names = result.get("parliamentary_constituency_2024")
        if not isinstance(names, list):
            names = result.get("parliamentary_constituency")
        if not isinstance(names, list):
            return ()
        return tuple(dict.fromkeys(n for n in (text(x) for x in names) if n))

    async def _get(self, path: str) -> Any:
        return await self._http.get_json(f"{self._base}{path}", source=SOURCE)

    async def _explain_404(self, postcode: str, body: Any) -> PostcodeLookup:
        error = str(body.get("error", "")) if isinstance(body, dict) else ""
        if error.casefold().startswith("invalid"):
            return PostcodeLookup(PostcodeStatus.INVALID)
        terminated = body.get("terminated") if isinstance(body, dict) else None
        if isinstance(terminated, dict):
            return _terminated(terminated)
        # Older deployments leave the terminated block out of the 404: ask directly.
        try:
            body = await self._get(f"/terminated_postcodes/{_path(postcode)}")
        except UpstreamNotFound:
            return PostcodeLookup(PostcodeStatus.UNKNOWN)
        result = _result(body)
        if isinstance(result, dict):
            return _terminated(result)
        return PostcodeLookup(PostcodeStatus.UNKNOWN)


def _path(code: str) -> str:
    return quote(code.replace(" ", ""), safe="")


def _result(body: Any) -> Any:
    if not isinstance(body, dict):
        raise UpstreamBadResponse(SOURCE, "body is not an object")
    return body.get("result")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _terminated(block: dict[str, Any]) -> PostcodeLookup:
    return PostcodeLookup(PostcodeStatus.TERMINATED,
                          terminated_year=_int(block.get("year_terminated")),
                          terminated_month=_int(block.get("month_terminated")))


def _facts(result: dict[str, Any]) -> PostcodeFacts:
    codes = result.get("codes") if isinstance(result.get("codes"), dict) else {}

    def pick(*fields: str) -> str | None:
        return next((v for v in (text(result.get(f)) for f in fields) if v), None)

    def code(*fields: str) -> str | None:
        # GSS "pseudo" codes such as E99999999 mean "not applicable here".
        found = next((v for v in (text(codes.get(f)) for f in fields) if v), None)
        return None if found is None or found.endswith("99999999") else found

    return PostcodeFacts(
        country=pick("country"),
        constituency=pick("parliamentary_constituency_2024", "parliamentary_constituency"),
        constituency_code=code("parliamentary_constituency_2024", "parliamentary_constituency"),
        council=pick("admin_district"),
        council_code=code("admin_district"),
        county=pick("admin_county"),
        county_code=code("admin_county"),
        ward=pick("admin_ward"),
        region=pick("region"),
        senedd_constituency=pick("senedd_constituency"),
    )

"""Who represents a place, as plain data.

The shell fills these in from postcodes.io, the UK Parliament Members API and the
devolved parliaments' open data; the engine only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from flows.case import Nation


class Role(StrEnum):
    MP = "mp"
    MSP = "msp"
    MS = "ms"  # Member of the Senedd
    MLA = "mla"
    COUNCILLORS = "councillors"
    MAYOR = "mayor"
    HOME_SECRETARY = "home_secretary"
    IMMIGRATION_MINISTER = "immigration_minister"


class Purpose(StrEnum):
    """Why a place was looked up: it changes how its MP is presented."""

    HOME = "home"  # where the writer lives
    FORMER_HOME = "former_home"  # where a detained person lived before (G18)
    DETENTION_CENTRE = "detention_centre"
    FRIEND = "friend"  # where a friend or relative lives who can ask their own MP (G17)


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    website: str | None = None
    profile_url: str | None = None


@dataclass(frozen=True)
class Representative:
    role: Role
    name: str | None  # None for a vacant seat or a link-only route (councillors)
    area: str | None = None  # constituency, region or council
    party: str | None = None
    contact: Contact = field(default_factory=Contact)
    interests: tuple[str, ...] = ()
    # A regional list member (MSP region, additional member), as opposed to constituency.
    regional: bool = False
    vacant: bool = False
    post_title: str | None = None  # ministers: the post as Parliament names it
    # How a letter greets them ("Ms Abbott"): the Members API's nameAddressAs.
    address_as: str | None = None


@dataclass(frozen=True)
class Area:
    postcode: str
    nation: Nation | None = None
    constituency: str | None = None
    council: str | None = None
    council_website: str | None = None
    ward: str | None = None
    devolved_constituency: str | None = None
    devolved_region: str | None = None


class LookupProblem(StrEnum):
    INVALID_POSTCODE = "invalid_postcode"
    UNKNOWN_POSTCODE = "unknown_postcode"
    TERMINATED_POSTCODE = "terminated_postcode"
    PARTIAL_POSTCODE = "partial_postcode"  # an outward code such as "B12" only
    UPSTREAM_UNAVAILABLE = "upstream_unavailable"
    CENTRE_HAS_NO_POSTCODE = "centre_has_no_postcode"


@dataclass(frozen=True)
class LookupResult:
    """What is known about one place. `problem` set means the look-up failed partly or fully."""

    purpose: Purpose
    area: Area | None = None
    representatives: tuple[Representative, ...] = ()
    problem: LookupProblem | None = None
    # Served from an expired cache entry because the upstream was down.
    stale: bool = False
    # Constituencies an outward code may belong to (PARTIAL_POSTCODE).
    candidates: tuple[str, ...] = ()
    # The terminated year, where the upstream gives one.
    terminated_year: int | None = None

    def of_role(self, role: Role) -> tuple[Representative, ...]:
        return tuple(r for r in self.representatives if r.role is role)

    @property
    def mp(self) -> Representative | None:
        found = self.of_role(Role.MP)
        return found[0] if found else None


@dataclass(frozen=True)
class Ministers:
    """The Home Office ministers, fetched live (F11); never written into the code."""

    home_secretary: Representative | None = None
    immigration_minister: Representative | None = None
    stale: bool = False

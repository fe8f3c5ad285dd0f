"""Local councillors and mayors (G24).

Councillors: no open API names them for a postcode, so the route is WriteToThem's
link for the postcode, which lists the ward's councillors and writes to them.

Mayors: postcodes.io says nothing about combined authorities. London is read from
its `region`; elsewhere a council's GSS code (or, in two-tier areas, its county's)
is looked up in the table below — data with a date, like the detention centres
(F10). Mayors' names are not published in any API used here, so a mayor entry
names the authority, not the person. An area missing from the table simply gets
no mayor entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.lookups.links import writetothem
from bot.lookups.postcodes import PostcodeFacts
from bot.lookups.source import Part
from flows.representatives import Contact, Representative, Role

# Source: ONS "Combined Authorities (May 2025) Names and Codes in England" and the
# local authority district codes of their constituent councils; mayoral status
# from the authorities' own sites. As of 2025-05. Combined authorities whose first
# mayors were elected in 2025 or later are not listed yet (verify, then add).
TABLE_AS_OF = "2025-05"


@dataclass(frozen=True)
class MayoralAuthority:
    name: str
    website: str
    council_codes: frozenset[str]


MAYORAL_AUTHORITIES: tuple[MayoralAuthority, ...] = (
    MayoralAuthority(
        "Greater Manchester Combined Authority", "https://www.greatermanchester-ca.gov.uk",
        frozenset(f"E080000{n:02d}" for n in range(1, 11))),
    MayoralAuthority(
        "Liverpool City Region Combined Authority", "https://www.liverpoolcityregion-ca.gov.uk",
        frozenset({*(f"E080000{n:02d}" for n in range(11, 16)), "E06000006"})),
    MayoralAuthority(
        "South Yorkshire Mayoral Combined Authority", "https://www.southyorkshire-ca.gov.uk",
        frozenset(f"E080000{n:02d}" for n in range(16, 20))),
    MayoralAuthority(
        "West Yorkshire Combined Authority", "https://www.westyorks-ca.gov.uk",
        frozenset(f"E080000{n:02d}" for n in range(32, 37))),
    MayoralAuthority(
        "West Midlands Combined Authority", "https://www.wmca.org.uk",
        frozenset(f"E080000{n:02d}" for n in range(25, 32))),
    MayoralAuthority(
        "North East Combined Authority", "https://www.northeast-ca.gov.uk",
        frozenset({"E08000021", "E08000022", "E08000023", "E08000024", "E08000037",
                   "E06000047", "E06000057"})),
    MayoralAuthority(
        "Tees Valley Combined Authority", "https://teesvalley-ca.gov.uk",
        frozenset(f"E0600000{n}" for n in range(1, 6))),
    MayoralAuthority(
        "West of England Combined Authority", "https://www.westofengland-ca.gov.uk",
        frozenset({"E06000022", "E06000023", "E06000025"})),
    MayoralAuthority(
        "Cambridgeshire and Peterborough Combined Authority",
        "https://cambridgeshirepeterborough-ca.gov.uk",
        frozenset({"E07000008", "E07000009", "E07000010", "E07000011", "E07000012",
                   "E06000031"})),
    MayoralAuthority(
        "York and North Yorkshire Combined Authority", "https://yorknorthyorks-ca.gov.uk",
        frozenset({"E06000014", "E06000065"})),
    MayoralAuthority(
        # Derby, Nottingham, and the two-tier counties of Derbyshire and Nottinghamshire.
        "East Midlands Combined County Authority", "https://www.eastmidlands-cca.gov.uk",
        frozenset({"E06000015", "E06000018", "E10000007", "E10000024"})),
)
GREATER_LONDON_AUTHORITY = MayoralAuthority(
    "Greater London Authority", "https://www.london.gov.uk", frozenset())


def local_part(postcode: str, facts: PostcodeFacts) -> Part:
    """The councillors' route and the mayor, if any: known without asking anyone."""
    reps = [councillors_route(postcode, facts)] if facts.council else []
    mayor = mayor_for(facts)
    if mayor is not None:
        reps.append(mayor)
    return Part(reps=tuple(reps))


def councillors_route(postcode: str, facts: PostcodeFacts) -> Representative:
    return Representative(role=Role.COUNCILLORS, name=None, area=facts.council,
                          contact=Contact(website=writetothem(postcode, "council")))


def mayor_for(facts: PostcodeFacts) -> Representative | None:
    authority = mayoral_authority(facts)
    if authority is None:
        return None
    return Representative(role=Role.MAYOR, name=None, area=authority.name,
                          contact=Contact(website=authority.website))


def mayoral_authority(facts: PostcodeFacts) -> MayoralAuthority | None:
    if facts.region == "London":
        return GREATER_LONDON_AUTHORITY
    codes = {c for c in (facts.council_code, facts.county_code) if c}
    return next((a for a in MAYORAL_AUTHORITIES if a.council_codes & codes), None)

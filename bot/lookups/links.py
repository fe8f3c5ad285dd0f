"""Official routes to a representative, for when a name can't be fetched.

WriteToThem (mySociety) has no API; its documented deep link takes a postcode
and an optional area type (about-linktous.md). We pass only the person's own
postcode, never text to paste (WriteToThem blocks identical messages, F9).
These links are built per request and never cached: they contain the postcode.
"""

from __future__ import annotations

from urllib.parse import urlencode

WRITETOTHEM_URL = "https://www.writetothem.com/"
# Official finder pages as linked by several civic projects' code; not checked live
# from here (no internet), so worth a glance when deploying.
SCOTTISH_PARLIAMENT_FIND_MSP = (
    "https://www.parliament.scot/msps/current-and-previous-msps/find-your-msp"
)
SCOTTISH_PARLIAMENT_MSPS = "https://www.parliament.scot/msps/current-and-previous-msps"
SENEDD_FIND_MEMBER = "https://senedd.wales/find-a-member-of-the-senedd/"
MEMBERS_PROFILE = "https://members.parliament.uk/member/{member_id}"
MEMBERS_CONSTITUENCY = "https://members.parliament.uk/constituency/{constituency_id}/overview"
NI_ASSEMBLY_PROFILE = (
    "https://aims.niassembly.gov.uk/mlas/details.aspx?per={person_id}&sel=1&ind=0&prv=0"
)


def writetothem(postcode: str, area_type: str | None = None) -> str:
    """WriteToThem for this postcode; `area_type` e.g. "council" or "westminstermp"."""
    params = {"pc": postcode}
    if area_type:
        params["a"] = area_type
    return f"{WRITETOTHEM_URL}?{urlencode(params)}"

"""Where to find free, qualified advice (F8), as dated data.

Giving immigration advice is regulated, so the bot never advises on a legal case: it
points to people who may. Each entry keeps how well it was verified and when;
verified entries are shown first, an entry marked closed never is. Source:
shared/reference/signposts.md (compiled 2026-11-26).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.case import Case, Nation, Situation
from flows.text import Msg, t


class Verification(StrEnum):
    VERIFIED = "verified"
    PARTLY_VERIFIED = "partly_verified"
    UNCERTAIN = "uncertain"
    CLOSED = "closed"


@dataclass(frozen=True)
class Signpost:
    id: str
    name: str  # proper name, not translated
    what: Msg
    verification: Verification
    checked: str  # date of the newest source that confirms the details
    phone: str | None = None
    website: str | None = None
    nations: tuple[Nation, ...] = tuple(Nation)
    for_detained: bool = False
    for_removal: bool = False


SIGNPOSTS: tuple[Signpost, ...] = (
    Signpost(
        id="ddas", name="Detention Duty Advice Scheme (DDAS)",
        what=t("signpost.ddas", "Free 30-minute legal advice sessions inside removal centres in "
               "England. Ask the centre's welfare office or library for a legal surgery "
               "appointment, and ask for the lawyer's contact details afterwards."),
        verification=Verification.VERIFIED, checked="2025",
        nations=(Nation.ENGLAND,), for_detained=True,
    ),
    Signpost(
        id="find_legal_aid", name="Find a legal aid adviser (GOV.UK)",
        what=t("signpost.find_legal_aid", "Search by postcode for lawyers who take legal aid "
               "cases. Asylum, detention and bail cases can be covered by legal aid."),
        verification=Verification.VERIFIED, checked="2026-06",
        website="https://find-legal-advice.justice.gov.uk/",
        nations=(Nation.ENGLAND, Nation.WALES), for_removal=True,
    ),
    Signpost(
        id="iaa_finder", name="Immigration Advice Authority – find an adviser",
        what=t("signpost.iaa_finder", "Check that an immigration adviser is registered and "
               "allowed to do the work you need."),
        verification=Verification.VERIFIED, checked="2026",
        website="https://www.gov.uk/find-an-immigration-adviser", for_removal=True,
    ),
    Signpost(
        id="migrant_help", name="Migrant Help",
        what=t("signpost.migrant_help", "Free asylum helpline, open day and night, with "
               "interpreters: the asylum process, asylum support and accommodation problems. "
               "It is not a lawyer."),
        verification=Verification.VERIFIED, checked="2026-06", phone="0808 8010 503",
        website="https://www.migranthelpuk.org",
    ),
    Signpost(
        id="bid", name="Bail for Immigration Detainees (BID)",
        what=t("signpost.bid", "Free advice and guides on bail and getting out of detention, "
               "and on deportation. Check the advice line's hours before calling."),
        verification=Verification.PARTLY_VERIFIED, checked="2020-03",
        phone="020 7456 9750", website="https://www.biduk.org",
        for_detained=True, for_removal=True,
    ),
    Signpost(
        id="scotland_solicitors", name="Law Society of Scotland – find a solicitor",
        what=t("signpost.scotland", "Find an immigration solicitor in Scotland. Legal aid in "
               "Scotland also covers many immigration cases."),
        verification=Verification.PARTLY_VERIFIED, checked="2024-08",
        website="https://www.lawscot.org.uk", nations=(Nation.SCOTLAND,),
    ),
    Signpost(
        id="ni_solicitors", name="Legal aid in Northern Ireland (nidirect / Department of Justice)",
        what=t("signpost.ni", "How legal aid works in Northern Ireland, with a link to the Law "
               "Society's directory of solicitors."),
        verification=Verification.PARTLY_VERIFIED, checked="undated",
        website="https://www.justice-ni.gov.uk/topics/legal-aid/members-public",
        nations=(Nation.NORTHERN_IRELAND,),
    ),
    Signpost(
        id="right_to_remain", name="Right to Remain Toolkit",
        what=t("signpost.right_to_remain", "Plain-language guides to every stage of the asylum "
               "and immigration system, including removal and appeals."),
        verification=Verification.VERIFIED, checked="2023-12",
        website="https://righttoremain.org.uk/toolkit/",
    ),
    Signpost(
        id="unity_centre", name="Unity Centre Glasgow",
        what=t("signpost.unity", "Former drop-in support centre in Glasgow."),
        verification=Verification.CLOSED, checked="2026", nations=(Nation.SCOTLAND,),
    ),
)

_ORDER = {Verification.VERIFIED: 0, Verification.PARTLY_VERIFIED: 1, Verification.UNCERTAIN: 2}


def signposts_for(case: Case, limit: int = 4) -> tuple[Signpost, ...]:
    """The few most useful open services for this case, verified ones first."""
    detained = case.has(Situation.DETAINED)
    removal = case.has(Situation.REMOVAL)
    nation = case.nation or Nation.ENGLAND

    def relevant(sign: Signpost) -> bool:
        if sign.verification is Verification.CLOSED or nation not in sign.nations:
            return False
        if sign.for_detained and not sign.for_removal:
            return detained
        return True

    def rank(sign: Signpost) -> tuple[int, int]:
        fits = (detained and sign.for_detained) or (removal and sign.for_removal)
        return (0 if fits else 1, _ORDER[sign.verification])

    return tuple(sorted(filter(relevant, SIGNPOSTS), key=rank)[:limit])

"""Where to find free, qualified advice (F8), as dated data.

Giving immigration advice is regulated, so the bot never advises on a legal case: it
points to people who may. Sources: docs/guidance.md, F8 (the list was compiled
on 2026-11-26 from the services' own pages and public directories).
Each entry keeps how well it was verified and the date of the newest source
confirming its details; a phone number marked uncertain there is left out, and
an entry marked closed stays in the data (so nobody adds it back) but is never shown.

The UK has three legal systems, each with its own legal aid: England and Wales,
Scotland, Northern Ireland. So the services offered follow the nation whose system
applies: for a detained person, the nation of their detention centre (someone held at
Dungavel needs Scottish lawyers, wherever their home was); otherwise the nation of
their home postcode; England when neither is known.

How the few entries shown are chosen and ranked, and why:
- only open entries covering that nation; services for people in detention only for
  people who are detained (and, when flagged, for people facing removal);
- verified before partly verified before uncertain, so the details a person is most
  likely to rely on are the ones most likely to be right;
- within one level, services that fit the situation (detention, removal) first, then
  those specific to the nation, then UK-wide ones; ties keep the order of the data;
- the nation's own legal-aid route is always among them, even past the limit (it then
  replaces the last one): a lawyer is what the person needs most, and which finder
  works depends on the nation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.case import Case, Nation, Situation
from flows.centres import CENTRES_BY_ID
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
    for_detained: bool = False  # fits people held in detention
    for_removal: bool = False  # fits people facing removal
    only_if_fits: bool = False  # shown only to people in a situation it fits
    legal_aid_route: bool = False  # the way to a legal aid lawyer in its nations

    @property
    def nation_specific(self) -> bool:
        return set(self.nations) != set(Nation)


SIGNPOSTS: tuple[Signpost, ...] = (
    # UK-wide and England (and Wales)
    Signpost(
        id="ddas", name="Detention Duty Advice Scheme (DDAS)",
        what=t("signpost.ddas", "Free 30-minute legal advice sessions inside removal centres in "
               "England. Ask the centre's welfare office or library for a legal surgery "
               "appointment, and ask for the lawyer's contact details afterwards."),
        verification=Verification.VERIFIED, checked="2025",
        nations=(Nation.ENGLAND,), for_detained=True, only_if_fits=True,
    ),
    Signpost(
        id="find_legal_aid", name="Find a legal aid adviser (GOV.UK)",
        what=t("signpost.find_legal_aid", "Search by postcode for lawyers who take legal aid "
               "cases. Asylum, detention and bail cases can be covered by legal aid."),
        verification=Verification.VERIFIED, checked="2026-06",
        website="https://find-legal-advice.justice.gov.uk/",
        nations=(Nation.ENGLAND, Nation.WALES), for_removal=True, legal_aid_route=True,
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
        # The advice line and its hours were last confirmed on BID's own pages in 2020.
        id="bid", name="Bail for Immigration Detainees (BID)",
        what=t("signpost.bid", "Free advice and guides on bail and getting out of detention, "
               "and on deportation. Check the advice line's hours before calling."),
        verification=Verification.PARTLY_VERIFIED, checked="2020-03",
        phone="020 7456 9750", website="https://www.biduk.org",
        for_detained=True, for_removal=True, only_if_fits=True,
    ),
    Signpost(
        # The referral-advice number comes from a Medical Justice page of about 2019.
        id="medical_justice", name="Medical Justice",
        what=t("signpost.medical_justice", "Independent doctors for people in detention: they "
               "record signs of torture, health that is getting worse, or injuries from force "
               "or a removal attempt. You, a lawyer, family or a visitor can ask for a "
               "referral."),
        verification=Verification.PARTLY_VERIFIED, checked="2019",
        phone="020 7561 7498", website="https://medicaljustice.org.uk",
        for_detained=True, for_removal=True, only_if_fits=True,
    ),
    Signpost(
        # signposts.md 1.2: the name change is verified, the finder address only partly.
        id="iaa_finder", name="Immigration Advice Authority – find an adviser",
        what=t("signpost.iaa_finder", "Check that an immigration adviser is registered and "
               "allowed to do the work you need."),
        verification=Verification.PARTLY_VERIFIED, checked="2026-06",
        website="https://www.gov.uk/find-an-immigration-adviser", for_removal=True,
    ),
    Signpost(
        id="right_to_remain", name="Right to Remain Toolkit",
        what=t("signpost.right_to_remain", "Plain-language guides to every stage of the asylum "
               "and immigration system, including removal and appeals. It does not give advice "
               "on your own case."),
        verification=Verification.VERIFIED, checked="2023-12",
        website="https://righttoremain.org.uk/toolkit/", for_removal=True,
    ),
    # Scotland
    Signpost(
        id="scotland_solicitors", name="Law Society of Scotland – find a solicitor",
        what=t("signpost.scotland_solicitors", "Find a solicitor in Scotland who does "
               "immigration work; the Scottish Legal Aid Board also has a search. In Scotland, "
               "legal aid can cover many immigration cases, not only asylum."),
        verification=Verification.PARTLY_VERIFIED, checked="2024-08",
        website="https://www.lawscot.org.uk", nations=(Nation.SCOTLAND,),
        legal_aid_route=True,
    ),
    Signpost(
        # The reference gives two numbers, both marked uncertain: left out.
        id="scottish_refugee_council", name="Scottish Refugee Council",
        what=t("signpost.scottish_refugee_council", "Information, support and advocacy for "
               "people seeking asylum and refugees in Scotland, including where to find legal "
               "advice. It does not give legal advice itself."),
        verification=Verification.PARTLY_VERIFIED, checked="2024-08",
        website="https://scottishrefugeecouncil.org.uk", nations=(Nation.SCOTLAND,),
    ),
    Signpost(
        # signposts.md 2.8 cites an undated SDV page and a report of about 2022; SDV's own
        # statistics page of Feb 2025 (facts.md §1) is the newest source confirming it.
        id="sdv", name="Scottish Detainee Visitors (SDV)",
        what=t("signpost.sdv", "Volunteers who visit people held at Dungavel for company and "
               "practical support, and a group for people released from detention in "
               "Scotland."),
        verification=Verification.PARTLY_VERIFIED, checked="2025-02",
        website="https://sdv.org.uk", nations=(Nation.SCOTLAND,),
        for_detained=True, only_if_fits=True,
    ),
    Signpost(
        id="unity_centre", name="Unity Centre Glasgow",
        what=t("signpost.unity_centre", "Former drop-in support centre in Glasgow."),
        verification=Verification.CLOSED, checked="2023-12", nations=(Nation.SCOTLAND,),
    ),
    # Wales (legal aid: the England and Wales finder above)
    Signpost(
        # Its 2020 freephone is marked uncertain: left out.
        id="welsh_refugee_council", name="Welsh Refugee Council",
        what=t("signpost.welsh_refugee_council", "Support for people seeking asylum and "
               "refugees in Wales, including help with housing, interpreters and asylum "
               "rights."),
        verification=Verification.PARTLY_VERIFIED, checked="2024",
        website="https://wrc.wales", nations=(Nation.WALES,),
    ),
    Signpost(
        id="asylum_justice", name="Asylum Justice",
        what=t("signpost.asylum_justice", "Free legal advice and representation in Wales for "
               "people seeking asylum and refugees, including appeals and family reunion."),
        verification=Verification.PARTLY_VERIFIED, checked="2023",
        website="https://www.asylumjustice.org.uk", nations=(Nation.WALES,),
    ),
    # Northern Ireland
    Signpost(
        id="ni_solicitors",
        name="Legal aid in Northern Ireland (Department of Justice; Law Society NI directory)",
        what=t("signpost.ni_solicitors", "How legal aid works in Northern Ireland, with a link "
               "to the Law Society of Northern Ireland's list of solicitors. Legal aid there "
               "can cover many immigration cases, not only asylum."),
        verification=Verification.PARTLY_VERIFIED, checked="undated",
        website="https://www.justice-ni.gov.uk/topics/legal-aid/members-public",
        nations=(Nation.NORTHERN_IRELAND,), legal_aid_route=True,
    ),
    Signpost(
        # Its advice line (about 2017) is marked uncertain: left out.
        id="law_centre_ni", name="Law Centre NI",
        what=t("signpost.law_centre_ni", "Free specialist legal advice on immigration in "
               "Northern Ireland, including for people held in detention there."),
        verification=Verification.PARTLY_VERIFIED, checked="2017",
        website="https://www.lawcentreni.org", nations=(Nation.NORTHERN_IRELAND,),
        for_detained=True,
    ),
    Signpost(
        id="larne_visitors", name="Larne House Visitor Group",
        what=t("signpost.larne_visitors", "Volunteers who visit people held at Larne House and, "
               "if they are moved to Britain, put them in touch with visitors there. They do "
               "not give legal advice."),
        verification=Verification.PARTLY_VERIFIED, checked="undated",
        website="https://larnehousevisitorgroup.org", nations=(Nation.NORTHERN_IRELAND,),
        for_detained=True, only_if_fits=True,
    ),
)

_ORDER = {Verification.VERIFIED: 0, Verification.PARTLY_VERIFIED: 1, Verification.UNCERTAIN: 2}


def advice_nation(case: Case) -> Nation:
    """Whose legal system applies: the detention centre's, else the home's, else England."""
    if case.has(Situation.DETAINED) and case.centre_id in CENTRES_BY_ID:
        return CENTRES_BY_ID[case.centre_id].nation
    return case.nation or Nation.ENGLAND


def select_signposts(nation: Nation, *, detained: bool, removal: bool,
                     limit: int = 5) -> tuple[Signpost, ...]:
    """The open services for `nation`, ranked as the module docstring says, at most `limit`."""

    def fits(sign: Signpost) -> bool:
        return (detained and sign.for_detained) or (removal and sign.for_removal)

    def shown(sign: Signpost) -> bool:
        if sign.verification is Verification.CLOSED or nation not in sign.nations:
            return False
        return fits(sign) or not sign.only_if_fits

    def rank(sign: Signpost) -> tuple[int, int, int]:
        return (_ORDER[sign.verification], 0 if fits(sign) else 1,
                0 if sign.nation_specific else 1)

    unique = {sign.id: sign for sign in SIGNPOSTS if shown(sign)}  # each entry once
    ranked = sorted(unique.values(), key=rank)  # stable: ties keep the data's order
    if limit < 1:
        return ()
    chosen = ranked[:limit]
    route = next((sign for sign in ranked if sign.legal_aid_route), None)
    if route is not None and route not in chosen:
        chosen = [*chosen[:limit - 1], route]  # it ranked after all of them: order holds
    return tuple(chosen)


def signposts_for(case: Case, limit: int = 5) -> tuple[Signpost, ...]:
    """The few most useful open services for this case, verified ones first."""
    return select_signposts(advice_nation(case), detained=case.has(Situation.DETAINED),
                            removal=case.has(Situation.REMOVAL), limit=limit)

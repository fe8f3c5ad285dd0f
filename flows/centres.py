"""Immigration detention centres, as dated data.

Centres open, close and change operator (F10), so every entry carries the date of
the source it rests on, and the constituency is resolved from the postcode at run
time wherever a postcode is known. Where no reliable postcode was found, the seat
named by a source is kept as a hint for a constituency search, marked verified or
not. Sources: docs/guidance.md, F10 (sources from 2015 to April 2026).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from flows.case import Nation
from flows.folding import without_marks


class CentreStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    PLANNED = "planned"


@dataclass(frozen=True)
class DetentionCentre:
    id: str
    name: str
    kind: str  # "IRC", "RSTHF" or "STHF"
    held: str  # who is held there, in the source's words (English, for data only)
    operator: str | None
    address: str | None
    postcode: str | None
    nation: Nation  # whose legal system (and legal aid) the centre falls under
    status: CentreStatus
    status_since: str | None  # ISO date or year-month of the last status change
    source_date: str  # when the newest source we rely on was published
    constituency_hint: str | None = None
    constituency_hint_verified: bool = False
    aliases: tuple[str, ...] = ()
    probable_postcode: bool = False  # the postcode is of a building on the same site

    @property
    def is_open(self) -> bool:
        return self.status is CentreStatus.OPEN


CENTRES: tuple[DetentionCentre, ...] = (
    DetentionCentre(
        id="brook_house", name="Brook House", kind="IRC", held="adult men",
        operator="Serco", address="Perimeter Road South, Gatwick Airport",
        nation=Nation.ENGLAND,
        postcode="RH6 0PQ", status=CentreStatus.OPEN, status_since=None,
        source_date="2025-07", constituency_hint="Crawley", constituency_hint_verified=True,
        aliases=("brookhouse", "brook", "gatwick", "بروك هاوس", "بروک هاوس", "ብሩክ ሃውስ"),
    ),
    DetentionCentre(
        id="tinsley_house", name="Tinsley House", kind="IRC", held="adult men",
        operator="Serco", address="Perimeter Road South, Gatwick Airport", postcode=None,
        nation=Nation.ENGLAND,
        status=CentreStatus.OPEN, status_since=None, source_date="2025-07",
        constituency_hint="Crawley", constituency_hint_verified=True,
        aliases=("tinsley", "tinsly house", "gatwick pre-departure", "تينسلي", "تینزلی"),
    ),
    DetentionCentre(
        id="harmondsworth", name="Harmondsworth", kind="IRC", held="men",
        operator="Mitie Care & Custody", address="Heathrow IRC, Colnbrook Bypass",
        nation=Nation.ENGLAND,
        postcode="UB7 0HB", probable_postcode=True, status=CentreStatus.OPEN,
        status_since=None, source_date="2025-04", constituency_hint="Hayes and Harlington",
        constituency_hint_verified=True,
        aliases=("harmonsworth", "harmondsworh", "heathrow irc", "heathrow", "هارموندسورث",
                 "هارمندزورث", "هارموندزورث", "ሃርሞንድስወርዝ"),
    ),
    DetentionCentre(
        id="colnbrook", name="Colnbrook", kind="IRC", held="men",
        operator="Mitie Care & Custody", address="Colnbrook Bypass (Heathrow IRC)",
        nation=Nation.ENGLAND,
        postcode=None, status=CentreStatus.OPEN, status_since=None, source_date="2025-04",
        constituency_hint="Hayes and Harlington", constituency_hint_verified=True,
        aliases=("colnbrok", "colinbrook", "كولنبروك", "کولنبروک"),
    ),
    DetentionCentre(
        id="yarls_wood", name="Yarl's Wood", kind="IRC", held="men and women",
        operator="Serco", address="Twinwood Road, near Clapham, Bedfordshire",
        nation=Nation.ENGLAND,
        postcode="MK44 1FD", probable_postcode=True, status=CentreStatus.OPEN,
        status_since=None, source_date="2023", constituency_hint=None,
        aliases=("yarls wood", "yarlswood", "yarl wood", "yarlwood", "يارلز وود", "یارلز وود"),
    ),
    DetentionCentre(
        id="dungavel", name="Dungavel House", kind="IRC", held="men and a few women",
        operator="Mitie Care & Custody",
        address="Muirkirk Road, Strathaven, South Lanarkshire", postcode="ML10 6RF",
        nation=Nation.SCOTLAND,
        status=CentreStatus.OPEN, status_since="2017-02", source_date="2025-07",
        aliases=("dungavel house", "dungavl", "dungavell", "دونغافيل", "دانگاول"),
    ),
    DetentionCentre(
        id="derwentside", name="Derwentside", kind="IRC", held="women",
        operator="Serco", address="Hassockfield, Medomsley, near Consett, County Durham",
        nation=Nation.ENGLAND,
        postcode=None, status=CentreStatus.OPEN, status_since="2021-12",
        source_date="2025-10", constituency_hint="North West Durham",
        constituency_hint_verified=False,
        aliases=("hassockfield", "derwent side", "dervent side", "ديروينتسايد", "دروینت ساید"),
    ),
    DetentionCentre(
        id="campsfield", name="Campsfield House", kind="IRC", held="men",
        operator="Mitie", address="Langford Lane, Kidlington", postcode=None,
        nation=Nation.ENGLAND,
        status=CentreStatus.OPEN, status_since="2025-12-01", source_date="2025-12",
        constituency_hint="Bicester and Woodstock", constituency_hint_verified=True,
        aliases=("campsfield house", "camsfield", "kidlington", "كامبسفيلد", "کمپسفیلد"),
    ),
    DetentionCentre(
        id="haslar", name="Haslar", kind="IRC", held="men", operator=None,
        nation=Nation.ENGLAND,
        address="Dolphin Way, Gosport", postcode=None, status=CentreStatus.PLANNED,
        status_since="2015", source_date="2025-08", constituency_hint="Gosport",
        constituency_hint_verified=True, aliases=("haslar irc", "gosport", "هاسلار"),
    ),
    DetentionCentre(
        id="morton_hall", name="Morton Hall", kind="IRC", held="(former IRC)", operator=None,
        nation=Nation.ENGLAND,
        address="Swinderby, Lincolnshire", postcode=None, status=CentreStatus.CLOSED,
        status_since="2021-07-23", source_date="2021",
        aliases=("morton hal", "mortonhall", "مورتون هول"),
    ),
    DetentionCentre(
        id="larne_house", name="Larne House", kind="RSTHF", held="men and women, short stays",
        operator="Mitie Care & Custody (probably)",
        address="2 Hope Street, Larne, Co. Antrim", postcode="BT40 1UR",
        nation=Nation.NORTHERN_IRELAND,
        status=CentreStatus.OPEN, status_since=None, source_date="2024-04",
        aliases=("larne", "لارن"),
    ),
    DetentionCentre(
        id="manchester_rsthf", name="Manchester short-term holding facility", kind="RSTHF",
        held="men and women, short stays", operator="Mitie",
        address="Manchester Airport, World Freight Terminal", postcode=None,
        nation=Nation.ENGLAND,
        status=CentreStatus.OPEN, status_since=None, source_date="2024",
        constituency_hint="Wythenshawe and Sale East", constituency_hint_verified=False,
        aliases=("pennine house", "manchester airport", "manchester", "مانشستر"),
    ),
    DetentionCentre(
        id="swinderby", name="Swinderby short-term holding facility", kind="STHF",
        held="short stays, up to 7 days", operator="Mitie",
        address="Park Crescent, Eagle Road, Swinderby, Lincoln", postcode="LN6 9HU",
        nation=Nation.ENGLAND,
        status=CentreStatus.OPEN, status_since=None, source_date="2024-09",
        aliases=("swinderby", "swinderbi"),
    ),
)

CENTRES_BY_ID: dict[str, DetentionCentre] = {c.id: c for c in CENTRES}


def open_centres() -> tuple[DetentionCentre, ...]:
    return tuple(c for c in CENTRES if c.is_open)


def _fold(text: str) -> str:
    """Lower-case, strip accents and punctuation so 'Yarl's  Wood' == 'yarls wood'."""
    return " ".join(re.sub(r"[^\w\s]", "", without_marks(text)).split())


def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for centre in CENTRES:
        for name in (centre.name, centre.id.replace("_", " "), *centre.aliases):
            names[_fold(name)] = centre.id
    return names


_NAMES = _names()


def find_centre(text: str, min_score: float = 85.0) -> DetentionCentre | None:
    """The centre a person means, allowing typos: 'harmonsworth' -> Harmondsworth.

    Looks for a known name inside the text first (short messages often carry more
    than the name), then for the closest name overall.
    """
    folded = _fold(text)
    if not folded:
        return None
    if folded in _NAMES:
        return CENTRES_BY_ID[_NAMES[folded]]
    best = process.extractOne(folded, _NAMES.keys(), scorer=fuzz.partial_ratio,
                              score_cutoff=min_score)
    # partial_ratio rewards a short alias hidden in a long text; require the alias
    # to be long enough that the match isn't a coincidence of three letters.
    if best is not None and len(best[0]) >= 5:
        return CENTRES_BY_ID[_NAMES[best[0]]]
    whole = process.extractOne(folded, _NAMES.keys(), scorer=fuzz.ratio,
                               score_cutoff=min_score - 5)
    return CENTRES_BY_ID[_NAMES[whole[0]]] if whole is not None else None

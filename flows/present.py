"""Turning routes and looked-up representatives into messages a person can act on."""

from __future__ import annotations

from urllib.parse import quote_plus

from flows.advice import Route, RouteId
from flows.case import Case
from flows.centres import CENTRES_BY_ID, DetentionCentre
from flows.representatives import (
    LookupProblem,
    LookupResult,
    Ministers,
    Purpose,
    Representative,
    Role,
)
from flows.signposts import Signpost, Verification, signposts_for
from flows.text import Msg, Plain, t

ROLE_NAMES: dict[Role, Msg] = {
    Role.MP: t("role.mp", "MP"),
    Role.MSP: t("role.msp", "MSP"),
    Role.MS: t("role.ms", "Member of the Senedd"),
    Role.MLA: t("role.mla", "MLA"),
    Role.COUNCILLORS: t("role.councillors", "Councillors"),
    Role.MAYOR: t("role.mayor", "Mayor"),
    Role.HOME_SECRETARY: t("role.home_secretary", "Home Secretary"),
    Role.IMMIGRATION_MINISTER: t("role.immigration_minister", "Immigration minister"),
}

FIND_MP_URL = "https://members.parliament.uk/FindYourMP"


def writetothem_url(postcode: str) -> str:
    return f"https://www.writetothem.com/?pc={quote_plus(postcode)}"


# How many free-advice services a short list shows; the rest are a button away.
_SHORT_LISTS = {RouteId.FREE_ADVICE: 2, RouteId.LAWYER_NOW: 3}


def route_parts(route: Route, case: Case, results: tuple[LookupResult, ...],
                ministers: Ministers | None, *, brief: bool = False,
                people: bool = True, services: bool = True) -> list[Msg | Plain]:
    """A route as paragraphs: title, the points, then who exactly and how to reach them.

    `brief` keeps the first point and the essentials of each contact (for the first
    screen after a look-up); `people=False` leaves out the contacts already shown, and
    `services=False` the free-advice services.
    """
    parts: list[Msg | Plain] = [t("route.title", "▶ {title}", title=route.title)]
    points = route.points[:1] if brief else route.points
    parts += [point.text for point in points]
    if route.id is RouteId.CENTRE_MP and people:
        parts += centre_parts(case, brief=brief)
    if route.id is RouteId.MINISTERS:
        parts += minister_parts(ministers)
    elif route.role is not None and route.purpose is not None and people:
        parts += representative_parts(route.role, route.purpose, results, brief=brief)
    if route.id in (RouteId.FREE_ADVICE, RouteId.LAWYER_NOW) and services:
        # The removal block is read in a hurry: a few services, how to reach them.
        short = brief or route.id is RouteId.LAWYER_NOW
        signs = signposts_for(case, limit=_SHORT_LISTS[route.id]) if short else \
            signposts_for(case)
        parts += [signpost_part(sign, brief=short) for sign in signs]
    if not people and route.role is not None and route.purpose is not None:
        parts += interest_parts(route.role, route.purpose, results)
    return parts


def centre_parts(case: Case, brief: bool = False) -> list[Msg | Plain]:
    centre = CENTRES_BY_ID.get(case.centre_id or "")
    if centre is None:
        return []
    if brief:
        return [t("centre.line_brief", "{name} (my information is from {date})",
                  name=Plain(centre.name), date=Plain(centre.source_date))]
    return [centre_line(centre)]


def centre_line(centre: DetentionCentre) -> Msg:
    """The centre with the date of our information (F10)."""
    return t("centre.line", "{name}: {address} (information from {date}; centres change, so "
             "check before visiting).", name=Plain(centre.name),
             address=Plain(centre.address or "—"), date=Plain(centre.source_date))


def representative_parts(role: Role, purpose: Purpose, results: tuple[LookupResult, ...],
                         brief: bool = False) -> list[Msg | Plain]:
    result = next((r for r in results if r.purpose is purpose), None)
    if result is None:
        # No postcode was given: point to the official finder rather than leave a gap.
        return mp_fallback_parts(None) if role is Role.MP else []
    parts: list[Msg | Plain] = []
    found = result.of_role(role)
    for rep in found:
        parts += person_parts(rep, brief=brief)
    if result.stale and found:
        parts.append(t("lookup.stale", "(Saved details: the official source didn't answer just "
                       "now, so these may be out of date.)"))
    if not found and role is Role.MP:
        parts += mp_fallback_parts(result)
    if role is Role.COUNCILLORS and result.area is not None and not found:
        parts.append(t("council.link", "Write to your councillors: {url}",
                       url=Plain(writetothem_url(result.area.postcode))))
    return parts


def person_parts(rep: Representative, brief: bool = False) -> list[Msg | Plain]:
    if rep.vacant:
        return [t("rep.vacant", "The {role} seat for {area} is empty at the moment. Contact a "
                  "neighbouring MP, or write through {url}.", role=ROLE_NAMES[rep.role],
                  area=Plain(rep.area or "—"), url=Plain(FIND_MP_URL))]
    if rep.name is None:
        link = rep.contact.website or rep.contact.profile_url
        return [t("rep.link_only", "{role} for {area}: {url}", role=ROLE_NAMES[rep.role],
                  area=Plain(rep.area or "—"), url=Plain(link or "—"))]
    headline = Plain(" — ".join(x for x in (rep.name, rep.party, rep.area) if x))
    parts: list[Msg | Plain] = [t("rep.name", "{role}: {who}", role=ROLE_NAMES[rep.role],
                                  who=headline)]
    contact = rep.contact
    if contact.email:
        parts.append(t("rep.email", "Email: {value}", value=Plain(contact.email)))
    if contact.phone:
        parts.append(t("rep.phone", "Phone: {value}", value=Plain(contact.phone)))
    # The first screen keeps what someone needs to write or call; the office address
    # and web pages come with the details.
    full = not brief or not (contact.email or contact.phone)
    if contact.address and full:
        parts.append(t("rep.address", "Office: {value}", value=Plain(contact.address)))
    if contact.website and full:
        parts.append(t("rep.website", "Website: {value}", value=Plain(contact.website)))
    if contact.profile_url and full:
        parts.append(t("rep.profile", "Profile: {value}", value=Plain(contact.profile_url)))
    if rep.interests and not brief:
        parts.append(interests_line(rep))
    return parts


def interest_parts(role: Role, purpose: Purpose,
                   results: tuple[LookupResult, ...]) -> list[Msg | Plain]:
    """What the representatives of a route list as their interests (G6, G7)."""
    result = next((r for r in results if r.purpose is purpose), None)
    found = result.of_role(role) if result else ()
    return [interests_line(rep) for rep in found if rep.interests]


def interests_line(rep: Representative) -> Msg:
    # The Members API gives "Political Interests: Refugees, Housing": the topics
    # without the category words.
    topics = [topic.split(": ", 1)[-1] for topic in rep.interests[:3]]
    return t("rep.interests", "Interests they list: {value}. If your story touches one of "
             "them, say so.", value=Plain("; ".join(topics)))


def mp_fallback_parts(result: LookupResult | None) -> list[Msg | Plain]:
    """When no MP could be named: the official routes, never a dead end."""
    if result is None:
        return [t("lookup.no_postcode", "Find the MP for any UK postcode at {url}",
                  url=Plain(FIND_MP_URL))]
    if result.problem is LookupProblem.CENTRE_HAS_NO_POSTCODE:
        return [t("lookup.centre_unknown_seat", "I couldn't confirm which constituency this "
                  "centre is in, so I can't name its MP. Find it on the official site: {url}",
                  url=Plain(FIND_MP_URL))]
    postcode = result.area.postcode if result.area else None
    if postcode:
        return [t("lookup.unavailable_pc", "I couldn't reach the official MP look-up just now. "
                  "You can find the MP at {url} or write to them through {wtt}",
                  url=Plain(FIND_MP_URL), wtt=Plain(writetothem_url(postcode)))]
    return [t("lookup.unavailable", "I couldn't reach the official MP look-up just now. You "
              "can find the MP at {url}", url=Plain(FIND_MP_URL))]


def minister_parts(ministers: Ministers | None) -> list[Msg | Plain]:
    """Named only when fetched live (F11); otherwise the post, and the MP as the way in."""
    parts: list[Msg | Plain] = []
    if ministers is not None:
        for rep in (ministers.home_secretary, ministers.immigration_minister):
            if rep is not None and rep.name:
                parts.append(t("minister.line", "{role}: {name}", role=ROLE_NAMES[rep.role],
                               name=Plain(rep.name + (f" ({rep.post_title})"
                                                      if rep.post_title else ""))))
    if not parts:
        parts.append(t("minister.unknown", "I couldn't check who holds these posts right now; "
                       "your MP's office will know."))
    parts.append(t("minister.via_mp", "Reach them through your MP rather than writing "
                   "directly."))
    return parts


def signpost_part(sign: Signpost, brief: bool = False) -> Msg:
    details = " · ".join(x for x in (sign.phone, sign.website) if x)
    if brief and details:
        # How to reach them; what they do is under "Free legal advice".
        if sign.verification is Verification.VERIFIED:
            return t("signpost.brief", "• {name}: {details}", name=Plain(sign.name),
                     details=Plain(details))
        return t("signpost.brief_check", "• {name}: {details} (checked {date})",
                 name=Plain(sign.name), details=Plain(details), date=Plain(sign.checked))
    if sign.verification is Verification.VERIFIED:
        return t("signpost.line", "• {name}: {what} {details}", name=Plain(sign.name),
                 what=sign.what, details=Plain(details))
    return t("signpost.line_check", "• {name}: {what} {details} (details last confirmed "
             "{date}; check before relying on them)", name=Plain(sign.name), what=sign.what,
             details=Plain(details), date=Plain(sign.checked))


def lookup_problem_message(result: LookupResult, example: str) -> Msg | None:
    """A kind explanation when a postcode couldn't be used; None when it could."""
    problem = result.problem
    if problem is LookupProblem.INVALID_POSTCODE:
        return t("postcode.invalid", "That doesn't look like a UK postcode. A postcode looks "
                 "like {example}. Please try again, or press Skip.", example=Plain(example))
    if problem is LookupProblem.UNKNOWN_POSTCODE:
        return t("postcode.unknown", "I couldn't find that postcode. Please check it (it looks "
                 "like {example}) and send it again.", example=Plain(example))
    if problem is LookupProblem.TERMINATED_POSTCODE:
        if result.terminated_year:
            return t("postcode.terminated_year", "That postcode stopped being used in {year}. "
                     "Please send the postcode you use for post now.",
                     year=Plain(str(result.terminated_year)))
        return t("postcode.terminated", "That postcode is no longer in use. Please send the "
                 "postcode you use for post now.")
    if problem is LookupProblem.PARTIAL_POSTCODE:
        if result.candidates:
            return t("postcode.partial_candidates", "That is only the first half of a postcode. "
                     "It could be in: {areas}. Please send the full postcode, like {example}.",
                     areas=Plain(", ".join(result.candidates)), example=Plain(example))
        return t("postcode.partial", "That is only the first half of a postcode. Please send the "
                 "full postcode, like {example}.", example=Plain(example))
    return None

"""Which politicians can help, why, what they can realistically do, and what to expect.

`advise(case)` turns a case into an ordered list of routes. Every text carries the
ids of the guidance points it rests on (docs/guidance.md), so tests can check that
each point is reachable and the reasoning stays traceable. This is information, not
legal advice (F8): nothing here tells a person what to do in their legal case.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.case import Case, LawyerSilence, Nation, Situation
from flows.representatives import Purpose, Role
from flows.text import Msg, t


class RouteId(StrEnum):
    LAWYER_NOW = "lawyer_now"
    MP = "mp"
    HELPER_OWN_MP = "helper_own_mp"
    CENTRE_MP = "centre_mp"
    FORMER_MP = "former_mp"
    FRIEND_VISITS_MP = "friend_visits_mp"
    CONSENT = "consent"
    SITUATION = "situation"
    MSP = "msp"
    MS = "ms"
    MLA = "mla"
    COUNCILLORS = "councillors"
    MINISTERS = "ministers"
    OTHER_CONSTITUENCIES = "other_constituencies"
    COMMUNITY = "community"
    PETITION = "petition"
    TIPS = "tips"
    FREE_ADVICE = "free_advice"


class Tier(StrEnum):
    """PRIMARY routes are shown straight away; MORE ones when the person asks."""

    PRIMARY = "primary"
    MORE = "more"


@dataclass(frozen=True)
class Point:
    """One thing to know, and the guidance ids it carries."""

    text: Msg
    guidance: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    id: RouteId
    title: Msg
    points: tuple[Point, ...]
    tier: Tier = Tier.PRIMARY
    urgent: bool = False
    # Which looked-up representatives belong under this route.
    role: Role | None = None
    purpose: Purpose | None = None

    @property
    def guidance(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for point in self.points:
            seen.update(dict.fromkeys(point.guidance))
        return tuple(seen)


def _p(text: Msg, *guidance: str) -> Point:
    return Point(text, guidance)


def advise(case: Case) -> list[Route]:
    """The routes for this case, most urgent first, then most useful first."""
    builders = (
        _lawyer_now, _main_mp, _centre_mp, _former_mp, _friend_visits, _consent,
        _situation_notes, _devolved, _councillors, _ministers, _other_constituencies,
        _community, _petition, _tips, _free_advice,
    )
    routes = [route for build in builders if (route := build(case)) is not None]
    return routes


def primary_routes(case: Case) -> list[Route]:
    """What the first screen shows."""
    return [r for r in advise(case) if r.tier is Tier.PRIMARY]


def select_routes(case: Case, ids: tuple[RouteId, ...]) -> list[Route]:
    """The routes with these ids that apply to the case, in the usual order."""
    return [r for r in advise(case) if r.id in ids]


def find_route(case: Case, route_id: RouteId) -> Route | None:
    return next((r for r in advise(case) if r.id is route_id), None)


# --- removal: the most urgent path ----------------------------------------------


def _lawyer_now(case: Case) -> Route | None:
    if not case.has(Situation.REMOVAL):
        return None
    helping = case.helping
    if case.lawyer_known:
        first = (t("removal.lawyer_first_has.other", "Call their lawyer now and tell them about "
                   "the removal date. Do it today, before anything else.") if helping else
                 t("removal.lawyer_first_has", "Call your lawyer now and tell them about the "
                   "removal date. Do it today, before anything else."))
    else:
        first = (t("removal.lawyer_first_none.other", "They need a lawyer now. The free "
                   "services below can help find one quickly. In a removal centre, they can ask "
                   "the welfare office today for a legal advice appointment.") if helping else
                 t("removal.lawyer_first_none", "Get a lawyer now. The free services below can "
                   "help you find one quickly. If you are in a removal centre, ask the welfare "
                   "office today for a legal advice appointment."))
    counts = (t("removal.what_counts.other", "Things that can count as new information: their "
                "health or fitness to travel, children and their schooling, strong ties here, "
                "or the situation in their home country getting worse. Their lawyer can say "
                "what applies.") if helping else
              t("removal.what_counts", "Things that can count as new information: your health "
                "or fitness to travel, children and their schooling, strong ties here, or the "
                "situation in your home country getting worse. Your lawyer can say what applies "
                "to you."))
    return Route(
        id=RouteId.LAWYER_NOW,
        title=t("removal.title", "URGENT: removal — lawyer and MP at the same time"),
        urgent=True,
        points=(
            _p(first, "F5", "F8"),
            _p(t("removal.mp_in_parallel", "At the same time, contact an MP. Don't wait for one "
                 "to answer before trying the other."), "F5", "G2"),
            _p(t("removal.what_mp_can_do", "An MP cannot cancel a removal. If there is new and "
                 "important information the Home Office has not considered, the MP can ask for "
                 "the removal to be put off while it is looked at."), "F5"),
            _p(counts, "F5", "F8"),
        ),
    )


# --- the MP ---------------------------------------------------------------------


def _why_mp_lines(case: Case) -> list[Point]:
    """G2: why an MP fits each of this person's situations."""
    helping = case.helping
    why = {
        Situation.REFUSED: _p(t("mp.why.refused.other", "After a refusal, an MP can ask the Home "
                                "Office about their case and make sure it is looked at "
                                "properly.") if helping else
                              t("mp.why.refused", "After a refusal, an MP can ask the Home Office "
                                "about your case and make sure it is looked at properly."), "G2"),
        Situation.APPEAL_RIGHTS_EXHAUSTED: _p(
            t("mp.why.are.other", "Even when the Home Office says no appeals are left, an MP can "
              "still raise their case with them.") if helping else
            t("mp.why.are", "Even when the Home Office says no appeals are left, an MP can still "
              "raise your case with them."), "G2", "G15"),
        Situation.DETAINED: _p(t("mp.why.detained", "An MP can ask the Home Office why someone is "
                                 "detained and about their case."), "G2"),
        Situation.DELAYED: (
            _p(t("mp.why.delayed_short", "A wait of under six months is common. An MP can still "
                 "ask the Home Office where the claim stands, but is more likely to press for a "
                 "decision after a longer wait."), "G2", "G12") if case.short_wait else
            _p(t("mp.why.delayed", "After a very long wait, an MP can ask the Home Office for a "
                 "decision."), "G2", "G14")),
        Situation.NO_LAWYER: _p(t("mp.why.no_lawyer.other", "Without a lawyer, an MP can help "
                                  "them get an answer from the Home Office.") if helping else
                                t("mp.why.no_lawyer", "Without a lawyer, an MP can help you get "
                                  "an answer from the Home Office."), "G2"),
        Situation.LAWYER_UNRESPONSIVE: (
            _p(t("mp.why.lawyer_silent.other", "An MP cannot make a lawyer answer, but can ask "
                 "the Home Office where their case stands.") if helping else
               t("mp.why.lawyer_silent", "An MP cannot make a lawyer answer you, but can ask the "
                 "Home Office where your case stands."), "G2")
            if case.lawyer_silence is LawyerSilence.LAWYER else
            _p(t("mp.why.lawyer_unresponsive.other", "When the Home Office does not answer their "
                 "lawyer, an MP can ask them to respond.") if helping else
               t("mp.why.lawyer_unresponsive", "When the Home Office does not answer your "
                 "lawyer, an MP can ask them to respond."), "G2")),
        Situation.REMOVAL: _p(t("mp.why.removal", "When removal is close, an MP can act quickly "
                                "and contact the Home Office directly."), "G2", "F5"),
    }
    return [why[s] for s in case.situations if s in why]


def _main_mp(case: Case) -> Route | None:
    """The MP where the writer lives: the main route (G1), or G17 for a helper."""
    if case.helping:
        return Route(
            id=RouteId.HELPER_OWN_MP,
            title=t("mp.helper.title", "Your own MP"),
            role=Role.MP, purpose=Purpose.HOME,
            points=(
                _p(t("mp.helper.why", "You can ask your own MP to help the person you support, "
                     "even if they live somewhere else. MPs act for the people in their area, and "
                     "you are one of them."), "G17", "F7", "F12"),
                *_why_mp_lines(case),
                _p(t("mp.can_raise", "An MP can raise a case with the Home Office, which has to "
                     "reply, and where it is justified can take it to the immigration minister "
                     "or the Home Secretary."), "G1", "G13"),
                _p(t("mp.helper.consent", "The MP will probably need the person's written "
                     "consent: use the consent letter below."), "G19", "F6"),
            ),
        )
    detained = case.has(Situation.DETAINED)
    return Route(
        id=RouteId.MP,
        title=(t("mp.title.detained", "Your MP (where you lived before detention)") if detained
               else t("mp.title", "Your MP (Member of Parliament)")),
        role=Role.MP, purpose=Purpose.FORMER_HOME if detained else Purpose.HOME,
        points=(
            _p(t("mp.main", "Your MP is the politician most likely to help with an asylum or "
                 "immigration case. They can raise it with the Home Office, and where it is "
                 "justified with the immigration minister or the Home Secretary."), "G1"),
            *_why_mp_lines(case),
            _p(t("mp.which", "Your MP is the one for the area where you live (or have strong "
                 "connections). MPs normally only take up cases of people in their own area; a "
                 "letter to the wrong MP is usually passed on."), "G3", "F7"),
            _p(t("mp.duty", "An MP does not have to take up your case, but they do have a duty "
                 "to answer the people they represent. A caseworker in their office usually "
                 "does the work."), "G8", "G9"),
        ),
    )


def _centre_mp(case: Case) -> Route | None:
    if not case.has(Situation.DETAINED):
        return None
    return Route(
        id=RouteId.CENTRE_MP,
        title=t("centre_mp.title", "The MP for the detention centre"),
        role=Role.MP, purpose=Purpose.DETENTION_CENTRE,
        points=(
            _p(t("centre_mp.why", "The MP whose area includes the detention centre can be asked "
                 "to look at the case. Friends and family can contact this MP too."),
               "G18", "F7"),
        ),
    )


def _former_mp(case: Case) -> Route | None:
    """For a helper: the detained person's old MP (for the person themselves, see _main_mp)."""
    if not case.has(Situation.DETAINED) or not case.helping:
        return None
    return Route(
        id=RouteId.FORMER_MP,
        title=t("former_mp.title", "The MP where the person lived before detention"),
        points=(
            _p(t("former_mp.why", "Being detained doesn't take away the MP from home. People who "
                 "live in that area, such as friends, neighbours or a local group, can go and ask "
                 "that MP for support."), "G18", "F7"),
        ),
    )


def _friend_visits(case: Case) -> Route | None:
    if not case.has(Situation.DETAINED) or case.helping:
        return None
    return Route(
        id=RouteId.FRIEND_VISITS_MP,
        title=t("friend.title", "A friend can go to the MP for you"),
        points=(
            _p(t("friend.why", "While you are detained, a friend, relative or someone from your "
                 "community can meet the MP in person for you, for example at the MP's "
                 "surgery."), "G5", "F12"),
            _p(t("friend.consent", "Sign a consent letter so they can speak for you; there is a "
                 "draft below."), "G19", "F6"),
        ),
    )


def _consent(case: Case) -> Route | None:
    if not (case.helping or case.has(Situation.DETAINED)):
        return None
    return Route(
        id=RouteId.CONSENT,
        title=t("consent.title", "A signed consent letter"),
        points=(
            _p(t("consent.why", "When someone else contacts an MP about a case, the MP and the "
                 "Home Office usually ask for a signed and dated letter from the person "
                 "themselves. Prepare it now, before there is a crisis."), "G19", "F6"),
        ),
    )


# --- what to know for each situation --------------------------------------------


def _situation_notes(case: Case) -> Route | None:
    """What to know for each situation, said to the person or, for a helper, about them."""
    helping = case.helping
    points: list[Point] = []
    if case.has(Situation.REFUSED):
        points.append(_p(t("note.refused.other", "Go through the Home Office's reasons for "
                           "refusing with them. If they can answer them or have new evidence, "
                           "the MP can argue the case more strongly.") if helping else
                         t("note.refused", "Read the Home Office's reasons for refusing. If you "
                           "can answer them or have new evidence, the MP can argue your case "
                           "more strongly."), "G10"))
    if case.has(Situation.APPEAL_RIGHTS_EXHAUSTED):
        points.append(_p(t("note.are.meaning", "\"Appeal rights exhausted\" means the Home Office "
                           "thinks no appeal is left. Asylum support can stop and detention or "
                           "removal become possible. It is not always the end: sometimes a "
                           "fresh claim is possible, and only a qualified lawyer can tell you."),
                         "F4", "F8"))
        points.append(_p(t("note.are.mp.other", "Tell the MP what stood in the way of justice "
                           "in their case — for example no lawyer, no interpreter, or evidence "
                           "that was never looked at — and ask what the MP can do so the case "
                           "is treated fairly.") if helping else
                         t("note.are.mp", "Tell the MP what stood in the way of justice in your "
                           "case — for example no lawyer, no interpreter, or evidence that was "
                           "never looked at — and ask what they can do so your case is treated "
                           "fairly."), "G15"))
    if case.has(Situation.DELAYED):
        points.append(_p(t("note.delayed.warning.other", "Think before asking for a decision to "
                           "be sped up: a faster decision can also be a refusal. Make sure they "
                           "are ready for a decision now.") if helping else
                         t("note.delayed.warning", "Think before asking for a decision to be sped "
                           "up: a faster decision can also be a refusal. Be sure you are ready "
                           "for a decision now."), "G14"))
        if case.lawyer_known and case.lawyer_silence is not LawyerSilence.LAWYER:
            points.append(_p(t("note.delayed.lawyer.other", "They have a lawyer: the lawyer "
                               "should be asked first, before involving an MP.") if helping else
                             t("note.delayed.lawyer", "You have a lawyer: ask them first before "
                               "involving an MP."), "G14"))
        points.append(_p(t("note.delayed.patience.other", "Many people are waiting a long time; "
                           "it is not only them. Even after an MP writes, progress can take "
                           "months.") if helping else
                         t("note.delayed.patience", "Many people are waiting a long time; it is "
                           "not only you. Even after an MP writes, progress can take months."),
                         "G12"))
    if case.has(Situation.LAWYER_UNRESPONSIVE) and case.lawyer_silence is LawyerSilence.LAWYER:
        # Their own lawyer is silent: G14's "ask your lawyer first" can't be the advice.
        points.append(_p(t("note.lawyer_silent.other", "When their own lawyer does not answer: "
                           "they (or you, with their agreement) can write to the law firm, ask "
                           "for a reply by a date, and ask who handles complaints there. If it "
                           "stays silent, the free advice services listed at the end can help "
                           "find another lawyer.") if helping else
                         t("note.lawyer_silent", "When your own lawyer does not answer you: "
                           "write to the law firm, ask for a reply by a date, and ask who "
                           "handles complaints there. If it stays silent, the free advice "
                           "services listed at the end can help you find another lawyer."),
                         "G2", "F8"))
    elif case.has(Situation.LAWYER_UNRESPONSIVE):
        points.append(_p(t("note.lawyer_unresponsive.other", "Ask their lawyer first before "
                           "involving an MP, and tell the MP who the lawyer is and when they "
                           "last wrote to the Home Office.") if helping else
                         t("note.lawyer_unresponsive", "Ask your lawyer first before involving "
                           "an MP, and tell the MP who your lawyer is and when they last wrote "
                           "to the Home Office."), "G14", "G2"))
    if case.has(Situation.NO_LAWYER):
        points.append(_p(t("note.no_lawyer", "An MP is not a lawyer and cannot give legal "
                           "advice. Free, qualified advice is listed at the end."), "G2", "F8"))
    if not points:
        return None
    return Route(id=RouteId.SITUATION,
                 title=(t("note.title.other", "What to know about their situation") if helping
                        else t("note.title", "What to know about your situation")),
                 points=tuple(points))


# --- other politicians ----------------------------------------------------------


def _devolved(case: Case) -> Route | None:
    if case.nation is Nation.SCOTLAND:
        return Route(
            id=RouteId.MSP, role=Role.MSP, purpose=Purpose.HOME,
            title=t("msp.title", "Your MSPs (Members of the Scottish Parliament)"),
            points=(
                _p(t("msp.why", "Immigration is decided in London, not in Edinburgh, and the Home "
                     "Office has long refused to answer MSPs about individual cases. Some MSPs "
                     "still help, or know people who can; others will send you to your MP. It "
                     "is worth asking, alongside your MP."), "G21"),
            ),
        )
    if case.nation is Nation.WALES:
        return Route(
            id=RouteId.MS, role=Role.MS, purpose=Purpose.HOME,
            title=t("ms.title", "Your Members of the Senedd (Welsh Parliament)"),
            points=(
                _p(t("ms.why", "The Senedd has no power over immigration and the Home Office "
                     "tends to ignore its members, but they can give information, advice and "
                     "useful contacts. Contact them as well as your MP."), "G22"),
                _p(t("ms.names", "The Welsh Assembly became the Senedd in 2020; its members are "
                     "MSs (they used to be AMs). Since the May 2026 election each area elects "
                     "six MSs, 96 in all."), "F1"),
            ),
        )
    if case.nation is Nation.NORTHERN_IRELAND:
        return Route(
            id=RouteId.MLA, role=Role.MLA, purpose=Purpose.HOME,
            title=t("mla.title", "Your MLAs (Northern Ireland Assembly)"),
            points=(
                _p(t("mla.why", "The Assembly has no power over immigration, but MLAs may help in "
                     "other ways, for example by asking your MP to act."), "G23"),
                _p(t("mla.names", "There are 90 MLAs: five for each of 18 areas."), "F2"),
            ),
        )
    return None


def _councillors(case: Case) -> Route:
    return Route(
        id=RouteId.COUNCILLORS, role=Role.COUNCILLORS, purpose=Purpose.HOME, tier=Tier.MORE,
        title=t("council.title", "Local councillors and mayors"),
        points=(
            _p(t("council.why", "Councillors are easier to reach than MPs but have less power. "
                 "They take most interest when something affects many local people — one council "
                 "passed a motion of concern after local people were removed to the Democratic "
                 "Republic of Congo. Their support can push the MP, and they often know other "
                 "people who can help."), "G24"),
        ),
    )


def _ministers(case: Case) -> Route:
    return Route(
        id=RouteId.MINISTERS, role=Role.HOME_SECRETARY, tier=Tier.MORE,
        title=t("ministers.title", "The Home Secretary and the immigration minister"),
        points=(
            _p(t("ministers.rare", "They very rarely step into a single case, and when they do it "
                 "is usually because an MP asked them. So go through your MP."), "G25"),
            _p(t("ministers.meeting", "Some MPs have met the minister or the Home Secretary about "
                 "one person's case. That can work well, because ministers have the power to "
                 "intervene. You can ask your MP whether they would do this."), "G16"),
        ),
    )


def _other_constituencies(case: Case) -> Route:
    return Route(
        id=RouteId.OTHER_CONSTITUENCIES, tier=Tier.MORE,
        title=t("others.title", "If your MP won't help"),
        points=(
            _p(t("others.why", "Family and friends who live in other areas can each ask their "
                 "own MP to take an interest. This bot can find their MP from their postcode "
                 "and write them a draft too."), "G17"),
        ),
    )


def _community(case: Case) -> Route:
    return Route(
        id=RouteId.COMMUNITY,
        tier=Tier.PRIMARY if case.mp_did_not_reply else Tier.MORE,
        title=t("community.title", "When the MP is silent: respected local people"),
        points=(
            _p(t("community.story", "One family got no answer to their emails. Their children's "
                 "head teacher and their family doctor then wrote to and phoned the MP for them. "
                 "The MP met the family and contacted the Home Office. People the MP respects — "
                 "a teacher, a doctor, a faith leader, an employer — can open a closed door."),
               "G20"),
        ),
    )


def _petition(case: Case) -> Route:
    helping = case.helping
    return Route(
        id=RouteId.PETITION,
        tier=Tier.PRIMARY if case.asked_about_going_public else Tier.MORE,
        title=t("petition.title", "Petitions and going public"),
        points=(
            _p(t("petition.risk.other", "A petition or a story in the media makes their case "
                 "public. That has risks and can even put them or their family in danger. It is "
                 "their legal case that wins the right to stay: a petition alone will not.")
               if helping else
               t("petition.risk", "A petition or a story in the media makes your case public. "
                 "That has risks and can even put you or your family in danger. It is your legal "
                 "case that wins the right to stay: a petition alone will not."), "G26", "G25"),
            _p(t("petition.small", "Think twice before sending the Home Office a petition with "
                 "few signatures."), "G26"),
            _p(t("petition.use.other", "A petition can still be useful: it shows support, "
                 "tells their story, and gathers people who can do more later — for example give "
                 "to a crowdfunder for legal costs. An online petition lets you contact the "
                 "people who signed.") if helping else
               t("petition.use", "A petition can still be useful: it shows support, tells your "
                 "story, and gathers people who can do more later — for example give to a "
                 "crowdfunder for legal costs. An online petition lets you contact the people "
                 "who signed."), "G27"),
            _p(t("petition.mp_first", "Go to your MP first. Ministers rarely act on a case, and "
                 "mostly when an MP asks or, sometimes, after wide media coverage."), "G25"),
        ),
    )


def _tips(case: Case) -> Route:
    helping = case.helping
    points = [
        _p(t("tips.early.other", "Start early: an MP who already knows the person is more ready "
             "to help when something goes wrong.") if helping else
           t("tips.early", "Start early: an MP who already knows you is more ready to help when "
             "something goes wrong."), "G4"),
        _p(t("tips.surgery", "Meeting in person often works better than a phone call or email. "
             "MPs hold \"surgeries\" where people can see them; book in advance and ask who "
             "handles immigration cases, as it is often a caseworker."), "G4", "G9"),
        _p(t("tips.research", "Look up the MP's interests on the UK Parliament website. Even an "
             "MP whose party is against immigration may help one person; it is still worth "
             "asking."), "G6"),
        _p(t("tips.link", "Link your story to what the MP cares about. Say clearly what you want, "
             "what the MP can do, what stands in the way, and why it is worth their effort. Be "
             "polite, and don't be afraid."), "G7"),
        _p(t("tips.documents.other", "Bring copies of all their documents and letters, in "
             "order, so you can find the right paper quickly.") if helping else
           t("tips.documents", "Bring all your documents and letters, in order, so you can find "
             "the right paper quickly."), "G11"),
        _p(t("tips.email_more.other", "The Home Office has to answer the MP, but the answer may "
             "only say what stage the case is at, or that they are \"appeal rights "
             "exhausted\". Ask the MP to do more than send one email.") if helping else
           t("tips.email_more", "The Home Office has to answer the MP, but the answer may only "
             "say what stage your case is at, or that you are \"appeal rights exhausted\". Ask "
             "the MP to do more than send one email."), "G13"),
    ]
    if not case.urgent:
        points.append(_p(t("tips.patience.other", "If the case is not urgent, the Home Office "
                           "can take weeks to answer an MP. Be patient.") if helping else
                         t("tips.patience", "If your case is not urgent, the Home Office can take "
                           "weeks to answer an MP. Be patient."), "G12"))
    points.append(_p(t("tips.twenty_days", "The Home Office aims to answer MPs within 20 working "
                       "days (about four weeks) but often takes longer. An MP can escalate an "
                       "urgent case."), "F3"))
    return Route(id=RouteId.TIPS, tier=Tier.MORE,
                 title=t("tips.title", "Before you contact the MP"), points=tuple(points))


def _free_advice(case: Case) -> Route:
    return Route(
        id=RouteId.FREE_ADVICE,
        title=t("advice.title", "Free legal advice"),
        points=(
            _p(t("advice.not_legal_advice.other", "This bot gives information, not legal "
                 "advice: only a qualified adviser may advise on their case. These services are "
                 "free:") if case.helping else
               t("advice.not_legal_advice", "This bot gives information, not legal advice: only a "
                 "qualified adviser may advise on your case. These services are free:"), "F8"),
        ),
    )

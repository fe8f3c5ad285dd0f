"""After the look-up: who can help, the letters, and the views behind the "more" buttons.

The first screen is kept short enough for a phone (contacts and what they can do); the
reasons, tips, free advice and everyone else are a tap away, and nothing shown once is
shown again.
"""

from __future__ import annotations

from dataclasses import replace

from flows.advice import Route, RouteId, Tier, find_route, primary_routes, select_routes
from flows.answers import looks_like_a_situation
from flows.buttons import Action, Press
from flows.case import Urgency
from flows.drafts import (
    KINDS,
    Addressee,
    DraftKind,
    DraftLetter,
    LetterContext,
    addressee_role,
    draft_letter,
)
from flows.events import LookupDone, NluResult
from flows.looking_up import look_up_friend, start_lookup
from flows.opening import understand
from flows.postcodes import EXAMPLE_POSTCODE, find_postcode, guess_nation
from flows.present import lookup_problem_message, representative_parts, route_parts
from flows.prompts import draft_menu, join_list
from flows.replies import Choice, OfferReminder, Reply, Say, SendDraft
from flows.representatives import LookupResult, Purpose, Representative, Role
from flows.steps import Config, State, Step
from flows.text import Msg, Plain, t
from flows.transitions import STAY, GoTo, Turn, move, resume

# Shown in full on the first screen whatever it holds: removal and free advice (F5, F8).
_ALWAYS_ON_FIRST_SCREEN = (RouteId.LAWYER_NOW, RouteId.FREE_ADVICE)
# "Who else can help?": everyone beyond the first screen.
_WHO_ELSE = (RouteId.OTHER_CONSTITUENCIES, RouteId.COUNCILLORS, RouteId.COMMUNITY,
             RouteId.MINISTERS, RouteId.MSP, RouteId.MS, RouteId.MLA)
# When the MP is silent: widen the circle (G17, G20, G24).
_WIDER_CIRCLE = (RouteId.COMMUNITY, RouteId.OTHER_CONSTITUENCIES, RouteId.COUNCILLORS)


def lookup_done(state: State, event: LookupDone, config: Config) -> Turn:
    if state.step is not Step.LOOKING_UP:
        return Turn(state)  # a late answer for a conversation that has moved on
    # Known from the request, not the answer: a failed look-up may answer with nothing.
    friend_lookup = state.friend_lookup
    state = replace(state, friend_lookup=False)
    problem: Msg | None = None
    for result in event.results:
        if result.purpose is not Purpose.DETENTION_CENTRE:
            problem = lookup_problem_message(result, EXAMPLE_POSTCODE) or problem
    if problem is not None:
        # The postcode couldn't be used: ask again, keeping everything else.
        if friend_lookup:
            again = replace(state, case=state.case.update(friend_postcode=None))
            return Turn(again, [Say((problem,))], GoTo(Step.FRIEND_POSTCODE, remember=False))
        again = replace(state, case=state.case.update(postcode=None))
        return Turn(again, [Say((problem,))], GoTo(Step.POSTCODE, remember=False))
    # A friend's look-up sits beside the person's own results; a new look-up of their
    # own replaces theirs and keeps the friend's.
    kept = tuple(r for r in state.results if (r.purpose is not Purpose.FRIEND) == friend_lookup)
    results = (*kept, *event.results)
    if friend_lookup:
        done = replace(state, results=results)
        return Turn(done, _friend_results(done, config), GoTo(Step.RESULTS, remember=False))
    case = state.case
    for result in event.results:
        if result.purpose is not Purpose.DETENTION_CENTRE and result.area and result.area.nation:
            case = case.update(nation=result.area.nation)
    if case.nation is None and case.postcode:
        case = case.update(nation=guess_nation(case.postcode))
    done = replace(state, case=case, results=results, ministers=event.ministers)
    return Turn(done, results_messages(done), GoTo(Step.RESULTS, remember=False))


def _friend_results(state: State, config: Config) -> list[Reply]:
    """G17: the friend's MP, and the letter for the friend to send."""
    parts = representative_parts(Role.MP, Purpose.FRIEND, state.results)
    intro = t("friend_mp.intro", "The MP where your friend or relative lives:")
    letter = _draft(state, DraftKind.FRIEND_MP, config)
    handover = [Say((letter.handover,))] if letter.handover else []
    return [Say((intro, *parts), private=True), SendDraft(letter), *handover]


def results_messages(state: State) -> list[Reply]:
    """The first screen after the look-up: who, how to reach them, what they can do.

    Short enough for a phone: the details (why, tips, free advice, who else) are a
    button away, and nothing already shown is shown again.
    """
    routes = [r for r in primary_routes(state.case)
              if not (state.urgent_shown and r.id is RouteId.LAWYER_NOW)]
    messages: list[Reply] = [Say((t("results.intro", "Here is who can help, and how."),))]
    same_mp = _centre_mp_is_home_mp(state.results)
    # Routes with nobody to contact are named in one line; their points are a tap away.
    named_only = [r for r in routes if r.role is None and r.id not in _ALWAYS_ON_FIRST_SCREEN]
    shown = [r for r in routes if r not in named_only]
    for route in shown:
        if route.id is RouteId.CENTRE_MP and same_mp:
            parts = [*route_parts(route, state.case, state.results, state.ministers, brief=True,
                                  people=False),
                     t("centre_mp.same", "The detention centre is in the same constituency: "
                       "it is the same MP as above.")]
        elif route.id is RouteId.FREE_ADVICE and state.urgent_shown:
            # The removal advice listed the services already: say where, don't repeat.
            parts = [*route_parts(route, state.case, state.results, state.ministers,
                                  brief=True, services=False),
                     t("advice.listed_above", "The services are listed above, with the "
                       "removal advice.")]
        else:
            parts = route_parts(route, state.case, state.results, state.ministers, brief=True)
        messages.append(Say(tuple(parts), private=True))
    if named_only:
        also = Say((t("results.also", "Also for you, under \u201cWhat they can do\u201d: "
                      "{titles}.", titles=join_list([r.title for r in named_only])),))
        # Before the free advice, which closes the screen.
        last_is_advice = bool(shown) and shown[-1].id is RouteId.FREE_ADVICE
        messages.insert(len(messages) - 1 if last_is_advice else len(messages), also)
    return messages


def _centre_mp_is_home_mp(results: tuple[LookupResult, ...]) -> bool:
    centre = next((r.mp for r in results if r.purpose is Purpose.DETENTION_CENTRE), None)
    home = [r.mp for r in results if r.purpose in (Purpose.HOME, Purpose.FORMER_HOME)]
    return centre is not None and bool(centre.name) and any(
        mp is not None and mp.name == centre.name for mp in home)


def _say_routes(state: State, routes: list[Route], *, people: bool = True,
                private: bool = False) -> list[Reply]:
    return [Say(tuple(route_parts(r, state.case, state.results, state.ministers,
                                  people=people)), private=private) for r in routes]


# --- the results step's buttons -----------------------------------------------------------


def results_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.action is Action.DRAFT:
        return send_draft(state, press.value, config)
    return show_more(state, press.value, config)


# A draft button's value with this prefix asks for the letter in the person's language.
NATIVE_PREFIX = "native."


def send_draft(state: State, value: str, config: Config) -> Turn | None:
    native = value.startswith(NATIVE_PREFIX)
    kind = value.removeprefix(NATIVE_PREFIX)
    if kind not in DraftKind._value2member_map_:
        return None
    letter = _draft(state, DraftKind(kind), config)
    if native:
        return Turn(state, [SendDraft(letter, native=True), _native_note(state)])
    return Turn(state, [SendDraft(letter), _after_draft(state, letter, config)])


def _other_letters() -> Choice:
    return Choice(t("button.more_drafts", "Other letters"), Press(Action.MORE, "drafts"))


def _native_note(state: State) -> Say:
    """When a letter in the person's own language is the right one to send; with a way on,
    so that nobody on a basic phone is left at a message without buttons."""
    onward = ((_other_letters(),),)
    if state.language == "cy":
        return Say((t("draft.native.welsh", "The Senedd works in Welsh and English, so you can "
                      "send this letter in Welsh to a Member of the Senedd. You can write to an "
                      "MP in Welsh too; if you are not sure their office reads Welsh, send the "
                      "English letter as well."),), onward)
    return Say((t("draft.native.note", "This is the same letter in your language, to keep for "
                  "your records. A politician's office in the UK works in English: send the "
                  "English letter unless you know the reader reads this language."),), onward)


def _after_draft(state: State, letter: DraftLetter, config: Config) -> Say:
    """What to do with the letter, fitted to how urgent the case is (F3, F5)."""
    urgency = state.case.urgency(config.today)
    parts: list[Msg | Plain] = [*([letter.handover] if letter.handover else []),
                                t("draft.fill_in", "Fill in the parts in [brackets], check "
                                  "every fact, and send it from your own email or by post.")]
    others = _other_letters()
    native = Choice(t("button.draft.native", "This letter in my language"),
                    Press(Action.DRAFT, NATIVE_PREFIX + letter.kind.value))
    extra = ((native,),) if state.language not in (None, "en") else ()
    if urgency is Urgency.IMMEDIATE:
        parts.append(t("draft.after.immediate", "The removal is only days away: after sending "
                       "the email, phone the MP's office today, say it is an urgent removal "
                       "case, and ask them to confirm they have it."))
        return Say(tuple(parts), ((others,), *extra))
    if urgency is Urgency.THIS_WEEK:
        parts.append(t("draft.after.week", "The removal is this week: phone the MP's office "
                       "the day after sending, to check they have it and know the date."))
        return Say(tuple(parts), ((others,), *extra))
    if urgency is not Urgency.NONE:
        parts.append(t("draft.after.removal", "Because of the removal, phone the MP's office "
                       "a day or two after sending to check they have it. The Home Office "
                       "aims to answer MPs within 20 working days, but MPs can escalate "
                       "urgent cases."))
    else:
        parts.append(t("draft.after.routine", "The MP's office usually replies within a few "
                       "weeks; the Home Office aims to answer MPs within 20 working days."))
    # A check-in four weeks on is useless for a removal within the week (no reminder then).
    remind = Choice(t("button.remind", "Remind me in 4 weeks"), Press(Action.MORE, "remind"))
    return Say(tuple(parts), ((remind, others), *extra))


def _draft(state: State, kind: DraftKind, config: Config) -> DraftLetter:
    return draft_letter(kind, state.case, letter_context(state, kind, config))


# Where each addressee is looked for in the results.
_ADDRESSEE_PURPOSES: dict[Addressee, tuple[Purpose, ...]] = {
    Addressee.HOME_MP: (Purpose.HOME, Purpose.FORMER_HOME),
    Addressee.CENTRE_MP: (Purpose.DETENTION_CENTRE,),
    Addressee.FRIEND_MP: (Purpose.FRIEND,),
    Addressee.DEVOLVED: (Purpose.HOME, Purpose.FORMER_HOME),
    Addressee.COUNCILLOR: (Purpose.HOME, Purpose.FORMER_HOME),
    Addressee.NOBODY: (),
}
# The consent letter names every MP involved: home first, then the centre's, a friend's.
_MP_ORDER = (Purpose.HOME, Purpose.FORMER_HOME, Purpose.DETENTION_CENTRE, Purpose.FRIEND)


def letter_context(state: State, kind: DraftKind, config: Config) -> LetterContext:
    addressee = KINDS[kind].addressee
    role = addressee_role(addressee, state.case.nation)
    recipient: Representative | None = None
    if role is not None:
        recipient = next((rep for result in state.results
                          if result.purpose in _ADDRESSEE_PURPOSES[addressee]
                          for rep in result.of_role(role) if rep.name), None)
    ranked = sorted(state.results, key=lambda result: _MP_ORDER.index(result.purpose))
    mps = tuple(dict.fromkeys(rep for result in ranked for rep in result.of_role(Role.MP)
                              if rep.name and not rep.vacant))
    return LetterContext(today=config.today, recipient=recipient, role=role, mps=mps,
                         language=state.language)


def show_more(state: State, value: str, config: Config) -> Turn | None:
    if value == "who_else":
        return who_else(state)
    if value == "drafts":
        return Turn(state, [draft_menu(state, everything=True)])
    if value == "remind":
        return Turn(state, [OfferReminder(), Say((t("remind.set", "I'll check in with you in "
                                                    "about four weeks. Send /forget to cancel "
                                                    "and delete everything."),),
                                                 ((_other_letters(),),))])
    if value == "silent":
        return silent_mp(replace(state, case=state.case.update(mp_did_not_reply=True)), config)
    if value == "friend":
        return Turn(state, [], GoTo(Step.FRIEND_POSTCODE))
    if value == "why":
        # The reasons behind the first screen, without repeating its contacts.
        routes = [r for r in primary_routes(state.case) if r.id not in _ALWAYS_ON_FIRST_SCREEN]
        return Turn(state, _say_routes(state, routes, people=False), STAY)
    views = {"tips": RouteId.TIPS, "petition": RouteId.PETITION, "advice": RouteId.FREE_ADVICE}
    route = find_route(state.case, views[value]) if value in views else None
    if route is None:
        return None
    return Turn(state, _say_routes(state, [route]), STAY)


def who_else(state: State) -> Turn:
    routes = [r for r in select_routes(state.case, _WHO_ELSE) if r.tier is Tier.MORE]
    return Turn(state, _say_routes(state, routes, private=True), STAY)


def silent_mp(state: State, config: Config) -> Turn:
    routes = select_routes(state.case, _WIDER_CIRCLE)
    intro = Say((t("silent.intro", "No reply yet is common: the Home Office and MPs' offices are "
                   "slow. Send a short, polite reminder first, then widen the circle."),))
    reminder = _draft(state, DraftKind.CHASER, config)
    return Turn(state, [intro, *_say_routes(state, routes), SendDraft(reminder)], STAY)


def results_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    found = find_postcode(text)
    if found is not None and state.case.postcode is None:
        return start_lookup(replace(state, case=state.case.update(postcode=found)))
    if found is not None:
        # Theirs (they moved) or a friend's (G17)? Asked, never guessed: a friend's
        # postcode must not replace the person's own MP.
        return Turn(replace(state, pending_postcode=found), [], GoTo(Step.POSTCODE_WHOSE))
    if looks_like_a_situation(nlu, config):
        return understand(state, text, nlu, config)
    return Turn(state, [], STAY)


def postcode_whose_button(state: State, press: Press, config: Config) -> Turn | None:
    postcode = state.pending_postcode
    if postcode is None:
        return None
    if press.value == "mine":
        mine = replace(state, case=state.case.update(postcode=postcode), pending_postcode=None)
        return start_lookup(mine)
    if press.value == "friend":
        return look_up_friend(state, postcode)
    return None


# --- the check-in after a letter (F3) -------------------------------------------------------


def mp_replied_button(state: State, press: Press, config: Config) -> Turn | None:
    back = resume(state, Step.RESULTS)
    if press.value == "yes":
        return Turn(back, [Say((t("replied.yes", "Good. Keep every letter from the MP and the "
                                  "Home Office together with your papers."),))], STAY)
    if press.value == "no":
        at_results = move(back, Step.RESULTS, remember=False)
        return silent_mp(replace(at_results, case=back.case.update(mp_did_not_reply=True)),
                         config)
    return None

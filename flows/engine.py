"""The conversation as an explicit state machine: `step(state, event) -> (state, replies)`.

Flow: language → privacy notice → who needs help → what is happening (free text or
buttons) → confirm → the follow-up questions each situation needs → postcode or
detention centre → their own words → who can help and why → letters → next steps. At
any step the person can go back, start again, change language, ask for help, or ask to
forget everything.

Each step is declared once in `flows.step_table`; this module routes events to it,
handles what works at every step (commands, navigation, requests such as "forget me"),
and carries out what a step's handler asks for next (`flows.transitions`).

The engine is pure: it never raises for bad input, and anything it can't use gets a
kind reply and the current question again, with nothing already given lost.
"""

from __future__ import annotations

from dataclasses import replace

from flows.advice import RouteId, find_route
from flows.answers import confident_intent, is_no, is_yes, looks_like_a_situation
from flows.buttons import Action, Press
from flows.case import Case, bound_text
from flows.events import Button, Command, Event, LookupDone, NluResult, ReminderDue, Start, Text
from flows.faq import ANSWERS as QUESTION_ANSWERS
from flows.forgetting import ask_forget
from flows.languages import (
    LANGUAGES_BY_CODE,
    language_named_in,
    names_a_language_not_spoken,
    supported,
)
from flows.looking_up import start_lookup
from flows.opening import choose_language, not_spoken_yet, offer_language
from flows.postcodes import EXAMPLE_POSTCODE, find_postcode
from flows.present import route_parts
from flows.prompts import draft_menu, help_message, privacy_details, stale_button
from flows.replies import RememberLanguage, Reply, Say
from flows.representatives import Purpose
from flows.results import lookup_done, who_else
from flows.step_table import STEPS, next_question
from flows.steps import Config, State, Step
from flows.text import Plain, t
from flows.transitions import (
    STAY,
    Advance,
    Done,
    GoTo,
    Stay,
    Turn,
    interrupt,
    move,
    move_back,
)

Outcome = tuple[State, list[Reply]]

_MAX_TEXT = 4000  # longer messages are cut before anything looks at them
# What the navigation buttons under a question do: the same as the commands.
_NAVIGATION = ("back", "restart", "language", "forget", "help", "who_else", "privacy")


def step(state: State, event: Event, config: Config | None = None) -> Outcome:
    """Advance the conversation by one event. Never raises for anything a person sends."""
    config = config or Config()
    match event:
        case Start():
            return _on_start(state, event)
        case Command():
            return _carry_out(_on_command(state, event))
        case Button():
            return _carry_out(_on_button(state, event.data, config))
        case Text():
            checked, offer = _language_offer(state, event.language_guess)
            outcome = _carry_out(_on_text(checked, event.text[:_MAX_TEXT], event.nlu, config))
            return outcome if offer is None else (outcome[0], [offer, *outcome[1]])
        case LookupDone():
            return _carry_out(lookup_done(state, event, config))
        case ReminderDue():
            return _carry_out(_ask_mp_replied(state))
    return state, [prompt(state)]


def _language_offer(state: State, guess: str | None) -> tuple[State, Say | None]:
    """Once: the first typed message whose language shows, if it isn't the interface's."""
    if state.language_checked or guess not in LANGUAGES_BY_CODE or state.language is None:
        return state, None
    checked = replace(state, language_checked=True)
    return checked, (offer_language(guess) if guess != state.language else None)


def prompt(state: State) -> Say:
    """The question for the current step, with its buttons."""
    spec = STEPS.get(state.step)
    return spec.ask(state) if spec else draft_menu(state)


# --- carrying out what a handler asked for -------------------------------------------------


def _carry_out(turn: Turn) -> Outcome:
    match turn.then:
        case Advance():
            return _advance(turn.state, turn.replies)
        case GoTo(step=to, remember=remember):
            moved = move(turn.state, to, remember=remember)
            return moved, [*turn.replies, prompt(moved)]
        case Stay():
            return turn.state, [*turn.replies, prompt(turn.state)]
        case Done():
            return turn.state, list(turn.replies)
    raise AssertionError(turn.then)  # pragma: no cover - Next is a closed union


def _advance(state: State, before: list[Reply]) -> Outcome:
    """Go to the next question the case still needs, or look people up."""
    following = next_question(state)
    state, urgent = _removal_essentials(state, following)
    replies = [*before, *urgent]
    if following is None:
        looking = start_lookup(state)
        return looking.state, [*replies, *looking.replies]
    moved = move(state, following)
    return moved, [*replies, prompt(moved)]


def _removal_essentials(state: State, following: Step | None) -> tuple[State, list[Reply]]:
    """Removal: lawyer and MP at once (F5), on screen before any other question.

    The lawyer question comes first (see the step table), so the block can say "call
    your lawyer" or "get a lawyer" rightly.
    """
    if not state.case.urgent or state.urgent_shown or following is Step.LAWYER:
        return state, []
    route = find_route(state.case, RouteId.LAWYER_NOW)
    if route is None:
        return state, []
    return replace(state, urgent_shown=True), [Say(tuple(route_parts(route, state.case, (),
                                                                     None)))]


# --- what works at every step ----------------------------------------------------------------


def _on_start(state: State, event: Start) -> Outcome:
    hint = supported(event.language_hint)
    if state.step not in (Step.LANGUAGE, Step.PRIVACY) and state.case != Case():
        # A returning person: pick up where they were.
        welcome_back = Say((t("start.resume", "Welcome back. Let's carry on where we stopped, "
                              "or send /restart to begin again."),))
        return state, [welcome_back, prompt(state)]
    language = state.language or hint
    if language is None:
        fresh = State()
        return fresh, [prompt(fresh)]
    fresh = replace(State(), language=language, step=Step.PRIVACY)
    return fresh, [RememberLanguage(language), prompt(fresh)]


def _on_command(state: State, command: Command) -> Turn:
    name = command.name.lower().lstrip("/")
    if name == "start":
        fresh, replies = _on_start(state, Start(payload=command.argument or None))
        return Turn(fresh, replies)
    if name in ("restart", "cancel"):
        fresh = replace(State(), language=state.language,
                        step=Step.PRIVACY if state.language else Step.LANGUAGE)
        return Turn(fresh, [Say((t("restart.done", "Starting again. What you told me before "
                                   "is cleared."),))], STAY)
    if name == "back":
        return _back(state)
    if name == "language":
        return Turn(interrupt(state, Step.LANGUAGE), [], STAY)
    if name == "forget":
        return ask_forget(state)
    if name == "help":
        return Turn(state, [help_message()], STAY)
    if name == "privacy":
        return Turn(state, [privacy_details()], STAY)
    if name in ("who_else", "whoelse", "more"):
        return _who_else(state)
    if name == "draft":
        if state.step is Step.RESULTS:
            return Turn(state, [draft_menu(state)])
        return Turn(state, [Say((t("draft.not_yet", "I can write a draft once I know a little "
                                   "about the case. Let's continue."),))], STAY)
    if name == "mp":
        postcode = find_postcode(command.argument) if command.argument else None
        if postcode is None:
            return Turn(state, [Say((t("mp.command_usage", "Send /mp followed by a postcode, "
                                       "for example /mp {example}.",
                                       example=Plain(EXAMPLE_POSTCODE)),))])
        return start_lookup(replace(state, case=state.case.update(postcode=postcode)))
    return Turn(state, [Say((t("command.unknown", "I don't know that command. Here is where "
                               "we were:"),))], STAY)


def _back(state: State) -> Turn:
    previous = move_back(state)
    if previous is state:
        return Turn(state, [], STAY)
    # Going back to a question means the person wants to answer it again.
    reopened = replace(previous, skipped=tuple(s for s in previous.skipped
                                               if s is not previous.step))
    if previous.step is Step.POSTCODE:
        reopened = replace(reopened, case=reopened.case.update(postcode=None),
                           results=tuple(r for r in reopened.results
                                         if r.purpose is Purpose.FRIEND))
    return Turn(reopened, [], STAY)


def _who_else(state: State) -> Turn:
    if state.step is not Step.RESULTS:
        return Turn(state, [Say((t("who_else.later", "Once I know a little about the case I'll "
                                   "show everyone who can help. Let's continue."),))], STAY)
    return who_else(state)


def _on_button(state: State, data: str, config: Config) -> Turn:
    press = Press.parse(data)
    if press is not None and press.action is Action.NAV and press.value in _NAVIGATION:
        return _on_command(state, Command(press.value))
    if press is not None and press.action is Action.LANGUAGE and state.step is not Step.LANGUAGE \
            and press.value in LANGUAGES_BY_CODE:
        return choose_language(state, press.value)  # the offer to switch, at any step
    spec = STEPS.get(state.step)
    if press is not None and spec is not None and spec.on_press is not None \
            and press.action in spec.actions:
        turn = spec.on_press(state, press, config)
        if turn is not None:
            return turn
    return Turn(state, [stale_button()], STAY)


def _on_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    cleaned = bound_text(text, _MAX_TEXT)
    if not cleaned:
        return Turn(state, [Say((t("text.empty", "I didn't get any words there. You can type, "
                                   "or use the buttons."),))], STAY)
    request = _request_at_any_step(state, confident_intent(nlu, config), cleaned)
    if request is not None:
        return request
    spec = STEPS.get(state.step)
    if spec is None:
        return Turn(state, [], STAY)
    if spec.yes_no is not None and spec.on_press is not None \
            and not looks_like_a_situation(nlu, config):
        # A typed yes or no is the step's own Yes or No button (not when the message
        # tells more of the case: "also no lawyer" is read, not taken for No).
        yes, no = spec.yes_no
        for answer, value in ((is_yes, yes), (is_no, no)):
            if answer(cleaned, nlu, config):
                turn = spec.on_press(state, Press(spec.actions[0], value), config)
                if turn is not None:
                    return turn
    return spec.on_text(state, cleaned, nlu, config)


def _request_at_any_step(state: State, intent: str | None, text: str) -> Turn | None:
    if intent == "forget_me":
        return ask_forget(state)
    spec = STEPS.get(state.step)
    if spec is not None and not spec.hears_requests:
        return None  # their words for the MP ("please help, my children…") stay words
    if intent == "change_language" and state.step is not Step.LANGUAGE:
        code = language_named_in(text)
        if code is not None:
            return choose_language(state, code)
        if names_a_language_not_spoken(text):
            return Turn(state, [not_spoken_yet()], STAY)
        return Turn(interrupt(state, Step.LANGUAGE), [], STAY)
    if intent == "help":
        return Turn(state, [help_message()], STAY)
    if intent in QUESTION_ANSWERS:  # a question is answered, never taken as a fact
        return Turn(state, [QUESTION_ANSWERS[intent]()], STAY)
    if intent == "who_else" and state.step is Step.RESULTS:
        return who_else(state)
    if intent == "petition":
        noted = replace(state, case=state.case.update(asked_about_going_public=True))
        route = find_route(noted.case, RouteId.PETITION)
        parts = route_parts(route, noted.case, (), None) if route else []
        return Turn(noted, [Say(tuple(parts))], STAY)
    if intent == "thanks" and state.step is Step.RESULTS:
        return Turn(state, [Say((t("thanks.reply", "You're welcome. I'm here if you need "
                                   "anything else."),))], STAY)
    return None


def _ask_mp_replied(state: State) -> Turn:
    """F3: about four weeks after a letter, ask whether the MP's office replied."""
    if state.step is Step.MP_REPLIED:
        return Turn(state, [], STAY)
    return Turn(interrupt(state, Step.MP_REPLIED), [], STAY)


__all__ = ["Config", "State", "Step", "prompt", "step"]

"""The conversation as an explicit state machine: `step(state, event) -> (state, replies)`.

Flow: language → privacy notice → who needs help → what is happening (free text or
buttons) → confirm → the follow-up questions each situation needs → postcode or
detention centre → who can help and why → drafts → next steps. At any step the
person can go back, start again, change language, ask who else can help, or ask to
forget everything.

The engine is pure: it never raises for bad input, and anything it can't use gets a
kind reply and the current question again, with nothing already given lost.
"""

from __future__ import annotations

from dataclasses import replace

from flows.advice import RouteId, Tier, advise
from flows.answers import (
    SITUATION_INTENTS,
    confident_intent,
    is_no,
    is_yes,
    looks_like_a_situation,
    names_relationship,
    parse_duration_months,
    parse_removal_day,
)
from flows.case import (
    MAX_OWN_WORDS,
    Case,
    Relationship,
    RemovalWhen,
    Situation,
    Urgency,
    WaitBand,
    Writer,
    bound_text,
)
from flows.centres import CENTRES_BY_ID, CentreStatus, find_centre
from flows.drafts import (
    DEVOLVED_ROLES,
    KINDS,
    Addressee,
    DraftKind,
    LetterContext,
    draft_letter,
)
from flows.events import Button, Command, Event, LookupDone, NluResult, ReminderDue, Start, Text
from flows.languages import LANGUAGES_BY_CODE, language_named_in, supported
from flows.postcodes import EXAMPLE_POSTCODE, find_postcode, outward_code
from flows.present import lookup_problem_message, representative_parts, route_parts
from flows.prompts import (
    draft_menu,
    help_message,
    join_list,
    not_understood,
    privacy_details,
    prompt,
    stale_button,
)
from flows.replies import (
    Choice,
    EraseEverything,
    LookUp,
    OfferReminder,
    RememberLanguage,
    Reply,
    Say,
    SendDraft,
)
from flows.representatives import LookupProblem, LookupResult, Purpose, Representative, Role
from flows.steps import Config, Question, State, Step
from flows.text import Day, Msg, Plain, t

Outcome = tuple[State, list[Reply]]

# Steps that wait for a typed answer to a specific question.
_QUESTION_STEPS = {Step.CENTRE, Step.REMOVAL_WHEN, Step.WAITING, Step.LAWYER, Step.POSTCODE,
                   Step.OWN_WORDS}
_MAX_TEXT = 4000  # longer messages are cut before anything looks at them


def step(state: State, event: Event, config: Config | None = None) -> Outcome:
    """Advance the conversation by one event. Never raises for anything a person sends."""
    config = config or Config()
    match event:
        case Start():
            return _on_start(state, event)
        case Command():
            return _on_command(state, event)
        case Button():
            return _on_button(state, event.data[:64], config)
        case Text():
            text = event.text[:_MAX_TEXT]
            return _on_text(state, text, event.nlu, config)
        case LookupDone():
            return _on_lookup_done(state, event, config)
        case ReminderDue():
            return _ask_mp_replied(state)
    return state, [prompt(state)]


# --- entering and leaving steps --------------------------------------------------------


def _go(state: State, to: Step, *, remember: bool = True) -> State:
    history = state.history
    if remember and state.step not in (to, Step.FORGET, Step.LOOKING_UP):
        history = (*history, state.step)[-20:]
    return replace(state, step=to, history=history)


def _advance(state: State, before: list[Reply] | None = None) -> Outcome:
    """Go to the next unanswered follow-up question, or look people up."""
    state, urgent = _removal_essentials(state)
    replies = [*(before or []), *urgent]
    nxt = _next_question(state)
    if nxt is None:
        return _start_lookup(state, replies)
    moved = _go(state, nxt)
    return moved, [*replies, prompt(moved)]


def _needs_lawyer_answer(state: State) -> bool:
    case = state.case
    unknown = (case.has_lawyer is None and not case.has(Situation.NO_LAWYER)
               and not case.has(Situation.LAWYER_UNRESPONSIVE))
    return unknown and Question.LAWYER not in state.skipped


def _removal_essentials(state: State) -> tuple[State, list[Reply]]:
    """Removal: lawyer and MP at once (F5), on screen before any other question.

    The lawyer question comes first, so the block can say "call your lawyer" or "get a
    lawyer" rightly.
    """
    if not state.case.urgent or state.urgent_shown or _needs_lawyer_answer(state):
        return state, []
    route = next(r for r in advise(state.case) if r.id is RouteId.LAWYER_NOW)
    shown = replace(state, urgent_shown=True)
    return shown, [Say(tuple(route_parts(route, state.case, (), None)))]


def _next_question(state: State) -> Step | None:
    case, skipped = state.case, set(state.skipped)
    if case.urgent and _needs_lawyer_answer(state):
        return Step.LAWYER
    if case.has(Situation.DETAINED) and case.centre_id is None and Question.CENTRE not in skipped:
        return Step.CENTRE
    if (case.has(Situation.REMOVAL) and case.removal_when is None and case.removal_date is None
            and Question.REMOVAL_WHEN not in skipped):
        return Step.REMOVAL_WHEN
    if (case.has(Situation.DELAYED) and case.waiting is None and case.waiting_months is None
            and Question.WAITING not in skipped):
        return Step.WAITING
    if _needs_lawyer_answer(state):
        return Step.LAWYER
    if case.postcode is None and Question.POSTCODE not in skipped:
        return Step.POSTCODE
    if case.own_words is None and Question.OWN_WORDS not in skipped:
        return Step.OWN_WORDS
    return None


def _start_lookup(state: State, replies: list[Reply]) -> Outcome:
    case = state.case
    postcodes: tuple[tuple[str, Purpose], ...] = ()
    if case.postcode:
        purpose = (Purpose.FORMER_HOME
                   if case.has(Situation.DETAINED) and not case.helping else Purpose.HOME)
        postcodes = ((case.postcode, purpose),)
    centre = CENTRES_BY_ID.get(case.centre_id or "")
    centre_id = centre.id if centre and centre.is_open else None
    moved = _go(state, Step.LOOKING_UP)
    say = Say((t("lookup.working", "One moment: finding who can help…"),))
    return moved, [*replies, say, LookUp(postcodes=postcodes, centre_id=centre_id)]


def _look_up_friend(state: State, postcode: str) -> Outcome:
    """G17: the MP of a friend elsewhere, looked up beside the person's own, never instead."""
    case = state.case.update(friend_postcode=postcode)
    moved = replace(_go(state, Step.LOOKING_UP), case=case, pending_postcode=None)
    say = Say((t("lookup.working", "One moment: finding who can help…"),))
    return moved, [say, LookUp(postcodes=((postcode, Purpose.FRIEND),), ministers=False)]


# --- events ----------------------------------------------------------------------------


def _on_start(state: State, event: Start) -> Outcome:
    hint = supported(event.language_hint)
    if state.step not in (Step.LANGUAGE, Step.PRIVACY) and state.case != Case():
        # A returning person: pick up where they were.
        welcome_back = Say((t("start.resume", "Welcome back. Let's carry on where we stopped, "
                              "or send /restart to begin again."),))
        return state, [welcome_back, prompt(state)]
    language = state.language or hint
    if language is None:
        fresh = replace(State(), step=Step.LANGUAGE)
        return fresh, [prompt(fresh)]
    fresh = replace(State(), language=language, step=Step.PRIVACY)
    return fresh, [RememberLanguage(language), prompt(fresh)]


def _on_command(state: State, command: Command) -> Outcome:
    name = command.name.lower().lstrip("/")
    if name in ("start",):
        return _on_start(state, Start(payload=command.argument or None))
    if name in ("restart", "cancel"):
        fresh = replace(State(), language=state.language,
                        step=Step.PRIVACY if state.language else Step.LANGUAGE)
        return fresh, [Say((t("restart.done", "Starting again. What you told me before is "
                              "cleared."),)), prompt(fresh)]
    if name == "back":
        return _back(state)
    if name == "language":
        moved = replace(_go(state, Step.LANGUAGE, remember=False), resume=_resumable(state))
        return moved, [prompt(moved)]
    if name == "forget":
        return _ask_forget(state)
    if name == "help":
        return state, [help_message(), prompt(state)]
    if name == "privacy":
        return state, [privacy_details(), prompt(state)]
    if name in ("who_else", "whoelse", "more"):
        return _who_else(state)
    if name == "draft":
        if state.step is Step.RESULTS:
            return state, [draft_menu(state)]
        return state, [Say((t("draft.not_yet", "I can write a draft once I know a little about "
                              "the case. Let's continue."),)), prompt(state)]
    if name == "mp":
        postcode = find_postcode(command.argument) if command.argument else None
        if postcode is None:
            return state, [Say((t("mp.command_usage", "Send /mp followed by a postcode, for "
                                  "example /mp {example}.", example=Plain(EXAMPLE_POSTCODE)),))]
        moved = replace(state, case=state.case.update(postcode=postcode))
        return _start_lookup(moved, [])
    return state, [Say((t("command.unknown", "I don't know that command. Here is where we "
                          "were:"),)), prompt(state)]


def _resumable(state: State) -> Step | None:
    if state.step in (Step.LANGUAGE, Step.FORGET, Step.LOOKING_UP):
        return state.resume
    return state.step


def _back(state: State) -> Outcome:
    if not state.history:
        return state, [prompt(state)]
    previous = state.history[-1]
    moved = replace(state, step=previous, history=state.history[:-1])
    # Going back to a question means the person wants to answer it again.
    if previous is Step.POSTCODE:
        moved = replace(moved, case=moved.case.update(postcode=None),
                        skipped=_unskip(moved, Question.POSTCODE), results=())
    elif previous in _QUESTION_STEPS:
        moved = replace(moved, skipped=_unskip(moved, Question(previous.value)))
    return moved, [prompt(moved)]


def _unskip(state: State, question: Question) -> tuple[Question, ...]:
    return tuple(q for q in state.skipped if q is not question)


def _on_button(state: State, data: str, config: Config) -> Outcome:
    key, _, value = data.partition(":")
    global_outcome = _global_button(state, key, value, config)
    if global_outcome is not None:
        return global_outcome
    handler = _BUTTON_HANDLERS.get(state.step)
    outcome = handler(state, key, value) if handler else None
    if outcome is None:
        return state, [stale_button(), prompt(state)]
    return outcome


def _global_button(state: State, key: str, value: str, config: Config) -> Outcome | None:
    if key == "nav":
        if value in ("back", "restart", "language", "forget", "help", "who_else", "privacy"):
            return _on_command(state, Command(value))
        return None
    if key == "more" and state.step is Step.RESULTS:
        return _show_more(state, value, config)
    if key == "replied" and state.step is Step.MP_REPLIED:
        return _mp_replied(state, value, config)
    if key == "draft" and state.step is Step.RESULTS:
        return _send_draft(state, value, config)
    return None



def _on_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    cleaned = bound_text(text, _MAX_TEXT)
    if not cleaned:
        return state, [Say((t("text.empty", "I didn't get any words there. You can type, or use "
                              "the buttons."),)), prompt(state)]
    intent = confident_intent(nlu, config)
    global_outcome = _global_intent(state, intent, cleaned)
    if global_outcome is not None:
        return global_outcome
    handler = _TEXT_HANDLERS.get(state.step)
    if handler is None:
        return state, [prompt(state)]
    return handler(state, cleaned, nlu, config)


def _global_intent(state: State, intent: str | None, text: str) -> Outcome | None:
    if intent == "forget_me":
        return _ask_forget(state)
    if intent == "change_language" and state.step is not Step.LANGUAGE:
        code = language_named_in(text)
        if code is not None:
            return _choose_language(state, code)
        moved = replace(_go(state, Step.LANGUAGE, remember=False), resume=_resumable(state))
        return moved, [prompt(moved)]
    if intent == "help":
        return state, [help_message(), prompt(state)]
    if intent == "who_else" and state.step is Step.RESULTS:
        return _who_else(state)
    if intent == "petition":
        noted = replace(state, case=state.case.update(asked_about_going_public=True))
        route = next(r for r in advise(noted.case) if r.id is RouteId.PETITION)
        return noted, [Say(tuple(route_parts(route, noted.case, (), None))), prompt(noted)]
    if intent == "thanks" and state.step is Step.RESULTS:
        return state, [Say((t("thanks.reply", "You're welcome. I'm here if you need anything "
                              "else."),)), prompt(state)]
    return None


# --- per-step handlers -------------------------------------------------------------------


def _language_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "lang" or value not in LANGUAGES_BY_CODE:
        return None
    return _choose_language(state, value)


def _choose_language(state: State, code: str) -> Outcome:
    resume = state.resume if state.step is Step.LANGUAGE else _resumable(state)
    target = resume or Step.PRIVACY
    moved = replace(state, language=code, step=target, resume=None)
    return moved, [RememberLanguage(code), prompt(moved)]


def _language_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    code = language_named_in(text)
    if code is not None:
        return _choose_language(state, code)
    if state.language is None and looks_like_a_situation(nlu, config):
        # Someone who starts by describing their case shouldn't be stopped by a menu;
        # keep what they said and ask for the language once.
        case, proposed = _read_case(state.case, text, nlu)
        kept = replace(state, case=case, proposed=proposed, resume=Step.CONFIRM)
        return kept, [prompt(kept)]
    return state, [prompt(state)]


def _privacy_button(state: State, key: str, value: str) -> Outcome | None:
    if key == "privacy" and value == "ok":
        return _after_privacy(state)
    if key == "privacy" and value == "more":
        return state, [privacy_details(), prompt(state)]
    return None


def _after_privacy(state: State) -> Outcome:
    if state.proposed:
        moved = _go(state, Step.CONFIRM)
        return moved, [prompt(moved)]
    moved = _go(state, Step.WHO)
    return moved, [prompt(moved)]


def _privacy_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    if looks_like_a_situation(nlu, config) or is_yes(text, nlu, config):
        if looks_like_a_situation(nlu, config):
            case, proposed = _read_case(state.case, text, nlu)
            state = replace(state, case=case, proposed=proposed)
        return _after_privacy(state)
    return state, [prompt(state)]


def _who_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "who":
        return None
    if value == "self":
        moved = _go(replace(state, case=state.case.update(writer=Writer.SELF)), Step.SITUATION)
        return moved, [prompt(moved)]
    if value == "other":
        moved = _go(replace(state, case=state.case.update(writer=Writer.HELPER)),
                    Step.RELATIONSHIP)
        return moved, [prompt(moved)]
    return None


def _who_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    if looks_like_a_situation(nlu, config) or names_relationship(nlu):
        return _understand(state, text, nlu)
    return state, [not_understood(), prompt(state)]


def _relationship_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "rel" or value not in Relationship.__members__.values():
        return None
    case = state.case.update(relationship=Relationship(value))
    moved = _go(replace(state, case=case), Step.SITUATION)
    return moved, [prompt(moved)]


def _relationship_text(state: State, text: str, nlu: NluResult | None,
                       config: Config) -> Outcome:
    if looks_like_a_situation(nlu, config) or names_relationship(nlu):
        return _understand(state, text, nlu)
    # Whatever they call the person is fine: the letter says "relative" and moves on.
    case = state.case.update(relationship=Relationship.RELATIVE)
    moved = _go(replace(state, case=case), Step.SITUATION)
    return moved, [prompt(moved)]


def _situation_button(state: State, key: str, value: str) -> Outcome | None:
    if key == "sit" and value in SITUATION_INTENTS:
        situation = SITUATION_INTENTS[value]
        case = (state.case.without_situation(situation) if state.case.has(situation)
                else state.case.with_situations(situation))
        updated = replace(state, case=case)
        return updated, [prompt(updated)]
    if key == "sit" and value == "done":
        if not state.case.situations:
            return state, [Say((t("situation.none_yet", "Please choose at least one, or describe "
                                  "what is happening in a few words."),)), prompt(state)]
        return _situations_settled(state)
    return None


def _situation_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    if looks_like_a_situation(nlu, config) or names_relationship(nlu):
        return _understand(state, text, nlu)
    return state, [not_understood(), prompt(state)]


def _understand(state: State, text: str, nlu: NluResult | None) -> Outcome:
    """Free text describing the case: propose what we understood and ask to confirm."""
    case, proposed = _read_case(state.case, text, nlu)
    moved = _go(replace(state, case=case, proposed=proposed), Step.CONFIRM)
    if not proposed and not case.situations:
        moved = _go(replace(state, case=case), Step.SITUATION)
        return moved, [prompt(moved)]
    return moved, [prompt(moved)]


def _read_case(case: Case, text: str, nlu: NluResult | None) -> tuple[Case, tuple[Situation, ...]]:
    """Everything a free-text message tells us: situations, helper, relative, centre, postcode."""
    proposed: list[Situation] = []
    helper = False
    if nlu is not None:
        for score in nlu.ranking[:3]:
            # Secondary intents count only when the model is fairly sure of them too.
            if score is not nlu.ranking[0] and score.confidence < 0.3:
                continue
            for part in score.name.split("+"):
                if part in SITUATION_INTENTS and SITUATION_INTENTS[part] not in proposed:
                    proposed.append(SITUATION_INTENTS[part])
                helper = helper or part == "on_behalf"
            if score is nlu.ranking[0] and "+" in score.name:
                break  # a combined top intent already says everything
        relation = nlu.entity("relationship")
        if relation is not None:
            # A form the model found but couldn't map ("ماما", "маму") still means
            # someone else is writing; the letter then says "relative".
            known = relation in Relationship.__members__.values()
            case = case.update(relationship=Relationship(relation) if known
                               else case.relationship or Relationship.RELATIVE)
            helper = True
        centre_id = nlu.entity("detention_centre")
        if centre_id in CENTRES_BY_ID:
            case = case.update(centre_id=centre_id)
            if Situation.DETAINED not in proposed:
                proposed.append(Situation.DETAINED)
    if case.centre_id is None:
        centre = find_centre(text)
        if centre is not None and _mentions_centre_by_name(text, centre.name, centre.aliases):
            case = case.update(centre_id=centre.id)
    postcode = find_postcode(text)
    if postcode:
        case = case.update(postcode=postcode)
    if helper:
        case = case.update(writer=Writer.HELPER)
    elif case.writer is None and proposed:
        case = case.update(writer=Writer.SELF)
    if proposed and len(text) >= 15:
        # Kept only to be offered back at the own-words step: a letter quotes it only
        # once the person has seen it there and chosen it.
        case = case.update(described=bound_text(text))
    return case, tuple(s for s in proposed if s not in case.situations) or tuple(proposed)


def _mentions_centre_by_name(text: str, name: str, aliases: tuple[str, ...]) -> bool:
    """Avoid guessing a centre from a loose fuzzy match in a long message."""
    folded = text.casefold()
    return any(alias.casefold() in folded for alias in (name, *aliases) if len(alias) >= 5)


def _confirm_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "confirm":
        return None
    if value == "yes":
        case = state.case.with_situations(*state.proposed)
        return _situations_settled(replace(state, case=case, proposed=()))
    if value == "no":
        moved = _go(replace(state, proposed=()), Step.SITUATION)
        return moved, [Say((t("confirm.choose", "Sorry I got that wrong. Please choose what "
                              "applies:"),)), prompt(moved)]
    if value == "add":
        case = state.case.with_situations(*state.proposed)
        moved = _go(replace(state, case=case, proposed=()), Step.SITUATION)
        return moved, [prompt(moved)]
    return None


def _confirm_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    if is_yes(text, nlu, config):
        return _confirm_button(state, "confirm", "yes") or (state, [prompt(state)])
    if is_no(text, nlu, config):
        return _confirm_button(state, "confirm", "no") or (state, [prompt(state)])
    if looks_like_a_situation(nlu, config):
        return _understand(state, text, nlu)
    return state, [prompt(state)]


def _situations_settled(state: State) -> Outcome:
    case = state.case
    if case.writer is None:
        case = case.update(writer=Writer.SELF)
    return _advance(replace(state, case=case))


def _centre_button(state: State, key: str, value: str) -> Outcome | None:
    if key == "centre" and value == "other":
        return state, [Say((t("centre.type_name", "Please type the name of the centre or "
                              "prison."),))]
    if key == "centre" and value == "skip":
        return _advance(replace(state, skipped=(*state.skipped, Question.CENTRE)))
    if key == "centre" and value in CENTRES_BY_ID:
        return _centre_chosen(state, value)
    return None


def _centre_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    centre_id = nlu.entity("detention_centre") if nlu else None
    centre = CENTRES_BY_ID.get(centre_id or "") or find_centre(text)
    if centre is None:
        return state, [Say((t("centre.unknown", "I don't know that centre. Choose one below, or "
                              "press Skip: I can still help without it."),)), prompt(state)]
    return _centre_chosen(state, centre.id)


def _centre_chosen(state: State, centre_id: str) -> Outcome:
    centre = CENTRES_BY_ID[centre_id]
    if centre.status is CentreStatus.CLOSED:
        return state, [Say((t("centre.closed", "{name} closed as a detention centre ({date}). "
                              "Please check where the person is held now and choose again.",
                              name=Plain(centre.name), date=Plain(centre.status_since or "")),)),
                       prompt(state)]
    if centre.status is CentreStatus.PLANNED:
        return state, [Say((t("centre.planned", "As far as I know, {name} was not yet open (my "
                              "information is from {date}). Please check and choose again, or "
                              "press Skip.", name=Plain(centre.name),
                              date=Plain(centre.source_date)),)), prompt(state)]
    return _advance(replace(state, case=state.case.update(centre_id=centre_id)))


def _removal_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "when" or value not in RemovalWhen.__members__.values():
        return None
    return _advance(replace(state, case=state.case.update(removal_when=RemovalWhen(value))))


def _removal_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    # A typed date goes into the letter only as a real day, shown back to be checked;
    # anything else is asked again rather than copied into a letter as a "date".
    day = parse_removal_day(text, config.today)
    if day is None:
        return state, [Say((t("removal.unclear", "I couldn't read a date in that. Please "
                              "choose a button, or type the date, for example 14 March."),)),
                       prompt(state)]
    noted = Say((t("removal.noted", "Removal date: {day}. If that is wrong, press Back.",
                   day=Day(day.isoformat())),))
    case = state.case.update(removal_date=day.isoformat(), removal_when=None)
    return _advance(replace(state, case=case), [noted])


def _waiting_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "wait" or value not in WaitBand.__members__.values():
        return None
    return _advance(replace(state, case=state.case.update(waiting=WaitBand(value))))


def _waiting_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    months = parse_duration_months(text)
    if months is None:
        return state, [Say((t("waiting.unclear", "Please choose one of the buttons, or write a "
                              "number with months or years, like \"3 years\"."),)), prompt(state)]
    return _advance(replace(state, case=state.case.update(waiting_months=months)))


def _lawyer_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "lawyer" or value not in ("yes", "no", "skip"):
        return None
    if value == "skip":
        return _advance(replace(state, skipped=(*state.skipped, Question.LAWYER)))
    has = value == "yes"
    case = state.case.update(has_lawyer=has)
    if not has:
        case = case.with_situations(Situation.NO_LAWYER)
    return _advance(replace(state, case=case))


def _lawyer_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    if is_yes(text, nlu, config):
        return _lawyer_button(state, "lawyer", "yes") or (state, [prompt(state)])
    if is_no(text, nlu, config):
        return _lawyer_button(state, "lawyer", "no") or (state, [prompt(state)])
    return state, [not_understood(), prompt(state)]


def _own_words_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "own":
        return None
    if value == "skip":
        return _advance(replace(state, skipped=(*state.skipped, Question.OWN_WORDS)))
    if value == "reuse" and state.case.described:
        case = state.case.update(own_words=state.case.described,
                                 own_words_language=state.language)
        return _advance(replace(state, case=case))
    return None


def _own_words_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    # Whatever they write is theirs to say: kept bounded, quoted in the letters as typed.
    case = state.case.update(own_words=bound_text(text, MAX_OWN_WORDS),
                             own_words_language=state.language)
    thanks = Say((t("own_words.kept", "Thank you. I will quote your words in the letters, as "
                    "you wrote them."),))
    return _advance(replace(state, case=case), [thanks])


def _postcode_button(state: State, key: str, value: str) -> Outcome | None:
    if key == "postcode" and value == "skip":
        return _advance(replace(state, skipped=(*state.skipped, Question.POSTCODE)))
    return None


def _postcode_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    postcode = (nlu.entity("postcode") if nlu else None) or text
    found = find_postcode(postcode) or find_postcode(text)
    if found is not None:
        return _advance(replace(state, case=state.case.update(postcode=found)))
    partial = outward_code(text)
    problem = LookupProblem.PARTIAL_POSTCODE if partial else LookupProblem.INVALID_POSTCODE
    message = lookup_problem_message(LookupResult(purpose=Purpose.HOME, problem=problem),
                                     EXAMPLE_POSTCODE)
    return state, [Say((message,)) if message else not_understood(), prompt(state)]


def _on_lookup_done(state: State, event: LookupDone, config: Config) -> Outcome:
    if state.step is not Step.LOOKING_UP:
        return state, []  # a late answer for a conversation that has moved on
    friend_lookup = any(r.purpose is Purpose.FRIEND for r in event.results)
    problem_reply: Msg | None = None
    for result in event.results:
        if result.purpose is not Purpose.DETENTION_CENTRE:
            problem_reply = lookup_problem_message(result, EXAMPLE_POSTCODE)
    if problem_reply is not None and friend_lookup:
        again = replace(state, step=Step.FRIEND_POSTCODE,
                        case=state.case.update(friend_postcode=None))
        return again, [Say((problem_reply,)), prompt(again)]
    if problem_reply is not None:
        # The postcode couldn't be used: ask again, keeping everything else.
        again = replace(state, step=Step.POSTCODE, case=state.case.update(postcode=None))
        return again, [Say((problem_reply,)), prompt(again)]
    # A friend's look-up sits beside the person's own results; a new look-up of their
    # own replaces theirs and keeps the friend's.
    kept = tuple(r for r in state.results
                 if (r.purpose is not Purpose.FRIEND) == friend_lookup)
    results = (*kept, *event.results)
    if friend_lookup:
        done = replace(state, step=Step.RESULTS, results=results)
        return done, _friend_results(done, config)
    case = state.case
    for result in event.results:
        if result.purpose is not Purpose.DETENTION_CENTRE and result.area and result.area.nation:
            case = case.update(nation=result.area.nation)
    if case.nation is None and case.postcode:
        from flows.postcodes import guess_nation

        case = case.update(nation=guess_nation(case.postcode))
    done = replace(state, step=Step.RESULTS, case=case, results=results,
                   ministers=event.ministers)
    return done, [*_results_messages(done), draft_menu(done)]


def _friend_results(state: State, config: Config) -> list[Reply]:
    """G17: the friend's MP, and the letter for the friend to send."""
    parts = representative_parts(Role.MP, Purpose.FRIEND, state.results)
    intro = t("friend_mp.intro", "The MP where your friend or relative lives:")
    draft = _draft(state, DraftKind.FRIEND_MP, config)
    return [Say((intro, *parts), private=True), SendDraft(draft), draft_menu(state)]


def _results_messages(state: State) -> list[Reply]:
    """The first screen after the look-up: who, how to reach them, what they can do.

    Short enough for a phone: the details (why, tips, free advice, who else) are a
    button away, and nothing already shown is shown again.
    """
    routes = [r for r in advise(state.case) if r.tier is Tier.PRIMARY]
    if state.urgent_shown:
        routes = [r for r in routes if r.id is not RouteId.LAWYER_NOW]
    messages: list[Reply] = [Say((t("results.intro", "Here is who can help, and how."),))]
    same_mp = _centre_mp_is_home_mp(state.results)
    # Routes with nobody to contact are named in one line; their points are a tap away.
    named_only = [r for r in routes if r.role is None and r.id not in _ALWAYS_ON_FIRST_SCREEN]
    routes = [r for r in routes if r not in named_only]
    for route in routes:
        if route.id is RouteId.CENTRE_MP and same_mp:
            parts = [*route_parts(route, state.case, state.results, state.ministers, brief=True,
                                  people=False),
                     t("centre_mp.same", "The detention centre is in the same constituency: "
                       "it is the same MP as above.")]
        else:
            parts = route_parts(route, state.case, state.results, state.ministers, brief=True)
        messages.append(Say(tuple(parts), private=True))
    if named_only:
        titles = join_list([route.title for route in named_only])
        messages.insert(-1 if routes and routes[-1].id is RouteId.FREE_ADVICE else len(messages),
                        Say((t("results.also", "Also for you, under \u201cWhat they can "
                               "do\u201d: {titles}.", titles=titles),)))
    return messages


# Shown in full on the first screen whatever it holds: removal and free advice (F5, F8).
_ALWAYS_ON_FIRST_SCREEN = (RouteId.LAWYER_NOW, RouteId.FREE_ADVICE)


def _centre_mp_is_home_mp(results: tuple[LookupResult, ...]) -> bool:
    centre = next((r.mp for r in results if r.purpose is Purpose.DETENTION_CENTRE), None)
    home = [r.mp for r in results if r.purpose in (Purpose.HOME, Purpose.FORMER_HOME)]
    return centre is not None and bool(centre.name) and any(
        mp is not None and mp.name == centre.name for mp in home)


def _send_draft(state: State, value: str, config: Config) -> Outcome | None:
    if value not in DraftKind.__members__.values():
        return None
    kind = DraftKind(value)
    draft = _draft(state, kind, config)
    return state, [SendDraft(draft), _after_draft(state, draft.handover, config)]


def _after_draft(state: State, handover: Msg | None, config: Config) -> Say:
    """What to do with the letter, fitted to how urgent the case is (F3, F5)."""
    urgency = state.case.urgency(config.today)
    parts: list[Msg | Plain] = [*([handover] if handover else []),
                                t("draft.fill_in", "Fill in the parts in [brackets], check "
                                  "every fact, and send it from your own email or by post.")]
    others = Choice(t("button.more_drafts", "Other letters"), "more:drafts")
    if urgency is Urgency.IMMEDIATE:
        parts.append(t("draft.after.immediate", "The removal is only days away: after sending "
                       "the email, phone the MP's office today, say it is an urgent removal "
                       "case, and ask them to confirm they have it."))
        return Say(tuple(parts), ((others,),))
    if urgency is not Urgency.NONE:
        parts.append(t("draft.after.removal", "Because of the removal, phone the MP's office "
                       "a day or two after sending to check they have it. The Home Office "
                       "aims to answer MPs within 20 working days, but MPs can escalate "
                       "urgent cases."))
    else:
        parts.append(t("draft.after.routine", "The MP's office usually replies within a few "
                       "weeks; the Home Office aims to answer MPs within 20 working days."))
    remind = Choice(t("button.remind", "Remind me in 4 weeks"), "more:remind")
    return Say(tuple(parts), ((remind, others),))


def _draft(state: State, kind: DraftKind, config: Config):  # type: ignore[no-untyped-def]
    return draft_letter(kind, state.case, _letter_context(state, kind, config))


# Where each addressee is looked for in the results.
_ADDRESSEE_PURPOSES: dict[Addressee, tuple[Purpose, ...]] = {
    Addressee.HOME_MP: (Purpose.HOME, Purpose.FORMER_HOME),
    Addressee.CENTRE_MP: (Purpose.DETENTION_CENTRE,),
    Addressee.FRIEND_MP: (Purpose.FRIEND,),
    Addressee.DEVOLVED: (Purpose.HOME, Purpose.FORMER_HOME),
    Addressee.COUNCILLOR: (Purpose.HOME, Purpose.FORMER_HOME),
    Addressee.NOBODY: (),
}


def _letter_context(state: State, kind: DraftKind, config: Config) -> LetterContext:
    addressee = KINDS[kind].addressee
    role = {Addressee.DEVOLVED: DEVOLVED_ROLES.get(state.case.nation) if state.case.nation
            else None, Addressee.COUNCILLOR: Role.COUNCILLORS,
            Addressee.NOBODY: None}.get(addressee, Role.MP)
    recipient: Representative | None = None
    if role is not None:
        recipient = next((rep for result in state.results
                          if result.purpose in _ADDRESSEE_PURPOSES[addressee]
                          for rep in result.of_role(role) if rep.name), None)
    # The consent letter names every MP involved: home first, then the centre's, a friend's.
    order = (Purpose.HOME, Purpose.FORMER_HOME, Purpose.DETENTION_CENTRE, Purpose.FRIEND)
    ranked = sorted(state.results, key=lambda result: order.index(result.purpose))
    mps = tuple(dict.fromkeys(rep for result in ranked for rep in result.of_role(Role.MP)
                              if rep.name and not rep.vacant))
    return LetterContext(today=config.today, recipient=recipient, role=role, mps=mps,
                         language=state.language)


def _show_more(state: State, value: str, config: Config) -> Outcome | None:
    if value == "who_else":
        return _who_else(state)
    if value == "drafts":
        return state, [draft_menu(state, everything=True)]
    if value == "remind":
        return state, [OfferReminder(), Say((t("remind.set", "I'll check in with you in about "
                                               "four weeks. Send /forget to cancel and delete "
                                               "everything."),))]
    if value == "silent":
        noted = replace(state, case=state.case.update(mp_did_not_reply=True))
        return _silent_mp(noted, config)
    if value == "friend":
        moved = _go(state, Step.FRIEND_POSTCODE)
        return moved, [prompt(moved)]
    if value == "why":
        # The reasons behind the first screen, without repeating its contacts.
        routes = [r for r in advise(state.case) if r.tier is Tier.PRIMARY
                  and r.id not in (RouteId.LAWYER_NOW, RouteId.FREE_ADVICE)]
        replies: list[Reply] = [Say(tuple(route_parts(r, state.case, state.results,
                                                      state.ministers, people=False)))
                                for r in routes]
        return state, [*replies, draft_menu(state)]
    route_ids = {"tips": RouteId.TIPS, "petition": RouteId.PETITION,
                 "advice": RouteId.FREE_ADVICE}
    if value in route_ids:
        route = next(r for r in advise(state.case) if r.id is route_ids[value])
        parts = route_parts(route, state.case, state.results, state.ministers)
        return state, [Say(tuple(parts)), draft_menu(state)]
    return None


def _who_else(state: State) -> Outcome:
    if state.step is not Step.RESULTS:
        return state, [Say((t("who_else.later", "Once I know a little about the case I'll show "
                              "everyone who can help. Let's continue."),)), prompt(state)]
    wanted = (RouteId.OTHER_CONSTITUENCIES, RouteId.COUNCILLORS, RouteId.COMMUNITY,
              RouteId.MINISTERS, RouteId.MSP, RouteId.MS, RouteId.MLA)
    routes = [r for r in advise(state.case) if r.id in wanted and r.tier is Tier.MORE]
    replies: list[Reply] = [
        Say(tuple(route_parts(r, state.case, state.results, state.ministers)), private=True)
        for r in routes
    ]
    return state, [*replies, draft_menu(state)]


def _silent_mp(state: State, config: Config) -> Outcome:
    wanted = (RouteId.COMMUNITY, RouteId.OTHER_CONSTITUENCIES, RouteId.COUNCILLORS)
    routes = [r for r in advise(state.case) if r.id in wanted]
    intro = Say((t("silent.intro", "No reply yet is common: the Home Office and MPs' offices are "
                   "slow. Send a short, polite reminder first, then widen the circle."),))
    replies: list[Reply] = [intro]
    replies += [Say(tuple(route_parts(r, state.case, state.results, state.ministers)))
                for r in routes]
    reminder = _draft(state, DraftKind.CHASER, config)
    return state, [*replies, SendDraft(reminder), draft_menu(state)]


def _ask_mp_replied(state: State) -> Outcome:
    resume = state.step if state.step is not Step.MP_REPLIED else state.resume
    moved = replace(state, step=Step.MP_REPLIED, resume=resume)
    return moved, [prompt(moved)]


def _mp_replied(state: State, value: str, config: Config) -> Outcome | None:
    back = replace(state, step=state.resume or Step.RESULTS, resume=None)
    if value == "yes":
        return back, [Say((t("replied.yes", "Good. Keep every letter from the MP and the Home "
                             "Office together with your papers."),)), prompt(back)]
    if value == "no":
        return _silent_mp(replace(back, step=Step.RESULTS,
                                  case=back.case.update(mp_did_not_reply=True)), config)
    return None


def _ask_forget(state: State) -> Outcome:
    moved = replace(state, step=Step.FORGET, resume=_resumable(state))
    return moved, [prompt(moved)]


def _forget_button(state: State, key: str, value: str) -> Outcome | None:
    if key != "forget":
        return None
    if value == "yes":
        fresh = State()
        return fresh, [EraseEverything(), Say((t("forget.done", "Done: everything I held about "
                                                 "you is deleted. Send /start if you ever want "
                                                 "to begin again."),))]
    if value == "no":
        back = replace(state, step=state.resume or Step.WHO, resume=None)
        return back, [Say((t("forget.kept", "Nothing was deleted."),)), prompt(back)]
    return None


def _forget_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    if is_yes(text, nlu, config):
        return _forget_button(state, "forget", "yes") or (state, [prompt(state)])
    if is_no(text, nlu, config):
        return _forget_button(state, "forget", "no") or (state, [prompt(state)])
    return state, [prompt(state)]


def _results_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    found = find_postcode(text)
    if found is not None and state.case.postcode is None:
        return _start_lookup(replace(state, case=state.case.update(postcode=found)), [])
    if found is not None:
        # Theirs (they moved) or a friend's (G17)? Asked, never guessed: a friend's
        # postcode must not replace the person's own MP.
        moved = replace(_go(state, Step.POSTCODE_WHOSE), pending_postcode=found)
        return moved, [prompt(moved)]
    if looks_like_a_situation(nlu, config):
        return _understand(state, text, nlu)
    return state, [draft_menu(state)]


def _postcode_whose_button(state: State, key: str, value: str) -> Outcome | None:
    postcode = state.pending_postcode
    if key != "whose" or postcode is None:
        return None
    if value == "mine":
        moved = replace(state, case=state.case.update(postcode=postcode), pending_postcode=None)
        return _start_lookup(moved, [])
    if value == "friend":
        return _look_up_friend(state, postcode)
    return None


def _postcode_whose_text(state: State, text: str, nlu: NluResult | None,
                         config: Config) -> Outcome:
    return state, [prompt(state)]


def _friend_postcode_button(state: State, key: str, value: str) -> Outcome | None:
    if key == "friend" and value == "skip":
        back = replace(state, step=Step.RESULTS)
        return back, [draft_menu(back)]
    return None


def _friend_postcode_text(state: State, text: str, nlu: NluResult | None,
                          config: Config) -> Outcome:
    found = find_postcode(text)
    if found is None:
        partial = outward_code(text)
        problem = LookupProblem.PARTIAL_POSTCODE if partial else LookupProblem.INVALID_POSTCODE
        message = lookup_problem_message(LookupResult(purpose=Purpose.FRIEND, problem=problem),
                                         EXAMPLE_POSTCODE)
        return state, [Say((message,)) if message else not_understood(), prompt(state)]
    return _look_up_friend(state, found)


def _looking_up_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    return state, [Say((t("lookup.still_working", "Still looking — one moment."),))]


def _mp_replied_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Outcome:
    if is_yes(text, nlu, config):
        return _mp_replied(state, "yes", config) or (state, [prompt(state)])
    if is_no(text, nlu, config):
        return _mp_replied(state, "no", config) or (state, [prompt(state)])
    return state, [prompt(state)]


_BUTTON_HANDLERS = {
    Step.LANGUAGE: _language_button,
    Step.PRIVACY: _privacy_button,
    Step.WHO: _who_button,
    Step.RELATIONSHIP: _relationship_button,
    Step.SITUATION: _situation_button,
    Step.CONFIRM: _confirm_button,
    Step.CENTRE: _centre_button,
    Step.REMOVAL_WHEN: _removal_button,
    Step.WAITING: _waiting_button,
    Step.LAWYER: _lawyer_button,
    Step.POSTCODE: _postcode_button,
    Step.OWN_WORDS: _own_words_button,
    Step.FORGET: _forget_button,
    Step.FRIEND_POSTCODE: _friend_postcode_button,
    Step.POSTCODE_WHOSE: _postcode_whose_button,
}

_TEXT_HANDLERS = {
    Step.LANGUAGE: _language_text,
    Step.PRIVACY: _privacy_text,
    Step.WHO: _who_text,
    Step.RELATIONSHIP: _relationship_text,
    Step.SITUATION: _situation_text,
    Step.CONFIRM: _confirm_text,
    Step.CENTRE: _centre_text,
    Step.REMOVAL_WHEN: _removal_text,
    Step.WAITING: _waiting_text,
    Step.LAWYER: _lawyer_text,
    Step.POSTCODE: _postcode_text,
    Step.OWN_WORDS: _own_words_text,
    Step.LOOKING_UP: _looking_up_text,
    Step.RESULTS: _results_text,
    Step.FORGET: _forget_text,
    Step.MP_REPLIED: _mp_replied_text,
    Step.FRIEND_POSTCODE: _friend_postcode_text,
    Step.POSTCODE_WHOSE: _postcode_whose_text,
}


# --- reading short answers -----------------------------------------------------------------

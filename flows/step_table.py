"""Every step of the conversation, each declared once: its question, its buttons, its answers.

A `StepSpec` says how the step asks (`ask`: the message and its buttons), which button
action is its own, what a press of it does, what typed text does, and — for the
follow-up questions — when the case still needs the answer. Typed yes/no is read once
here for every step that asks a yes/no question, as if its button had been pressed. A
step can also say which text already is its answer (a postcode, a day: the shell then
skips the NLU) and whether requests such as "help" are heard while it waits.

Adding a step: a `Step` value, a prompt in `flows/prompts.py`, its handlers, one entry
in `STEPS` (and in `FOLLOW_UPS` if the case may need it before the look-up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flows import forgetting, opening, prompts, questions, results
from flows.answers import parse_removal_day
from flows.buttons import Action, Press
from flows.case import Situation
from flows.events import NluResult
from flows.looking_up import looking_up_text
from flows.postcodes import find_postcode
from flows.replies import Say
from flows.steps import Config, State, Step
from flows.transitions import STAY, Turn

ButtonHandler = Callable[[State, Press, Config], Turn | None]
TextHandler = Callable[[State, str, NluResult | None, Config], Turn]
# True when the text already is this step's answer (a postcode, a day): no NLU needed.
OwnAnswer = Callable[[str, date], bool]


def _stay(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    return Turn(state, [], STAY)


@dataclass(frozen=True)
class FollowUp:
    """A question asked before the look-up, while the case still needs its answer."""

    needed: Callable[[State], bool]
    # Asked before every other follow-up when this holds (the lawyer, for a removal).
    first: Callable[[State], bool] = lambda state: False


@dataclass(frozen=True)
class StepSpec:
    ask: Callable[[State], Say]
    actions: tuple[Action, ...] = ()
    on_press: ButtonHandler | None = None
    on_text: TextHandler = _stay
    # The values of this step's own yes and no buttons, for a typed yes or no.
    yes_no: tuple[str, str] | None = None
    follow_up: FollowUp | None = None
    own_answer: OwnAnswer | None = None
    # False where any text is the answer itself (their own words): only "forget me" is
    # taken as a request there, not help, petitions or language changes.
    hears_requests: bool = True


def _is_postcode(text: str, today: date) -> bool:
    return find_postcode(text) is not None


def _is_removal_day(text: str, today: date) -> bool:
    return parse_removal_day(text, today) is not None


STEPS: dict[Step, StepSpec] = {
    Step.LANGUAGE: StepSpec(prompts.ask_language, (Action.LANGUAGE,),
                            opening.language_button, opening.language_text),
    Step.PRIVACY: StepSpec(prompts.ask_privacy, (Action.PRIVACY,),
                           opening.privacy_button, opening.privacy_text),
    Step.WHO: StepSpec(prompts.ask_who, (Action.WHO,), opening.who_button,
                       opening.describe_or_not_understood),
    Step.RELATIONSHIP: StepSpec(prompts.ask_relationship, (Action.RELATIONSHIP,),
                                opening.relationship_button, opening.relationship_text),
    Step.SITUATION: StepSpec(prompts.ask_situation, (Action.SITUATION,),
                             opening.situation_button, opening.describe_or_not_understood),
    Step.CONFIRM: StepSpec(prompts.ask_confirm, (Action.CONFIRM,), opening.confirm_button,
                           opening.confirm_text, yes_no=("yes", "no")),
    Step.CENTRE: StepSpec(
        prompts.ask_centre, (Action.CENTRE,), questions.centre_button, questions.centre_text,
        follow_up=FollowUp(lambda s: s.case.has(Situation.DETAINED)
                           and s.case.centre_id is None)),
    Step.REMOVAL_WHEN: StepSpec(
        prompts.ask_removal_when, (Action.REMOVAL_WHEN,), questions.removal_button,
        questions.removal_text, own_answer=_is_removal_day,
        follow_up=FollowUp(lambda s: s.case.urgent and s.case.removal_when is None
                           and s.case.removal_date is None)),
    Step.WAITING: StepSpec(
        prompts.ask_waiting, (Action.WAITING,), questions.waiting_button,
        questions.waiting_text,
        follow_up=FollowUp(lambda s: s.case.has(Situation.DELAYED) and s.case.waiting is None
                           and s.case.waiting_months is None)),
    Step.LAWYER: StepSpec(
        prompts.ask_lawyer, (Action.LAWYER,), questions.lawyer_button, questions.lawyer_text,
        yes_no=("yes", "no"),
        # A removal's essentials say "call your lawyer" or "get a lawyer": ask first (F5).
        follow_up=FollowUp(questions.needs_lawyer_answer, first=lambda s: s.case.urgent)),
    Step.LAWYER_SILENCE: StepSpec(
        prompts.ask_lawyer_silence, (Action.LAWYER_SILENCE,), questions.lawyer_silence_button,
        questions.lawyer_silence_text,
        follow_up=FollowUp(questions.needs_lawyer_silence)),
    Step.GENDER: StepSpec(prompts.ask_gender, (Action.GENDER,), questions.gender_button,
                          questions.gender_text, follow_up=FollowUp(questions.needs_gender)),
    Step.POSTCODE: StepSpec(
        prompts.ask_postcode, (Action.POSTCODE,), questions.postcode_button,
        questions.postcode_text, own_answer=_is_postcode,
        follow_up=FollowUp(lambda s: s.case.postcode is None)),
    Step.OWN_WORDS: StepSpec(
        prompts.ask_own_words, (Action.OWN_WORDS,), questions.own_words_button,
        questions.own_words_text, hears_requests=False,
        follow_up=FollowUp(lambda s: s.case.own_words is None)),
    Step.LOOKING_UP: StepSpec(prompts.ask_looking_up, on_text=looking_up_text),
    Step.RESULTS: StepSpec(prompts.draft_menu, (Action.DRAFT, Action.MORE),
                           results.results_button, results.results_text),
    Step.FRIEND_POSTCODE: StepSpec(prompts.ask_friend_postcode, (Action.FRIEND_POSTCODE,),
                                   questions.friend_postcode_button,
                                   questions.friend_postcode_text, own_answer=_is_postcode),
    Step.POSTCODE_WHOSE: StepSpec(prompts.ask_postcode_whose, (Action.POSTCODE_WHOSE,),
                                  results.postcode_whose_button),
    Step.MP_REPLIED: StepSpec(prompts.ask_mp_replied, (Action.REPLIED,),
                              results.mp_replied_button, yes_no=("yes", "no")),
    Step.FORGET: StepSpec(prompts.ask_forget, (Action.FORGET,), forgetting.forget_button,
                          yes_no=("yes", "no")),
}

# The follow-up questions, in the order they are asked.
FOLLOW_UPS: tuple[Step, ...] = (Step.CENTRE, Step.REMOVAL_WHEN, Step.WAITING, Step.LAWYER,
                                Step.LAWYER_SILENCE, Step.GENDER, Step.POSTCODE,
                                Step.OWN_WORDS)


def next_question(state: State) -> Step | None:
    """The first follow-up the case still needs and the person hasn't skipped, or None."""
    open_questions = [step for step in FOLLOW_UPS if step not in state.skipped
                      and _follow_up(step).needed(state)]
    first = [step for step in open_questions if _follow_up(step).first(state)]
    return (first or open_questions or [None])[0]


def _follow_up(step: Step) -> FollowUp:
    follow_up = STEPS[step].follow_up
    assert follow_up is not None, step
    return follow_up

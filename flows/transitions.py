"""How a conversation moves: the one function that changes its step, and what a handler asks for.

A step's handlers never move the conversation themselves. They return a `Turn`: the
new state, what to say, and what should happen next — advance to the next question,
go to a given step, ask the current question again, or nothing more. The engine does
the moving, through `move`, so history and "back" work the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flows.replies import Reply
from flows.steps import State, Step

HISTORY_LENGTH = 20
# Steps "back" never returns to: a confirmation and a wait are not questions.
_NOT_REMEMBERED = (Step.FORGET, Step.LOOKING_UP)


@dataclass(frozen=True)
class Advance:
    """Go to the next question the case still needs, or look people up."""


@dataclass(frozen=True)
class GoTo:
    step: Step
    remember: bool = True


@dataclass(frozen=True)
class Stay:
    """Ask the current question again, after the replies."""


@dataclass(frozen=True)
class Done:
    """The replies say everything; no question follows."""


Next = Advance | GoTo | Stay | Done
ADVANCE, STAY, DONE = Advance(), Stay(), Done()


@dataclass(frozen=True)
class Turn:
    state: State
    replies: list[Reply] = field(default_factory=list)
    then: Next = DONE


def move(state: State, to: Step, *, remember: bool = True) -> State:
    """The conversation at step `to`; the step it leaves is kept for "back"."""
    history = state.history
    if remember and state.step is not to and state.step not in _NOT_REMEMBERED:
        history = (*history, state.step)[-HISTORY_LENGTH:]
    return replace(state, step=to, history=history)


def move_back(state: State) -> State:
    """The step before, as it was left; the caller reopens its question."""
    if not state.history:
        return state
    return replace(state, step=state.history[-1], history=state.history[:-1])


def resumable(state: State) -> Step | None:
    """Where to come back to after an interruption (a language change, /forget)."""
    if state.step in (Step.LANGUAGE, Step.FORGET, Step.LOOKING_UP):
        return state.resume
    return state.step


def interrupt(state: State, to: Step) -> State:
    """Step aside to `to` (language, forget, a reminder), remembering where to come back."""
    return replace(move(state, to, remember=False), resume=resumable(state))


def resume(state: State, fallback: Step) -> State:
    """Back from an interruption, to where the person was."""
    return replace(move(state, state.resume or fallback, remember=False), resume=None)

"""/forget: one confirmation, then everything about the person is erased, at any step."""

from __future__ import annotations

from flows.buttons import Press
from flows.replies import EraseEverything, Say
from flows.steps import Config, State, Step
from flows.text import t
from flows.transitions import STAY, GoTo, Turn, interrupt, resume


def ask_forget(state: State) -> Turn:
    return Turn(interrupt(state, Step.FORGET), [], STAY)


def forget_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "yes":
        done = Say((t("forget.done", "Done: everything I held about you is deleted. Send "
                      "/start if you ever want to begin again."),))
        return Turn(State(), [EraseEverything(), done])
    if press.value == "no":
        back = resume(state, Step.WHO)
        return Turn(back, [Say((t("forget.kept", "Nothing was deleted."),))],
                    GoTo(back.step, remember=False))
    return None

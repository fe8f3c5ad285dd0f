"""Asking the shell to look people up: the person's own places, or a friend's (G17)."""

from __future__ import annotations

from dataclasses import replace

from flows.case import Situation
from flows.centres import CENTRES_BY_ID
from flows.events import NluResult
from flows.replies import LookUp, Say
from flows.representatives import Purpose
from flows.steps import Config, State, Step
from flows.text import t
from flows.transitions import Turn, move

WORKING = t("lookup.working", "One moment: finding who can help…")


def start_lookup(state: State) -> Turn:
    """The person's postcode (home, or home before detention) and the centre, at once."""
    case = state.case
    postcodes: tuple[tuple[str, Purpose], ...] = ()
    if case.postcode:
        purpose = (Purpose.FORMER_HOME
                   if case.has(Situation.DETAINED) and not case.helping else Purpose.HOME)
        postcodes = ((case.postcode, purpose),)
    centre = CENTRES_BY_ID.get(case.centre_id or "")
    centre_id = centre.id if centre and centre.is_open else None
    return Turn(move(state, Step.LOOKING_UP),
                [Say((WORKING,)), LookUp(postcodes=postcodes, centre_id=centre_id)])


def look_up_friend(state: State, postcode: str) -> Turn:
    """G17: the MP of a friend elsewhere, looked up beside the person's own, never instead."""
    case = state.case.update(friend_postcode=postcode)
    moved = replace(move(state, Step.LOOKING_UP), case=case, pending_postcode=None,
                    friend_lookup=True)
    return Turn(moved, [Say((WORKING,)),
                        LookUp(postcodes=((postcode, Purpose.FRIEND),), ministers=False)])


def looking_up_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    return Turn(state, [Say((t("lookup.still_working", "Still looking — one moment."),))])

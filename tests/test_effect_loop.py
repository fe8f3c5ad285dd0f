"""The effect loop the service and the tests share: a look-up's replies take its place."""

from __future__ import annotations

import asyncio

import pytest

from flows.effects import settle, settle_sync
from flows.engine import Config, State, Step, step
from flows.events import LookupDone
from flows.replies import EraseEverything, LookUp, OfferReminder, Say
from flows.text import Plain
from tests.conftest import TODAY

CONFIG = Config(today=TODAY)
LOOKING_UP = State(step=Step.LOOKING_UP, language="en")
BEFORE = Say((Plain("before the look-up"),))
AFTER = Say((Plain("after the look-up"),))
ASKED = LookUp(postcodes=(), ministers=False)


def answer(request: LookUp) -> LookupDone:
    return LookupDone()


def test_a_lookups_replies_come_where_it_was_before_the_replies_after_it() -> None:
    expected_state, from_lookup = step(LOOKING_UP, LookupDone(), CONFIG)
    assert from_lookup  # the engine has something to say about the results

    settled = settle_sync(LOOKING_UP, [BEFORE, ASKED, AFTER], CONFIG, answer)

    assert settled.replies == (BEFORE, *from_lookup, AFTER)
    assert settled.state == expected_state and settled.state.step is Step.RESULTS
    assert settled.lookups == (ASKED,)


async def test_an_async_answer_settles_the_same_way() -> None:
    async def look_up(request: LookUp) -> LookupDone:
        return answer(request)

    first = [BEFORE, ASKED, AFTER]
    assert await settle(LOOKING_UP, first, CONFIG, look_up) == \
        settle_sync(LOOKING_UP, first, CONFIG, answer)


def test_other_effects_are_handed_back_in_order_for_the_shell() -> None:
    settled = settle_sync(State(), [EraseEverything(), BEFORE, OfferReminder()], CONFIG, answer)
    assert settled.replies == (EraseEverything(), BEFORE, OfferReminder())
    assert settled.shown == [BEFORE]
    assert settled.erase and settled.reminder_requested and settled.lookups == ()


def test_the_sync_loop_refuses_an_answer_that_must_wait() -> None:
    async def slow(request: LookUp) -> LookupDone:
        await asyncio.sleep(0)
        return LookupDone()

    with pytest.raises(TypeError):
        settle_sync(LOOKING_UP, [ASKED], CONFIG, slow)  # type: ignore[arg-type]

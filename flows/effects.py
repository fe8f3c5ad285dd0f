"""The effect loop: what a turn's replies come to once the effects they ask for are done.

`step()` can answer with effects as well as messages. A `LookUp` is answered by the
shell (`answer` turns it into a `LookupDone`), which is stepped again; its replies
take the look-up's place, before the replies that followed it. The other effects
are not performed here: they are handed back, in order, for the shell to carry out
(erase every row, arrange a reminder), so this module does no I/O.

The service and the tests go through this one loop: `settle` for an async answer,
`settle_sync` for a plain function.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from flows.engine import State, step
from flows.events import LookupDone
from flows.replies import EraseEverything, LookUp, OfferReminder, Reply, Say, SendDraft
from flows.steps import Config

# What a person is shown; every other reply is an effect.
Shown = Say | SendDraft
LookupAnswer = Callable[[LookUp], LookupDone | Awaitable[LookupDone]]


@dataclass(frozen=True)
class Settled:
    """The state after every look-up, and the replies left once look-ups were answered."""

    state: State
    # Messages, drafts and the effects still to perform, in the order the engine gave them.
    replies: tuple[Reply, ...]
    # The look-ups answered, in the order they were asked.
    lookups: tuple[LookUp, ...] = ()

    @property
    def shown(self) -> list[Shown]:
        return [reply for reply in self.replies if isinstance(reply, Say | SendDraft)]

    @property
    def erase(self) -> bool:
        """The person confirmed: delete everything held about them, this state included."""
        return any(isinstance(reply, EraseEverything) for reply in self.replies)

    @property
    def reminder_requested(self) -> bool:
        return any(isinstance(reply, OfferReminder) for reply in self.replies)


async def settle(state: State, replies: Iterable[Reply], config: Config,
                 answer: LookupAnswer) -> Settled:
    """Answer every look-up in `replies` (and in the replies they lead to), in order.

    `answer` may be a plain function or a coroutine function.
    """
    kept: list[Reply] = []
    lookups: list[LookUp] = []
    pending = list(replies)
    while pending:
        reply = pending.pop(0)
        if isinstance(reply, LookUp):
            lookups.append(reply)
            done = answer(reply)
            if inspect.isawaitable(done):
                done = await done
            state, more = step(state, done, config)
            pending[:0] = more  # the look-up's replies take its place
        else:
            kept.append(reply)
    return Settled(state, tuple(kept), tuple(lookups))


def settle_sync(state: State, replies: Iterable[Reply], config: Config,
                answer: Callable[[LookUp], LookupDone]) -> Settled:
    """`settle` with a plain-function answer, run to the end without an event loop."""
    # With nothing to await the coroutine finishes on its first step.
    running = settle(state, replies, config, answer)
    try:
        running.send(None)
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]
    running.close()
    raise TypeError("settle_sync needs an answer that returns a LookupDone, not an awaitable")


__all__ = ["LookupAnswer", "Settled", "Shown", "settle", "settle_sync"]

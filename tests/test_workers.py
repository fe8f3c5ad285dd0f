"""Several workers on one database: nobody's turn, message budget or reminder is lost or
doubled when two workers handle the same person at once.

Each worker is what a bot process has: its own engine (its own connections) on the same
database, a SQLite file in `make test` and PostgreSQL too in `make test-postgres`. The
interleaving is real: one worker's turn is held open inside its NLU parse or look-up
(the services a turn waits on) while the other worker runs a turn and commits it.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.conversation import SORRY, TURN_ATTEMPTS, ConversationService
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.storage.conversations import ConversationStore
from bot.telegram.ratelimit import PersonRateLimit, Verdict
from bot.telegram.reminders import ReminderStore
from flows.case import Situation
from flows.engine import Step
from flows.events import Button, Command, Event, IntentScore, NluResult, Start, Text
from flows.representatives import LookupResult, Purpose
from tests.database_support import Database

pytestmark = pytest.mark.postgres

DETAINED = NluResult((IntentScore("detained", 0.95),))


class HeldNlu:
    """An NLU that answers only when let go, so another worker can act meanwhile."""

    def __init__(self, answer: NluResult) -> None:
        self.answer = answer
        self.asked = asyncio.Event()
        self.go = asyncio.Event()
        self.calls = 0

    async def parse(self, text: str) -> NluResult | None:
        self.calls += 1
        self.asked.set()
        await self.go.wait()
        return self.answer

    async def aclose(self) -> None:
        return None


class InterruptedFinder(OfflineFinder):
    """A look-up during which another worker takes a turn, `times` times over."""

    def __init__(self, other: ConversationService, key: str, times: int) -> None:
        self.other, self.key, self.times = other, key, times
        self.calls = 0

    async def by_postcode(self, postcode: str, purpose: Purpose) -> LookupResult:
        self.calls += 1
        if self.calls <= self.times:
            await self.other.handle(self.key, Command("help"))  # saved: a new version
        return await super().by_postcode(postcode, purpose)


def worker(engine: Engine, nlu: object | None = None) -> ConversationService:
    return ConversationService(ConversationStore(engine, timedelta(days=30)),
                               nlu or NoNlu(), OfflineFinder())  # type: ignore[arg-type]


async def go(service: ConversationService, key: str, *events: Event) -> None:
    for event in events:
        await service.handle(key, event)


TO_THE_SITUATION = (Start(), Button("lang:en"), Button("privacy:ok"), Button("who:self"))
TO_THE_POSTCODE = (*TO_THE_SITUATION, Button("sit:refused"), Button("sit:done"),
                   Button("lawyer:no"))


# --- conversations ---------------------------------------------------------------------------


async def test_two_answers_given_at_once_on_two_workers_are_both_kept(
        database: Database) -> None:
    nlu = HeldNlu(DETAINED)
    first, second = worker(database.engine(), nlu), worker(database.engine())
    await go(second, "amina", *TO_THE_SITUATION)

    typed = asyncio.create_task(first.handle("amina", Text("they locked me up in a centre")))
    await nlu.asked.wait()  # the first worker is reading her words…
    ticked = await second.handle("amina", Button("sit:refused"))  # …as the second saves a tick
    assert ticked.state.case.situations == (Situation.REFUSED,)
    nlu.go.set()
    result = await typed

    # Her typed words were read again on top of the tick; neither answer is lost.
    for state in (result.state, first.store.load("amina").state):
        assert state is not None and state.step is Step.CONFIRM
        assert state.case.situations == (Situation.REFUSED,)
        assert state.proposed == (Situation.DETAINED,)
    assert nlu.calls == 1  # the turn was done again, the NLU asked once


async def test_a_first_message_on_two_workers_at_once_loses_neither(database: Database) -> None:
    nlu = HeldNlu(DETAINED)
    first, second = worker(database.engine(), nlu), worker(database.engine())

    typed = asyncio.create_task(first.handle("omar", Text("they locked me up in a centre")))
    await nlu.asked.wait()
    await go(second, "omar", Start(), Button("lang:fa"))  # the row is created meanwhile
    nlu.go.set()
    result = await typed

    stored = first.store.load("omar").state
    assert stored is not None and stored == result.state
    assert stored.language == "fa"  # the second worker's answer
    assert stored.proposed == (Situation.DETAINED,)  # and the first's


async def test_a_turn_in_flight_on_another_worker_does_not_undo_forget(
        database: Database) -> None:
    nlu = HeldNlu(DETAINED)
    first, second = worker(database.engine(), nlu), worker(database.engine())
    await go(second, "rezaullah", *TO_THE_POSTCODE, Text("B12 9QJ"))
    assert second.store.load("rezaullah").state.case.postcode == "B12 9QJ"  # type: ignore[union-attr]

    own_words = asyncio.create_task(first.handle("rezaullah", Text("they locked me up")))
    await nlu.asked.wait()  # the first worker holds the old state, postcode and all…
    await go(second, "rezaullah", Command("forget"))
    done = await second.handle("rezaullah", Button("forget:yes"))  # …as the second erases it
    assert done.erased
    nlu.go.set()
    await own_words

    # Her message was taken as a new one; nothing from before came back.
    with database.engines[0].connect() as connection:
        stored = connection.execute(text("SELECT state_json FROM conversation")).scalars().all()
    assert all("B12" not in payload for payload in stored)
    again = first.store.load("rezaullah").state
    assert again is None or (again.case.postcode is None and again.language is None)


async def test_a_turn_saved_over_every_time_gives_up_with_the_kind_apology(
        database: Database) -> None:
    other = worker(database.engine())
    await go(other, "samir", *TO_THE_POSTCODE, Text("B12 9QJ"))
    finder = InterruptedFinder(other, "samir", times=TURN_ATTEMPTS)
    busy = ConversationService(ConversationStore(database.engine(), timedelta(days=30)),
                               NoNlu(), finder)

    result = await busy.handle("samir", Button("own:skip"))  # then the look-up

    assert finder.calls == TURN_ATTEMPTS  # tried that often, then stopped
    assert result.replies[0] == SORRY  # and nothing from the unsaved turns was shown
    stored = busy.store.load("samir").state
    assert stored is not None and stored.step is Step.OWN_WORDS

    # Saved over once only: the second try holds, from the state the other worker saved.
    finder.calls, finder.times = 0, 1
    result = await busy.handle("samir", Button("own:skip"))
    assert finder.calls == 2 and SORRY not in result.replies
    assert busy.store.load("samir").state.step is result.state.step is not Step.OWN_WORDS  # type: ignore[union-attr]


async def test_a_database_from_before_row_versions_is_brought_up_to_date(
        database: Database) -> None:
    old = worker(database.engine())
    await go(old, "lina", Start(), Button("lang:ar"))
    with database.engines[0].begin() as connection:
        connection.execute(text("ALTER TABLE conversation DROP COLUMN version"))
    old.store.engine.dispose()

    upgraded = worker(database.engine())  # starting up adds the column, rows at version 0
    assert upgraded.store.load("lina").version == 0
    result = await upgraded.handle("lina", Button("privacy:ok"))
    assert result.state.step is Step.WHO and result.language == "ar"
    assert upgraded.store.load("lina").version == 1


def test_workers_starting_together_on_an_empty_database_all_start(database: Database) -> None:
    starting = 4
    barrier = threading.Barrier(starting)

    def start() -> Engine:
        barrier.wait()
        return database.engine()

    with ThreadPoolExecutor(starting) as pool:
        engines = list(pool.map(lambda _: start(), range(starting)))
    assert len(engines) == starting


# --- the per-person limit ---------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_two_limiters_on_one_database_share_one_budget(database: Database) -> None:
    clock = Clock()
    here, there = (PersonRateLimit(database.engine(), capacity=3, per_second=0.5,
                                   notice_every=60, clock=clock) for _ in range(2))
    verdicts = [limit.check("a") for limit in (here, there, here, there, here)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY, Verdict.DROP]
    clock.now += 2  # one token back, for both
    assert there.check("a") is Verdict.ALLOW
    assert here.check("a") is Verdict.DROP  # told once already, on the other worker


def test_messages_checked_at_the_same_moment_on_two_workers_are_each_counted(
        database: Database) -> None:
    clock = Clock()
    limits = [PersonRateLimit(database.engine(), capacity=3, per_second=0.0, clock=clock)
              for _ in range(2)]
    messages = 6
    barrier = threading.Barrier(messages)

    def check(n: int) -> Verdict:
        barrier.wait()
        return limits[n % 2].check("flood")

    with ThreadPoolExecutor(messages) as pool:
        verdicts = Counter(pool.map(check, range(messages)))
    assert verdicts == {Verdict.ALLOW: 3, Verdict.NOTIFY: 1, Verdict.DROP: 2}


# --- reminders ----------------------------------------------------------------------------------


def test_two_workers_racing_to_claim_a_due_reminder_get_it_once(database: Database) -> None:
    now = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    stores = [ReminderStore(database.engine(), now=lambda: now) for _ in range(2)]
    racers = 4
    for round_ in range(10):
        key = f"person-{round_}"
        stores[0].put(key, 1000 + round_, now - timedelta(minutes=1))
        barrier = threading.Barrier(racers)

        def claim(n: int, key: str = key, barrier: threading.Barrier = barrier) -> bool:
            barrier.wait()
            return stores[n % 2].claim(key) is not None

        with ThreadPoolExecutor(racers) as pool:
            claimed = list(pool.map(claim, range(racers)))
        assert claimed.count(True) == 1, f"round {round_}: {claimed}"
    assert stores[1].pending() == []


def test_two_workers_saving_a_reminder_for_one_person_at_once_both_succeed(
        database: Database) -> None:
    """"Remind me" pressed twice at once, on two workers (or a retry rescheduling while the
    person asks again): neither save fails, one row is left, and it is the one of a save."""
    now = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    stores = [ReminderStore(database.engine(), now=lambda: now) for _ in range(2)]
    racers = 4
    for round_ in range(10):
        key = f"person-{round_}"
        if round_ % 2:  # half the rounds replace a reminder already there
            stores[0].put(key, 1, now - timedelta(days=3))
        barrier = threading.Barrier(racers)

        def put(n: int, key: str = key, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            stores[n % 2].put(key, 2000 + n, now + timedelta(days=n + 1))

        with ThreadPoolExecutor(racers) as pool:
            list(pool.map(put, range(racers)))  # re-raises any save's failure
        row = stores[1].get(key)
        assert row is not None
        assert (row.chat_id, _aware(row.due_at)) in {
            (2000 + n, now + timedelta(days=n + 1)) for n in range(racers)}
    assert len(stores[0].pending()) == 10


def test_saving_a_reminder_again_moves_it_and_keeps_when_it_was_asked_for(
        database: Database) -> None:
    asked = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    store = ReminderStore(database.engine(), now=lambda: asked)
    store.put("nadia", 42, asked + timedelta(days=28))
    store.now = lambda: asked + timedelta(days=28)
    store.put("nadia", 43, asked + timedelta(days=29))  # a retry after a failed send
    row = store.get("nadia")
    assert row is not None and row.chat_id == 43
    assert _aware(row.due_at) == asked + timedelta(days=29)
    assert _aware(row.created_at) == asked


def _aware(moment: datetime) -> datetime:
    # Some drivers hand SQLite's datetimes back naive; they are stored as UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

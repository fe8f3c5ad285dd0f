"""Conversation turns without the network: the pure engine, then engine + SQLite + rendering.

Engine steps a second on one core: `flows.engine.step` alone, no I/O. People are
played through whole conversations first (not timed): each answers whatever the
engine asks, the way people do (their language, OK, who, their situation typed in
their own words with the parse Rasa would give a held-out sentence of it, a question
typed on the way, their postcode, then every letter and view the results offer);
look-ups are answered with built results, fed back as the `LookupDone` events the
shell would send. Every event of those conversations, the look-ups' answers
included, is then stepped again from the same starting states, REPEATS times; the
figure is events stepped over the CPU time of the fastest repeat (thread CPU time:
other work on the machine waits out its own time slices, not ours).

Then what a person on a slow phone waits for beyond the NLU and the look-ups: the
p50/p99 time of one turn through ConversationService on a real SQLite file, the size
of a stored conversation row, the size of the biggest rendered message, and peak
Python memory for a batch of conversations.

Targets (checked and printed, not asserted in tests): engine >= 2 000 steps/s,
p99 turn < 50 ms, stored row < 8 KiB, biggest message < 4096 characters (one
Telegram message).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.conversation import ConversationService
from bot.i18n import Renderer
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.nlu.training_files import SITUATIONS, atoms, language_files, read_examples
from bot.render import render_say
from bot.storage.conversations import ConversationStore
from bot.storage.db import create_db_engine
from flows.case import Nation
from flows.effects import settle_sync
from flows.engine import State, step
from flows.events import Button, Event, IntentScore, LookupDone, NluResult, Start, Text
from flows.languages import supported
from flows.postcodes import guess_nation
from flows.replies import LookUp, Say
from flows.representatives import (
    Area,
    Contact,
    LookupResult,
    Ministers,
    Purpose,
    Representative,
    Role,
)
from flows.steps import Config

RESULTS = Path(__file__).parent / "results"
PEOPLE = 50
# The engine's own benchmark: this many people's conversations, stepped REPEATS times.
ENGINE_PEOPLE = 120
REPEATS = 3
MAX_EVENTS_EACH = 40  # a person who would go on for ever is a bug in the chooser below
TODAY = date(2026, 12, 7)  # the engine reads no clock; fixed, so every run takes one path
POSTCODES = ("B12 9QJ", "CF10 4AU", "EH1 1YZ", "BT1 5GS", "RH6 0PQ", "M1 1AE")
CENTRES = ("brook_house", "harmondsworth", "dungavel", "yarls_wood")
QUESTIONS = (("is it free?", "ask_cost"), ("who sees what i write", "ask_privacy"),
             ("can the mp stop my removal", "ask_mp_power"))
JOURNEY: tuple[Event, ...] = (
    Start(),
    Button("lang:ar"),
    Button("privacy:ok"),
    Button("who:other"),
    Button("rel:brother"),
    Button("sit:detained"),
    Button("sit:removal"),
    Button("sit:done"),
    Button("lawyer:no"),  # asked first for a removal
    Button("centre:brook_house"),
    Button("when:72h"),
    Text("B12 9QJ"),
    Button("own:skip"),
    Button("draft:helper_mp"),
    Button("draft:consent"),
    Button("more:who_else"),
)


def _representative(role: Role, name: str, area: str) -> Representative:
    return Representative(role=role, name=name, area=area, party="Independent",
                          contact=Contact(email="someone@parliament.uk", phone="020 7219 0000",
                                          address="1 High Street"))


def answer_look_up(request: LookUp) -> LookupDone:
    """What the finder would find, built: an MP for every place (and a devolved member)."""
    found: list[LookupResult] = []
    places = list(request.postcodes)
    if request.centre_id:
        places.append(("RH6 0PQ", Purpose.DETENTION_CENTRE))
    for postcode, purpose in places:
        nation = guess_nation(postcode) or Nation.ENGLAND
        members = [_representative(Role.MP, "Alex Example", "Somewhere Central")]
        devolved = {Nation.WALES: Role.MS, Nation.SCOTLAND: Role.MSP,
                    Nation.NORTHERN_IRELAND: Role.MLA}.get(nation)
        if devolved is not None:
            members.append(_representative(devolved, "Sam Devolved", "Somewhere Central"))
        found.append(LookupResult(purpose=purpose, representatives=tuple(members),
                                  area=Area(postcode=postcode, nation=nation,
                                            constituency="Somewhere Central")))
    ministers = None
    if request.ministers:
        ministers = Ministers(
            home_secretary=_representative(Role.HOME_SECRETARY, "A Secretary", ""),
            immigration_minister=_representative(Role.IMMIGRATION_MINISTER, "A Minister", ""))
    return LookupDone(tuple(found), ministers)


@dataclass
class Persona:
    """Someone who answers whatever the engine asks, as people in the load test do."""

    language: str
    app_language: str | None  # their phone's: None shows the language picker at /start
    description: str
    intent: str  # what Rasa reads in the description (its held-out label)
    postcode: str
    centre: str
    question: tuple[str, str] | None  # typed once, on the way
    helping: bool
    letters: int  # how many letters they ask for (a translation shown counts as one)
    described: bool = False
    ticked: bool = False
    back_to_menu: bool = False
    asked: set[str] = field(default_factory=set)

    def next_event(self, offered: Sequence[str]) -> Event | None:
        """What this person does next given the buttons on screen; None: they are done."""
        actions = {data.partition(":")[0] for data in offered}

        def first(prefix: str, *wanted: str) -> Button:
            for data in (*wanted, *(d for d in offered if d.startswith(prefix))):
                if data in offered:
                    return Button(data)
            raise AssertionError(f"nothing for {prefix} among {offered}")

        if "lang" in actions:
            return first("lang:", f"lang:{self.language}")
        if "privacy" in actions:
            return Button("privacy:ok")
        if "who" in actions:
            return Button("who:other" if self.helping else "who:self")
        if self.question is not None and "sit" in actions:
            text, intent = self.question
            self.question = None
            return Text(text, NluResult((IntentScore(intent, 0.93),)))
        if "rel" in actions:
            return first("rel:")
        if "sit" in actions:
            if not self.described:
                self.described = True
                return Text(self.description, NluResult((IntentScore(self.intent, 0.88),
                                                         IntentScore("out_of_scope", 0.04))))
            if self.ticked:
                return Button("sit:done")
            # Not understood well enough: they tick their situation, then Done.
            self.ticked = True
            main = sorted(atoms(self.intent) - {"on_behalf"}) or ["detained"]
            return first("sit:", f"sit:{main[0]}")
        if "postcode" in actions:
            return Text(self.postcode)
        simple = {"confirm": "confirm:yes", "centre": f"centre:{self.centre}",
                  "when": "when:72h", "lawyer": "lawyer:no", "gender": "gender:skip",
                  "own": "own:skip", "friend": "friend:skip", "whose": "whose:mine",
                  "forget": "forget:no", "replied": "replied:no", "wait": "", "silent": ""}
        for action, choice in simple.items():
            if action in actions:
                return first(f"{action}:", *([choice] if choice else []))
        # The results: a few letters (each once), then what else the results tell.
        drafted = sum(d.startswith("draft:") for d in self.asked)
        fresh = [d for d in offered if d.startswith("draft:") and d not in self.asked
                 and drafted < self.letters]
        fresh += [d for d in ("more:why", "more:advice", "more:tips", "more:who_else")
                  if d in offered and d not in self.asked]
        if fresh:
            self.asked.add(fresh[0])
            self.back_to_menu = False
            return Button(fresh[0])
        # After a letter, back to the menu of letters for the next one; done when the
        # menu has nothing new either.
        if "more:drafts" in offered and not self.back_to_menu:
            self.back_to_menu = True
            return Button("more:drafts")
        return None


def cast(count: int) -> list[Persona]:
    """`count` people over every language of the held-out sentences; the same each run."""
    described: list[tuple[str, str, str]] = []  # interface language, text, intent
    for path in language_files():
        for example in read_examples(path):
            language = supported(example.language)
            if language and atoms(example.intent) <= set(SITUATIONS):
                described.append((language, example.text, example.intent))
    if not described:
        raise SystemExit("no held-out situation sentences in nlu/tests")
    step_size = max(1, len(described) // count)
    picked = itertools.islice(itertools.cycle(described[::step_size]), count)
    people = []
    for n, (language, description, intent) in enumerate(picked):
        people.append(Persona(
            language, language if n % 2 else None, description, intent,
            POSTCODES[n % len(POSTCODES)], CENTRES[n % len(CENTRES)],
            QUESTIONS[n % len(QUESTIONS)] if n % 3 == 0 else None,
            helping="on_behalf" in atoms(intent), letters=1 + n % 3))
    return people


def conversation_events(person: Persona, config: Config) -> list[Event]:
    """Every event one person's conversation steps, look-ups' answers included."""
    events: list[Event] = []
    state = State()
    event: Event | None = Start(language_hint=person.app_language)
    offered: list[str] = []
    while event is not None:
        if len(events) >= MAX_EVENTS_EACH:
            raise AssertionError(f"a conversation past {MAX_EVENTS_EACH} events: {events[-5:]}")
        events.append(event)
        state, replies = step(state, event, config)

        def answer(request: LookUp) -> LookupDone:
            done = answer_look_up(request)
            events.append(done)  # the shell steps it next, as settle does
            return done

        settled = settle_sync(state, replies, config, answer)
        state = settled.state
        # A turn without buttons (a letter sent) leaves the menu above it in use.
        offered = [choice.data for reply in settled.replies if isinstance(reply, Say)
                   for row in reply.choices for choice in row] or offered
        event = person.next_event(offered)
    return events


def engine_steps_per_second() -> dict[str, float]:
    """Pure `step` over recorded conversations: events a second on one core."""
    config = Config(today=TODAY)
    conversations = [conversation_events(person, config) for person in cast(ENGINE_PEOPLE)]
    events = sum(len(c) for c in conversations)
    looked_up = sum(isinstance(e, LookupDone) for c in conversations for e in c)
    cpu_seconds: list[float] = []
    wall_seconds: list[float] = []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.thread_time()
        for conversation in conversations:
            state = State()
            for event in conversation:
                state, _ = step(state, event, config)
        cpu_seconds.append(time.thread_time() - cpu)
        wall_seconds.append(time.perf_counter() - wall)
    return {
        "engine_conversations": len(conversations),
        "engine_events_each_repeat": events,
        "engine_lookups_each_repeat": looked_up,
        "engine_steps_per_second": round(events / min(cpu_seconds)),
        "engine_steps_per_second_wall": round(events / min(wall_seconds)),
    }


async def _run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{tmp}/bench.sqlite3")
        service = ConversationService(
            ConversationStore(engine, timedelta(days=30)), NoNlu(), OfflineFinder()
        )
        timings: list[float] = []
        longest = 0
        tracemalloc.start()
        for person in range(PEOPLE):
            for event in JOURNEY:
                started = time.perf_counter()
                result = await service.handle(f"person-{person}", event)
                timings.append((time.perf_counter() - started) * 1000)
                renderer = Renderer(result.language)
                for reply in result.replies:
                    if isinstance(reply, Say):
                        longest = max(longest, len(render_say(reply, renderer).text))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        with engine.connect() as connection:
            row_bytes = connection.execute(
                text("select max(length(state_json)) from conversation")
            ).scalar_one()
        engine.dispose()
    quantiles = statistics.quantiles(timings, n=100)
    return {
        "turns": len(timings),
        "turn_p50_ms": round(quantiles[49], 2),
        "turn_p99_ms": round(quantiles[98], 2),
        "max_state_row_bytes": int(row_bytes),
        "longest_message_chars": longest,
        "peak_python_mib": round(peak / 2**20, 1),
    }


def main() -> dict[str, object]:
    figures: dict[str, object] = {"measured_on": date.today().isoformat()}
    figures |= engine_steps_per_second()
    figures |= asyncio.run(_run())
    # (value, target, True when the target is a floor)
    checks = {
        "engine_steps_per_second": (figures["engine_steps_per_second"], 2000, True),
        "turn_p99_ms": (figures["turn_p99_ms"], 50, False),
        "max_state_row_bytes": (figures["max_state_row_bytes"], 8192, False),
        "longest_message_chars": (figures["longest_message_chars"], 4096, False),
    }
    for name, value in figures.items():
        verdict = ""
        if name in checks:
            got, target, floor = checks[name]
            met = got >= target if floor else got < target  # type: ignore[operator]
            verdict = "  ok" if met else f"  {'UNDER' if floor else 'OVER'} target {target}"
        print(f"{name:>28}: {value}{verdict}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "engine.json").write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()

"""Two bot processes in webhook mode behind one port, sharing one database.

Each worker is `python -m bot run`, as `make run` starts it, with WEBHOOK_URL set to the
one public URL (the proxy's), its own WEBHOOK_PORT, and the same WEBHOOK_SECRET,
ID_HMAC_SECRET and DATABASE_URL. The Bot API fake delivers updates as Telegram does in
webhook mode (tests/fakes/webhook.py): a POST per update with the secret token, one at a
time per chat, retried after an error.

In front of the workers, as in production, a real proxy: HAProxy, when HAPROXY names its
binary (`make test-postgres` installs Debian's package as root and sets it). HAProxy is
one binary run in the foreground from a config file of the test's own, with round-robin,
retries and per-person routing built in, and it writes nothing outside the test's
directory; nginx's package brings a site of its own on port 80. Without HAPROXY (plain
`make test`) the fake itself sends each request to the next worker in turn, as a
round-robin proxy would.

The database is SQLite in `make test` (two processes on one file: SQLite locks the file,
WAL lets readers through) and PostgreSQL in `make test-postgres`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.conversation import SORRY
from bot.identity import user_key
from bot.nlu.server import free_port
from bot.storage.conversations import ConversationStore
from bot.telegram.ratelimit import PersonRateLimit
from bot.telegram.reminders import ReminderStore
from bot.telegram.texts import RATE_LIMITED
from flows.case import Situation
from flows.engine import State, Step
from tests.database_support import Database
from tests.fakes.bot_api import TOKEN, Call, FakeBotApi, Person
from tests.fakes.json_server import Answer, JsonServer
from tests.fakes.rasa_nlu import FakeRasa
from tests.telegram_support import shown

REPO = Path(__file__).resolve().parent.parent
ID_SECRET = "two-workers-id-secret"
WEBHOOK_SECRET = "two-Workers_webhook-secret"
HOOK_PATH = "/telegram"
WORKERS = 2
# Enough for a burst of one person's taps to meet on both workers, few enough that a turn
# is never saved over three times (bot.conversation.TURN_ATTEMPTS) and so never apologises.
TAPS_AT_ONCE = (Situation.REFUSED, Situation.DELAYED, Situation.NO_LAWYER)
# Long enough for both workers to start (a few seconds each) and schedule the reminder.
REMINDER_IN = timedelta(seconds=15)
# Typed all at once by one person, each read by an NLU that takes its time: the turns run
# side by side on both workers, and all but the first to save are done again.
TYPED_AT_ONCE = {"they refused my claim": Situation.REFUSED,
                 "i have no lawyer": Situation.NO_LAWYER,
                 "waiting for years": Situation.DELAYED}
NLU_SECONDS = 0.4


# --- the workers and the proxy ------------------------------------------------------------------


@dataclass
class Worker:
    """One `python -m bot run` process, its webhook port and its log file."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{HOOK_PATH}"

    def logs(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def served(self, kind: str = "") -> int:
        """Turns this worker took (each logs a line; a message over the limit doesn't)."""
        return self.logs().count(f"update kind={kind}")


def _start_worker(directory: Path, fake: FakeBotApi, database_url: str, public_url: str,
                  rasa_url: str | None) -> Worker:
    directory.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "WEBHOOK_URL": public_url,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "ID_HMAC_SECRET": ID_SECRET,
        "DATABASE_URL": database_url,
        "NLU_ENABLED": "true" if rasa_url else "false",
        "RASA_URL": rasa_url or "",
        "LOOKUPS_ENABLED": "false",
        "LOG_LEVEL": "INFO",
    }
    log = directory / "worker.log"
    # A file, not a pipe: a pipe nobody reads fills up and stalls the worker.
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=directory,
                                   env=env, stdout=output, stderr=subprocess.STDOUT)
    return Worker(port, process, log)


def _wait_until_serving(workers: list[Worker], within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    for worker in workers:
        while "telegram adapter running (webhook)" not in worker.logs():
            assert worker.process.poll() is None, worker.logs()
            assert time.monotonic() < deadline, f"a worker never started: {worker.logs()}"
            time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def haproxy_config(front: int, workers: list[Worker], *, by_person: bool) -> str:
    """The README's sketch ("Several workers") without TLS: each person's updates to one
    worker, or round robin."""
    # A message's sender, else a button press's: the same person either way.
    sender = "http-request set-var(txn.person) req.body,json_query('$.{}.from.id')"
    routing = f"""\
    option http-buffer-request
    {sender.format("message")}
    {sender.format("callback_query")} unless {{ var(txn.person) -m found }}
""" if by_person else ""
    balance = "balance hash var(txn.person)\n    hash-type consistent" if by_person \
        else "balance roundrobin"
    servers = "\n".join(f"    server worker{n} 127.0.0.1:{w.port} check inter 1s"
                        for n, w in enumerate(workers, 1))
    return f"""\
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s

frontend telegram
    bind 127.0.0.1:{front}
    http-request deny unless {{ path {HOOK_PATH} }}
{routing}    default_backend bot_workers

backend bot_workers
    {balance}
    retries 2
    option redispatch 1
    retry-on conn-failure
{servers}
"""


@contextlib.contextmanager
def _haproxy(binary: str, config: str, front: int, directory: Path) -> Iterator[None]:
    path = directory / "haproxy.cfg"
    path.write_text(config, encoding="utf-8")
    log = directory / "haproxy.log"
    with log.open("wb") as output:  # -db: in the foreground, as a child of the test
        process = subprocess.Popen([binary, "-db", "-f", str(path)],
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", front), timeout=0.5):
                break
            assert time.monotonic() < deadline, "HAProxy never listened"
            time.sleep(0.05)
        yield
    finally:
        _stop(process, signal.SIGTERM)


@contextlib.contextmanager
def two_workers(tmp_path: Path, fake: FakeBotApi, database: Database, *,
                by_person: bool = False, rasa: FakeRasa | None = None) -> Iterator[list[Worker]]:
    """Two workers behind one port (HAProxy, or the fake spreading requests), stopped after,
    each of them cleanly."""
    binary = os.environ.get("HAPROXY")
    if by_person and not binary:
        pytest.skip("routing by person is HAProxy's (set HAPROXY, as make test-postgres does)")
    front = free_port()
    public_url = f"http://127.0.0.1:{front}{HOOK_PATH}"
    workers = [_start_worker(tmp_path / f"worker{n}", fake, database.url, public_url,
                             rasa.url if rasa else None)
               for n in range(1, WORKERS + 1)]
    try:
        _wait_until_serving(workers)
        if binary:
            with _haproxy(binary, haproxy_config(front, workers, by_person=by_person), front,
                          tmp_path):
                yield workers
        else:
            fake.spread_webhook_over([w.url for w in workers])
            yield workers
    finally:
        for worker in workers:
            _stop(worker.process, signal.SIGINT)
    for worker in workers:
        logs = worker.logs()
        assert worker.process.returncode == 0, logs
        assert "Traceback" not in logs and "telegram adapter stopped" in logs


# --- people, and what they are sent ----------------------------------------------------------


class Inbox:
    """What each chat was sent, as it arrives, so fifty people waiting at once cost nothing
    (each scanning the whole record would cost more than the workers being tested)."""

    def __init__(self, fake: FakeBotApi) -> None:
        self._loop = asyncio.get_running_loop()
        self._calls: dict[int, list[Call]] = defaultdict(list)
        self._arrived: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.answered: Counter[str] = Counter()  # answerCallbackQuery per query id
        fake.watch(self._on_call)

    def _on_call(self, call: Call) -> None:  # on the fake's thread
        if call.status == 200:
            with contextlib.suppress(RuntimeError):  # the test's loop already closed
                self._loop.call_soon_threadsafe(self._add, call)

    def _add(self, call: Call) -> None:
        if call.method == "answerCallbackQuery":
            self.answered[str(call.params["callback_query_id"])] += 1
        elif call.chat_id is not None:
            self._calls[call.chat_id].append(call)
            self._arrived[call.chat_id].set()

    def of(self, person: Person) -> list[Call]:
        return list(self._calls[person.user_id])

    async def wait(self, person: Person, wanted: Callable[[Call], bool], *, after: int,
                   count: int = 1, within: float = 60.0) -> list[Call]:
        chat, deadline = person.user_id, time.monotonic() + within
        while True:
            found = [c for c in self._calls[chat][after:] if wanted(c)]
            if len(found) >= count:
                return found
            self._arrived[chat].clear()
            left = deadline - time.monotonic()
            assert left > 0, f"timed out: {[(c.method, c.text[:40]) for c in self._calls[chat]]}"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived[chat].wait(), left)

    async def reply(self, person: Person, act: Callable[[], object], *,
                    ticked: bool = False) -> Call:
        """Do `act`, then wait for the next question (or, `ticked`, the question edited)."""
        mark = len(self._calls[person.user_id])
        act()
        method = "editMessageReplyMarkup" if ticked else "sendMessage"
        return (await self.wait(person, lambda c: c.method == method and bool(c.buttons),
                                after=mark))[0]

    async def quiet(self, seconds: float = 1.5) -> None:
        """Until nobody has been sent anything for `seconds`."""
        while True:
            total = sum(len(calls) for calls in self._calls.values())
            await asyncio.sleep(seconds)
            if total == sum(len(calls) for calls in self._calls.values()):
                return


async def to_the_situations(inbox: Inbox, person: Person) -> Call:
    question = await inbox.reply(person, lambda: person.says("/start"))
    for tap in ("privacy:ok", "who:self"):
        question = await inbox.reply(
            person, lambda tap=tap, on=question: person.presses(tap, on))
    return question  # "What is happening?", with a tick box per situation


async def to_the_postcode(inbox: Inbox, person: Person) -> Call:
    question = await to_the_situations(inbox, person)
    await inbox.reply(person, lambda: person.presses("sit:refused", question), ticked=True)
    for tap in ("sit:done", "lawyer:no"):
        question = await inbox.reply(
            person, lambda tap=tap, on=question: person.presses(tap, on))
    return question


def postcode_of(n: int) -> str:
    return f"B{10 + n} {n % 10}QJ"


def stored(engine: Engine, person: Person) -> State:
    store = ConversationStore(engine, timedelta(days=30))
    state = store.load(user_key(ID_SECRET.encode(), "telegram", person.user_id)).state
    assert state is not None
    return state


def ticked(call: Call) -> int:
    return sum(1 for button in call.buttons if button.get("text", "").startswith("✓"))


# --- the tests -----------------------------------------------------------------------------------


def test_the_fake_delivers_to_a_webhook_as_telegram_does() -> None:
    """What the workers' test rests on: while a webhook is set, updates are POSTed to it with
    the secret token, a chat's next only after its last got a 2xx, a failed one again later;
    getUpdates is a 409 meanwhile, and deleting the webhook brings polling back."""
    received: list[tuple[str, dict[str, str], int, float]] = []
    lock = threading.Lock()

    def webhook(verb: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        with lock:
            received.append((path, headers, json.loads(body)["update_id"], time.monotonic()))
            first = len(received) == 1
        time.sleep(0.1)  # answering takes a while: the same chat's next update waits
        return (500, {}) if first else (200, {})

    receiver = JsonServer(webhook)
    with FakeBotApi() as fake, httpx.Client(base_url=f"{fake.base_url}{TOKEN}/") as api, \
            contextlib.closing(receiver):
        amina, omar = fake.person(1, "Amina", "en"), fake.person(2, "Omar", "en")
        amina.says("/start")  # waiting before the webhook is set: delivered once it is
        assert api.post("setWebhook", data={
            "url": f"http://127.0.0.1:{receiver.port}/hook", "secret_token": "s3cret-OK",
            "max_connections": "5"}).json()["result"] is True
        conflict = api.post("getUpdates")
        assert conflict.status_code == 409 and "webhook is active" in conflict.text
        amina.says("/help")
        amina.says("/language")
        omar.says("/start")
        deadline = time.monotonic() + 10
        while len([d for d in fake.deliveries if d.ok]) < 4:
            assert time.monotonic() < deadline, fake.deliveries
            time.sleep(0.02)
        info = api.post("getWebhookInfo").json()["result"]

        assert {path for path, *_ in received} == {"/hook"}
        assert {(h["x-telegram-bot-api-secret-token"], h["content-type"])
                for _, h, *_ in received} == {("s3cret-OK", "application/json")}
        attempts = [d.update_id for d in fake.deliveries]
        assert attempts.count(1) == 2 and [d.ok for d in fake.deliveries if d.update_id == 1] \
            == [False, True]  # refused once (a 500), sent again
        ended = {d.update_id: d.at for d in fake.deliveries if d.ok}
        sent = {update_id: at for _, _, update_id, at in received}  # the last attempt's
        assert ended[1] <= sent[2] and ended[2] <= sent[3]  # Amina's one at a time, in order
        assert sent[4] < ended[2]  # Omar's chat did not wait for hers
        assert info["url"].endswith("/hook") and info["pending_update_count"] == 0
        assert info["max_connections"] == 5 and "500" in info["last_error_message"]

        assert api.post("deleteWebhook").json()["result"] is True
        omar.says("/help")
        update_id = fake.updates_pushed
        polled = api.post("getUpdates", data={"offset": str(update_id)}).json()["result"]
        assert [u["update_id"] for u in polled] == [update_id]
        assert len(fake.deliveries) == 5  # nothing more POSTed


@pytest.mark.postgres
async def test_two_webhook_workers_answer_a_burst_once_each_and_keep_every_step(
        tmp_path: Path, database: Database) -> None:
    """All at once, spread over both workers: thirty people each going through seven steps,
    waiting for each answer; people tapping three boxes, or typing three messages, before
    the first is answered; one person sending more than their message budget; and a
    reminder both workers scheduled. Each update is answered once, each person's state
    holds every step, the budget and the reminder hold across the two."""
    engine = database.engine()  # tables created before the workers start, for the reminder
    defaults = PersonRateLimit(engine)  # the limit each worker runs with
    rasa = FakeRasa({text: (situation.value, 0.95, [])
                     for text, situation in TYPED_AT_ONCE.items()}, delay=NLU_SECONDS)
    with FakeBotApi() as fake, contextlib.closing(rasa):
        walkers = [fake.person(810_000_000 + n, f"Walker{n}", "en") for n in range(30)]
        tappers = [fake.person(820_000_000 + n, f"Tapper{n}", "en") for n in range(5)]
        typists = [fake.person(830_000_000 + n, f"Typist{n}", "en") for n in range(8)]
        flooder = fake.person(840_000_001, "Flooder", "en")
        reminded = fake.person(850_000_001, "Reminded", "en")
        # A reminder that comes due once both workers are up: each schedules it when it
        # starts, and both fire at the same moment (on a slow day, one that starts late
        # finds it sent already).
        fake.chats[reminded.user_id] = reminded.private_chat
        ReminderStore(engine).put(user_key(ID_SECRET.encode(), "telegram", reminded.user_id),
                                  reminded.user_id, datetime.now(UTC) + REMINDER_IN)
        inbox = Inbox(fake)  # from the start: the reminder may go out as soon as one is up

        with two_workers(tmp_path, fake, database, rasa=rasa) as workers:

            async def walk(n: int, person: Person) -> None:
                # People wait for each answer before the next step, all at the same time.
                await to_the_postcode(inbox, person)
                await inbox.reply(person, lambda: person.says(postcode_of(n)))

            async def tap_at_once(person: Person) -> list[str]:
                question = await to_the_situations(inbox, person)
                mark = len(inbox.of(person))
                queries = [str(person.presses(f"sit:{s.value}", question)["id"])
                           for s in TAPS_AT_ONCE]  # each before the last is answered
                await inbox.wait(person, lambda c: c.method == "editMessageReplyMarkup",
                                 after=mark, count=len(TAPS_AT_ONCE))
                return queries

            async def type_at_once(n: int, person: Person) -> None:
                await to_the_situations(inbox, person)
                # Out of step with each other: typists in step would meet the balancer's
                # turn at the same point each time, and each keep to one worker.
                await asyncio.sleep(0.07 * n)
                mark = len(inbox.of(person))
                for text in TYPED_AT_ONCE:  # each before the last is answered
                    person.says(text)
                await inbox.wait(person, lambda c: c.method == "sendMessage" and bool(c.buttons),
                                 after=mark, count=len(TYPED_AT_ONCE))

            async def flood() -> float:
                started = time.monotonic()
                for n in range(defaults.capacity + 10):
                    flooder.says(f"/help {n}")
                await inbox.wait(flooder, lambda c: c.text == shown(RATE_LIMITED, "en"),
                                 after=0)
                return started

            _, taps, _, flood_started = await asyncio.gather(
                asyncio.gather(*(walk(n, p) for n, p in enumerate(walkers))),
                asyncio.gather(*(tap_at_once(p) for p in tappers)),
                asyncio.gather(*(type_at_once(n, p) for n, p in enumerate(typists))),
                flood())
            await inbox.wait(reminded, lambda c: c.method == "sendMessage", after=0)
            await inbox.quiet()  # the flood's last turns, and any stray duplicate
            flood_ended = max(c.at for c in inbox.of(flooder))
            served = [w.served() for w in workers]
            flood_turns = [w.served("command") for w in workers]  # only the flood's /help
            reminders_sent = sum(w.logs().count("reminder sent") for w in workers)
            redone = sum(w.logs().count("turn saved over by another worker") for w in workers)
            reloaded = [w.logs().count("reminders reloaded") for w in workers]
        refused = [(c.method, c.error) for c in fake.calls
                   if c.status == 400 and "not modified" not in c.error]
        deliveries = fake.deliveries
        pushed = fake.updates_pushed
        logs = "\n".join(w.logs() for w in workers)

    # Every update reached a worker exactly once, and none was turned away.
    assert [d for d in deliveries if not d.ok] == []
    delivered = Counter(d.update_id for d in deliveries)
    assert sorted(delivered) == list(range(1, pushed + 1))
    assert set(delivered.values()) == {1}
    assert refused == []
    # Both workers answered people (round robin: about half each).
    assert all(count >= sum(served) / 4 for count in served), served

    # Every button press was answered once; every walker got the same answers, in order,
    # each once: six questions and one tick, nothing missing, nothing twice.
    assert inbox.answered and set(inbox.answered.values()) == {1}
    transcripts = {tuple((c.method, tuple(c.button_data())) for c in inbox.of(p))
                   for p in walkers}
    assert len(transcripts) == 1, transcripts
    (transcript,) = transcripts
    assert [m for m, _ in transcript].count("sendMessage") == 6
    # …and each one's own answers are what is stored, whichever worker took each step.
    for n, person in enumerate(walkers):
        state = stored(engine, person)
        assert state.step is Step.OWN_WORDS and state.language == "en"
        assert set(state.case.situations) == {Situation.REFUSED, Situation.NO_LAWYER}
        assert state.case.postcode == postcode_of(n)

    # Taps made before the last was answered, on both workers: every one is kept.
    for person, queries in zip(tappers, taps, strict=True):
        assert [inbox.answered[q] for q in queries] == [1, 1, 1]
        assert set(stored(engine, person).case.situations) == set(TAPS_AT_ONCE)
    # Messages typed at once, read side by side on both workers: every one understood.
    for person in typists:
        state = stored(engine, person)
        assert state.step is Step.CONFIRM
        assert set(state.proposed) == set(TYPED_AT_ONCE.values())
    assert redone > 0  # the turns did meet: a save refused, the turn done again
    # Three at once are never saved over three times: nobody but the flood is apologised to.
    sorry = shown(SORRY.parts[0], "en")  # type: ignore[arg-type]
    assert not [p for p in (*walkers, *tappers, *typists)
                if any(sorry in c.text for c in inbox.of(p))]

    # One budget across both workers: at most its capacity of turns (and what refilled
    # while the flood lasted), then one notice; the rest dropped.
    sent = inbox.of(flooder)
    turns = [c for c in sent if c.method == "sendMessage" and c.buttons]
    notices = [c for c in sent if c.text == shown(RATE_LIMITED, "en")]
    refilled = math.ceil((flood_ended - flood_started) * defaults.per_second)
    assert defaults.capacity <= len(turns) <= defaults.capacity + refilled, (
        len(turns), refilled)
    assert len(notices) == 1
    assert sum(flood_turns) == len(turns) and 0 not in flood_turns  # on both workers

    # The reminder both workers scheduled at start went out once.
    assert reloaded == [1, 1]  # both scheduled what was stored when they started
    assert reminders_sent == 1
    assert len([c for c in inbox.of(reminded) if c.method == "sendMessage"]) == 1
    assert ReminderStore(engine).pending() == []

    # Nobody's id, name or words in the workers' logs.
    for person in (*walkers, *tappers, *typists, flooder, reminded):
        assert str(person.user_id) not in logs and person.first_name not in logs
    assert "QJ" not in logs and "/help" not in logs
    assert not [text for text in TYPED_AT_ONCE if text in logs]


@pytest.mark.postgres
async def test_routed_by_person_each_persons_taps_stay_on_one_worker_in_order(
        tmp_path: Path, database: Database) -> None:
    """The README's HAProxy routing by sender: one person's updates all go to one worker,
    whose per-person lock keeps them in the order Telegram sent them, so the question's
    ticks are shown as they were tapped, the last edit showing all of them."""
    engine = database.engine()
    with FakeBotApi() as fake, two_workers(tmp_path, fake, database, by_person=True) as workers:
        inbox = Inbox(fake)
        for n in range(4):  # one after another, so each one's updates can be counted
            person = fake.person(860_000_000 + n, f"Routed{n}", "en")
            before = [w.served() for w in workers]
            question = await to_the_situations(inbox, person)
            mark = len(inbox.of(person))
            for situation in TAPS_AT_ONCE:
                person.presses(f"sit:{situation.value}", question)
            edits = await inbox.wait(person, lambda c: c.method == "editMessageReplyMarkup",
                                     after=mark, count=len(TAPS_AT_ONCE))
            assert [ticked(edit) for edit in edits] == [1, 2, 3]
            assert set(stored(engine, person).case.situations) == set(TAPS_AT_ONCE)
            steps = 3 + len(TAPS_AT_ONCE)  # /start, privacy:ok, who:self, the taps
            deadline = time.monotonic() + 10  # a turn logs once its replies are sent
            while sum(w.served() for w in workers) < sum(before) + steps:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            grew = sorted(w.served() - b for w, b in zip(workers, before, strict=True))
            assert grew == [0, steps], grew

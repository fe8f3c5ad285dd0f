"""Load: a thousand people, ten messages each, all at once, through the real bot.

1 000 simulated people talk to the real python-telegram-bot Application at the same
time, over HTTP against the local Bot API fake, with a real SQLite file and the real
Rasa server; postcodes.io and the Members API answer from recorded responses (the
`upstream` fixture). Each person behaves as people do (tests/visitors.py): a
message, the bot's answer, then the answer to its question.

Asserted, as a person would notice it: every message is answered, none twice, each
person's answers come in the order of their messages and in their language, our code
logs nothing at WARNING or above (no failed update, no database error, no NLU time-out)
and nothing logs an ERROR, and SQLite holds each conversation where its person last
saw it. Wall time, updates a second and update-to-answer latency are printed, never
asserted: speed is `make bench`'s business. Everyone waits on everyone, so the latency
is mostly the queue: about the number of people over the updates a second.

Telegram's bot-wide send limit (AIORateLimiter, 30 messages a second) is left out:
it is Telegram's policy, not what is tested, and with it the 10 000 turns would spend
their time queued in the limiter. Nobody here comes near the per-person flood limit
(20 at once, then one every 2 s): each waits for the answer before writing again.

It takes minutes, not seconds: the bot, the fake and the thousand people share one
Python process, which does about 35-40 updates a second on two cores (4½ minutes for
the 10 000, after the Rasa server's minute to start).
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

from bot.nlu.server import RasaServer
from bot.settings import Settings
from bot.telegram.turns import runtime_of
from flows.buttons import Action
from flows.postcodes import normalise_postcode
from flows.step_table import STEPS
from flows.steps import State, Step
from tests.fakes.bot_api import FakeBotApi
from tests.lookup_support import load
from tests.telegram_support import POSTCODES, SEARCH, key_of, prompt_text, running
from tests.visitors import PRESSED, Inbox, Visitor, cast, visit

PEOPLE = 1_000
MESSAGES_EACH = 10
# People don't all press /start in the same millisecond: arriving over half a minute
# (while the first are still at their first questions), they don't move in lockstep
# either, all typing their situation to the NLU in the same second.
ARRIVE_WITHIN_SECONDS = 30.0
# Everyone waits on everyone (about 30 s an answer at 30 updates a second); past this,
# the message counts as unanswered.
ANSWER_WITHIN_SECONDS = 300.0
STEP_OF_ACTION = {action: step for step, spec in STEPS.items() for action in spec.actions}
# After the last answer, how long nothing more may arrive (a late duplicate would).
QUIET_SECONDS = 1.0


# --- recorded upstreams for the places the recordings don't cover ---------------------------


def answer_unknown_places(router: respx.MockRouter) -> None:
    """Answers for the places the `upstream` fixture has no recording of.

    A few held-out sentences name another detention centre (Yarl's Wood, Dungavel…),
    and the model can guess one: without these, those people's look-ups would meet a
    request respx has no answer for. A postcode gets postcodes.io's answer for one it
    doesn't know (its recorded 404); a centre known by its constituency gets that
    constituency's MP. Registered after the fixture's routes, so those still win.
    """
    router.get(url__regex=rf"{POSTCODES}/postcodes/[^/]+$").respond(
        404, json=load("postcodes_io_postcode_404_not_found.json"))
    router.get(url__regex=rf"{POSTCODES}/terminated_postcodes/[^/]+$").respond(
        404, json=load("postcodes_io_terminated_postcode_404.json"))
    router.get(url__regex=rf"{POSTCODES}/outcodes/[^/]+$").respond(
        404, json=load("postcodes_io_outcode_404.json"))
    router.get(url__startswith=SEARCH).mock(side_effect=_constituency_named)


def _constituency_named(request: httpx.Request) -> httpx.Response:
    """The recorded Crawley search, renamed to the constituency asked about (as the
    `upstream` fixture does for Hayes and Harlington)."""
    found: Any = load("members_api_location_constituency_search_crawley.json")
    found["items"][1]["value"]["name"] = request.url.params["searchText"]
    return httpx.Response(200, json=found)


# --- the test ---------------------------------------------------------------------------


def _quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1]


@pytest.mark.rasa
@pytest.mark.load
async def test_a_thousand_people_at_once_are_each_answered_once_and_in_order(
        fake: FakeBotApi, settings: Settings, upstream: respx.MockRouter,
        rasa_server: RasaServer, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str], record_property: Callable[[str, Any], None]) -> None:
    # WARNING and above only: the bot's INFO line per turn would cost time, and says nothing.
    caplog.set_level(logging.WARNING)
    answer_unknown_places(upstream)
    real_nlu = settings.model_copy(update={
        "rasa_url": rasa_server.url, "rasa_auth_token": SecretStr(rasa_server.auth_token)})
    visitors = cast(fake, PEOPLE)

    async with running(real_nlu, telegram_rate_limit=False) as application:
        inbox = Inbox(fake, asyncio.get_running_loop())
        started, cpu_before = time.monotonic(), time.process_time()
        arrivals = random.Random(4).uniform
        lost_their_way = await asyncio.gather(
            *(visit(visitor, inbox, arrivals(0, ARRIVE_WITHIN_SECONDS), messages=MESSAGES_EACH,
                    answer_within=ANSWER_WITHIN_SECONDS) for visitor in visitors),
            return_exceptions=True)
        wall, cpu = time.monotonic() - started, time.process_time() - cpu_before
        await inbox.quiet(QUIET_SECONDS)
        store = runtime_of(application).service.store
        stored = {v.person.user_id: store.load(key_of(v.person)).state for v in visitors}

    # What was measured: printed (and kept in the JUnit report), never asserted.
    latencies = [(answer.at - sent.at) * 1000 for v in visitors
                 for sent, answer in zip(v.sent, v.answers, strict=False)]
    updates = sum(len(v.sent) for v in visitors)
    figures = {"people": PEOPLE, "updates": updates, "wall_s": round(wall, 1),
               "cpu_s": round(cpu), "updates_per_s": round(updates / wall, 1),
               "p50_ms": round(_quantile(latencies, 50)),
               "p99_ms": round(_quantile(latencies, 99))}
    for name, value in figures.items():
        record_property(name, value)
    with capsys.disabled():
        # This process's CPU time too (the bot, the fake, the people): on a shared
        # machine it says more than the wall time.
        print(f"\nload: {PEOPLE} people × {MESSAGES_EACH} messages: {updates} updates in "
              f"{wall:.1f} s ({updates / wall:.0f}/s, {cpu:.0f} s CPU here); "
              f"update→answer p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms")

    # Each person could always answer what the bot asked.
    confused = [repr(e) for e in lost_their_way if isinstance(e, BaseException)]
    assert not confused, confused[:5]

    # Every message answered.
    unanswered = [_what_happened(v, inbox) for v in visitors if len(v.answers) < MESSAGES_EACH]
    assert not unanswered, f"{len(unanswered)} people not answered in full: {unanswered[:5]}"

    # None answered twice: one answer per message, each press answered once.
    doubled = {v.person.user_id: len(inbox.answers(v.person.user_id)) for v in visitors
               if len(inbox.answers(v.person.user_id)) != MESSAGES_EACH}
    assert not doubled, f"{len(doubled)} people got more answers than messages: " \
        f"{list(doubled.items())[:10]}"
    pressed = Counter(query for v in visitors for query in v.query_ids)
    assert inbox.query_answers == pressed, "a button press unanswered, or answered twice"

    # In order: the answer to each message comes after it and before the next one.
    for visitor in visitors:
        moments = [s.at for s in visitor.sent] + [float("inf")]
        for n, answer in enumerate(inbox.answers(visitor.person.user_id)):
            assert moments[n] < answer.at < moments[n + 1], (visitor.person.user_id, n)
        _assert_answers_fit(visitor)

    # Nothing failed: no update's error, no database error, no NLU time-out.
    logged = [f"{r.name}: {r.getMessage()}" for r in caplog.records
              if r.levelno >= logging.ERROR or (r.levelno >= logging.WARNING
                                                and r.name.startswith(("bot.", "flows.")))]
    assert logged == [], logged[:20]

    # SQLite holds each conversation where its person last saw it.
    for visitor in visitors:
        _assert_stored(visitor, stored[visitor.person.user_id])


def _what_happened(visitor: Visitor, inbox: Inbox) -> dict[str, Any]:
    """For a failure message: the unanswered person's last message and what came after it
    (button data and methods only; what was typed is a held-out sentence)."""
    last = visitor.sent[-1]
    after = [(c.method, c.button_data()[:3], round(c.at - last.at, 2))
             for c in inbox.by_chat[visitor.person.user_id] if c.at > last.at]
    return {"person": visitor.person.user_id, "message": len(visitor.sent),
            "sent": last.content if last.kind == PRESSED else "(typed)",
            "asked": visitor.answers[-1].button_data()[:4] if visitor.answers else None,
            "then": after}


def _assert_answers_fit(visitor: Visitor) -> None:
    """The answers that follow from a message alone are the right ones, in their language
    (so nobody got someone else's answer, or an older one)."""
    who = visitor.person.user_id
    for sent, answer in zip(visitor.sent, visitor.answers, strict=True):
        offered = answer.button_data()
        if sent.content == "/start":
            expected = "privacy:" if visitor.person.language_code == visitor.language \
                else "lang:"
            assert any(d.startswith(expected) for d in offered), (who, offered)
        elif sent.content == f"lang:{visitor.language}":
            assert answer.text == prompt_text(Step.PRIVACY, visitor.language), who
        elif sent.content == "privacy:ok":
            assert "who:self" in offered, (who, offered)
        elif sent.content == "who:self":
            assert any(d.startswith("sit:") for d in offered), (who, offered)


def _assert_stored(visitor: Visitor, state: State | None) -> None:
    who = visitor.person.user_id
    assert state is not None, f"no conversation stored for person {who}"
    assert state.language == visitor.language, who
    last = next(a for a in reversed(visitor.answers) if a.buttons).button_data()
    actions = [Action(d.partition(":")[0]) for d in last
               if Action(d.partition(":")[0]) is not Action.NAV]
    assert state.step is STEP_OF_ACTION[actions[0]], (who, state.step, last)
    if visitor.typed_postcode is not None:
        assert state.case.postcode == normalise_postcode(visitor.typed_postcode), who
        assert state.step not in (Step.POSTCODE, Step.FRIEND_POSTCODE), (who, state.step)


def test_a_request_cut_off_mid_body_is_no_call(fake: FakeBotApi) -> None:
    """Under load, "typing…" can be cancelled (its turn's answer is ready) while its
    request is on its way: the fake must drop the cut-off request, as Telegram does, not
    answer "chat not found" for a chat id cut short."""
    person = fake.person(60_000_123, "P", None)
    person.says("/start")  # the fake knows the chat
    body = f"chat_id={person.user_id}&action=typing".encode()
    head = (f"POST /bot{fake.token}/sendChatAction HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    port = int(fake.base_url.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(head + body[:11])  # "chat_id=600", then gone
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(head + body)  # a whole one: answered, and the only call
        assert connection.recv(64).startswith(b"HTTP/1.0 200")
    assert [(c.method, c.params) for c in fake.calls] == [
        ("sendChatAction", {"chat_id": person.user_id, "action": "typing"})]

"""RasaNlu against Rasa-shaped answers: a good parse, and every way the service fails.

The parse bodies below are real /model/parse answers of this project's model
(text_tokens and the ranking tail left out). Failures are served by respx, and the
slow and the absent server by real sockets on 127.0.0.1, since those are about the
client's own deadline and connection handling.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import respx

from bot.nlu.rasa_client import RasaNlu, result_from_parse
from flows.events import Entity, IntentScore

BASE = "http://rasa.test"
SECRET_TEXT = "my brother is detained in harmonsworth"

DETAINED_BROTHER = {
    "text": SECRET_TEXT,
    "intent": {"name": "on_behalf+detained", "confidence": 0.9468304514884949},
    "entities": [
        {
            "entity": "relationship",
            "start": 3,
            "end": 10,
            "confidence_entity": 0.9991,
            "value": "brother",
            "extractor": "DIETClassifier",
            "processors": ["EntitySynonymMapper"],
        },
        {
            "entity": "detention_centre",
            "start": 26,
            "end": 38,
            "confidence_entity": 0.9988,
            "value": "harmondsworth",
            "extractor": "DIETClassifier",
            "processors": ["EntitySynonymMapper"],
        },
    ],
    "intent_ranking": [
        {"name": "on_behalf+detained", "confidence": 0.9468304514884949},
        {"name": "detained", "confidence": 0.043868307024240494},
        {"name": "on_behalf", "confidence": 0.005370074417442083},
    ],
}

POSTCODE_TWICE = {
    "text": "i live in b12 9qj",
    "intent": {"name": "give_postcode", "confidence": 0.9932067394256592},
    "entities": [
        {
            "entity": "postcode",
            "start": 10,
            "end": 17,
            "confidence_entity": 0.9966,
            "value": "b12 9qj",
            "extractor": "DIETClassifier",
        },
        {
            "entity": "postcode",
            "start": 10,
            "end": 17,
            "value": "b12 9qj",
            "extractor": "RegexEntityExtractor",
        },
    ],
    "intent_ranking": [
        {"name": "give_postcode", "confidence": 0.9932067394256592},
        {"name": "petition", "confidence": 0.0015203338116407394},
    ],
}

UNSURE = {
    "text": "blah",
    "intent": {"name": "nlu_fallback", "confidence": 0.5},
    "entities": [],
    "intent_ranking": [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "change_language", "confidence": 0.30978721380233765},
        {"name": "deny", "confidence": 0.24437005817890167},
    ],
}


@pytest.fixture
async def nlu() -> AsyncIterator[RasaNlu]:
    client = RasaNlu(BASE, timeout_seconds=0.5)
    yield client
    await client.aclose()


@respx.mock
async def test_parse_keeps_the_ranking_and_combined_intents(nlu: RasaNlu) -> None:
    route = respx.post(f"{BASE}/model/parse").mock(
        return_value=httpx.Response(200, json=DETAINED_BROTHER)
    )

    result = await nlu.parse(SECRET_TEXT)

    assert result is not None
    assert result.top == IntentScore("on_behalf+detained", 0.9468304514884949)
    assert [score.name for score in result.ranking] == [
        "on_behalf+detained",
        "detained",
        "on_behalf",
    ]
    assert result.entity("relationship") == "brother"
    assert result.entity("detention_centre") == "harmondsworth"
    assert json.loads(route.calls.last.request.content) == {"text": SECRET_TEXT}


@respx.mock
async def test_postcode_found_twice_comes_back_once_normalised(nlu: RasaNlu) -> None:
    respx.post(f"{BASE}/model/parse").mock(return_value=httpx.Response(200, json=POSTCODE_TWICE))

    result = await nlu.parse("i live in b12 9qj")

    assert result is not None
    assert result.entities == (Entity("postcode", "B12 9QJ"),)


@respx.mock
async def test_rasa_fallback_pseudo_intent_is_dropped_real_scores_stay(nlu: RasaNlu) -> None:
    respx.post(f"{BASE}/model/parse").mock(return_value=httpx.Response(200, json=UNSURE))

    result = await nlu.parse("blah")

    assert result is not None
    assert result.top == IntentScore("change_language", 0.30978721380233765)
    assert "nlu_fallback" not in {score.name for score in result.ranking}


def test_values_are_mapped_to_the_canonical_ones() -> None:
    body = {
        "intent_ranking": [{"name": "on_behalf+detained", "confidence": 0.9}],
        "entities": [
            {"entity": "detention_centre", "value": "Harmondswoth"},  # typo DIET kept as typed
            {"entity": "relationship", "value": "Brother"},
            {"entity": "postcode", "value": "cf104au"},
            {"entity": "something_else", "value": "x"},
        ],
    }

    result = result_from_parse(body)

    assert result is not None
    assert result.entities == (
        Entity("detention_centre", "harmondsworth"),
        Entity("relationship", "brother"),
        Entity("postcode", "CF10 4AU"),
    )


@respx.mock
async def test_server_error_is_none(nlu: RasaNlu) -> None:
    respx.post(f"{BASE}/model/parse").mock(return_value=httpx.Response(500, json={}))

    assert await nlu.parse("hello") is None


@pytest.mark.parametrize(
    "body",
    [
        b"<html>not json</html>",
        b"[1, 2, 3]",
        b'{"intent_ranking": "everything"}',
        b'{"intent_ranking": [{"name": 3, "confidence": 0.9}]}',
        b'{"intent_ranking": [{"name": "greet"}]}',
        b'{"intent_ranking": [], "entities": {"not": "a list"}}',
    ],
)
@respx.mock
async def test_garbage_is_none(nlu: RasaNlu, body: bytes) -> None:
    respx.post(f"{BASE}/model/parse").mock(return_value=httpx.Response(200, content=body))

    assert await nlu.parse("hello") is None


@respx.mock
async def test_transport_timeout_is_none(nlu: RasaNlu) -> None:
    respx.post(f"{BASE}/model/parse").mock(side_effect=httpx.ReadTimeout("slow"))

    assert await nlu.parse("hello") is None


async def test_slow_server_is_cut_off_at_the_deadline() -> None:
    async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        await asyncio.sleep(10)
        writer.close()

    server = await asyncio.start_server(never_answers, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    nlu = RasaNlu(f"http://127.0.0.1:{port}", timeout_seconds=0.3)
    try:
        started = time.perf_counter()
        assert await nlu.parse("hello") is None
        assert time.perf_counter() - started < 2.0
    finally:
        await nlu.aclose()
        server.close()


async def test_nobody_listening_is_none() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nlu = RasaNlu(f"http://127.0.0.1:{port}", timeout_seconds=0.5)
    try:
        assert await nlu.parse("hello") is None
    finally:
        await nlu.aclose()


@respx.mock
async def test_logs_never_carry_the_message(nlu: RasaNlu, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.nlu")
    respx.post(f"{BASE}/model/parse").mock(
        side_effect=[
            httpx.Response(200, json=DETAINED_BROTHER),
            httpx.Response(200, content=b'{"broken": ' + SECRET_TEXT.encode()),
            httpx.Response(503, text=SECRET_TEXT),
        ]
    )

    for _ in range(3):
        await nlu.parse(SECRET_TEXT)

    assert len(caplog.records) == 3
    assert "harmonsworth" not in caplog.text
    assert "brother" not in caplog.text


@respx.mock
async def test_the_token_is_sent_with_every_parse_and_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    route = respx.post(f"{BASE}/model/parse", params={"token": "s3cret-token"}).mock(
        return_value=httpx.Response(200, json=DETAINED_BROTHER)
    )
    client = RasaNlu(BASE, timeout_seconds=0.5, auth_token="s3cret-token")
    caplog.set_level(logging.DEBUG)
    try:
        assert await client.parse("hello") is not None
    finally:
        await client.aclose()
    assert route.called
    # httpx itself logs URLs at INFO: the bot keeps it at WARNING (as for look-up URLs,
    # which carry postcodes); our own logs never hold the token.
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")]
    assert ours and not any("s3cret-token" in message for message in ours)

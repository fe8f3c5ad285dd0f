"""Fixtures for tests against the real Rasa server: one server per session, on its own port.

A missing model fails these tests (run `make nlu`; `make test` does) rather than
skipping them: a skipped NLU test would pass a bot that understands nothing.
Every test that uses the server is marked `rasa`, so `make test-fast` (`-m "not
rasa"`) leaves exactly these out.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.nlu.rasa_client import RasaNlu
from bot.nlu.server import ModelMissingError, RasaServer, find_model, free_port


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "rasa_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.rasa)


@pytest.fixture(scope="session")
def rasa_server() -> Iterator[RasaServer]:
    try:
        model = find_model()
    except ModelMissingError as missing:
        pytest.fail(f"{missing}. The NLU tests need the trained model.", pytrace=False)
    # Its own port, so a dev server on RASA_PORT is never hit (or hurt).
    port = int(os.environ.get("RASA_TEST_PORT") or free_port())
    with RasaServer(port=port, model=model) as server:
        yield server


@pytest.fixture
async def nlu(rasa_server: RasaServer) -> AsyncIterator[RasaNlu]:
    client = RasaNlu(rasa_server.url, timeout_seconds=10.0, auth_token=rasa_server.auth_token)
    yield client
    await client.aclose()

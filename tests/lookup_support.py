"""Shared pieces of the look-up tests: recorded responses and a client that never waits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.lookups.http import JsonClient

FIXTURES = Path(__file__).parent / "fixtures" / "api"


def load(name: str) -> object:
    """A recorded response body from tests/fixtures/api."""
    return json.loads((FIXTURES / name).read_text())


async def no_sleep(_: float) -> None:
    """Retries back off without real waiting, so the suite stays fast."""
    return None


class RecordedSleeps:
    """Stands in for asyncio.sleep and remembers each back-off it was asked for."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


@pytest.fixture
async def http() -> AsyncIterator[JsonClient]:
    client = JsonClient(timeout_seconds=1.0, sleep=no_sleep)
    yield client
    await client.aclose()

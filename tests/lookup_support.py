"""Shared pieces of the look-up tests: recorded responses, a settable clock, no real waits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import respx

from bot.lookups.http import JsonClient

FIXTURES = Path(__file__).parent / "fixtures" / "api"


def load(name: str) -> object:
    """A recorded response body from tests/fixtures/api."""
    return json.loads((FIXTURES / name).read_text())


def serve_ministers(router: respx.MockRouter, members: str) -> None:
    """The Members API's answers for the Home Secretary and the immigration minister."""
    router.get(f"{members}/Reference/Departments").respond(
        200, json=load("members_api_reference_departments_home.json"))
    router.get(f"{members}/Posts/GovernmentPosts").respond(
        200, json=load("members_api_posts_government_posts_home_office.json"))
    router.get(url__regex=rf"{members}/Members/\d+/Contact").respond(
        200, json=load("members_api_member_contact_generic.json"))


async def no_sleep(_: float) -> None:
    """Retries back off without real waiting, so the suite stays fast."""
    return None


class RecordedSleeps:
    """Stands in for asyncio.sleep and remembers each back-off it was asked for."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class Clock:
    """A settable clock, so expiry and staleness are tested without waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


@pytest.fixture
async def http() -> AsyncIterator[JsonClient]:
    client = JsonClient(timeout_seconds=1.0, sleep=no_sleep)
    yield client
    await client.aclose()

"""The bot on Telegram for tests: the Bot API fake, a stub Rasa, recorded upstreams.

Fixtures (`fake`, `rasa`, `upstream`, `settings`) and helpers (`running`, `say`,
`press`, `key_of`, …) shared by the end-to-end, privacy and fuzz tests; registered as
a pytest plugin in conftest.py.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import respx
from pydantic import SecretStr
from telegram.ext import Application

from bot.bidi import without_direction_marks
from bot.i18n import Renderer
from bot.identity import user_key
from bot.render import render_say
from bot.services import build_nlu, build_services
from bot.settings import Settings
from bot.telegram_app import build_application, serve
from flows.engine import State, Step, prompt
from flows.text import Msg
from tests.fakes.bot_api import TOKEN, Call, FakeBotApi, Person
from tests.fakes.rasa_nlu import FakeRasa
from tests.lookup_support import load, serve_ministers

POSTCODES = "https://postcodes.test"
MEMBERS = "https://members.test/api"
SEARCH = f"{MEMBERS}/Location/Constituency/Search"
SECRET = "test-id-secret"

# What the stub Rasa understands: phrase -> (intent, confidence, entities).
NLU_PHRASES: dict[str, tuple[str, float, list[dict[str, Any]]]] = {
    "محتجز": ("detained", 0.93, [{"entity": "detention_centre", "value": "brook_house"}]),
    "برادرم": ("on_behalf+detained", 0.91, [
        {"entity": "relationship", "value": "brother"},
        {"entity": "detention_centre", "value": "harmondsworth"}]),
}


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as api:
        yield api
        # "Not modified" is Telegram's answer to tidying a message already tidy: expected.
        refused = [(c.method, c.error) for c in api.calls
                   if c.status == 400 and "not modified" not in c.error]
        assert not refused, f"Telegram would have refused: {refused}"


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    server = FakeRasa(NLU_PHRASES)
    yield server
    server.close()



@pytest.fixture
def upstream() -> Iterator[respx.MockRouter]:
    """postcodes.io and the Members API, from the recorded fixtures; local servers pass."""
    with respx.mock(assert_all_called=False) as router:
        router.route(host="127.0.0.1").pass_through()
        router.get(f"{POSTCODES}/postcodes/RH60PQ").respond(
            200, json=load("postcodes_io_postcode_england_crawley_RH60PQ.json"))
        router.get(f"{POSTCODES}/postcodes/WC1X8QD").respond(
            200, json=load("postcodes_io_postcode_england_WC1X8QD.json"))
        for missing in ("postcodes/UB70HB", "terminated_postcodes/UB70HB"):
            router.get(f"{POSTCODES}/{missing}").respond(
                404, json=load("postcodes_io_postcode_404_not_found.json"))
        router.get(SEARCH, params={"searchText": "Crawley"}).respond(
            200, json=load("members_api_location_constituency_search_crawley.json"))
        hayes = load("members_api_location_constituency_search_crawley.json")
        hayes["items"][1]["value"]["name"] = "Hayes and Harlington"
        router.get(SEARCH, params={"searchText": "Hayes and Harlington"}).respond(200, json=hayes)
        router.get(SEARCH, params={"searchText": "Holborn and St Pancras"}).respond(
            200, json=load("members_api_location_constituency_search_holborn.json"))
        for member, contact, focus in (
                (9101, "members_api_member_contact_9101.json",
                 "members_api_member_focus_empty.json"),
                (4514, "members_api_member_contact.json", "members_api_member_focus.json")):
            router.get(f"{MEMBERS}/Members/{member}/Contact").respond(200, json=load(contact))
            router.get(f"{MEMBERS}/Members/{member}/Focus").respond(200, json=load(focus))
        serve_ministers(router, MEMBERS)
        yield router


@pytest.fixture
def settings(tmp_path: Path, fake: FakeBotApi, rasa: FakeRasa,
             upstream: respx.MockRouter) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(TOKEN), telegram_api_base_url=fake.base_url,
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        id_hmac_secret=SecretStr(SECRET), nlu_enabled=True, rasa_url=rasa.url,
        lookups_enabled=True, postcodes_api_url=POSTCODES, members_api_url=MEMBERS,
        http_timeout_seconds=2.0,
    )


@contextlib.asynccontextmanager
async def running(settings: Settings, **options: Any) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The bot as `make run` starts it (minus signals), stopped and closed afterwards."""
    # The settings' own NLU client: a real Rasa server's auth token goes with it.
    services = build_services(settings, nlu=build_nlu(settings))
    application = build_application(settings, services, heartbeat=None, **options)
    try:
        async with serve(application, settings):
            yield application
    finally:
        await services.aclose()


def db_rows(settings: Settings, table: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(settings.database_url.removeprefix("sqlite:///"))) \
            as db:
        return db.execute(f"SELECT * FROM {table}").fetchall()


def key_of(person: Person) -> str:
    return user_key(SECRET.encode(), "telegram", person.user_id)


def shown(message: Msg, code: str) -> str:
    """A message as the person reads it (direction marks are not seen)."""
    return without_direction_marks(Renderer(code).render(message))


def prompt_text(step: Step, code: str, **state: Any) -> str:
    return without_direction_marks(
        render_say(prompt(State(step=step, language=code, **state)), Renderer(code)).text)


# --- driving a person -------------------------------------------------------------------


async def say(fake: FakeBotApi, person: Person, text: str) -> Call:
    """Send a private message; returns the bot's next question (a message with buttons)."""
    mark = fake.mark()
    person.says(text)
    return await fake.wait_for_prompt(person.user_id, after=mark)


async def press(fake: FakeBotApi, person: Person, data: str, on: Call) -> Call:
    assert data in on.button_data(), f"{data} not among {on.button_data()}"
    mark = fake.mark()
    person.presses(data, on)
    return await fake.wait_for_prompt(person.user_id, after=mark)


async def to_the_drafts(fake: FakeBotApi, person: Person) -> Call:
    """The short way to the draft menu: /mp with a postcode."""
    return await say(fake, person, "/mp WC1X 8QD")



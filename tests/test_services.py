"""Building the real services from settings, as `make run` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.nlu.rasa_client import RasaNlu
from bot.services import build_services
from bot.settings import Settings
from tests.database_support import Database


@pytest.mark.parametrize("nlu_enabled", [True, False])
async def test_services_build_from_settings(tmp_path: Path, nlu_enabled: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite3", nlu_enabled=nlu_enabled,
                        lookups_enabled=False, _env_file=None)  # type: ignore[call-arg]
    services = build_services(settings)
    try:
        nlu = services.conversations.nlu
        assert isinstance(nlu, RasaNlu if nlu_enabled else NoNlu)
        assert isinstance(services.conversations.finder, OfflineFinder)
        assert (tmp_path / "data" / "id_secret").exists()
    finally:
        await services.aclose()


@pytest.mark.postgres
async def test_asking_for_a_reminder_keeps_the_letter_facts_past_the_reminder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: Database) -> None:
    from datetime import UTC, datetime, timedelta

    from flows.events import Button, Command, Start

    monkeypatch.chdir(tmp_path)
    # DATABASE_URL as an operator writes it: sqlite:///… or postgresql://…
    settings = Settings(database_url=database.url, nlu_enabled=False,
                        lookups_enabled=False, _env_file=None)  # type: ignore[call-arg]
    services = build_services(settings)
    service = services.conversations
    for event in (Start(), Button("lang:en"), Button("privacy:ok"), Button("who:self"),
                  Button("sit:refused"), Button("sit:done"), Button("lawyer:no"),
                  Button("postcode:skip"), Button("own:skip"), Button("draft:mp_case")):
        await service.handle("k", event)
    result = await service.handle("k", Button("more:remind"))
    assert result.reminder_requested
    from sqlmodel import Session

    from bot.storage.models import ConversationRow

    with Session(services.engine) as session:
        row = session.get(ConversationRow, "k")
        assert row.expires_at > datetime.now(UTC) + timedelta(days=40)
    await service.handle("k", Command("help"))  # a later turn does not shorten it
    with Session(services.engine) as session:
        row = session.get(ConversationRow, "k")
        assert row.expires_at > datetime.now(UTC) + timedelta(days=40)
    await services.aclose()

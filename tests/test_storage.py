"""Conversations kept in a real database: survive restarts, expire, and can be erased.

A SQLite file in `make test`; PostgreSQL too in `make test-postgres`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.conversation import ConversationService
from bot.identity import load_or_create_secret, user_key
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.storage.conversations import ConversationStore
from bot.storage.db import with_driver
from bot.storage.models import ConversationRow
from flows.engine import Step
from flows.events import Button, Command, Start, Text
from flows.replies import Say
from tests.database_support import Database

pytestmark = pytest.mark.postgres


def service_on(engine: Engine, ttl_days: int = 30) -> ConversationService:
    return ConversationService(ConversationStore(engine, timedelta(days=ttl_days)), NoNlu(),
                               OfflineFinder())


def rows(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        found = connection.execute(text("select user_key, state_json from conversation")).all()
    return [tuple(r) for r in found]


def shown_text(result) -> str:  # type: ignore[no-untyped-def]
    from bot.i18n import Renderer
    from bot.render import render_say

    renderer = Renderer(result.language)
    return "\n".join(render_say(r, renderer).text for r in result.replies if isinstance(r, Say))


async def test_conversation_survives_a_restart_at_the_same_step(database: Database) -> None:
    first = service_on(database.engine())
    for event in (Start(), Button("lang:ar"), Button("privacy:ok"), Button("who:other"),
                  Button("rel:brother"), Button("sit:detained"), Button("sit:done")):
        await first.handle("k1", event)
    first.store.engine.dispose()

    reopened = service_on(database.engine())  # a new process: nothing in memory survives
    result = await reopened.handle("k1", Button("centre:harmondsworth"))
    assert result.state.case.centre_id == "harmondsworth"
    assert result.state.case.relationship.value == "brother"
    assert result.language == "ar"
    assert result.state.step is Step.LAWYER


async def test_a_corrupted_row_starts_afresh_with_a_kind_word(engine: Engine) -> None:
    service = service_on(engine)
    await service.handle("k1", Start())
    await service.handle("k1", Button("lang:en"))
    with Session(service.store.engine) as session:
        row = session.get(ConversationRow, "k1")
        row.state_json = '{"v": 1, "state": {"step": "no-such-step"'
        session.add(row)
        session.commit()
    result = await service.handle("k1", Text("hello"))
    assert "couldn't pick up our earlier conversation" in shown_text(result)
    assert result.language == "en"  # the language preference is kept


async def test_forget_erases_the_row_after_confirmation(engine: Engine) -> None:
    service = service_on(engine)
    for event in (Start(), Button("lang:en"), Button("privacy:ok"), Button("who:self"),
                  Text("I am detained")):
        await service.handle("k1", event)
    assert len(rows(engine)) == 1
    asked = await service.handle("k1", Command("forget"))
    assert "Delete everything" in shown_text(asked)
    assert len(rows(engine)) == 1  # nothing goes before the person confirms
    done = await service.handle("k1", Button("forget:yes"))
    assert done.erased and "everything I held about you is deleted" in shown_text(done)
    assert rows(engine) == []


async def test_expired_conversations_are_deleted(engine: Engine) -> None:
    service = service_on(engine)
    await service.handle("old", Start())
    with Session(service.store.engine) as session:
        row = session.get(ConversationRow, "old")
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)
        session.commit()
    await service.handle("new", Start())
    assert service.store.purge_expired() == 1
    assert [r[0] for r in rows(engine)] == ["new"]
    # An expired row is never served, even before the purge runs.
    assert service.store.load("old").state is None


async def test_rows_are_keyed_by_hmac_never_by_the_telegram_id(tmp_path: Path,
                                                               engine: Engine) -> None:
    secret = load_or_create_secret(None, tmp_path / "id_secret")
    assert (tmp_path / "id_secret").stat().st_mode & 0o077 == 0
    assert load_or_create_secret(None, tmp_path / "id_secret") == secret
    key = user_key(secret, "telegram", 123456789)
    await service_on(engine).handle(key, Start())
    stored_key, payload = rows(engine)[0]
    assert "123456789" not in stored_key and "123456789" not in payload
    assert user_key(b"other secret", "telegram", 123456789) != key


async def test_a_failing_turn_keeps_the_saved_state(engine: Engine,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    service = service_on(engine)
    for event in (Start(), Button("lang:en"), Button("privacy:ok")):
        await service.handle("k1", event)
    saved = rows(engine)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire: contains secret postcode B12 9QJ")

    monkeypatch.setattr(service.store, "save", broken)
    result = await service.handle("k1", Button("who:self"))
    assert "something went wrong on my side" in shown_text(result)
    assert "Who needs help?" in shown_text(result)  # the same question again
    assert rows(engine) == saved
    assert "B12 9QJ" not in caplog.text and "RuntimeError" in caplog.text


def test_a_plain_postgresql_url_gets_the_driver_the_bot_installs() -> None:
    driver = "postgresql+psycopg://bot:pw@db.internal:5432/raise_my_case"
    assert with_driver("postgresql://bot:pw@db.internal:5432/raise_my_case") == driver
    assert with_driver("postgres://bot:pw@db.internal:5432/raise_my_case") == driver
    assert with_driver(driver) == driver
    assert with_driver("sqlite:///data/raise_my_case.sqlite3") == (
        "sqlite:///data/raise_my_case.sqlite3")

"""Conversations kept in a real SQLite file: survive restarts, expire, and can be erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bot.conversation import ConversationService
from bot.identity import load_or_create_secret, user_key
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.storage.conversations import ConversationStore
from bot.storage.db import create_db_engine
from bot.storage.models import ConversationRow
from flows.engine import Step
from flows.events import Button, Command, Start, Text
from flows.replies import Say


def service_on(path: Path, ttl_days: int = 30) -> ConversationService:
    engine = create_db_engine(f"sqlite:///{path}")
    return ConversationService(ConversationStore(engine, timedelta(days=ttl_days)), NoNlu(),
                               OfflineFinder())


def rows(path: Path) -> list[tuple]:
    engine = create_db_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        found = connection.execute(text("select user_key, state_json from conversation")).all()
    engine.dispose()
    return [tuple(r) for r in found]


def shown_text(result) -> str:  # type: ignore[no-untyped-def]
    from bot.i18n import Renderer
    from bot.render import render_say

    renderer = Renderer(result.language)
    return "\n".join(render_say(r, renderer).text for r in result.replies if isinstance(r, Say))


async def test_conversation_survives_a_restart_at_the_same_step(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    first = service_on(db)
    for event in (Start(), Button("lang:ar"), Button("privacy:ok"), Button("who:other"),
                  Button("rel:brother"), Button("sit:detained"), Button("sit:done")):
        await first.handle("k1", event)
    first.store.engine.dispose()

    reopened = service_on(db)  # a new process: nothing in memory survives
    result = await reopened.handle("k1", Button("centre:harmondsworth"))
    assert result.state.case.centre_id == "harmondsworth"
    assert result.state.case.relationship.value == "brother"
    assert result.language == "ar"
    assert result.state.step is Step.LAWYER


async def test_a_corrupted_row_starts_afresh_with_a_kind_word(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    service = service_on(db)
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


async def test_forget_erases_the_row_after_confirmation(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    service = service_on(db)
    for event in (Start(), Button("lang:en"), Button("privacy:ok"), Button("who:self"),
                  Text("I am detained")):
        await service.handle("k1", event)
    assert len(rows(db)) == 1
    asked = await service.handle("k1", Command("forget"))
    assert "Delete everything" in shown_text(asked)
    assert len(rows(db)) == 1  # nothing goes before the person confirms
    done = await service.handle("k1", Button("forget:yes"))
    assert done.erased and "everything I held about you is deleted" in shown_text(done)
    assert rows(db) == []


async def test_expired_conversations_are_deleted(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    service = service_on(db)
    await service.handle("old", Start())
    with Session(service.store.engine) as session:
        row = session.get(ConversationRow, "old")
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)
        session.commit()
    await service.handle("new", Start())
    assert service.store.purge_expired() == 1
    assert [r[0] for r in rows(db)] == ["new"]
    # An expired row is never served, even before the purge runs.
    assert service.store.load("old").state is None


async def test_rows_are_keyed_by_hmac_never_by_the_telegram_id(tmp_path: Path) -> None:
    secret = load_or_create_secret(None, tmp_path / "id_secret")
    assert (tmp_path / "id_secret").stat().st_mode & 0o077 == 0
    assert load_or_create_secret(None, tmp_path / "id_secret") == secret
    key = user_key(secret, "telegram", 123456789)
    db = tmp_path / "bot.sqlite3"
    await service_on(db).handle(key, Start())
    stored_key, payload = rows(db)[0]
    assert "123456789" not in stored_key and "123456789" not in payload
    assert user_key(b"other secret", "telegram", 123456789) != key


async def test_a_failing_turn_keeps_the_saved_state(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "bot.sqlite3"
    service = service_on(db)
    for event in (Start(), Button("lang:en"), Button("privacy:ok")):
        await service.handle("k1", event)
    saved = rows(db)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire: contains secret postcode B12 9QJ")

    monkeypatch.setattr(service.store, "save", broken)
    result = await service.handle("k1", Button("who:self"))
    assert "something went wrong on my side" in shown_text(result)
    assert "Who needs help?" in shown_text(result)  # the same question again
    assert rows(db) == saved
    assert "B12 9QJ" not in caplog.text and "RuntimeError" in caplog.text

"""Conversation state per person: read, written whole, expired, erased."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.storage.models import ConversationRow
from flows.engine import State
from flows.state import StateUnreadable, dump_state, load_state

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    state: State | None  # None: nothing stored, or it was unreadable
    unreadable: bool = False
    language: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationStore:
    def __init__(self, engine: Engine, ttl: timedelta) -> None:
        self.engine = engine
        self.ttl = ttl

    def load(self, key: str) -> Loaded:
        with Session(self.engine) as session:
            row = session.get(ConversationRow, key)
            if row is None:
                return Loaded(None)
            if row.expires_at <= _now():
                session.delete(row)
                session.commit()
                return Loaded(None)
            try:
                return Loaded(load_state(json.loads(row.state_json)), language=row.language)
            except (StateUnreadable, json.JSONDecodeError):
                # Logged without the content: it holds the person's facts.
                log.warning("unreadable conversation state; starting afresh")
                return Loaded(None, unreadable=True, language=row.language)

    def save(self, key: str, state: State, keep_for: timedelta | None = None) -> None:
        """Write the whole state in one transaction: a row is never half-written.

        `keep_for` lengthens the lifetime when the person asked for something later
        (a reminder), so the facts for their chaser letter are still there.
        """
        now = _now()
        ttl = max(self.ttl, keep_for) if keep_for else self.ttl
        payload = json.dumps(dump_state(state), ensure_ascii=False, separators=(",", ":"))
        with Session(self.engine) as session:
            row = session.get(ConversationRow, key)
            if row is None:
                row = ConversationRow(user_key=key, state_json=payload, updated_at=now,
                                      expires_at=now + ttl, language=state.language)
            else:
                row.state_json = payload
                row.language = state.language
                row.updated_at = now
                row.expires_at = max(row.expires_at, now + ttl)
            session.add(row)
            session.commit()

    def erase(self, key: str) -> None:
        with Session(self.engine) as session:
            session.exec(delete(ConversationRow).where(ConversationRow.user_key == key))  # type: ignore[call-overload]
            session.commit()

    def purge_expired(self) -> int:
        """Delete every conversation past its expiry; returns how many went."""
        with Session(self.engine) as session:
            expired = session.exec(
                select(ConversationRow).where(ConversationRow.expires_at <= _now())
            ).all()
            for row in expired:
                session.delete(row)
            session.commit()
            return len(expired)

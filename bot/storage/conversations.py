"""Conversation state per person: read, written whole, expired, erased.

A save is a compare-and-set on the version the state was loaded with, so a worker never
writes over a turn another worker saved meanwhile: it gets WriteConflict instead, and the
conversation service redoes its turn from the fresh state.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, literal
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.storage.db import erase_person
from bot.storage.models import ConversationRow
from bot.storage.versioned import WriteConflict, read_row, write_versioned
from flows.engine import State
from flows.state import StateUnreadable, dump_state, load_state

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    state: State | None  # None: nothing stored, or it was unreadable
    unreadable: bool = False
    language: str | None = None
    version: int | None = None  # what save must be given back; None: no row


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationStore:
    def __init__(self, engine: Engine, ttl: timedelta) -> None:
        self.engine = engine
        self.ttl = ttl

    def load(self, key: str) -> Loaded:
        row = read_row(self.engine, ConversationRow, key)
        if row is None:
            return Loaded(None)
        if row.expires_at <= _now():
            with Session(self.engine) as session:
                # Only if still expired: another worker may have just saved a turn.
                session.exec(delete(ConversationRow).where(  # type: ignore[call-overload]
                    ConversationRow.user_key == key, ConversationRow.expires_at <= _now()))
                session.commit()
            return Loaded(None)
        try:
            return Loaded(load_state(json.loads(row.state_json)), language=row.language,
                          version=row.version)
        except (StateUnreadable, json.JSONDecodeError):
            # Logged without the content: it holds the person's facts.
            log.warning("unreadable conversation state; starting afresh")
            return Loaded(None, unreadable=True, language=row.language, version=row.version)

    def save(self, key: str, state: State, *, version: int | None,
             keep_for: timedelta | None = None) -> int:
        """Write the whole state in one transaction, if the row is still at `version` (the
        one `load` returned); returns the new version. A row is never half-written.

        Raises WriteConflict when another worker saved, created or erased the row since.
        `keep_for` lengthens the lifetime when the person asked for something later (a
        reminder), so the facts for their chaser letter are still there.
        """
        now = _now()
        ttl = max(self.ttl, keep_for) if keep_for else self.ttl
        expires_at = now + ttl
        payload = json.dumps(dump_state(state), ensure_ascii=False, separators=(",", ":"))
        values: dict[str, object] = {"state_json": payload, "language": state.language,
                                     "updated_at": now, "expires_at": expires_at}
        if version is not None:
            # A lifetime once lengthened (a reminder) is never shortened by a later turn.
            column = ConversationRow.__table__.c.expires_at  # type: ignore[attr-defined]
            values["expires_at"] = case((column > expires_at, column),
                                        else_=literal(expires_at, column.type))
        return write_versioned(self.engine, ConversationRow, key, version, values)

    def erase(self, key: str) -> None:
        erase_person(self.engine, ConversationRow, key)

    def purge_expired(self) -> int:
        """Delete every conversation past its expiry; returns how many went."""
        with Session(self.engine) as session:
            # One statement: a row another worker saves meanwhile is no longer expired.
            result = session.exec(delete(ConversationRow).where(  # type: ignore[call-overload]
                ConversationRow.expires_at <= _now()))
            session.commit()
            return int(result.rowcount)


__all__ = ["ConversationStore", "Loaded", "WriteConflict"]

"""Tables. Nothing here holds a Telegram id in the clear: rows are keyed by an HMAC."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class ConversationRow(SQLModel, table=True):
    __tablename__ = "conversation"

    user_key: str = Field(primary_key=True, max_length=64)
    language: str | None = Field(default=None, max_length=16)
    state_json: str  # flows.state serialisation; the facts needed for the drafts
    updated_at: datetime
    expires_at: datetime = Field(index=True)


class LookupCacheRow(SQLModel, table=True):
    """Shared by all users: public data only (areas, members), never a person's facts."""

    __tablename__ = "lookup_cache"

    key: str = Field(primary_key=True, max_length=200)
    kind: str = Field(index=True, max_length=32)
    payload_json: str
    fetched_at: datetime
    fresh_until: datetime

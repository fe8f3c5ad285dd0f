"""Tables. Rows are keyed by an HMAC of the Telegram id, never by the id itself; the one
exception is a reminder's chat id, which the person opted into (ReminderRow)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, text
from sqlmodel import Field, SQLModel


class ConversationRow(SQLModel, table=True):
    __tablename__ = "conversation"

    user_key: str = Field(primary_key=True, max_length=64)
    language: str | None = Field(default=None, max_length=16)
    state_json: str  # flows.state serialisation; the facts needed for the drafts
    updated_at: datetime
    expires_at: datetime = Field(index=True)
    # Bumped by every save; a save names the version it read, so a worker never writes
    # over a turn another worker saved meanwhile (bot.storage.versioned).
    version: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})


class LookupCacheRow(SQLModel, table=True):
    """Shared by all users: public data only (areas, members), never a person's facts."""

    __tablename__ = "lookup_cache"

    key: str = Field(primary_key=True, max_length=200)
    kind: str = Field(index=True, max_length=32)
    payload_json: str
    fetched_at: datetime
    fresh_until: datetime


class ReminderRow(SQLModel, table=True):
    """A check-in the person opted into ("Remind me"), one per person, deleted when sent.

    The only place a Telegram chat id is kept in the clear: the bot cannot write to
    someone without it, and the person asked to be written to. /forget deletes it.
    """

    __tablename__ = "reminder"

    user_key: str = Field(primary_key=True, max_length=64)
    chat_id: int = Field(sa_type=BigInteger)  # Telegram ids outgrow 32 bits
    due_at: datetime = Field(index=True)
    created_at: datetime


class RateBucketRow(SQLModel, table=True):
    """A person's message budget (bot.telegram.ratelimit), shared by every worker.

    A full bucket is the same as none, so a purge deletes the rows that are full again;
    /forget deletes the person's row at once.
    """

    __tablename__ = "rate_bucket"

    user_key: str = Field(primary_key=True, max_length=64)
    tokens: float
    # Seconds since the epoch, from the limiter's clock: a wall clock, because every
    # worker, on every machine, reads the same row.
    updated: float
    noticed_at: float | None = None  # when the person was last told they are over the limit
    full_at: float | None = Field(default=None, index=True)  # None: it never refills
    version: int = 0

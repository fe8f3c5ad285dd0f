"""The database engine: a SQLite file by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from bot.storage.schema import prepare_schema

# SQLAlchemy would pick psycopg2 for a bare postgresql:// URL; the bot ships psycopg 3.
_DRIVERLESS_POSTGRES = ("postgresql://", "postgres://")
_POSTGRES_WITH_DRIVER = "postgresql+psycopg://"


def with_driver(url: str) -> str:
    """The URL with the PostgreSQL driver the bot installs, when it names none."""
    for prefix in _DRIVERLESS_POSTGRES:
        if url.startswith(prefix):
            return _POSTGRES_WITH_DRIVER + url.removeprefix(prefix)
    return url


def create_db_engine(url: str) -> Engine:
    """An engine with every table created and up to date; SQLite gets WAL so readers never
    block."""
    url = with_driver(url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 15} if is_sqlite else {},
        # A database server restarts or fails over; a pooled connection from before would
        # fail the next turn. SQLite has no server to lose.
        pool_pre_ping=not is_sqlite,
    )
    if is_sqlite:
        event.listen(engine, "connect", sqlite_pragmas)
    prepare_schema(engine)
    return engine


def sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """WAL, normal sync and foreign keys on every new SQLite connection (the fault tests
    open their engine with these too)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def erase_person(engine: Engine, model: type[SQLModel], key: str) -> None:
    """Delete the person's row from a table keyed by `user_key` (for /forget)."""
    table = model.__table__  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(delete(table).where(table.c.user_key == key))

"""The database engine: a SQLite file by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine


def create_db_engine(url: str) -> Engine:
    """An engine with every table created; SQLite gets WAL so readers never block."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 15} if is_sqlite else {},
    )
    if is_sqlite:
        event.listen(engine, "connect", sqlite_pragmas)
    # Import the models so their tables are registered before create_all.
    import bot.storage.models  # noqa: F401

    SQLModel.metadata.create_all(engine)
    return engine


def sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """WAL, normal sync and foreign keys on every new SQLite connection (the fault tests
    open their engine with these too)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

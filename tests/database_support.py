"""The database a storage test runs on: a SQLite file, or PostgreSQL under `make test-postgres`.

Tests marked `postgres` take the `database` fixture and run on SQLite in `make test`;
`make test-postgres` (scripts/with-postgres) starts a throwaway PostgreSQL, sets
TEST_DATABASE_URL to it and runs only them. Each test starts from an empty database.
Registered as a pytest plugin in conftest.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.engine import Engine

from bot.storage.db import create_db_engine, with_driver

TEST_DATABASE_URL = "TEST_DATABASE_URL"


@dataclass
class Database:
    """One database; each engine() is another worker's connection pool on it."""

    url: str
    engines: list[Engine] = field(default_factory=list)

    def engine(self) -> Engine:
        """A new engine, as another worker would open (tables created if missing)."""
        engine = create_db_engine(self.url)
        self.engines.append(engine)
        return engine

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()


def _emptied(url: str) -> str:
    """A URL to an empty database on the server of `url`: the database itself, or, under
    `pytest -n`, one of its own for each worker (they run at the same time)."""
    base = make_url(url)
    # Everything in it is dropped: never a database that isn't plainly a test's.
    if "test" not in (base.database or ""):
        raise pytest.UsageError(
            f"{TEST_DATABASE_URL} must name a test database, not {base.database!r}")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    target = base.set(database=f"{base.database}_{worker}") if worker else base
    if worker:
        _create_database(base, target.database or "")
    emptied = _connect(target)
    try:
        with emptied.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        emptied.dispose()
    return target.render_as_string(hide_password=False)  # as given: postgresql://…


def _connect(url: URL, **options: object) -> Engine:
    """A bare engine (no tables created), with the driver the bot uses."""
    return create_engine(with_driver(url.render_as_string(hide_password=False)), **options)


def _create_database(server: URL, name: str) -> None:
    engine = _connect(server, isolation_level="AUTOCOMMIT")  # CREATE DATABASE needs it
    try:
        with engine.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": name}).first()
            if exists is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    configured = os.environ.get(TEST_DATABASE_URL)
    database = Database(_emptied(configured) if configured
                        else f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def engine(database: Database) -> Engine:
    """An engine on the test's database, tables created."""
    return database.engine()

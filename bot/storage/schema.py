"""Creating the tables, and bringing an existing database up to the models.

`create_all` makes the tables that are missing but never changes one that exists, so a
column added to a model after its table was deployed is added here, at start-up.
"""

from __future__ import annotations

import logging

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

log = logging.getLogger(__name__)

# (table, column, its SQL type and default): columns added since the table first shipped.
# The default fills the rows already there.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("conversation", "version", "INTEGER NOT NULL DEFAULT 0"),
)

# Any fixed number: the key of the PostgreSQL advisory lock every worker takes for this.
_SCHEMA_LOCK_ID = 720_113_405
# SQLite has no lock to take first (see below); this many tries, each checking afresh.
_SQLITE_ATTEMPTS = 5


def prepare_schema(engine: Engine) -> None:
    """Every table created, every added column present."""
    # The models register their tables on import.
    import bot.storage.models  # noqa: F401

    if engine.dialect.name == "postgresql":
        _prepare(engine)
        return
    for attempt in range(1, _SQLITE_ATTEMPTS + 1):
        try:
            _prepare(engine)
            return
        except OperationalError:
            # Another process opening the same file at the same moment created a table
            # or column between our check and our CREATE ("already exists"): checking
            # again finds it there.
            if attempt == _SQLITE_ATTEMPTS:
                raise
            log.info("schema: changed meanwhile by another process; checking again")


def _prepare(engine: Engine) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workers started together would each create the same tables and columns, and
            # all but one fail; one at a time, the later ones find the work done.
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"),
                               {"id": _SCHEMA_LOCK_ID})
        SQLModel.metadata.create_all(connection)
        _add_missing_columns(connection)


def _add_missing_columns(connection: Connection) -> None:
    for table, column, definition in ADDED_COLUMNS:
        present = {c["name"] for c in inspect(connection).get_columns(table)}
        if column not in present:
            connection.execute(text(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {definition}'))
            log.info("schema: column %s.%s added", table, column)

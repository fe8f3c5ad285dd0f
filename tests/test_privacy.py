"""Privacy end to end: what the logs and the database hold after real conversations.

The bot runs as `make run` starts it, against the local Bot API fake, with SQLite on
disk and every logger at DEBUG. What a person typed, their postcode, their name, the
bot's token and their Telegram id must appear in no log record; after /forget no
table holds a row about them.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.telegram_support import key_of, press, running, say

USER_ID = 987654321  # distinctive, so a leak can't hide among other numbers
TYPED = "برادرم در هارموندزورث بازداشت است"
POSTCODE = "WC1X 8QD"
NAME = "Rezaullah"


def _every_row(path: Path) -> list[tuple[str, tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [(table, row) for table in tables
                for row in db.execute(f'SELECT * FROM "{table}"')]


async def test_debug_logs_hold_nothing_personal_and_forget_leaves_no_row(
        fake: FakeBotApi, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    reza = fake.person(USER_ID, NAME, "fa")
    async with running(settings):
        question = await say(fake, reza, "/start")
        question = await press(fake, reza, "privacy:ok", question)
        question = await say(fake, reza, TYPED)
        question = await press(fake, reza, "confirm:yes", question)
        question = await press(fake, reza, "lawyer:no", question)
        question = await say(fake, reza, POSTCODE)
        question = await press(fake, reza, "own:skip", question)
        mark = fake.mark()
        reza.presses("draft:helper_mp", question)
        question = await fake.wait_for_prompt(reza.user_id, after=mark)
        mark = fake.mark()
        reza.presses("more:remind", question)  # opting in keeps where the reminder goes
        await fake.wait_for(lambda c: c.method == "sendMessage", after=mark)
        database = Path(settings.database_url.removeprefix("sqlite:///"))
        assert any(key_of(reza) in map(str, row) for _, row in _every_row(database))
        holding_the_id = {table for table, row in _every_row(database)
                          if any(str(USER_ID) in str(value) for value in row)}
        assert holding_the_id == {"reminder"}  # nowhere else, and there only as asked
        question = await say(fake, reza, "/forget")
        mark = fake.mark()
        reza.presses("forget:yes", question)
        done = await fake.wait_for(lambda c: c.method == "sendMessage", after=mark)
        assert "/start" in done[0].text and "everything I held" not in done[0].text  # Persian

    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert caplog.records, "nothing was logged at all: the test would prove nothing"
    for secret in (TYPED, "هارموندزورث", POSTCODE, POSTCODE.replace(" ", ""), NAME, TOKEN,
                   str(USER_ID)):
        assert secret not in logged, f"{secret!r} reached the logs"

    leftovers = [(table, row) for table, row in _every_row(database)
                 if any(needle in str(value) for value in row
                        for needle in (key_of(reza), str(USER_ID), POSTCODE, NAME))]
    assert leftovers == []

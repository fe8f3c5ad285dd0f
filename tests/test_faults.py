"""Faults under a turn, for real: SQLite read-only, locked by another writer, or on a
full disk; the NLU server gone and back.

Each fault is SQLite's own error on a real file (not a stub raising): the person
gets the apology in their own language and the same question again, the row keeps
the last good state (nothing half-written, nothing lost), and once the fault is
gone the conversation carries on from where it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from sqlmodel import SQLModel

import bot.storage.models  # noqa: F401 - registers the tables
from bot.conversation import SORRY, ConversationService
from bot.i18n import Renderer
from bot.lookups.base import OfflineFinder
from bot.nlu.base import NoNlu
from bot.nlu.rasa_client import RasaNlu
from bot.render import render_say
from bot.storage.conversations import ConversationStore
from bot.storage.db import sqlite_pragmas
from flows.case import Situation
from flows.engine import Step
from flows.events import Button, Start, Text
from flows.replies import Say
from tests.fakes.rasa_nlu import FakeRasa

# How long a writer waits for a lock here (the bot waits 15 s; the test need not).
LOCK_WAIT_SECONDS = 0.3


def _service(path: Path, extra_pragma: list[str]) -> ConversationService:
    """The production pragmas (WAL …) plus whatever the fault adds, on a real file."""
    engine = create_engine(f"sqlite:///{path}", connect_args={
        "check_same_thread": False, "timeout": LOCK_WAIT_SECONDS})
    event.listen(engine, "connect", sqlite_pragmas)

    def fault(connection: object, _record: object) -> None:
        for pragma in extra_pragma:
            connection.execute(pragma)  # type: ignore[attr-defined]

    event.listen(engine, "connect", fault)
    SQLModel.metadata.create_all(engine)
    return ConversationService(ConversationStore(engine, timedelta(days=30)), NoNlu(),
                               OfflineFinder())


@contextmanager
def read_only(path: Path, pragmas: list[str]) -> Iterator[None]:
    pragmas.append("PRAGMA query_only = ON")  # SQLite: "attempt to write a readonly database"
    yield
    pragmas.clear()


@contextmanager
def locked(path: Path, pragmas: list[str]) -> Iterator[None]:
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another writer holds the file: "database is locked"
    yield
    other.rollback()
    other.close()


@pytest.mark.parametrize("fault", [read_only, locked], ids=["read-only", "locked"])
async def test_a_storage_fault_gets_a_kind_word_and_loses_nothing(
        tmp_path: Path, fault: Callable[[Path, list[str]], object]) -> None:
    path = tmp_path / "bot.sqlite3"
    pragmas: list[str] = []
    service = _service(path, pragmas)
    for step in (Start(), Button("lang:fa"), Button("privacy:ok")):
        await service.handle("amina", step)
    assert service.store.load("amina").state.step is Step.WHO  # type: ignore[union-attr]

    with fault(path, pragmas):  # type: ignore[attr-defined]
        service.store.engine.dispose()  # new connections, with the fault's pragmas
        result = await service.handle("amina", Button("who:self"))
    shown = "\n".join(render_say(reply, Renderer("fa")).text
                      for reply in result.replies if isinstance(reply, Say))
    assert render_say(SORRY, Renderer("fa")).text in shown
    assert render_say(SORRY, Renderer("en")).text not in shown  # in her language
    service.store.engine.dispose()
    assert service.store.load("amina").state.step is Step.WHO  # type: ignore[union-attr]

    after = await service.handle("amina", Button("who:self"))  # the fault is gone
    assert after.state.step is Step.SITUATION


async def test_rasa_gone_mid_conversation_gets_buttons_then_understands_when_back(
        tmp_path: Path) -> None:
    """The NLU server dies between two messages and comes back on the same port."""
    table = {"محتجز": ("detained", 0.93, [])}
    rasa = FakeRasa(table)
    nlu = RasaNlu(rasa.url, timeout_seconds=1.0)
    service = _service(tmp_path / "bot.sqlite3", [])
    service.nlu = nlu
    for step in (Start(), Button("lang:ar"), Button("privacy:ok"), Button("who:self")):
        await service.handle("samir", step)
    port = rasa.port
    rasa.close()
    down = await service.handle("samir", Text("أنا محتجز في بروك هاوس"))
    assert down.state.step is Step.SITUATION and down.state.case.situations == ()
    shown = "\n".join(render_say(r, Renderer("ar")).text for r in down.replies
                      if isinstance(r, Say))
    assert shown and render_say(SORRY, Renderer("ar")).text not in shown  # buttons, no error
    back = FakeRasa(table, port=port)
    try:
        again = await service.handle("samir", Text("أنا محتجز في بروك هاوس"))
        assert again.state.step is Step.CONFIRM
        assert again.state.proposed == (Situation.DETAINED,)
    finally:
        back.close()
        await nlu.aclose()


@contextmanager
def small_disk(directory: Path, size: str = "512k") -> Iterator[Path]:
    """A real filesystem of `size` (tmpfs), so that writing past it fails as a full disk
    does: ENOSPC, which SQLite reports as "database or disk is full"."""
    directory.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(directory)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root)")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def _fill(directory: Path) -> Path:
    """Take every free byte of the filesystem with one file; returns it."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:  # until ENOSPC
            handle.write(b"\0" * 4096)
    return filler


async def test_a_full_disk_gets_a_kind_word_and_loses_nothing(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        service = _service(disk / "bot.sqlite3", [])
        for step in (Start(), Button("lang:ti"), Button("privacy:ok")):
            await service.handle("selam", step)
        filler = _fill(disk)

        result = await service.handle("selam", Button("who:self"))
        shown = "\n".join(render_say(reply, Renderer("ti")).text
                          for reply in result.replies if isinstance(reply, Say))
        assert render_say(SORRY, Renderer("ti")).text in shown  # in her language
        service.store.engine.dispose()
        assert service.store.load("selam").state.step is Step.WHO  # type: ignore[union-attr]

        filler.unlink()  # space again
        after = await service.handle("selam", Button("who:self"))
        assert after.state.step is Step.SITUATION
        service.store.engine.dispose()

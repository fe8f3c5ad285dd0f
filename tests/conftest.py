"""Shared test helpers: drive the real engine through conversations and read what a person sees."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import settings

from bot.bidi import without_direction_marks
from bot.i18n import TRANSLATIONS_DIR, Renderer, catalog
from bot.render import draft_as_text, render_draft, render_say
from flows.effects import settle_sync
from flows.engine import State, step
from flows.events import Button, Event, LookupDone, Start, Text
from flows.replies import LookUp, Reply, Say, SendDraft
from flows.representatives import LookupResult, Ministers, Purpose
from flows.steps import Config


def _compile_catalogs() -> None:
    """`make test` compiles the catalogs; this keeps a bare `pytest` run honest too."""
    for po_path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            compiled = read_po(handle)
        # Written aside and moved into place: with `pytest -n`, several workers import
        # this at once, and none may read another's half-written file.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, compiled)
        partial.replace(mo_path)
    catalog.cache_clear()


_compile_catalogs()

# The engine's "today" in tests: typed dates and how close a removal is depend on it.
TODAY = date(2026, 12, 7)

# Property tests: a quick run for `make test-fast`, and at least 10 000 generated
# examples in all (8 property tests × 1 500) for `make test`, which sets
# HYPOTHESIS_PROFILE=thorough. No deadline: a slow CI machine is not a failure.
settings.register_profile("fast", max_examples=150, deadline=None)
settings.register_profile("thorough", max_examples=1500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

# Fixtures shared by the look-up tests (`http`, `sleeps`), the real-Rasa tests and the
# storage tests (`database`: SQLite, or PostgreSQL under `make test-postgres`).
pytest_plugins = ["tests.lookup_support", "tests.rasa_support", "tests.telegram_support",
                  "tests.database_support"]


@dataclass
class Conversation:
    """A person talking to the pure engine; look-ups are answered with given results."""

    language: str = "en"
    results: tuple[LookupResult, ...] = ()
    ministers: Ministers | None = None
    state: State = field(default_factory=State)
    config: Config = field(default_factory=lambda: Config(today=TODAY))
    replies: list[Reply] = field(default_factory=list)
    lookups: list[LookUp] = field(default_factory=list)

    def send(self, event: Event) -> list[Reply]:
        """One turn, through the service's own effect loop; effects stay among the replies."""
        self.state, replies = step(self.state, event, self.config)
        settled = settle_sync(self.state, replies, self.config, self.answer)
        self.state = settled.state
        self.lookups += settled.lookups
        shown = list(settled.replies)
        self.replies += shown
        return shown

    def answer(self, request: LookUp) -> LookupDone:
        """The given results for the places asked about, as the real look-up would."""
        asked = {purpose for _, purpose in request.postcodes}
        if request.centre_id:
            asked.add(Purpose.DETENTION_CENTRE)
        found = tuple(r for r in self.results if r.purpose in asked)
        return LookupDone(found, self.ministers if request.ministers else None)

    def say(self, text: str, nlu=None) -> list[Reply]:  # type: ignore[no-untyped-def]
        return self.send(Text(text, nlu))

    def press(self, data: str) -> list[Reply]:
        return self.send(Button(data))

    def begin(self, who: str = "self") -> Conversation:
        self.send(Start())
        self.press(f"lang:{self.language}")
        self.press("privacy:ok")
        self.press(f"who:{who}")
        return self

    def text(self, replies: Iterable[Reply] | None = None) -> str:
        """Everything shown, rendered as the person reads it (drafts included; direction
        marks, which nobody sees, left out)."""
        return without_direction_marks(self.marked_text(replies))

    def marked_text(self, replies: Iterable[Reply] | None = None) -> str:
        gender = self.state.case.subject_gender
        renderer = Renderer(self.language, gender.value if gender else None)
        pieces: list[str] = []
        for reply in self.replies if replies is None else replies:
            if isinstance(reply, Say):
                message = render_say(reply, renderer)
                pieces.append(message.text)
                pieces += [label for row in message.buttons for label, _ in row]
            elif isinstance(reply, SendDraft):
                pieces.append(draft_as_text(render_draft(reply, renderer), renderer))
        return "\n".join(pieces)

    def drafts(self) -> list[SendDraft]:
        return [r for r in self.replies if isinstance(r, SendDraft)]

    def buttons(self) -> list[str]:
        last = next((r for r in reversed(self.replies) if isinstance(r, Say) and r.choices), None)
        return [c.data for row in last.choices for c in row] if last else []


@pytest.fixture
def conversation() -> Conversation:
    return Conversation()


FIXTURES = Path(__file__).parent / "fixtures"

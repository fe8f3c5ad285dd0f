"""`make run` answers before the model exists, and understands typed text once it does."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

import pytest

from bot.nlu import model_store
from bot.nlu.local import GatedNlu, LocalRasa
from flows.events import IntentScore, NluResult

UNDERSTOOD = NluResult(ranking=(IntentScore("refused", 0.97),))


class KnowsEverything:
    """The NLU as it is once Rasa serves the model."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def parse(self, text: str) -> NluResult | None:
        self.asked.append(text)
        return UNDERSTOOD

    async def aclose(self) -> None:
        return None


class FakeServer:
    started: ClassVar[list[Path]] = []

    def __init__(self, *, port: int, model: Path, auth_token: str, fail: bool = False) -> None:
        self.model, self.fail = model, fail

    def start(self) -> None:
        if self.fail:
            raise RuntimeError("rasa exited during startup")
        FakeServer.started.append(self.model)

    def stop(self) -> None:
        return None


def wait_for(condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


async def test_typed_text_gets_buttons_until_the_model_is_trained_then_is_understood(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "nlu.tar.gz"
    trained: list[model_store.StoredModel] = []
    local = LocalRasa(
        5999,
        poll_seconds=0.01,
        find=lambda: trained[0] if trained else None,
        server_factory=FakeServer,
    )
    inner = KnowsEverything()
    nlu = GatedNlu(inner, local.ready)
    local.start()
    try:
        assert await nlu.parse("home office refused me") is None  # buttons, no request made
        assert inner.asked == []

        trained.append(model_store.StoredModel(archive, 300.0, "2026-12-07T20:00:00+00:00"))
        assert wait_for(local.ready.is_set), "the watcher never started the server"

        assert await nlu.parse("home office refused me") == UNDERSTOOD  # no restart needed
        assert FakeServer.started[-1] == archive
    finally:
        local.stop()


async def test_a_server_that_cannot_start_leaves_the_bot_on_buttons(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stored = model_store.StoredModel(tmp_path / "nlu.tar.gz", 300.0, "2026-12-07T20:00:00+00:00")
    local = LocalRasa(
        5999,
        poll_seconds=0.01,
        find=lambda: stored,
        server_factory=lambda **kw: FakeServer(**kw, fail=True),
    )
    local.start()
    assert wait_for(lambda: "NLU server not started" in caplog.text)
    local.stop()

    assert not local.ready.is_set()
    assert await GatedNlu(KnowsEverything(), local.ready).parse("hello") is None


def test_stopping_before_any_model_ends_the_watcher() -> None:
    local = LocalRasa(5999, poll_seconds=0.01, find=lambda: None, server_factory=FakeServer)
    local.start()
    local.stop()
    assert not local._thread.is_alive()
    assert not local.ready.is_set()

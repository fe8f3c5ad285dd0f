"""The local Rasa server of `make run`: started as soon as a trained model exists, not before.

The bot answers from its first second. On a fresh clone `make run` trains the
model in the background (nlu/nlu.mk, `nlu-background`); until it is in the model
cache, typed messages are answered with buttons, as when Rasa is down. A watcher
thread looks for the model, starts Rasa when it appears, and from then on typed
messages are understood — no restart. The operator is told once what is
happening and how long it should take, then every few minutes how far it got.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable

from bot.nlu import model_store
from bot.nlu.base import NluClient
from bot.nlu.server import RasaServer
from flows.events import NluResult

log = logging.getLogger(__name__)


class LocalRasa:
    """Watches the model cache and serves the current model on 127.0.0.1:`port` once it is there."""

    def __init__(
        self,
        port: int,
        *,
        poll_seconds: float = 10.0,
        progress_seconds: float = 180.0,
        find: Callable[[], model_store.StoredModel | None] = model_store.find,
        server_factory: Callable[..., RasaServer] = RasaServer,
    ) -> None:
        self.port = port
        self.auth_token = secrets.token_urlsafe(24)  # for the client, before the server exists
        self.ready = threading.Event()
        self._poll_seconds = poll_seconds
        self._progress_seconds = progress_seconds
        self._find = find
        self._server_factory = server_factory
        self._server: RasaServer | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="local-rasa", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self._server is not None:
            self._server.stop()

    def _watch(self) -> None:
        model = self._find()
        if model is None:
            self._announce_training()
        last_progress = time.monotonic()
        while model is None:
            if self._stopping.wait(self._poll_seconds):
                return
            model = self._find()
            if model is None and time.monotonic() - last_progress >= self._progress_seconds:
                last_progress = time.monotonic()
                line = model_store.progress()
                log.info("NLU training: %s", line or "not running (make nlu trains the model)")
        if self._stopping.is_set():
            return
        try:
            server = self._server_factory(port=self.port, model=model.archive,
                                          auth_token=self.auth_token)
            server.start()
        except Exception as error:  # noqa: BLE001 - the bot keeps working with buttons
            log.warning(
                "NLU server not started (%s); typed messages get buttons", type(error).__name__
            )
            return
        self._server = server
        if self._stopping.is_set():
            server.stop()
            return
        self.ready.set()
        log.info("NLU ready: typed messages are understood from now on")

    def _announce_training(self) -> None:
        # `make run` may still be installing Rasa's venv, so "nobody trains" is not
        # known yet: one line that holds either way, then progress every few minutes.
        log.info(
            "NLU model not ready: typed messages get buttons until it is. Training takes "
            "about %.0f minutes here (make run does it in the background; make nlu-status "
            "shows progress)",
            model_store.expected_seconds() / 60,
        )


class GatedNlu:
    """An `NluClient` that asks `inner` only once `ready` is set; before that, None (buttons)."""

    def __init__(self, inner: NluClient, ready: threading.Event) -> None:
        self._inner = inner
        self._ready = ready

    async def parse(self, text: str) -> NluResult | None:
        if not self._ready.is_set():
            return None
        return await self._inner.parse(text)

    async def aclose(self) -> None:
        await self._inner.aclose()

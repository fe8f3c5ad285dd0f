"""Starts and stops a local Rasa NLU server (`rasa run --enable-api`) as a child process.

Used by the bot's `run` command, by the test fixtures and by the benchmarks, so
each gets the real server with the real trained model and leaves nothing behind.
Rasa runs in its own process group: stopping signals the whole group, so no
worker or helper it started outlives it.

    with RasaServer(port=5005) as server:
        nlu = RasaNlu(server.url)
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import httpx

from bot.nlu import model_store, rasa_command

REPO_ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = REPO_ROOT / "nlu"
MODELS_DIR = NLU_DIR / "models"  # scripts' own experiments; the model itself is in the cache


class RasaServerError(RuntimeError):
    """The Rasa server could not be started."""


class ModelMissingError(RasaServerError):
    """No trained model for the current inputs: `make nlu` trains one (make run / make test do)."""


class RasaNotInstalledError(RasaServerError):
    """The Rasa virtual environment is missing: `make nlu` creates it."""


def stop_servers_on_sigterm() -> None:
    """For command-line tools: SIGTERM unwinds like Ctrl-C, so `with RasaServer` stops Rasa.

    A signal's default action kills Python without running `finally` blocks or
    atexit handlers, which left a 1 GiB Rasa behind; SystemExit runs both.
    Main thread only (Python's rule for signal handlers).
    """
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def find_model(model: Path | None = None) -> Path:
    """`model` if given (an archive), else the cached model for the current inputs."""
    if model is not None:
        if not model.is_file():
            raise ModelMissingError(f"no model archive at {model}")
        return model
    stored = model_store.find()
    if stored is None:
        raise ModelMissingError(
            "no trained Rasa model for the current inputs: run `make nlu` "
            "(make test and make run do)"
        )
    return stored.archive


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now, so a test server never meets a dev server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class RasaServer:
    """One `rasa run --enable-api` child process, from start to a clean stop."""

    def __init__(
        self,
        *,
        port: int = 5005,
        host: str = "127.0.0.1",
        model: Path | None = None,
        rasa_bin: Path | None = None,
        auth_token: str | None = None,
        startup_timeout: float = 240.0,
        stop_timeout: float = 15.0,
        log_path: Path | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.model = model
        self.rasa_bin = str(rasa_bin) if rasa_bin else rasa_command.rasa_executable()
        # A fresh token per start unless given: --enable-api also serves model
        # replacement and training, which nothing else on the machine may call.
        self.auth_token = auth_token or secrets.token_urlsafe(24)
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        # Rasa's own log, kept out of the bot's: it is shown when startup fails.
        self.log_path = log_path or Path(tempfile.gettempdir()) / f"rasa-server-{port}.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def command(self, model_file: Path) -> list[str]:
        return rasa_command.serve_command(model_file, self.host, self.port, rasa=self.rasa_bin,
                                          auth_token=self.auth_token)

    def start(self) -> None:
        """Start Rasa and return once it serves a loaded model; raise on failure."""
        if self._process is not None:
            return
        if shutil.which(self.rasa_bin) is None:
            raise RasaNotInstalledError(
                f"{self.rasa_bin} not found: run `make nlu` or set RASA_BIN"
            )
        # Absolute: Rasa runs in nlu/, and a relative path it cannot find makes it serve
        # whatever model it finds in its own models/ directory instead.
        model_file = find_model(self.model).resolve()
        if _listening(self.host, self.port):
            # Another server there would answer our readiness check in Rasa's place.
            raise RasaServerError(f"port {self.port} on {self.host} is already in use")
        self._log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            self.command(model_file),
            cwd=NLU_DIR,
            env=rasa_command.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, signalled as a whole
        )
        atexit.register(self.stop)  # the bot or test run dying must not leave Rasa behind
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        # A local address: no proxy from the environment applies.
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self._process is None or self._process.poll() is not None:
                    raise RasaServerError(f"rasa exited during startup:\n{self.log_tail()}")
                if _model_loaded(client, self.url, self.auth_token):
                    return
                time.sleep(0.5)
        raise RasaServerError(
            f"rasa not ready after {self.startup_timeout:.0f} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after `stop_timeout`; idempotent."""
        process, self._process = self._process, None
        atexit.unregister(self.stop)
        if process is not None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait()
            # Whatever Rasa forked may outlive the leader's graceful exit.
            _signal_group(process.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    async def astart(self) -> None:
        """`start` for async callers (the bot's run command), off the event loop."""
        await asyncio.to_thread(self.start)

    async def astop(self) -> None:
        await asyncio.to_thread(self.stop)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _model_loaded(client: httpx.Client, base_url: str, token: str) -> bool:
    try:
        response = client.get(f"{base_url}/status", params={"token": token})
    except httpx.HTTPError:
        return False  # not listening yet
    if response.status_code != 200:
        return False  # 409 until the agent has a model
    try:
        return bool(response.json().get("model_file"))
    except ValueError:
        return False


def _listening(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((host, port)) == 0


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)

"""The bot processes a benchmark runs, the fake they talk to, and where their CPU went."""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.fakes.bot_api import Call, FakeBotApi
from tests.fakes.json_server import JsonObject

# What "sustained" means, for every ladder: each update answered within DRAIN_SECONDS of
# the window's end, and p99 under SUSTAINED_P99_MS (a queue growing shows there).
DRAIN_SECONDS = 3.0
SUSTAINED_P99_MS = 500.0
NLU_FAILED = "nlu parse failed"  # what bot.nlu.rasa_client logs when a parse gives nothing


class TimedBotApi(FakeBotApi):
    """The fake, noting when a bot first polls (polls aren't recorded), each chat's first
    reply, what it refused and the "typing…" actions. Its connections stay open between
    calls, as Telegram's do: a new TCP connection per call had cost the echo bot a
    quarter of its CPU (6.1 against 4.7 ms an update) and ours more, for each call."""

    def __init__(self) -> None:
        super().__init__(keep_alive=True)
        self.first_poll_at: float | None = None
        self.first_reply_at: dict[int, float] = {}
        self.refused: Counter[str] = Counter()  # "method: reason", as Telegram would refuse
        self.typing = 0  # sendChatAction calls
        self.watch(self._seen)

    def _get_updates(self, params: JsonObject) -> list[JsonObject]:
        if self.first_poll_at is None:
            self.first_poll_at = time.monotonic()
        return super()._get_updates(params)

    def _seen(self, call: Call) -> None:
        # On the fake's request thread: a dict write, nothing that could slow the bot.
        if call.status != 200:
            self.refused[f"{call.method}: {call.error or call.status}"] += 1
        elif call.method == "sendMessage" and call.chat_id is not None:
            self.first_reply_at.setdefault(call.chat_id, call.at)
        elif call.method == "sendChatAction":
            self.typing += 1


@dataclass
class BotProcess:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    started_at: float  # time.monotonic() just before the process was started

    def nlu_failures(self) -> int:
        """Parses that gave no answer so far (time-outs, refusals), from the bot's log."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace").count(NLU_FAILED)
        except OSError:
            return 0

    def memory_mb(self, field: str = "VmHWM") -> float:
        """Resident memory from /proc/<pid>/status in MB: VmHWM the peak so far, VmRSS now."""
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="ascii")
        for line in status.splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) * 1024 / 1e6, 1)
        raise RuntimeError(f"no {field} in /proc/<pid>/status")

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited ({self.process.returncode}):\n"
                               f"{log_tail(self.log_path)}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # gone meanwhile
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """CPU time of every process in a process group (Rasa and whatever it forked)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                total += cpu_seconds(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue  # gone while we looked
    return total


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"

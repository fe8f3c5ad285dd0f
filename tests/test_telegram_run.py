"""`python -m bot run` with a token: it serves Telegram until Ctrl-C, then exits cleanly.

The process is the one `make run` starts (NLU off here: the real Rasa is tested
elsewhere), pointed at the fake Bot API through TELEGRAM_API_BASE_URL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakes.bot_api import TOKEN, FakeBotApi

REPO = Path(__file__).resolve().parent.parent


def test_the_bot_answers_then_ctrl_c_stops_it_cleanly(tmp_path: Path) -> None:
    with FakeBotApi() as fake:
        person = fake.person(1234567, "Maryam", "fa")
        person.says("/start")
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "NLU_ENABLED": "false",
            "LOOKUPS_ENABLED": "false",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            "ID_HMAC_SECRET": "run-test-secret",
            "LOG_LEVEL": "INFO",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 30
            while not any(c.buttons for c in fake.sent_to(person.user_id)):
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "the bot never answered"
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            _, logs = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 0, logs
    assert "Traceback" not in logs
    assert "telegram adapter running (long polling)" in logs
    assert "telegram adapter stopped" in logs
    # Logs say what happened, never who or what: no ids, no token, no words.
    assert "1234567" not in logs and TOKEN not in logs and "Maryam" not in logs
    assert "update kind=start chat=private" in logs
    assert (tmp_path / "data" / "heartbeat").exists()

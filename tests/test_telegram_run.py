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

from tests.fakes.bot_api import TOKEN, Call, FakeBotApi

REPO = Path(__file__).resolve().parent.parent


def _start_bot(tmp_path: Path, fake: FakeBotApi) -> subprocess.Popen[str]:
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
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _next_question(fake: FakeBotApi, chat_id: int, after: int,
                   process: subprocess.Popen[str]) -> Call:
    deadline = time.monotonic() + 30
    while True:
        asked = [c for c in fake.since(after) if c.chat_id == chat_id and c.buttons
                 and c.method == "sendMessage"]
        if asked:
            return asked[-1]
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the bot never answered"
        time.sleep(0.05)


def test_the_bot_answers_then_ctrl_c_stops_it_cleanly(tmp_path: Path) -> None:
    with FakeBotApi() as fake:
        person = fake.person(1234567, "Maryam", "fa")
        person.says("/start")
        process = _start_bot(tmp_path, fake)
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


def test_killed_mid_conversation_the_bot_picks_up_at_the_same_step(tmp_path: Path) -> None:
    """SIGKILL (no clean shutdown at all), then a new process: the person's next tap is
    answered from where they were, and nothing they had already been answered is sent
    again."""
    with FakeBotApi() as fake:
        person = fake.person(7654321, "Nasrin", "fa")
        process = _start_bot(tmp_path, fake)
        try:
            mark = fake.mark()
            person.says("/start")
            question = _next_question(fake, person.user_id, mark, process)
            for tap in ("privacy:ok", "who:self"):
                mark = fake.mark()
                person.presses(tap, question)
                question = _next_question(fake, person.user_id, mark, process)
            assert "sit:done" in question.button_data()
            time.sleep(0.3)  # the next long poll confirms the updates already handled
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            answered = len(fake.sent_to(person.user_id))

            process = _start_bot(tmp_path, fake)
            mark = fake.mark()
            person.presses("sit:refused", question)  # ticked in place: the same question
            fake_deadline = time.monotonic() + 30
            while not [c for c in fake.since(mark) if c.method == "editMessageReplyMarkup"]:
                assert process.poll() is None and time.monotonic() < fake_deadline
                time.sleep(0.05)
            mark = fake.mark()
            person.presses("sit:done", question)
            question = _next_question(fake, person.user_id, mark, process)
            assert "lawyer:no" in question.button_data()  # the step after the situations
            resent = [c for c in fake.sent_to(person.user_id)[answered:]
                      if c.method == "sendMessage" and c.buttons
                      and "privacy:ok" in c.button_data()]
            assert resent == []  # no earlier question came again
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                process.communicate(timeout=20)

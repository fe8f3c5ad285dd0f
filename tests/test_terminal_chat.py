"""The terminal chat, scripted through a pipe exactly as a developer would use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def chat(lines: list[str], tmp_path: Path) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NLU_ENABLED": "false",
        "LOOKUPS_ENABLED": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}",
        "TELEGRAM_BOT_TOKEN": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"], input="\n".join(lines) + "\n", text=True,
        capture_output=True, cwd=tmp_path, env=env, timeout=60, check=True,
    )
    assert "Traceback" not in done.stderr
    return done.stdout


def test_journey_refused_no_lawyer_ends_with_a_draft(tmp_path: Path) -> None:
    # English, OK, me, Refused, No lawyer, Done, postcode, own words, first letter.
    out = chat(["1", "1", "1", "1", "5", "8", "B12 9QJ", "they refused me and I am afraid",
                "1"], tmp_path)
    assert "Choose your language" in out
    assert "✓ Refused" in out and "✓ No lawyer" in out
    assert "find-legal-advice.justice.gov.uk" in out
    # No look-ups here (no network): the MP is greeted by role, never a gap for a name.
    assert "Dear Member of Parliament," in out and "The Home Office has refused my claim" in out
    assert "In my own words: \u201cthey refused me and I am afraid\u201d" in out


def test_a_second_run_resumes_the_same_conversation(tmp_path: Path) -> None:
    chat(["1", "1", "2", "1"], tmp_path)  # English, OK, someone else, brother
    out = chat(["3", "8"], tmp_path)  # Detained, Done
    assert "Welcome back" in out
    assert "Where are they held?" in out


def test_arabic_chat_shows_no_english_prompts(tmp_path: Path) -> None:
    out = chat(["2", "1", "1"], tmp_path)
    after_choice = out.split("> 2", 1)[1]
    assert "Who needs help?" not in after_choice
    assert "What is happening?" not in after_choice

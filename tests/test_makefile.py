"""`make help` is the map of the repository's commands: every target is on it, once."""

from __future__ import annotations

import re
import subprocess

from bot.nlu.server import REPO_ROOT

TARGET = re.compile(r"^(?P<name>[a-z][a-z-]*):(?!=)", re.MULTILINE)


def test_make_help_lists_every_target_with_one_line() -> None:
    makefiles = [REPO_ROOT / "Makefile", REPO_ROOT / "nlu" / "nlu.mk"]
    targets = {m["name"] for path in makefiles for m in TARGET.finditer(path.read_text())}
    shown = subprocess.run(["make", "-s", "help"], cwd=REPO_ROOT, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    listed = [line.split()[1] for line in shown]
    assert sorted(listed) == sorted(targets)
    assert all(len(line.split(maxsplit=2)) == 3 for line in shown), "a target without its line"

"""Reads the NLU's training and held-out files (nlu/data, nlu/tests) without Rasa.

The bot's venv has no YAML library and does not need one: the files follow the
small format nlu/DATA.md fixes, read here line by line. Used by the evaluation
(scripts/nlu_eval.py), the benchmark and the tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.rasa_client import canonical_value
from bot.nlu.server import NLU_DIR

TESTS_DIR = NLU_DIR / "tests"
TRAINING_DIR = NLU_DIR / "data"
SITUATIONS = (
    "refused",
    "appeal_rights_exhausted",
    "detained",
    "delayed",
    "no_lawyer",
    "lawyer_unresponsive",
    "removal",
    "on_behalf",
)

_BLOCK = re.compile(r"^(?P<indent>\s*)- (?P<kind>intent|synonym|regex|lookup):\s*(?P<name>.*)$")
_LANGUAGE = re.compile(r"^\s+language:\s*['\"]?(?P<code>[\w-]+)")
_EXAMPLES = re.compile(r"^(?P<indent>\s*)examples:\s*\|")
_ITEM = re.compile(r"^\s*- (?P<text>.*\S)\s*$")
# [text](entity), [text](entity:value) and [text]{"entity": ..., "value": ...}
_MARKUP = re.compile(
    r"\[(?P<text>[^\]]+?)\]"
    r"(?:\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)|(?P<json>\{[^}]+?\}))"
)


# A held-out file's later batches each start with a comment such as
# "# Second batch (2026-11-26): ..." (nlu/DATA.md); the lines before the first are batch 1.
# The ordinal names the batch, so a file that only holds a later batch (Turkish and Welsh
# start at the fourth) is counted with that batch, not the second.
_BATCH_START = re.compile(r"^#\s*(?P<ordinal>\w+) batch\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9}


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str
    entities: tuple[tuple[str, str], ...] = ()  # (entity, canonical value)
    batch: int = 1  # which held-out batch it came in (training files: always 1)


def strip_markup(marked: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Plain text and its (entity, canonical value) pairs from Rasa's inline markup."""
    entities: list[tuple[str, str]] = []

    def plain(match: re.Match[str]) -> str:
        text = match["text"]
        if match["json"]:
            spec = json.loads(match["json"])
            entity, value = str(spec["entity"]), str(spec.get("value", text))
        else:
            entity, value = match["entity"].strip(), (match["value"] or text)
        entities.append((entity, canonical_value(entity, value)))
        return text

    return _MARKUP.sub(plain, marked), tuple(entities)


def read_examples(path: Path) -> list[Example]:
    """The intent examples of one Rasa NLU YAML file written as nlu/DATA.md says."""
    examples: list[Example] = []
    intent: str | None = None
    language = path.stem
    block_indent: int | None = None  # indentation of the open `examples: |` key
    batch = 1
    for line in path.read_text(encoding="utf-8").splitlines():
        if started := _BATCH_START.match(line):
            batch = _ORDINALS.get(started["ordinal"].lower(), batch + 1)
        indent = len(line) - len(line.lstrip())
        if block_indent is not None:
            if not line.strip():
                continue
            if indent > block_indent:
                item = _ITEM.match(line)
                if item and intent is not None:
                    text, entities = strip_markup(item["text"])
                    examples.append(Example(text.strip(), intent, language, entities, batch))
                continue
            block_indent = None
        if block := _BLOCK.match(line):
            intent = block["name"].strip().strip("'\"") if block["kind"] == "intent" else None
            language = path.stem
        elif found := _LANGUAGE.match(line):
            language = found["code"]
        elif opened := _EXAMPLES.match(line):
            block_indent = len(opened["indent"])
    return examples


def language_files(directory: Path = TESTS_DIR) -> list[Path]:
    """Every language file of a directory (nlu/tests by default; nlu/data works too)."""
    return sorted(directory.glob("*.yml"))


def atoms(intent: str | None) -> frozenset[str]:
    """The parts of a combined intent: "on_behalf+detained" -> {on_behalf, detained}."""
    return frozenset(intent.split("+")) if intent else frozenset()

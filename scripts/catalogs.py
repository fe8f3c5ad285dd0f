"""Catalog chores babel's CLI doesn't do: fill the English catalog, mark headers, report gaps.

    python scripts/catalogs.py english   # English msgstr = source text
    python scripts/catalogs.py headers   # every catalog says it is machine-drafted
    python scripts/catalogs.py check [LOCALE...]   # every rule of bot/catalog_rules.py
    python scripts/catalogs.py export LOCALE > x.json   # entries as JSON, for translating
    python scripts/catalogs.py import LOCALE x.json     # write translations back (by key)
    python scripts/catalogs.py init LOCALE...           # a new catalog from the template
    python scripts/catalogs.py blind LOCALE > x.json    # high-risk entries, translation only,
                                                        # for a blind back-translation
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.catalog_rules import problems

ROOT = Path(__file__).resolve().parent.parent / "translations"
DRAFTED = "machine-drafted, native review welcome"


def _catalogs() -> list[Path]:
    return sorted(ROOT.glob("*/LC_MESSAGES/messages.po"))


def _load(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def _save(path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, no_location=True,
                 sort_output=True)


def english() -> None:
    path = ROOT / "en/LC_MESSAGES/messages.po"
    catalog = _load(path)
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    _save(path, catalog)


def headers() -> None:
    for path in _catalogs():
        catalog = _load(path)
        locale = path.parent.parent.name
        catalog.header_comment = (
            f"# Raise My Case — {locale} catalog.\n# Translation status: {DRAFTED}.\n"
            "# Please open an issue or pull request with corrections.\n#")
        catalog.last_translator = f"Raise My Case maintainers ({DRAFTED})"
        catalog.language_team = f"{locale} ({DRAFTED})"
        _save(path, catalog)


def check(codes: list[str]) -> int:
    total = 0
    for code in codes or [path.parent.parent.name for path in _catalogs()]:
        found = problems(code)
        for problem in found:
            print(problem)
        print(f"{code}: {len(found)} problems")
        total += len(found)
    return 1 if total else 0


def export(code: str) -> None:
    entries = []
    for message in _load(ROOT / code / "LC_MESSAGES/messages.po"):
        if not message.id:
            continue
        plural = isinstance(message.id, tuple | list)
        entries.append({
            "key": message.context,
            "source": list(message.id) if plural else message.id,
            "translation": list(message.string) if plural else message.string,
        })
    json.dump(entries, sys.stdout, ensure_ascii=False, indent=1)


# Where a wrong word costs most: the situation buttons and notes, removal and its
# dates, consent, and anything about bail or appeal rights.
RISKY_PREFIXES = ("sit.", "note.", "removal", "when.", "consent.", "button.silence", "faq.",
                  "gender.", "forget.", "privacy.")
RISKY_WORDS = ("bail", "appeal rights", "removal", "deport", "fresh claim", "legal advice")


def blind(code: str) -> None:
    """The high-risk entries of a locale without their English, to back-translate."""
    entries = []
    for message in _load(ROOT / code / "LC_MESSAGES/messages.po"):
        source = " ".join(message.id) if isinstance(message.id, tuple) else message.id
        if not source:
            continue
        if message.context.startswith(RISKY_PREFIXES) or any(
                word in source.lower() for word in RISKY_WORDS):
            text = message.string
            entries.append({"key": message.context,
                            "translation": list(text) if isinstance(text, tuple) else text})
    json.dump(entries, sys.stdout, ensure_ascii=False, indent=1)


def import_(code: str, source: Path) -> None:
    path = ROOT / code / "LC_MESSAGES/messages.po"
    catalog = _load(path)
    given = {entry["key"]: entry["translation"]
             for entry in json.loads(source.read_text(encoding="utf-8"))}
    for message in catalog:
        if message.id and message.context in given:
            value = given[message.context]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
    _save(path, catalog)


def init(codes: list[str]) -> None:
    with (ROOT / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    for code in codes:
        path = ROOT / code / "LC_MESSAGES/messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=code, domain="messages", fuzzy=False)
        for message in template:
            if message.id:
                catalog.add(message.id, context=message.context)
        _save(path, catalog)
    headers()


if __name__ == "__main__":
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("check", [])
    if command == "english":
        english()
    elif command == "headers":
        headers()
    elif command == "export":
        export(args[0])
    elif command == "import":
        import_(args[0], Path(args[1]))
    elif command == "blind":
        blind(args[0])
    elif command == "init":
        init(args)
    else:
        sys.exit(check(args))

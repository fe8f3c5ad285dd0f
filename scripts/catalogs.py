"""Catalog chores babel's CLI doesn't do: fill the English catalog, mark headers, report gaps.

    python scripts/catalogs.py english   # English msgstr = source text
    python scripts/catalogs.py headers   # every catalog says it is machine-drafted
    python scripts/catalogs.py check     # untranslated / fuzzy counts per locale (exit 1 if any)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

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


def check() -> int:
    problems = 0
    for path in _catalogs():
        catalog = _load(path)
        missing = [m.id for m in catalog if m.id and not all(
            m.string if isinstance(m.string, tuple) else (m.string,))]
        fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
        print(f"{path.parent.parent.name}: {len(catalog)} messages, "
              f"{len(missing)} untranslated, {len(fuzzy)} fuzzy")
        problems += len(missing) + len(fuzzy)
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "english":
        english()
    elif command == "headers":
        headers()
    else:
        sys.exit(check())

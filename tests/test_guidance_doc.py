"""The guidance ids the code cites are explained, with sources, in docs/guidance.md.

The bot's texts, the tests and many comments are tagged with guidance ids: G1-G27
(points from the Right to Remain Toolkit page on politicians) and F1-F12 (facts from
other public sources). The repository has to explain itself: an id without an entry,
or an entry without a source, leaves a reader unable to check why the bot says what
it says, or whether a fact has gone stale.

An id counts as cited when it is a whole string literal (`_p(text, "G2")`) or a token
of a test name (`test_g8_g9_...`). Ids inside longer strings are ignored on purpose:
postcodes such as G51 4TB and scores such as "macro F1" are not guidance ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "guidance.md"
CODE_DIRS = ("flows", "bot", "tests", "scripts")

DEFINED = frozenset({f"G{n}" for n in range(1, 28)} | {f"F{n}" for n in range(1, 13)})

_LITERAL = re.compile(r"""["']([GF]\d{1,2})["']""")
_TEST_NAME = re.compile(r"\bdef (test_(?:[gf]\d{1,2}(?:_|\b))+)")
_NAME_TOKEN = re.compile(r"[gf]\d{1,2}")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$", re.MULTILINE)
_ENTRY_ID = re.compile(r"([GF]\d{1,2})\b")
_URL = re.compile(r"https?://[^\s<>()\]]+\.[^\s<>()\]]+")


def ids_cited_in(source: str) -> set[str]:
    """Guidance ids cited in one Python source text."""
    cited = set(_LITERAL.findall(source))
    for name in _TEST_NAME.findall(source):
        cited.update(token.upper() for token in _NAME_TOKEN.findall(name))
    return cited


def python_files() -> Iterator[Path]:
    """The repo's Python, except this file (its examples below are not citations)."""
    this = Path(__file__).resolve()
    for directory in CODE_DIRS:
        yield from (path for path in sorted((ROOT / directory).rglob("*.py"))
                    if path.resolve() != this)


def citations() -> dict[str, list[str]]:
    """Each cited id, with the files (relative to the repo root) that cite it."""
    found: dict[str, list[str]] = {}
    for path in python_files():
        for guidance_id in ids_cited_in(path.read_text(encoding="utf-8")):
            found.setdefault(guidance_id, []).append(str(path.relative_to(ROOT)))
    return found


def entries(text: str) -> dict[str, list[str]]:
    """Each entry's id, with the body of every heading that starts with that id.

    An entry is a Markdown heading starting with the id ("### G21 · Scotland");
    its body runs to the next heading of any level.
    """
    headings = list(_HEADING.finditer(text))
    found: dict[str, list[str]] = {}
    for index, heading in enumerate(headings):
        match = _ENTRY_ID.match(heading.group(1))
        if match is None:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        found.setdefault(match.group(1), []).append(text[heading.end():end])
    return found


@pytest.fixture(scope="module")
def documented() -> dict[str, list[str]]:
    assert DOC.is_file(), f"{DOC.relative_to(ROOT)} is missing"
    return entries(DOC.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("source", "expected"), [
    ('_p(t("x", "..."), "G2", "F5")', {"G2", "F5"}),
    ("assert any('F1' in r.guidance for r in wales)", {"F1"}),
    ('postcode = {Nation.SCOTLAND: "G51 4TB", "x": "G20 6LN"}', set()),
    ('"Situation macro F1: multi-label", "| intent | F1 |"', set()),
    ("def test_g8_g9_no_obligation() -> None:", {"G8", "G9"}),
    ("async def test_f5() -> None:", {"F5"}),
    ("def test_flows_data() -> None:  # (F10) in a comment", set()),
])
def test_citation_scanner_counts_ids_not_postcodes(source: str, expected: set[str]) -> None:
    assert ids_cited_in(source) == expected


def test_scanner_finds_citations_in_the_code() -> None:
    # Guards the other tests against passing because nothing was scanned.
    found = citations()
    assert "flows/advice.py" in found.get("G2", [])
    assert "tests/test_guidance.py" in found.get("G14", [])


def test_every_cited_id_has_an_entry(documented: dict[str, list[str]]) -> None:
    missing = {i: files for i, files in sorted(citations().items()) if i not in documented}
    assert not missing, f"cited in code but not explained in docs/guidance.md: {missing}"


def test_every_defined_id_has_an_entry(documented: dict[str, list[str]]) -> None:
    missing = sorted(DEFINED - documented.keys(), key=lambda i: (i[0], int(i[1:])))
    assert not missing, f"no entry in docs/guidance.md for {missing}"


def test_each_id_has_one_entry(documented: dict[str, list[str]]) -> None:
    repeated = sorted(i for i, bodies in documented.items() if len(bodies) > 1)
    assert not repeated, f"more than one entry for {repeated}"


def test_every_entry_names_a_source_url(documented: dict[str, list[str]]) -> None:
    unsourced = sorted(i for i, bodies in documented.items()
                       if not any(_URL.search(body) for body in bodies))
    assert not unsourced, f"entries without a source URL: {unsourced}"


def test_every_entry_says_where_the_code_carries_it(documented: dict[str, list[str]]) -> None:
    nowhere = sorted(i for i, bodies in documented.items()
                     if not any("Where:" in body for body in bodies))
    assert not nowhere, f"entries without a 'Where:' line: {nowhere}"

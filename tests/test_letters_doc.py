"""docs/letters.md is what the bot writes today: a reviewer never reads stale letters."""

from __future__ import annotations

from bot.letters_doc import DOC_PATH, EXAMPLES, render_letters


def test_docs_letters_is_up_to_date() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render_letters(), (
        "docs/letters.md is out of date: run `make letters`, read the letters that changed, "
        "and commit the file")


def test_the_reviewed_cases_cover_helpers_removal_and_every_nation() -> None:
    cases = [example.case for example in EXAMPLES]
    assert any(case.helping for case in cases) and any(case.urgent for case in cases)
    assert {case.nation for case in cases} >= {"england", "scotland", "wales", "northern_ireland"}
    assert {example.language for example in EXAMPLES} - {"en"}  # a translation is shown too

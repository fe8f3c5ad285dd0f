"""The gettext catalogs: complete, faithful to their placeholders, and used in every flow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import TRANSLATIONS_DIR, Renderer
from flows.case import Nation
from flows.events import IntentScore, NluResult
from flows.languages import LANGUAGES
from flows.representatives import Purpose
from tests.builders import centre, home, mp
from tests.conftest import Conversation

TRANSLATED = [lang.code for lang in LANGUAGES if lang.code != "en"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def load(code: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def test_template_matches_the_code() -> None:
    """Every message the code uses is in the template (run `make update-catalogs` if not)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fresh.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                        "--no-default-keywords", "-k", "t:1c,2", "-k", "gap:1c,2",
                        "-k", "tn:1c,2,3", "-F", "babel.cfg", "--no-location",
                        "-o", str(out), "."], check=True, cwd=TRANSLATIONS_DIR.parent)
        with out.open("rb") as handle:
            fresh = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
                     for m in read_po(handle) if m.id}
    english = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
               for m in load("en") if m.id}
    assert fresh - english == set(), "catalogs are behind the code"


@pytest.mark.parametrize("code", ["en", *TRANSLATED])
def test_catalog_is_complete_and_marked_machine_drafted(code: str) -> None:
    catalog = load(code)
    path = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
    assert "machine-drafted, native review welcome" in path.read_text(encoding="utf-8")
    missing = [m.context for m in catalog if m.id and not all(
        m.string if isinstance(m.string, tuple) else (m.string,))]
    fuzzy = [m.context for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code: str) -> None:
    for message in load(code):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            for form in message.string:
                assert set(PLACEHOLDER.findall(form)) <= wanted, message.context
        else:
            assert set(PLACEHOLDER.findall(message.string)) == set(
                PLACEHOLDER.findall(message.id)), message.context


def english_sentences() -> set[str]:
    """Source texts long enough that seeing one in another language's flow is a leak."""
    return {m.id for m in load("en") if isinstance(m.id, str) and len(m.id) > 12}


def full_journey(code: str) -> Conversation:
    talk = Conversation(language=code, results=(
        centre("RH6 0PQ", mp("Centre Member", "Crawley")),
        home("B12 9QJ", Nation.ENGLAND, mp("Alex Example", "Birmingham"), purpose=Purpose.HOME),
    )).begin("other")
    talk.press("rel:brother")
    talk.say("x", NluResult((IntentScore("detained+removal", 0.9),)))
    talk.press("confirm:yes")
    talk.press("centre:brook_house")
    talk.press("when:72h")
    talk.press("lawyer:no")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    for extra in ("more:who_else", "more:tips", "more:petition", "more:silent"):
        talk.press(extra)
    for kind in ("helper_mp", "consent", "centre_mp", "councillor", "community"):
        talk.press(f"draft:{kind}")
    return talk


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_english_sentence_in_a_translated_flow(code: str) -> None:
    talk = full_journey(code)
    renderer = Renderer(code)
    shown = talk.text()
    # The English letters are meant to be English: leave them out of the check.
    for draft in talk.drafts():
        for paragraph in draft.draft.paragraphs:
            shown = shown.replace(Renderer("en").render(paragraph), "")
    leaked = [s for s in english_sentences() if s in shown]
    assert leaked == [], leaked[:5]
    assert renderer.rtl == (code in ("ar", "fa"))

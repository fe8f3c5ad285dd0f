"""The gettext catalogs: complete, true to placeholders and glossary, used in every flow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.bidi import without_direction_marks
from bot.catalog_rules import (
    completeness,
    english_left,
    glossary,
    glossary_is_one_to_one,
    glossary_use,
    header,
    load_catalog,
    placeholders,
    terms,
)
from bot.i18n import TRANSLATIONS_DIR, Renderer, choose_gender_variants
from bot.review_doc import render_review
from flows.case import Nation
from flows.events import IntentScore, NluResult
from flows.languages import LANGUAGES, LANGUAGES_BY_CODE
from flows.representatives import Purpose
from flows.text import Msg
from tests.builders import centre, home, mp
from tests.conftest import Conversation

TRANSLATED = [lang.code for lang in LANGUAGES if lang.code != "en"]


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
               for m in load_catalog("en") if m.id}
    assert fresh - english == set(), "catalogs are behind the code"


def test_every_interface_language_has_a_catalog() -> None:
    found = {path.parent.parent.name for path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po")}
    assert found == set(LANGUAGES_BY_CODE)


@pytest.mark.parametrize("code", ["en", *TRANSLATED])
def test_catalog_is_complete_and_marked_machine_drafted(code: str) -> None:
    catalog = load_catalog(code)
    path = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
    assert [*header(code, path), *completeness(code, catalog)] == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder_and_write_gender_choices_fully(code: str) -> None:
    assert list(placeholders(code, load_catalog(code))) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_entry_is_left_in_english(code: str) -> None:
    assert list(english_left(code, load_catalog(code))) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_legal_terms_follow_the_glossary_and_no_word_serves_two_terms(code: str) -> None:
    assert {term.key for term in terms()} <= set(glossary(code))
    assert list(glossary_is_one_to_one(code)) == []
    assert list(glossary_use(code, load_catalog(code))) == []


def test_the_glossary_check_catches_a_drifting_term() -> None:
    """The rule itself: a catalog that renders "bail" by another word is caught."""
    catalog = load_catalog("fr")
    word = glossary("fr")["bail"].forms
    drifting = next(m for m in catalog if m.id and "bail" in str(m.id).lower())
    original = drifting.string
    try:
        text = original if isinstance(original, str) else original[0]
        for form in word:
            text = text.replace(form, "caution").replace(form.capitalize(), "caution")
        drifting.string = text
        assert any("bail" in problem for problem in glossary_use("fr", catalog))
    finally:
        drifting.string = original


def test_gender_choices_pick_the_persons_form_and_never_a_man_by_default() -> None:
    template = "أنا {g:f=محتجزة|m=محتجز|x=محتجز/ة} في {centre}"
    assert choose_gender_variants(template, "f") == "أنا محتجزة في {centre}"
    assert choose_gender_variants(template, "m") == "أنا محتجز في {centre}"
    assert choose_gender_variants(template, "x") == "أنا محتجز/ة في {centre}"


def english_sentences() -> set[str]:
    """Source texts long enough that seeing one in another language's flow is a leak (a
    legal term the glossary keeps beside its translation, "(Home Secretary)", is not)."""
    kept = {term.english.casefold() for term in terms()}
    return {m.id for m in load_catalog("en") if isinstance(m.id, str) and len(m.id) > 12
            and m.id.casefold() not in kept}


def helper_journey(code: str) -> Conversation:
    talk = Conversation(language=code, results=(
        centre("RH6 0PQ", mp("Centre Member", "Crawley")),
        home("B12 9QJ", Nation.ENGLAND, mp("Alex Example", "Birmingham"), purpose=Purpose.HOME),
    )).begin("other")
    talk.press("rel:sister")
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
    talk.press("draft:native.helper_mp")
    return talk


def self_journey(code: str) -> Conversation:
    talk = Conversation(language=code, results=(
        home("EH1 1YZ", Nation.SCOTLAND, mp("Sam Example", "Edinburgh East"),
             purpose=Purpose.HOME),)).begin()
    talk.say("x", NluResult((IntentScore("delayed", 0.9),)))
    talk.press("confirm:yes")
    talk.press("wait:gt2y")
    talk.press("lawyer:yes")
    if LANGUAGES_BY_CODE[code].first_person_gendered:
        talk.press("gender:f")
    talk.say("EH1 1YZ")
    talk.press("own:skip")
    talk.press("draft:mp_case")
    return talk


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_english_sentence_in_a_translated_flow(code: str) -> None:
    for talk in (helper_journey(code), self_journey(code)):
        shown = talk.text()
        # The English letters are meant to be English: leave them out of the check.
        for draft in talk.drafts():
            if not draft.native:
                for paragraph in draft.draft.paragraphs:
                    shown = shown.replace(Renderer("en").render(paragraph), "")
        leaked = [s for s in english_sentences() if s in shown]
        assert leaked == [], leaked[:5]
    assert Renderer(code).rtl == LANGUAGES_BY_CODE[code].rtl


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_screen_and_letter_renders_whole_for_every_kind_of_person(code: str) -> None:
    """What `make review` shows: no placeholder or gender choice left unresolved; and the
    letters about a sister and about a brother differ beyond the word for the relative
    exactly when the locale's catalog carries gender choices."""
    text = render_review(code)
    assert re.search(r"\{(g:|\w+\})", text) is None

    words = [without_direction_marks(Renderer(code).render(Msg(key, source)))
             for key, source in (("relp.sister", "my sister"), ("relp.brother", "my brother"))]

    def about(relative: str) -> str:
        section = text.split(f"### a helper writing about a {relative}", 1)[1]
        parts = section.split("### a helper", 1)[0].split("<details>")
        letters = "".join(part.split("</details>", 1)[-1] for part in parts)
        for word in sorted(words, key=len, reverse=True):
            letters = letters.replace(word, "RELATIVE")
        return letters

    # Every locale with gender choices has some in the letters a helper gets (the consent
    # letter the person signs, the lines about them); the others must not differ at all.
    chosen = any("{g:" in str(m.string) for m in load_catalog(code) if m.id)
    assert (about("sister") != about("brother")) == chosen

"""What a translated catalog must satisfy, for `scripts/catalogs.py check` and the tests.

Each rule returns readable problems ("ar draft.me.detained: placeholder {centre} lost")
so a translator can fix them one by one. The glossary rule keeps legal terms steady:
a source term is always rendered by its glossary word (one of its accepted forms),
with the English term beside it where the glossary says so, and no glossary word
serves two terms (Tigrinya once used one word for "removal" and "reply").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n import GENDER_SELECT, TRANSLATIONS_DIR

DRAFTED = "machine-drafted, native review welcome"
GLOSSARY_DIR = TRANSLATIONS_DIR / "glossary"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
_LATIN_WORDS = re.compile(r"[A-Za-z]{3,}(?: +[A-Za-z]{2,})+")


@dataclass(frozen=True)
class Term:
    key: str
    english: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Rendering:
    word: str
    english: bool  # the English term stays beside the word, in brackets
    forms: tuple[str, ...]  # what counts as the word inside a sentence (inflections)
    exempt: dict[str, str] = field(default_factory=dict)  # msgctxt -> why not here


def load_catalog(code: str) -> Catalog:
    with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def terms() -> list[Term]:
    """The English legal terms, longest first (so "fresh claim" is seen before "claim")."""
    data = yaml.safe_load((GLOSSARY_DIR / "terms.yml").read_text(encoding="utf-8"))
    found = [Term(key, spec["english"], re.compile(spec["match"], re.IGNORECASE
                                                    if spec.get("ignore_case", True) else 0))
             for key, spec in data.items()]
    return sorted(found, key=lambda term: -len(term.english))


def glossary(code: str) -> dict[str, Rendering]:
    path = GLOSSARY_DIR / f"{code}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {key: Rendering(str(spec["word"]), bool(spec.get("english", False)),
                           tuple(str(f) for f in spec.get("forms") or (spec["word"],)),
                           dict(spec.get("exempt") or {}))
            for key, spec in data.items()}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _sources(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def completeness(code: str, catalog: Catalog) -> Iterator[str]:
    for message in catalog:
        if not message.id:
            continue
        if not all(_strings(message)):
            yield f"{code} {message.context}: untranslated"
        if message.fuzzy:
            yield f"{code} {message.context}: fuzzy"


def placeholders(code: str, catalog: Catalog) -> Iterator[str]:
    """The same {names} as the source; a plural form may leave out {n} ("شهران")."""
    for message in catalog:
        if not message.id:
            continue
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in _sources(message)))
        plural = isinstance(message.id, tuple | list)
        for text in _strings(message):
            if "{g:" in text and len(GENDER_SELECT.findall(text)) != text.count("{g:"):
                yield f"{code} {message.context}: malformed {{g:f=…|m=…|x=…}}"
                continue
            for select in GENDER_SELECT.finditer(text):
                if sorted(re.findall(r"(?:^|\|)([fmx])=", select.group(1))) != ["f", "m", "x"]:
                    yield f"{code} {message.context}: a gender choice needs f=, m= and x="
            found = set(PLACEHOLDER.findall(GENDER_SELECT.sub("", text)))
            if found - wanted or (not plural and wanted - found):
                yield (f"{code} {message.context}: placeholders {sorted(found)} "
                       f"instead of {sorted(wanted)}")


def english_left(code: str, catalog: Catalog) -> Iterator[str]:
    """A translation identical to a source sentence is English left in the flow."""
    if code == "en":
        return
    for message in catalog:
        if not message.id:
            continue
        for source, text in zip(_sources(message), _strings(message), strict=False):
            if text and text == source and _LATIN_WORDS.search(PLACEHOLDER.sub("", source)):
                yield f"{code} {message.context}: still the English text"


def glossary_use(code: str, catalog: Catalog) -> Iterator[str]:
    if code == "en":
        return
    renderings = glossary(code)
    every = terms()
    for term in every:
        if term.key not in renderings:
            yield f"{code} glossary: no word for '{term.english}'"
    for message in catalog:
        if not message.id:
            continue
        # A placeholder's name ("{lawyer}") is no word of the sentence.
        source = PLACEHOLDER.sub(" ", " ".join(_sources(message)))
        texts = [_fold(text) for text in _strings(message)]
        for term in every:
            rendering = renderings.get(term.key)
            if rendering is None or not term.pattern.search(source):
                continue
            # A longer term ("appeal rights exhausted") takes its words out of the source,
            # so the shorter one inside it ("appeal") is not asked for again.
            source = term.pattern.sub(" ", source)
            joined = " ".join(texts)
            missing = []
            if not any(_fold(form) in joined for form in rendering.forms):
                missing.append(f"'{term.english}' is not rendered as '{rendering.word}'")
            if rendering.english and _fold(term.english) not in joined:
                missing.append(f"'{term.english}' should stay in brackets")
            if message.context in rendering.exempt:
                if not missing:
                    yield f"{code} {message.context}: exempt from '{term.english}' for nothing"
                continue
            for problem in missing:
                yield f"{code} {message.context}: {problem}"
    for context in _unused_exemptions(catalog, renderings, every):
        yield f"{code} {context}: exempt from a term its English does not use"


def _unused_exemptions(catalog: Catalog, renderings: dict[str, Rendering],
                       every: list[Term]) -> Iterator[str]:
    """Exemptions whose entry's English (placeholders aside) never names the term."""
    sources = {m.context: PLACEHOLDER.sub(" ", " ".join(_sources(m))) for m in catalog if m.id}
    for term in every:
        rendering = renderings.get(term.key)
        for context in rendering.exempt if rendering else {}:
            if context not in sources or not term.pattern.search(sources[context]):
                yield f"{context} ({term.key})"


def glossary_is_one_to_one(code: str) -> Iterator[str]:
    if code == "en":
        return
    renderings = glossary(code)
    seen: dict[str, str] = {}
    for key, rendering in renderings.items():
        word = _fold(rendering.word)
        if word in seen:
            yield f"{code} glossary: '{rendering.word}' serves both {seen[word]} and {key}"
        seen[word] = key
    for key, rendering in renderings.items():
        for other, theirs in renderings.items():
            if other != key and _fold(rendering.word) in {_fold(f) for f in theirs.forms}:
                yield f"{code} glossary: '{rendering.word}' ({key}) is also a form of {other}"


def header(code: str, path: Path) -> Iterator[str]:
    if DRAFTED not in path.read_text(encoding="utf-8").split("msgid", 1)[0]:
        yield f"{code}: header does not say '{DRAFTED}'"


def problems(code: str) -> list[str]:
    catalog = load_catalog(code)
    path = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
    found = [*header(code, path), *completeness(code, catalog), *placeholders(code, catalog),
             *english_left(code, catalog)]
    if code != "en" and (GLOSSARY_DIR / f"{code}.yml").exists():
        found += [*glossary_use(code, catalog), *glossary_is_one_to_one(code)]
    elif code != "en":
        found.append(f"{code}: no glossary file translations/glossary/{code}.yml")
    return found

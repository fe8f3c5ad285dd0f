"""The languages the bot speaks, and how a person's language is recognised."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # gettext locale code
    native_name: str  # shown on the language button, in the language itself
    rtl: bool = False
    # Words people type to ask for this language (folded to lower case).
    names: tuple[str, ...] = ()


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", names=("english", "inglizi", "انگلیسی", "انجليزي", "እንግሊዝኛ")),
    Language("ar", "العربية", rtl=True,
             names=("arabic", "arabi", "عربي", "العربية", "عربى", "عربی", "ዓረብኛ")),
    Language("fa", "فارسی", rtl=True,
             names=("farsi", "persian", "dari", "فارسی", "فارسي", "دری", "ፋርስኛ")),
    Language("ti", "ትግርኛ", names=("tigrinya", "tigrigna", "ትግርኛ", "تغرينية")),
)

LANGUAGES_BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}
DEFAULT_LANGUAGE = "en"


def supported(code: str | None) -> str | None:
    """'ar-SA', 'AR' or 'prs' -> the locale we have for it, or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    # Dari is written much like Persian: a Dari speaker reads the Persian catalog.
    base = {"prs": "fa", "fa": "fa"}.get(base, base)
    return base if base in LANGUAGES_BY_CODE else None


def language_named_in(text: str) -> str | None:
    """The language a person asks for by name ("arabic please", "فارسی")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    for lang in LANGUAGES:
        if any(name in folded for name in lang.names) or folded.strip() == lang.code:
            return lang.code
    return None


# Languages people write in (the NLU reads them, nlu/DATA.md) that the interface does not
# speak yet: named, they get a word about it instead of the same picker again.
NOT_YET_SPOKEN: tuple[str, ...] = (
    "somali", "soomaali", "af-soomaali", "pashto", "پښتو", "urdu", "اردو", "kurdish",
    "sorani", "کوردی", "kurdî", "amharic", "አማርኛ", "bengali", "bangla", "বাংলা",
    "vietnamese", "tiếng việt", "tieng viet", "albanian", "shqip", "french", "français",
    "ukrainian", "українська", "turkish", "türkçe", "welsh", "cymraeg",
)


def names_a_language_not_spoken(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return any(name in folded for name in NOT_YET_SPOKEN)


"""The languages the bot speaks, and how a person's language is recognised."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babel import negotiate_locale


@dataclass(frozen=True)
class Language:
    code: str  # gettext locale code (and CLDR locale, for dates and plurals)
    native_name: str  # shown on the language button, in the language itself
    rtl: bool = False
    # Words people type to ask for this language (folded to lower case).
    names: tuple[str, ...] = ()
    # Letters in the first person agree with the writer's gender in this language
    # ("je suis détenu / détenue", "أنا محتجز / محتجزة"), so a person writing for
    # themselves is asked, with one tap, how the letter should speak of them.
    first_person_gendered: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", names=("english", "inglizi", "انگلیسی", "انجليزي", "እንግሊዝኛ",
                                     "anglais", "англійська", "ingilizce", "saesneg")),
    Language("ar", "العربية", rtl=True, first_person_gendered=True,
             names=("arabic", "arabi", "عربي", "العربية", "عربى", "عربی", "ዓረብኛ")),
    Language("fa", "فارسی / دری", rtl=True,
             names=("farsi", "persian", "dari", "فارسی", "فارسي", "دری", "ፋርስኛ")),
    Language("ps", "پښتو", rtl=True, first_person_gendered=True,
             names=("pashto", "pushto", "pashtu", "پښتو", "پشتو")),
    Language("ur", "اردو", rtl=True, first_person_gendered=True,
             names=("urdu", "اردو")),
    Language("ckb", "کوردی (سۆرانی)", rtl=True,
             names=("kurdish", "sorani", "kurdi", "کوردی", "كوردی", "کوردى", "kurdî", "سۆرانی")),
    Language("ti", "ትግርኛ", names=("tigrinya", "tigrigna", "ትግርኛ", "تغرينية")),
    Language("am", "አማርኛ", names=("amharic", "amarigna", "አማርኛ")),
    Language("so", "Soomaali", names=("somali", "soomaali", "af-soomaali", "af soomaali")),
    Language("bn", "বাংলা", names=("bengali", "bangla", "বাংলা")),
    Language("vi", "Tiếng Việt", names=("vietnamese", "tiếng việt", "tieng viet")),
    Language("sq", "Shqip", first_person_gendered=True, names=("albanian", "shqip")),
    Language("fr", "Français", first_person_gendered=True,
             names=("french", "français", "francais")),
    Language("uk", "Українська", first_person_gendered=True,
             names=("ukrainian", "українська", "украинский", "ukrainska")),
    Language("tr", "Türkçe", names=("turkish", "türkçe", "turkce")),
    Language("cy", "Cymraeg", names=("welsh", "cymraeg")),
)

LANGUAGES_BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}
DEFAULT_LANGUAGE = "en"

# The picker's first page: the languages most people who write to the bot read (the
# rest are one tap away on "More languages"), so the buttons fit a small screen.
FIRST_PAGE: tuple[str, ...] = ("en", "ar", "fa", "ti", "ps", "ur", "ckb", "so")


def language_named_in(text: str) -> str | None:
    """The language a person asks for by name ("arabic please", "فارسی")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    for lang in LANGUAGES:
        if any(name in folded for name in lang.names) or folded.strip() == lang.code:
            return lang.code
    return None


# Language subtags that mean one of ours under another name. Kurdish ("ku") is read as
# Sorani: most Kurdish speakers who seek asylum in the UK come from Iraq and Iran and
# read Sorani's Arabic script; anyone else picks another language with one tap.
_ALIASES: dict[str, str] = {
    "prs": "fa",  # Dari reads the Persian catalog (the picker says "فارسی / دری")
    "ku": "ckb",
    "pbt": "ps", "pbu": "ps", "pst": "ps",  # Pashto's regional codes
    "tir": "ti", "amh": "am", "som": "so", "sqi": "sq", "alb": "sq", "fas": "fa", "per": "fa",
    "ara": "ar", "urd": "ur", "ben": "bn", "vie": "vi", "fra": "fr", "fre": "fr", "ukr": "uk",
    "tur": "tr", "cym": "cy", "wel": "cy", "eng": "en",
}
_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


def supported(code: object) -> str | None:
    """A Telegram `language_code` ('ps-AF', 'prs', 'AR') -> the locale we speak, or None.

    Anything malformed (not a BCP 47-looking tag) is None, never an error.
    """
    if not isinstance(code, str) or not _TAG.fullmatch(code.strip()):
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    base = _ALIASES.get(base, base)
    return negotiate_locale([base], list(LANGUAGES_BY_CODE), sep="-", aliases={})


# Languages people may ask for that the interface does not speak: named, they get a word
# about it and the picker, not the same question again.
NOT_YET_SPOKEN: tuple[str, ...] = (
    "oromo", "oromoo", "kurmanji", "kurmancî", "tigre", "dinka", "nuer", "hindi", "punjabi",
    "spanish", "español", "portuguese", "português", "chinese", "russian", "русский", "lingala",
    "swahili", "hausa", "yoruba", "igbo", "tamil", "sinhala", "georgian", "romanian",
)


def names_a_language_not_spoken(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return any(name in folded for name in NOT_YET_SPOKEN)

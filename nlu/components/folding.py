"""Folds the spelling variants phone keyboards produce into one form, for features.

The same word reaches us in several byte sequences: Vietnamese and French with or
without accents, Arabic alef with or without its hamza, Persian and Urdu written
on an Arabic keyboard (ي for ی, ك for ک), Persian with or without the zero-width
non-joiner, Arabic with tatweel or short-vowel marks. The model's character
n-grams see each variant as a different string; folding gives them one.

Only marks that spelling on a phone leaves out are removed: combining marks on
Latin letters and the Arabic short vowels and hamza marks. Vowel signs of
Bengali, Ge'ez or Cyrillic letters are letters there, and are kept.
Stdlib only: imported by the Rasa component and by the bot's tests.
"""

from __future__ import annotations

import unicodedata

# Arabic-keyboard letters and their Persian/Urdu twins, and Urdu's heh goal.
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Farsi yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf → keheh
        "ہ": "ه",  # Urdu heh goal → heh
        "ۀ": "ه",  # heh with yeh above
        "ة": "ه",  # teh marbuta, often typed as heh
        "đ": "d",  # Vietnamese d-bar has no decomposition
        "Đ": "d",
        "ı": "i",  # Turkish dotless i: phones without a Turkish keyboard type "i"
        "İ": "i",
        "ـ": None,  # tatweel (stretching), pure decoration
        "\u200c": None,  # zero-width non-joiner: Persian typed with or without it
        "\u200d": None,  # zero-width joiner
        "\u200f": None,  # right-to-left mark
        "\u200e": None,  # left-to-right mark
    }
)

# Harakat, shadda, sukun, superscript alef and the hamza above/below that NFKD
# splits off أ إ ؤ ئ.
_ARABIC_MARKS = range(0x064B, 0x0660)


def _is_latin(character: str) -> bool:
    # "" when a mark opens the text (a stray accent, a Bengali vowel sign after a typo'd space)
    return bool(character) and unicodedata.name(character, "").startswith("LATIN")


def fold(text: str) -> str:
    """One spelling for the variants above; the same length is not promised."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    base = ""
    for character in decomposed:
        if unicodedata.combining(character):
            if ord(character) in _ARABIC_MARKS or ord(character) == 0x0670:
                continue
            if _is_latin(base):
                continue
        else:
            base = character
        kept.append(character)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_LETTERS).casefold()

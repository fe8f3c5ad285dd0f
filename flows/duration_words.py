"""The words for "year" and "month" in every language we speak, from CLDR (babel).

A wait typed as "3 سال", "2 yıl", "18 mis", "3 blynedd" or "4 ወራት" is read with the
unit names CLDR gives each locale for durations (long, short and narrow forms, every
plural form), so no language's list is written by hand. CLDR has no Sorani names, so
those two words are added. Words of one or two Latin letters are left out ("y",
"an", "bl"), and so are single letters of any script: typed, they mean other things
too often.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from flows.languages import LANGUAGES

# Not in CLDR's Sorani data, which has only the placeholder "{0} y".
_MISSING = {"ckb": {"duration-year": ("ساڵ", "ساڵە", "ساڵه"),
                    "duration-month": ("مانگ", "مانگە", "مانگه")}}
_SHORT_LATIN = re.compile(r"^[a-z]{1,2}\.?$")


def _unit_words(unit: str) -> frozenset[str]:
    words: set[str] = set()
    for language in LANGUAGES:
        patterns = Locale.parse(language.code)._data["unit_patterns"].get(unit, {})
        for width in patterns.values():
            for form, pattern in width.items():
                # "per year" is no duration; a pattern without {0} ("سنة واحدة", one
                # year) holds a number word, not only the unit.
                if form == "per" or "{0}" not in pattern:
                    continue
                for word in re.findall(r"[^\W\d_]+\.?", pattern.replace("{0}", " ")):
                    folded = word.casefold().rstrip(".")
                    if len(folded) > 1 and not _SHORT_LATIN.match(folded):
                        words.add(folded)
        words.update(_MISSING.get(language.code, {}).get(unit, ()))
    return frozenset(words)


@lru_cache(maxsize=1)
def year_words() -> frozenset[str]:
    return _unit_words("duration-year") | {"yr", "yrs"}


@lru_cache(maxsize=1)
def month_words() -> frozenset[str]:
    return _unit_words("duration-month") | {"mth", "mths"}

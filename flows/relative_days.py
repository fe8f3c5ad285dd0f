"""Today, tomorrow and the day after, as people write them, from CLDR through babel.

dateparser reads "tomorrow" in many languages but not "the day after tomorrow" in
most of ours (Persian "پس‌فردا", Albanian "pasnesër"), and that is exactly what
someone with removal directions types. CLDR's relative day names cover it for
most languages; babel ships them, though only in its locale data (no public
accessor), so a test pins what we rely on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

from babel import Locale
from babel.core import UnknownLocaleError

from flows.folding import without_marks

_PUNCTUATION = re.compile(r"[^\w\s\u200c]")
# What people wrote to us that CLDR does not have (its Albanian stops at "nesër").
_NOT_IN_CLDR = {"pasnesër": 2}


def fold(text: str) -> str:
    """Lower case, no accents or vowel marks, one spelling of spaces and joiners."""
    return " ".join(re.sub(r"[\u200c\u200d]", " ", without_marks(text)).split())


@cache
def future_day_words(languages: tuple[str, ...]) -> dict[str, int]:
    """Folded word -> days from today (0, 1, 2) for today / tomorrow / the day after."""
    words: dict[str, int] = {}
    for code in languages:
        try:
            relative = Locale.parse(code)._data["date_fields"]["day"]["relative"]
        except (UnknownLocaleError, KeyError, ValueError):
            continue
        for offset, word in relative.items():
            if 0 <= int(offset) <= 2:
                words[fold(word)] = int(offset)
    words.update({fold(word): offset for word, offset in _NOT_IN_CLDR.items()})
    return words


def relative_day(text: str, today: date, languages: Iterable[str]) -> date | None:
    """The day a short answer names by a word such as "pasnesër" or "پس فردا", else None.

    Only an answer that is the word alone counts: in "not today" or "maybe tomorrow"
    the word is not the answer, and a letter must not state a guessed date.
    """
    answer = fold(_PUNCTUATION.sub(" ", text))
    words = future_day_words(tuple(languages))
    offset = words.get(answer)
    if offset is None:  # "پسفردا", "پس فردا" and "پس‌فردا" are one word
        offset = next((o for w, o in words.items() if w.replace(" ", "") == answer), None)
    return today + timedelta(days=offset) if offset is not None else None


def take_day_words(text: str, today: date, languages: Iterable[str]) -> tuple[set[date], str]:
    """Tomorrow and the day after, wherever a longer message names them as whole words,
    and the message without them (for dateparser to read the rest).

    Longer words first, and each found is blanked out: "پس فردا" (the day after
    tomorrow) is not also "فردا" (tomorrow).
    """
    folded = " " + fold(_PUNCTUATION.sub(" ", text)) + " "
    days = set()
    words = future_day_words(tuple(languages))
    for word in sorted(words, key=len, reverse=True):
        if words[word] > 0 and f" {word} " in folded:
            days.add(today + timedelta(days=words[word]))
            folded = folded.replace(f" {word} ", "  ")
    return days, " ".join(folded.split())

"""Reading short answers: yes and no in several languages, durations, what the NLU implies."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from flows.case import Situation
from flows.duration_words import month_words, year_words
from flows.events import NluResult
from flows.relative_days import relative_day, take_day_words
from flows.steps import Config

SITUATION_INTENTS = {s.value: s for s in Situation}


def confident_intent(nlu: NluResult | None, config: Config) -> str | None:
    """The top intent when the NLU is sure enough of it, else None."""
    top = nlu.top if nlu else None
    if top is None or top.confidence < config.confidence_threshold:
        return None
    return top.name


YES_WORDS = {"yes", "y", "yeah", "yep", "ok", "okay", "نعم", "اي", "ايوه", "آره", "بله", "اره",
             "እወ", "እዋ", "ሕራይ", "1"}
NO_WORDS = {"no", "n", "nope", "لا", "نه", "خیر", "ኣይፋል", "ኣይ", "2"}


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


# A yes or no word counts only in a short answer: "no sorry, my husband is detained" is a
# correction to read, not a No.
_SHORT_ANSWER_WORDS = 3


def is_yes(text: str, nlu: NluResult | None, config: Config) -> bool:
    return confident_intent(nlu, config) == "affirm" or _short_answer(text, YES_WORDS)


def is_no(text: str, nlu: NluResult | None, config: Config) -> bool:
    return confident_intent(nlu, config) == "deny" or _short_answer(text, NO_WORDS)


def _short_answer(text: str, vocabulary: set[str]) -> bool:
    said = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
    return 0 < len(said) <= _SHORT_ANSWER_WORDS and bool(set(said) & vocabulary)


def opens_with_no(text: str) -> bool:
    """ "no, not me…", "لا، أخي…": the message corrects what was understood."""
    said = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
    return bool(said) and said[0] in NO_WORDS | {"not", "sorry", "actually"}


def looks_like_a_situation(nlu: NluResult | None, config: Config) -> bool:
    """Any situation among the top intents — low confidence still gets a confirm question."""
    if nlu is None or nlu.top is None:
        return False
    return any(part in SITUATION_INTENTS or part == "on_behalf"
               for part in nlu.top.name.split("+")) and nlu.top.confidence >= 0.25


def names_relationship(nlu: NluResult | None) -> bool:
    return nlu is not None and nlu.entity("relationship") is not None


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Beside CLDR's duration words (flows/duration_words.py): forms people type that CLDR
# doesn't list as units.
_YEAR_WORDS = frozenset({"سنين", "عام", "اعوام", "أعوام", "سنه"})
_MONTH_WORDS = frozenset({"اشهر", "شهور"})


# Number words people type for a wait ("three years", "a year"); other languages'
# number words are for the catalogs' languages to add (issue 12).
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12, "eighteen": 18, "twenty": 20}
# "Since 2022" in the languages we speak: a word before the date, or after it.
_SINCE = re.compile(
    r"^\s*(?:since|from|منذ|از|ካብ|depuis|ers|від|з|që nga|qe nga|tan iyo|từ|له|لە|ከ)\s+"
    r"|\s+(?:beri|den beri|dan beri|سے|راهیسې|ەوە|ጀምሮ|থেকে)\s*$",
    re.IGNORECASE)
# Turkish and Sorani join "since" to the year: "2022'den", "2022ەوە".
_SINCE_ENDING = re.compile(r"(?<=\d)(?:['’]?(?:den|dan|ten|tan)|ەوە)\b")


def parse_duration_months(text: str, today: date | None = None) -> int | None:
    """'3 years' -> 36, 'three years' -> 36, '٣ سنوات' -> 36, 'since 2022' -> the months
    since then (with `today`); None when unclear."""
    normal = unicodedata.normalize("NFKC", text).translate(_DIGITS).casefold()
    if today is not None and _SINCE.search(normal):
        return _months_since(_SINCE_ENDING.sub("", _SINCE.sub("", normal)).strip(), today)
    match = re.search(r"(\d{1,3})", normal)
    if match is not None:
        number = int(match.group(1))
    else:
        number_word = _number_word_before_unit(normal)
        if number_word is None:
            return None
        number = _NUMBER_WORDS[number_word]
    tokens = set(re.findall(r"[^\W\d_]+", normal))
    if tokens & (year_words() | _YEAR_WORDS):
        months = number * 12
    elif tokens & (month_words() | _MONTH_WORDS):
        months = number
    else:
        return None
    return months if 0 < months <= 600 else None


def _number_word_before_unit(text: str) -> str | None:
    """The one number word right before "years"/"months"; a compound ("twenty one",
    "twenty-one") or a loose "a" ("a long time, years") is left unread."""
    tokens = re.findall(r"[\w-]+", text)
    for i, token in enumerate(tokens):
        if token.rstrip("s") not in ("year", "month") or i == 0:
            continue
        word = tokens[i - 1]
        before = tokens[i - 2] if i >= 2 else ""
        if word in _NUMBER_WORDS and before not in _NUMBER_WORDS:
            return word
    return None


def _months_since(when: str, today: date) -> int | None:
    """Whole months from a month ("March 2023") or a year ("2022") to today."""
    found = DateDataParser(languages=_DATE_LANGUAGES, settings={
        "PREFER_DATES_FROM": "past", "RELATIVE_BASE": datetime.combine(today, time())},
    ).get_date_data(when)
    if found.date_obj is None or found.period not in ("month", "year"):
        return None
    start = found.date_obj.date()
    months = (today.year - start.year) * 12 + (
        0 if found.period == "year" else today.month - start.month)
    return months if 0 < months <= 600 else None


# The languages the NLU reads (nlu/DATA.md) as dateparser and CLDR know them. Naming
# them keeps a word that is no date from a slow search through every language.
_DATE_LANGUAGES = ["en", "ar", "fa", "ps", "ur", "ckb", "ti", "am", "bn", "vi", "sq", "fr",
                   "uk", "so", "tr", "cy"]
_LATEST_REMOVAL_DAYS = 366


def find_removal_day(text: str, today: date) -> date | None:
    """The one removal day a longer message names ("flight on friday 11 december"), else None.

    Conservative, because a wrong date in a letter is worse than one more question:
    each date dateparser finds in the text must read as a day on its own, a short word
    ("me", a weekday in no language the person used) or "now" does not count, and two
    different days mean no answer.
    """
    if not re.search(r"\w", text):
        return None
    # "per pasnesër": CLDR's words first (dateparser lacks most "day after tomorrow"s).
    days, rest = take_day_words(text, today, _DATE_LANGUAGES)
    try:
        found = search_dates(rest if days else text, languages=_DATE_LANGUAGES, settings={
            "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY",
            "RELATIVE_BASE": datetime.combine(today, time())}) or []
    except (ValueError, OverflowError, TypeError):  # dateparser raises on odd inputs
        return None
    for phrase, _ in found:
        phrase = phrase.strip()
        letters = sum(ch.isalpha() for ch in phrase)
        if not re.search(r"\d", phrase) and letters < 4:
            continue
        day = parse_removal_day(phrase, today)
        if day is not None and day != today:  # "now", "and now": not a removal day
            days.add(day)
    return days.pop() if len(days) == 1 else None


def parse_removal_day(text: str, today: date) -> date | None:
    """A typed removal date ("Friday", "14 March", "14/3", "الجمعة") as a day, else None.

    Only a day from today to a year ahead counts: anything else is not a date the
    person could mean for a planned removal, so it is asked again, never guessed.
    """
    named = relative_day(text, today, _DATE_LANGUAGES)  # "pasnesër", "پس فردا"
    if named is not None:
        return named
    # A bare number ("3") is an answer to some other question, not a date.
    if len(text) > 40 or not re.search(r"\D", text.strip()) or not re.search(r"\w", text):
        return None
    parser = DateDataParser(languages=_DATE_LANGUAGES, settings={
        "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY",
        "RELATIVE_BASE": datetime.combine(today, time())})
    try:
        found = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):  # dateparser raises on odd inputs
        return None
    # "March" or "next week" is not a day: a letter must not make one up.
    if found.date_obj is None or found.period != "day":
        return None
    day = found.date_obj.date()
    return day if 0 <= (day - today).days <= _LATEST_REMOVAL_DAYS else None

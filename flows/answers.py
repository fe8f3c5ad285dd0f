"""Reading short answers: yes and no in several languages, durations, what the NLU implies."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from dateparser.date import DateDataParser

from flows.case import Situation
from flows.events import NluResult
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


def is_yes(text: str, nlu: NluResult | None, config: Config) -> bool:
    return confident_intent(nlu, config) == "affirm" or bool(words(text) & YES_WORDS)


def is_no(text: str, nlu: NluResult | None, config: Config) -> bool:
    return confident_intent(nlu, config) == "deny" or bool(words(text) & NO_WORDS)


def looks_like_a_situation(nlu: NluResult | None, config: Config) -> bool:
    """Any situation among the top intents — low confidence still gets a confirm question."""
    if nlu is None or nlu.top is None:
        return False
    return any(part in SITUATION_INTENTS or part == "on_behalf"
               for part in nlu.top.name.split("+")) and nlu.top.confidence >= 0.25


def names_relationship(nlu: NluResult | None) -> bool:
    return nlu is not None and nlu.entity("relationship") is not None


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_YEAR_WORDS = ("year", "yr", "سنة", "سنوات", "سنين", "عام", "سال", "ዓመት", "ዓመታት", "ዓመት")
_MONTH_WORDS = ("month", "mth", "شهر", "أشهر", "اشهر", "ماه", "ወርሒ", "ኣዋርሕ", "ወር")


def parse_duration_months(text: str) -> int | None:
    """'3 years' -> 36, '18 months' -> 18, '٣ سنوات' -> 36; None when unclear."""
    normal = unicodedata.normalize("NFKC", text).translate(_DIGITS).casefold()
    match = re.search(r"(\d{1,3})", normal)
    if match is None:
        return None
    number = int(match.group(1))
    if any(word in normal for word in _YEAR_WORDS):
        months = number * 12
    elif any(word in normal for word in _MONTH_WORDS):
        months = number
    else:
        return None
    return months if 0 < months <= 600 else None


# The languages the NLU reads (nlu/DATA.md) as dateparser knows them. Naming them keeps
# a word that is no date ("pasneser") from a slow search through every language.
_DATE_LANGUAGES = ["en", "ar", "fa", "ps", "ur", "ckb", "ti", "am", "bn", "vi", "sq", "fr",
                   "uk", "so", "tr", "cy"]
_LATEST_REMOVAL_DAYS = 366


def parse_removal_day(text: str, today: date) -> date | None:
    """A typed removal date ("Friday", "14 March", "14/3", "الجمعة") as a day, else None.

    Only a day from today to a year ahead counts: anything else is not a date the
    person could mean for a planned removal, so it is asked again, never guessed.
    """
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

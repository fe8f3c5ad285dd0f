"""Reading short answers: yes and no in several languages, durations, what the NLU implies."""

from __future__ import annotations

import re
import unicodedata

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

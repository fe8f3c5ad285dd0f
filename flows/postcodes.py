"""UK postcode shape: normalising what people type, and a first guess at the nation."""

from __future__ import annotations

import re

from flows.case import Nation

# The official shape, without the few special cases (GIR 0AA, overseas territories).
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# Finds a postcode inside a sentence ("i live in b12 9qj thanks").
_IN_TEXT = re.compile(r"\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})\b")

EXAMPLE_POSTCODE = "B12 9QJ"


def normalise_postcode(text: str) -> str | None:
    """'b129qj', ' B12  9QJ.' -> 'B12 9QJ'; None when it isn't a full postcode."""
    squeezed = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    match = _FULL.match(squeezed)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def find_postcode(text: str) -> str | None:
    """The first full postcode written anywhere in `text`."""
    for match in _IN_TEXT.finditer(text):
        found = normalise_postcode(match.group(1) + match.group(2))
        if found:
            return found
    return normalise_postcode(text)


def outward_code(text: str) -> str | None:
    """'b12' -> 'B12' when the text is only the first half of a postcode."""
    squeezed = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    return squeezed if _OUTWARD.match(squeezed) else None


# Postcode areas wholly in one nation. Border areas (CH, SY, LD, NP, TD, HR, GL…)
# are left out on purpose: the look-up decides those.
_SCOTTISH = {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA",
             "PH", "ZE"}
_WELSH = {"CF", "LL", "SA"}


def guess_nation(postcode: str) -> Nation | None:
    """A first guess from the postcode area, used until (or if) a look-up answers."""
    area = re.match(r"^[A-Z]+", postcode.upper())
    if area is None:
        return None
    letters = area.group(0)
    if letters == "BT":
        return Nation.NORTHERN_IRELAND
    if letters in _SCOTTISH:
        return Nation.SCOTLAND
    if letters in _WELSH:
        return Nation.WALES
    return None

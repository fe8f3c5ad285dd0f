"""Reading open-data values: area names that sources spell differently, text, dates.

Deliberately not fuzzy: "Belfast South" must never match "Belfast South and Mid
Down" by accident. Only case, accents, punctuation, "&" and spacing are folded;
known renames are listed explicitly where they are used.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flows.folding import without_marks


def fold_name(name: str) -> str:
    """'Inverness, Skye & West Ross-shire' -> 'inverness skye and west ross shire'."""
    letters = without_marks(name).replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]|_", " ", letters).split())


def text(value: Any) -> str | None:
    """A trimmed non-empty string, or None (upstreams use "", null and spaces alike)."""
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def parse_timestamp(value: object) -> datetime | None:
    """An ISO date or time from an open-data record; naive ones are taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

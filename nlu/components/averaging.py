"""Averaging of intent rankings from several classifiers (standard library only).

Each ranking is what a Rasa classifier writes to `intent_ranking`: a list of
{"name": ..., "confidence": ...}, best first, possibly cut to its top few. An
intent missing from one ranking counts as confidence 0 there, so a label only one
model liked sinks instead of winning on that model's score alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Ranking = Sequence[dict[str, Any]]


def average_rankings(rankings: Sequence[Ranking], keep: int = 10) -> list[dict[str, Any]]:
    """The mean confidence of every intent over all rankings, best first, at most `keep`.

    Rankings that are empty (a classifier that had no features to go on) are not
    counted: they carry no opinion. Ties keep the order of first appearance, so
    the first classifier decides between equals.
    """
    voting = [ranking for ranking in rankings if ranking]
    if not voting:
        return []
    totals: dict[str, float] = {}
    for ranking in voting:
        for entry in ranking:
            name = entry["name"]
            totals[name] = totals.get(name, 0.0) + float(entry["confidence"])
    averaged = [{"name": name, "confidence": total / len(voting)} for name, total in totals.items()]
    averaged.sort(key=lambda entry: entry["confidence"], reverse=True)
    return averaged[:keep] if keep > 0 else averaged

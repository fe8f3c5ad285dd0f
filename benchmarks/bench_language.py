"""Which language a message is in (bot/language_guess.py), on the NLU's held-out sentences.

Per NLU language: how often the guess names the right interface locale, how often it
gives no answer (too short or too close to call: no offer is made), and how often it
is wrong (an offer in the wrong language). Also the time one guess takes and the
time to train the guesser. The held-out sentences were never used to choose the
guesser's thresholds (MIN_LETTERS and MIN_MARGIN were set before this was first run).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from bot.language_guess import LOCALE_OF, LanguageGuesser, training_sentences
from bot.nlu.training_files import TESTS_DIR, read_examples

RESULTS = Path(__file__).resolve().parent / "results" / "language.json"


def main() -> dict[str, object]:
    started = time.perf_counter()
    guesser = LanguageGuesser(training_sentences())
    train_seconds = time.perf_counter() - started
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n, right, no answer
    timings: list[float] = []
    for path in sorted(TESTS_DIR.glob("*.yml")):
        for example in read_examples(path):
            began = time.perf_counter()
            guess = guesser.guess(example.text)
            timings.append(time.perf_counter() - began)
            counts = tally[example.language]
            counts[0] += 1
            if guess is None:
                counts[2] += 1
            elif guess.locale == LOCALE_OF.get(example.language, example.language):
                counts[1] += 1
    rows = {lang: {"sentences": n, "right": round(right / n, 3),
                   "no_answer": round(none / n, 3), "wrong": round((n - right - none) / n, 3)}
            for lang, (n, right, none) in sorted(tally.items())}
    total = sum(n for n, _, _ in tally.values())
    answered = sum(n - none for n, _, none in tally.values())
    right = sum(r for _, r, _ in tally.values())
    summary = {
        "sentences": total,
        "right": round(right / total, 3),
        "precision_when_answered": round(right / answered, 3),
        "guess_ms_p50": round(statistics.median(timings) * 1000, 2),
        "guess_ms_p99": round(sorted(timings)[int(len(timings) * 0.99)] * 1000, 2),
        "train_seconds": round(train_seconds, 2),
        "per_language": rows,
    }
    print(f"{'language':10} {'n':>5} {'right':>6} {'none':>6} {'wrong':>6}")
    for lang, row in rows.items():
        print(f"{lang:10} {row['sentences']:>5} {row['right']:>6} {row['no_answer']:>6} "
              f"{row['wrong']:>6}")
    print({k: v for k, v in summary.items() if k != "per_language"})
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


if __name__ == "__main__":
    main()

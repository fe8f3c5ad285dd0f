"""Which of our languages a typed message is in, offline, from our own NLU sentences.

Used once per conversation: when someone's first message is in another language than
the interface's, the bot offers to switch. The offline language-identification
packages miss languages our people write in (Tigrinya, Somali, Sorani, Amharic, and
Arabic, Persian or Urdu typed in Latin letters), so this is a small character n-gram
naive Bayes model trained at first use on the NLU's training sentences
(nlu/data/*.yml, some 13 000 in 20 languages and scripts). Script narrows the field
first: it alone tells Bengali, Ukrainian and the Ethiopic pair, but not Amharic from
Tigrinya or Persian from Pashto, Urdu and Sorani; the n-grams do that. Accuracy per
language on the held-out sentences is measured by `make bench`.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.nlu.training_files import TRAINING_DIR, read_examples

# NLU data languages that read one of our interface locales.
LOCALE_OF: dict[str, str] = {"prs": "fa", "ar_latn": "ar", "fa_latn": "fa", "ur_latn": "ur"}
_MAX_N = 4
# Below this many letters a message says too little to tell a language ("ok", "yes").
MIN_LETTERS = 12
# How much likelier (in log-probability per n-gram) the best language must be than the next.
MIN_MARGIN = 0.15


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in ("ARABIC", "ETHIOPIC", "BENGALI", "CYRILLIC", "LATIN"):
        if name.startswith(script):
            return script
    return "OTHER"


def _grams(text: str) -> Counter[str]:
    folded = " " + " ".join(unicodedata.normalize("NFC", text).casefold().split()) + " "
    found: Counter[str] = Counter()
    for n in range(1, _MAX_N + 1):
        for start in range(len(folded) - n + 1):
            gram = folded[start:start + n]
            if gram.strip():
                found[gram] += 1
    return found


def main_script(text: str) -> str | None:
    scripts = Counter(s for s in map(_script, text) if s)
    return scripts.most_common(1)[0][0] if scripts else None


@dataclass(frozen=True)
class Guess:
    locale: str
    margin: float  # mean log-likelihood lead over the runner-up, per n-gram


class LanguageGuesser:
    """Multinomial naive Bayes over character 1–4-grams, one class per NLU language."""

    def __init__(self, sentences: dict[str, list[str]]) -> None:
        self._counts: dict[str, Counter[str]] = {}
        self._totals: dict[str, int] = {}
        self._scripts: dict[str, set[str]] = defaultdict(set)
        vocabulary: set[str] = set()
        for language, texts in sentences.items():
            counts: Counter[str] = Counter()
            for text in texts:
                counts.update(_grams(text))
                script = main_script(text)
                if script:
                    self._scripts[script].add(language)
            self._counts[language] = counts
            self._totals[language] = sum(counts.values())
            vocabulary.update(counts)
        self._vocabulary = len(vocabulary) + 1

    def _log_likelihood(self, language: str, grams: Counter[str]) -> float:
        counts, total = self._counts[language], self._totals[language] + self._vocabulary
        return sum(k * math.log((counts.get(g, 0) + 1) / total) for g, k in grams.items())

    def scores(self, text: str) -> list[tuple[str, float]]:
        """(NLU language, log-likelihood per n-gram), best first, within the text's script."""
        grams = _grams(text)
        size = sum(grams.values())
        if not size:
            return []
        candidates = self._scripts.get(main_script(text) or "", set()) or set(self._counts)
        scored = [(lang, self._log_likelihood(lang, grams) / size) for lang in candidates]
        return sorted(scored, key=lambda pair: -pair[1])

    def guess(self, text: str) -> Guess | None:
        """The interface locale `text` is written in, when the text says enough to tell."""
        if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
            return None
        scored = self.scores(text)
        if not scored:
            return None
        best_language, best = scored[0]
        locale = LOCALE_OF.get(best_language, best_language)
        # The runner-up that would be another locale (prs beside fa is no rival).
        rivals = [score for lang, score in scored[1:] if LOCALE_OF.get(lang, lang) != locale]
        margin = best - rivals[0] if rivals else math.inf
        return Guess(locale, margin) if margin >= MIN_MARGIN else None


def training_sentences(directory: Path = TRAINING_DIR) -> dict[str, list[str]]:
    sentences: dict[str, list[str]] = defaultdict(list)
    for path in sorted(directory.glob("*.yml")):
        for example in read_examples(path):
            sentences[example.language].append(example.text)
    return dict(sentences)


@lru_cache(maxsize=1)
def default_guesser() -> LanguageGuesser | None:
    """Trained once per process from the repo's sentences; None where they aren't shipped."""
    sentences = training_sentences()
    return LanguageGuesser(sentences) if sentences else None


class BackgroundGuesser:
    """The guesser, trained in a thread so that starting the bot waits for nothing.

    Until it is ready (about 2 s) it makes no guess, so no offer to switch is made:
    the offer is a kindness, not a step anyone needs.
    """

    def __init__(self) -> None:
        self._ready: LanguageGuesser | None = None
        threading.Thread(target=self._train, name="language-guess", daemon=True).start()

    def _train(self) -> None:
        self._ready = default_guesser()

    def guess(self, text: str) -> Guess | None:
        return self._ready.guess(text) if self._ready is not None else None

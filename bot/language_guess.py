"""Which of our languages a typed message is in, offline, from our own NLU sentences.

Used once per conversation: when someone's first message is in another language than
the interface's, the bot offers to switch. The offline language-identification
packages miss languages our people write in (Tigrinya, Somali, Sorani, Amharic, and
Arabic, Persian or Urdu typed in Latin letters), so this is a small character n-gram
naive Bayes model trained at first use on the NLU's training sentences
(nlu/data/*.yml, some 13 000 in 20 languages and scripts), in a child process at
start so that the counting never swells the bot's memory. Script narrows the field
first: it alone tells Bengali, Ukrainian and the Ethiopic pair, but not Amharic from
Tigrinya or Persian from Pashto, Urdu and Sorani; the n-grams do that. Accuracy per
language on the held-out sentences is measured by `make bench`.
"""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import marisa_trie

from bot.nlu.training_files import TRAINING_DIR, read_examples

log = logging.getLogger(__name__)

# NLU data languages that read one of our interface locales.
LOCALE_OF: dict[str, str] = {"prs": "fa", "ar_latn": "ar", "fa_latn": "fa", "ur_latn": "ur"}
_MAX_N = 4
# Below this many letters a message says too little to tell a language ("ok", "yes").
MIN_LETTERS = 12
# How much likelier (in log-probability per n-gram) the best language must be than the next.
MIN_MARGIN = 0.15
CHILD_TIMEOUT_SECONDS = 120.0  # about 3 s; a busy 2-core machine at start can be slow
_NUL = "\x00"
NO_SENTENCES = b"none"  # what the child writes where no training sentences are shipped


@lru_cache(maxsize=8192)  # the same few hundred letters, over and over
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
    return Counter(gram for n in range(1, _MAX_N + 1) for start in range(len(folded) - n + 1)
                   if (gram := folded[start:start + n]).strip())


def main_script(text: str) -> str | None:
    scripts = Counter(s for s in map(_script, text) if s)
    return scripts.most_common(1)[0][0] if scripts else None


@dataclass(frozen=True)
class Guess:
    locale: str
    margin: float  # mean log-likelihood lead over the runner-up, per n-gram


class LanguageGuesser:
    """Multinomial naive Bayes over character 1–4-grams, one class per NLU language.

    The counts are kept in one record trie (marisa-trie): each n-gram once, with the
    languages it was seen in and how often. As one dictionary of counts per language
    they took 19 MB of the bot's memory (the same n-gram's string once per language,
    and a dictionary entry for each); the trie takes about 2 MB and gives the same
    counts, so the same scores.
    """

    def __init__(self, sentences: dict[str, list[str]]) -> None:
        self._languages = list(sentences)
        self._totals: dict[str, int] = {}
        self._scripts: dict[str, set[str]] = defaultdict(set)
        records: list[tuple[str, tuple[int, int]]] = []
        vocabulary: set[str] = set()
        for index, (language, texts) in enumerate(sentences.items()):
            counts: Counter[str] = Counter()
            for text in texts:
                counts.update(_grams(text))
                script = main_script(text)
                if script:
                    self._scripts[script].add(language)
            self._totals[language] = sum(counts.values())
            records.extend((gram, (index, count)) for gram, count in counts.items()
                           if _NUL not in gram)  # as _counts_of: never stored, never read
            vocabulary.update(counts)
        self._counts = marisa_trie.RecordTrie("<BI", records)  # gram -> (language, count)
        self._vocabulary = len(vocabulary) + 1

    def to_bytes(self) -> bytes:
        """The trained guesser, to be rebuilt by `from_bytes` in another process."""
        header = {"languages": self._languages, "totals": self._totals,
                  "scripts": {script: sorted(langs) for script, langs in self._scripts.items()},
                  "vocabulary": self._vocabulary}
        return json.dumps(header).encode() + b"\n" + self._counts.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> LanguageGuesser:
        header_line, _, trie = data.partition(b"\n")
        header = json.loads(header_line)
        guesser = cls.__new__(cls)
        guesser._languages = header["languages"]
        guesser._totals = header["totals"]
        guesser._scripts = defaultdict(set, {script: set(langs)
                                             for script, langs in header["scripts"].items()})
        guesser._vocabulary = header["vocabulary"]
        guesser._counts = marisa_trie.RecordTrie("<BI").frombytes(trie)
        return guesser

    def _counts_of(self, grams: Counter[str]) -> dict[str, dict[str, int]]:
        """Each n-gram of the text -> {language: how often it was seen in training}."""
        # marisa-trie cannot look up a key holding NUL (it misreads the record): no such
        # n-gram is in our sentences, so it counts as unseen without asking.
        return {gram: {} if _NUL in gram else
                {self._languages[index]: count for index, count in self._counts.get(gram, ())}
                for gram in grams}

    def _log_likelihood(self, language: str, grams: Counter[str],
                        seen: dict[str, dict[str, int]]) -> float:
        total = self._totals[language] + self._vocabulary
        return sum(k * math.log((seen[g].get(language, 0) + 1) / total)
                   for g, k in grams.items())

    def scores(self, text: str) -> list[tuple[str, float]]:
        """(NLU language, log-likelihood per n-gram), best first, within the text's script."""
        grams = _grams(text)
        size = sum(grams.values())
        if not size:
            return []
        candidates = self._scripts.get(main_script(text) or "", set()) or set(self._totals)
        seen = self._counts_of(grams)
        scored = [(lang, self._log_likelihood(lang, grams, seen) / size) for lang in candidates]
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


def _trained_in_a_child() -> LanguageGuesser | None:
    """The default guesser, trained by a child process and handed over as bytes.

    Counting the n-grams of 14 000 sentences allocates some 50 MB of small Python
    objects. In the bot's own process that memory stays with the process after it is
    freed (Python keeps its arenas), so the bot ran 20 MB larger for good; the child's
    memory goes when it exits, and the bot keeps only the 2 MB trie.
    """
    done = subprocess.run([sys.executable, "-m", "bot.language_guess"], capture_output=True,
                          timeout=CHILD_TIMEOUT_SECONDS, check=False)
    if done.returncode != 0 or not done.stdout:
        # The child's stderr is a traceback of our code reading our files: nothing personal,
        # but only its last line is needed to see what went wrong.
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(nothing)"]
        raise RuntimeError(f"exit {done.returncode}: {last[0]}")
    return LanguageGuesser.from_bytes(done.stdout) if done.stdout != NO_SENTENCES else None


_training = threading.Lock()


@lru_cache(maxsize=1)
def _bot_guesser() -> LanguageGuesser | None:
    """The bot's guesser: trained aside once per process (every service shares it)."""
    try:
        return _trained_in_a_child()
    except (OSError, subprocess.SubprocessError, RuntimeError, ValueError) as error:
        log.warning("language guesser: training in a child process failed (%s); "
                    "training here instead", type(error).__name__)
        return default_guesser()


class BackgroundGuesser:
    """The guesser, trained in a thread so that starting the bot waits for nothing.

    Until it is ready (about 2 s) it makes no guess, so no offer to switch is made:
    the offer is a kindness, not a step anyone needs.
    """

    def __init__(self) -> None:
        self._ready: LanguageGuesser | None = None
        self._done = threading.Event()
        threading.Thread(target=self._train, name="language-guess", daemon=True).start()

    def _train(self) -> None:
        try:
            with _training:  # one child at a time, however many services start at once
                self._ready = _bot_guesser()
        finally:
            self._done.set()

    def wait(self, timeout: float) -> bool:
        """Whether training has ended (successfully or not) within `timeout` seconds."""
        return self._done.wait(timeout)

    def guess(self, text: str) -> Guess | None:
        return self._ready.guess(text) if self._ready is not None else None


def main() -> None:
    """Train the default guesser and write it to stdout (for `_trained_in_a_child`)."""
    guesser = default_guesser()
    sys.stdout.buffer.write(guesser.to_bytes() if guesser is not None else NO_SENTENCES)


if __name__ == "__main__":
    main()

"""Held-out evaluation of the NLU model, per language and per intent.

Starts the real Rasa server with the trained model (`make nlu`), sends every
held-out example of nlu/tests/<code>.yml through the bot's own client, exactly as
the bot would, and writes nlu/results/metrics.json, summary.md and errors.json
(every held-out sentence given the wrong intent or missing an entity, for whoever
improves the data).
Unless --no-rasa-test, `rasa test nlu` is also run on the same files into
nlu/results/rasa/ (Rasa's own reports; it counts "nlu_fallback" as a miss).

Situation figures are multi-label: "on_behalf+detained" counts as both
`on_behalf` and `detained`, as gold label and as prediction, so a model that says
"detained" for it gets one label right and misses one.

    make nlu-eval        (or: .venv/bin/python scripts/nlu_eval.py --port 5099)

Stdlib plus the bot package only: the held-out files are read by
bot.nlu.training_files (the bot's venv has no YAML library).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.nlu import rasa_command
from bot.nlu.rasa_client import RasaNlu
from bot.nlu.server import (
    NLU_DIR,
    REPO_ROOT,
    RasaServer,
    find_model,
    free_port,
    stop_servers_on_sigterm,
)
from bot.nlu.training_files import (
    SITUATIONS,
    TESTS_DIR,
    Example,
    atoms,
    language_files,
    read_examples,
)

RESULTS_DIR = NLU_DIR / "results"
TARGET_F1 = 0.95
FALLBACK_THRESHOLD = 0.5  # nlu/config.yml's FallbackClassifier threshold

# --- scoring --------------------------------------------------------------------


@dataclass
class Prediction:
    example: Example
    intent: str | None  # top intent, None when the server gave no answer
    confidence: float
    entities: tuple[tuple[str, str], ...] = ()


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": self.tp + self.fn,
        }


def situation_counts(
    predictions: Iterable[Prediction], *, strict: bool = False
) -> dict[str, Counts]:
    """Multi-label counts per situation; `strict` treats a below-fallback top as no answer."""
    counts = {label: Counts() for label in SITUATIONS}
    for prediction in predictions:
        gold = atoms(prediction.example.intent) & set(SITUATIONS)
        unsure = strict and prediction.confidence < FALLBACK_THRESHOLD
        said = frozenset() if unsure else atoms(prediction.intent) & set(SITUATIONS)
        for label in SITUATIONS:
            if label in gold and label in said:
                counts[label].tp += 1
            elif label in said:
                counts[label].fp += 1
            elif label in gold:
                counts[label].fn += 1
    return counts


def intent_counts(predictions: Iterable[Prediction]) -> dict[str, Counts]:
    """Single-label counts per full intent name (combinations as their own class)."""
    counts: dict[str, Counts] = defaultdict(Counts)
    for prediction in predictions:
        gold, said = prediction.example.intent, prediction.intent
        if gold == said:
            counts[gold].tp += 1
        else:
            counts[gold].fn += 1
            if said is not None:
                counts[said].fp += 1
    return dict(counts)


def macro_f1(counts: dict[str, Counts]) -> float:
    supported = [c.scores()["f1"] for c in counts.values() if c.tp + c.fn]
    return round(sum(supported) / len(supported), 4) if supported else 0.0


def language_metrics(predictions: Sequence[Prediction]) -> dict[str, object]:
    situational = [p for p in predictions if atoms(p.example.intent) & set(SITUATIONS)]
    situations = situation_counts(predictions)
    strict = situation_counts(predictions, strict=True)
    gold_entities = [(p, e) for p in predictions for e in p.example.entities]
    found_entities = sum(1 for p, e in gold_entities if e in p.entities)
    return {
        "examples": len(predictions),
        "situation_macro_f1": macro_f1(situations),
        "situation_macro_f1_strict": macro_f1(strict),
        "situation_exact_accuracy": _ratio(
            sum(1 for p in situational if atoms(p.intent) == atoms(p.example.intent)),
            len(situational),
        ),
        "intent_accuracy": _ratio(
            sum(1 for p in predictions if p.intent == p.example.intent), len(predictions)
        ),
        "below_fallback_rate": _ratio(
            sum(1 for p in predictions if p.confidence < FALLBACK_THRESHOLD), len(predictions)
        ),
        "no_answer": sum(1 for p in predictions if p.intent is None),
        "entity_recall": _ratio(found_entities, len(gold_entities)),
        "entities_checked": len(gold_entities),
        "situations": {k: v.scores() for k, v in situations.items()},
        "confusions": _confusions(situational),
    }


def _confusions(predictions: Iterable[Prediction]) -> list[dict[str, object]]:
    pairs = Counter(
        (p.example.intent, p.intent or "(none)")
        for p in predictions
        if atoms(p.intent) != atoms(p.example.intent)
    )
    return [{"gold": g, "predicted": s, "count": n} for (g, s), n in pairs.most_common()]


QUESTIONS = ("ask_cost", "ask_privacy", "ask_mp_power", "ask_minister", "ask_what_is_mp")


def batch_metrics(predictions: Sequence[Prediction]) -> dict[str, object]:
    """One held-out batch alone: each came from other writers, at another time."""
    removal = [p for p in predictions if "removal" in atoms(p.example.intent)]
    questions = [p for p in predictions if p.example.intent in QUESTIONS]
    by_language: dict[str, list[Prediction]] = defaultdict(list)
    for prediction in questions:
        by_language[prediction.example.language].append(prediction)
    return {
        "examples": len(predictions),
        "situation_macro_f1": macro_f1(situation_counts(predictions)),
        "intent_accuracy": _ratio(
            sum(1 for p in predictions if p.intent == p.example.intent), len(predictions)
        ),
        # Missing a removal is the worst error: reported on its own.
        "removal_recall": _ratio(
            sum(1 for p in removal if "removal" in atoms(p.intent)), len(removal)
        ),
        "removal_examples": len(removal),
        "question_accuracy": _ratio(
            sum(1 for p in questions if p.intent == p.example.intent), len(questions)
        ),
        "question_examples": len(questions),
        "question_accuracy_by_language": {
            code: _ratio(sum(1 for p in found if p.intent == p.example.intent), len(found))
            for code, found in sorted(by_language.items())
        },
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def build_metrics(
    predictions: Sequence[Prediction], model: str, tests: str = "nlu/tests"
) -> dict[str, object]:
    by_language: dict[str, list[Prediction]] = defaultdict(list)
    for prediction in predictions:
        by_language[prediction.example.language].append(prediction)
    languages = {code: language_metrics(by_language[code]) for code in sorted(by_language)}
    overall = language_metrics(predictions)
    batches = {
        str(batch): batch_metrics([p for p in predictions if p.example.batch == batch])
        for batch in sorted({p.example.batch for p in predictions})
    }
    return {
        "model": model,
        "tests": tests,
        "target_situation_macro_f1": TARGET_F1,
        "fallback_threshold": FALLBACK_THRESHOLD,
        "overall": overall,
        "batches": batches,
        "languages": languages,
        "intents": {k: v.scores() for k, v in sorted(intent_counts(predictions).items())},
        "below_target": [
            code for code, m in languages.items() if float(m["situation_macro_f1"]) < TARGET_F1
        ],  # type: ignore[arg-type]
    }


# --- report ---------------------------------------------------------------------


def summary_markdown(metrics: dict[str, object]) -> str:
    languages: dict[str, dict[str, object]] = metrics["languages"]  # type: ignore[assignment]
    overall: dict[str, object] = metrics["overall"]  # type: ignore[assignment]
    intents: dict[str, dict[str, float]] = metrics["intents"]  # type: ignore[assignment]
    lines = [
        "# NLU held-out evaluation",
        "",
        f"Model `{metrics['model']}`, held-out files `{metrics['tests']}/*.yml`",
        "(never trained on).",
        "Written by `make nlu-eval` (scripts/nlu_eval.py); machine-readable: metrics.json.",
        "",
        "Situation macro F1: multi-label over the 8 situation intents, a combined intent",
        "counting as both of its parts. *Strict* counts a top intent under the fallback",
        f"threshold ({FALLBACK_THRESHOLD}) as no answer. Target: >= {TARGET_F1} per language.",
        "",
        "| language | examples | situation macro F1 | strict | exact situation acc. "
        "| all-intent acc. | below fallback | entity recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for code, m in [*languages.items(), ("**all**", overall)]:
        lines.append(
            f"| {code} | {m['examples']} | {m['situation_macro_f1']:.3f} "
            f"| {m['situation_macro_f1_strict']:.3f} | {m['situation_exact_accuracy']:.3f} "
            f"| {m['intent_accuracy']:.3f} | {m['below_fallback_rate']:.3f} "
            f"| {m['entity_recall']:.3f} |"
        )
    batches: dict[str, dict[str, object]] = metrics["batches"]  # type: ignore[assignment]
    lines += [
        "",
        "## Each held-out batch alone",
        "",
        "Batch 3 holds the question intents and code-mixed sentences (nlu/DATA.md).",
        "",
        "| batch | examples | situation macro F1 | all-intent acc. | removal recall "
        "| question intents acc. |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for batch, b in batches.items():
        removal = f"{b['removal_recall']:.3f} ({b['removal_examples']})"
        questions = (f"{b['question_accuracy']:.3f} ({b['question_examples']})"
                     if b["question_examples"] else "–")
        lines.append(f"| {batch} | {b['examples']} | {b['situation_macro_f1']:.3f} "
                     f"| {b['intent_accuracy']:.3f} | {removal} | {questions} |")
    for batch, b in batches.items():
        by_language: dict[str, float] = b["question_accuracy_by_language"]  # type: ignore[assignment]
        if by_language:
            listed = ", ".join(f"{code} {value:.2f}" for code, value in by_language.items())
            lines += ["", f"Question intents, batch {batch}, by language: {listed}."]
    lines += [
        "",
        "## Situation intents, all languages",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    situations: dict[str, dict[str, float]] = overall["situations"]  # type: ignore[assignment]
    for name, s in situations.items():
        lines.append(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} "
            f"| {s['f1']:.3f} | {s['support']} |"
        )
    lines += [
        "",
        "## Every intent (exact name), all languages",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in intents.items():
        lines.append(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} "
            f"| {s['f1']:.3f} | {s['support']} |"
        )
    lines += ["", "## Situation errors by language (gold → predicted)", ""]
    for code, m in languages.items():
        confusions: list[dict[str, object]] = m["confusions"]  # type: ignore[assignment]
        if confusions:
            listed = ", ".join(f"{c['gold']} → {c['predicted']} ×{c['count']}" for c in confusions)
            lines.append(f"- **{code}**: {listed}")
    below: list[str] = metrics["below_target"]  # type: ignore[assignment]
    lines += ["", f"Below target: {', '.join(below) if below else 'none'}.", ""]
    return "\n".join(lines)


# --- running --------------------------------------------------------------------


async def predict(url: str, examples: Sequence[Example], token: str) -> list[Prediction]:
    nlu = RasaNlu(url, timeout_seconds=30.0, auth_token=token)
    predictions = []
    try:
        for example in examples:
            result = await nlu.parse(example.text)
            top = result.top if result else None
            found = tuple((e.entity, e.value) for e in result.entities) if result else ()
            predictions.append(
                Prediction(
                    example, top.name if top else None, top.confidence if top else 0.0, found
                )
            )
    finally:
        await nlu.aclose()
    return predictions


def run_rasa_test(model: Path, out: Path, tests_dir: Path = TESTS_DIR) -> None:
    """Rasa's own `rasa test nlu` reports (JSON only; plots are left out)."""
    command = rasa_command.test_command(model, tests_dir, out)
    env = rasa_command.environment()
    completed = subprocess.run(command, cwd=NLU_DIR, env=env, capture_output=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr.decode(errors="replace")[-3000:])
        raise SystemExit("rasa test nlu failed")
    # The regex extractor only knows postcodes, so its "errors" are every other
    # entity in the files: a large file that says nothing.
    (out / "RegexEntityExtractor_errors.json").unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        help="model archive or directory (default: nlu/models/nlu.tar.gz)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--tests",
        type=Path,
        default=TESTS_DIR,
        help="held-out files (default: nlu/tests; another set for comparisons)",
    )
    parser.add_argument("--no-rasa-test", action="store_true", help="skip `rasa test nlu`")
    args = parser.parse_args(argv)
    stop_servers_on_sigterm()

    examples = [e for path in language_files(args.tests) for e in read_examples(path)]
    if not examples:
        raise SystemExit(f"no held-out examples in {args.tests}")
    model = find_model(args.model) if args.model else find_model()
    with RasaServer(port=args.port or free_port(), model=model) as server:
        predictions = asyncio.run(predict(server.url, examples, server.auth_token))
    tests = args.tests.resolve()
    shown = tests.relative_to(REPO_ROOT) if tests.is_relative_to(REPO_ROOT) else tests
    metrics = build_metrics(predictions, model.name, str(shown))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "metrics.json").write_text(
        json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    errors = {
        "intents": [
            {
                "language": p.example.language,
                "text": p.example.text,
                "gold": p.example.intent,
                "predicted": p.intent,
                "confidence": round(p.confidence, 3),
            }
            for p in predictions
            if p.intent != p.example.intent
        ],
        "entities": [
            {
                "language": p.example.language,
                "text": p.example.text,
                "gold": [list(e) for e in p.example.entities],
                "found": [list(e) for e in p.entities],
            }
            for p in predictions
            if not set(p.example.entities) <= set(p.entities)
        ],
    }
    (args.out / "errors.json").write_text(
        json.dumps(errors, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    summary = summary_markdown(metrics)
    (args.out / "summary.md").write_text(summary, encoding="utf-8")
    if not args.no_rasa_test:
        run_rasa_test(model, args.out / "rasa", args.tests)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())

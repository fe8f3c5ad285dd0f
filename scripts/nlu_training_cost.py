"""What each DIET of the seed ensemble buys, against the minutes it costs to train.

nlu/config.yml averages several DIETs that differ only in their seed. For each
*variant* of that configuration (epochs, transformer layers; same data, same
seeds), this trains the whole ensemble once, serves it with every member's own
ranking in the answer (components/ensemble.py, NLU_EXPOSE_MEMBER_RANKINGS), and
scores the averages of its first 1, 2, … members on each held-out batch: one
training measures every ensemble size. A member's minutes come from the training
log's timestamps; the rest (reading data, the featurizers, saving) is shared.

    .venv/bin/python scripts/nlu_training_cost.py shipped e20 e20l0

Each variant is trained into the model cache (bot.nlu.model_store) unless a model
from the same inputs is there; `shipped` is nlu/config.yml itself. Writes
nlu/results/training_cost.md (the table nlu/README.md quotes) and .json (its rows;
a later run adds or replaces the variants it scores).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from nlu_eval import FALLBACK_THRESHOLD, Prediction, language_metrics

from bot.nlu import model_store
from bot.nlu.rasa_client import result_from_parse
from bot.nlu.server import NLU_DIR, RasaServer, free_port
from bot.nlu.training_files import Example, language_files, read_examples

RESULTS = NLU_DIR / "results" / "training_cost.md"
ROWS = RESULTS.with_suffix(".json")
# The held-out batches the configuration was chosen on. The third came with new
# intents, after the choice; scoring older models on it would count intents they
# were never taught as their errors.
DECISION_BATCHES = (1, 2)


def _set(key: str, value: int) -> Callable[[str], str]:
    pattern = re.compile(rf"^(\s*{key}:\s*)\d+", re.MULTILINE)
    return lambda config: pattern.sub(lambda match: f"{match.group(1)}{value}", config)


_BATCH = re.compile(r"^(\s*batch_size:\s*)\[[^\]]*\]", re.MULTILINE)


def _batches(smallest: int, largest: int) -> Callable[[str], str]:
    return lambda config: _BATCH.sub(lambda m: f"{m.group(1)}[{smallest}, {largest}]", config)


# name -> how its config differs from nlu/config.yml
VARIANTS: dict[str, Callable[[str], str]] = {
    "shipped": lambda config: config,
    "e40": _set("epochs", 40),
    "e30": _set("epochs", 30),
    "e20": _set("epochs", 20),
    "e10": _set("epochs", 10),
    "e20l0": lambda config: _set("number_of_transformer_layers", 0)(_set("epochs", 20)(config)),
    "e40l0": lambda config: _set("number_of_transformer_layers", 0)(_set("epochs", 40)(config)),
    "e20b": lambda config: _batches(128, 512)(_set("epochs", 20)(config)),
}

# What each variant is, for the table's legend.
DESCRIPTIONS = {
    "e40": "40 epochs (the configuration before this table)",
    "e30": "30 epochs",
    "e20": "20 epochs",
    "e10": "10 epochs",
    "e20l0": "20 epochs, no transformer layer",
    "e40l0": "40 epochs, no transformer layer",
    "e20b": "20 epochs, batches of 128-512 instead of 64-256",
    "shipped": "nlu/config.yml as it is",
}

_STAMP = r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) .*"
_STARTED = re.compile(_STAMP + r"Starting to train component '(?P<name>\w+)'", re.MULTILINE)
_FINISHED = re.compile(_STAMP + r"Finished training component '(?P<name>\w+)'", re.MULTILINE)
# Since the members train side by side (components/ensemble.py) the log names them.
_SIDE_BY_SIDE = re.compile(r"seed ensemble member \d+ of (?P<count>\d+) \|")


@dataclass(frozen=True)
class TrainingTime:
    total_seconds: float
    member_seconds: tuple[float, ...]  # one per DIET, in pipeline order; empty: side by side
    members: int

    def seconds_with(self, members: int) -> float | None:
        """The training time of the same pipeline with only its first `members` DIETs.

        Measured only while DIETs trained one after another (each one's minutes are
        then its own). Side by side, the members share the CPUs, and an ensemble of
        fewer is not timed by training the whole: None, except for all of them.
        """
        if members == self.members:
            return self.total_seconds
        if not self.member_seconds:
            return None
        return self.total_seconds - sum(self.member_seconds[members:])


def training_time(log: str, total_seconds: float) -> TrainingTime:
    if side_by_side := _SIDE_BY_SIDE.search(log):
        return TrainingTime(total_seconds, (), int(side_by_side["count"]))

    def stamps(pattern: re.Pattern[str]) -> list[datetime]:
        return [
            datetime.fromisoformat(match["at"])
            for match in pattern.finditer(log)
            if match["name"] == "DIETClassifier"
        ]

    members = tuple(
        (end - start).total_seconds()
        for start, end in zip(stamps(_STARTED), stamps(_FINISHED), strict=True)
    )
    return TrainingTime(total_seconds, members, len(members))


def train(variant: str) -> tuple[Path, TrainingTime]:
    """The variant's model and its training time, trained into the model cache unless there.

    `name=path/to/nlu.tar.gz` scores a model trained elsewhere (its train.log beside it).
    """
    name, _, path = variant.partition("=")
    if path:
        archive = Path(path)
        log = (archive.parent / "train.log").read_text(errors="replace")
        seconds = float((archive.parent / "train_seconds.txt").read_text())
        return archive, training_time(log, seconds)
    config = VARIANTS[name]((NLU_DIR / "config.yml").read_text())
    print(f"{name}: training unless cached...", flush=True)
    model = model_store.train(config_text=config)
    log = (model.directory / "train.log").read_text(errors="replace")
    return model.archive, training_time(log, model.train_seconds)


async def member_rankings(
    url: str, token: str, examples: Sequence[Example]
) -> list[dict[str, object]]:
    """The raw parse answer, member rankings included, for every example."""
    answers = []
    async with httpx.AsyncClient(base_url=url, timeout=30.0, trust_env=False) as client:
        for example in examples:
            response = await client.post(
                "/model/parse", json={"text": example.text}, params={"token": token}
            )
            response.raise_for_status()
            answers.append(response.json())
    return answers


def predictions(
    examples: Sequence[Example], answers: Sequence[dict[str, object]], members: int
) -> list[Prediction]:
    """What the ensemble of the first `members` DIETs would have answered."""
    found = []
    for example, answer in zip(examples, answers, strict=True):
        rankings: list[list[dict[str, object]]] = answer["member_rankings"][:members]  # type: ignore[index]
        totals: dict[str, float] = {}
        for ranking in rankings:
            for entry in ranking:
                name = str(entry["name"])
                totals[name] = totals.get(name, 0.0) + float(entry["confidence"]) / len(rankings)  # type: ignore[arg-type]
        intent, confidence = max(totals.items(), key=lambda item: item[1])
        parsed = result_from_parse(answer)
        entities = tuple((e.entity, e.value) for e in parsed.entities) if parsed else ()
        found.append(Prediction(example, intent, confidence, entities))
    return found


def score(variant: str, examples: Sequence[Example]) -> list[dict[str, object]]:
    name = variant.partition("=")[0]
    model, time = train(variant)
    os.environ["NLU_EXPOSE_MEMBER_RANKINGS"] = "1"  # inherited by the server only
    with RasaServer(port=free_port(), model=model) as server:
        answers = asyncio.run(member_rankings(server.url, server.auth_token, examples))
    rows = []
    for members in range(1, time.members + 1):
        said = predictions(examples, answers, members)
        seconds = time.seconds_with(members)
        row: dict[str, object] = {
            "variant": name,
            "members": members,
            "minutes": None if seconds is None else seconds / 60,
        }
        for batch in DECISION_BATCHES:
            metrics = language_metrics([p for p in said if p.example.batch == batch])
            row[f"batch{batch}"] = metrics["situation_macro_f1"]
        both = language_metrics([p for p in said if p.example.batch in DECISION_BATCHES])
        row["both"] = both["situation_macro_f1"]
        row["below"] = both["below_fallback_rate"]
        row["entities"] = both["entity_recall"]
        rows.append(row)
        print(row, flush=True)
    return rows


def table(rows: Sequence[dict[str, object]]) -> str:
    lines = [
        "# NLU: what each DIET buys, against its training minutes",
        "",
        "Situation macro F1 on held-out batches 1 and 2 (nlu/tests); written by",
        "scripts/nlu_training_cost.py. *minutes*: `rasa train nlu` wall clock on this",
        "machine with only the first n DIETs (the shared part plus theirs), as measured",
        "while other trainings and evaluations shared the 2 CPUs: compare them within a",
        "variant, and see nlu/README.md for the shipped configuration timed alone.",
        "Since the DIETs train side by side (one process each), only the whole ensemble",
        "is timed; fewer members are scored from the same training (minutes: —).",
        f"*below fallback*: answers under the {FALLBACK_THRESHOLD} threshold.",
        "All variants: the same training data (before the question intents were added),",
        "the same three seeds (2024, 7, 99) and features; the first DIET also finds entities.",
        "",
        *(f"- **{name}**: {DESCRIPTIONS.get(name, name)}" for name in
          dict.fromkeys(str(row["variant"]) for row in rows)),
        "",
        "| variant | DIETs | minutes | batch 1 | batch 2 | both | below fallback | entity recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['variant']} | {row['members']} | {_minutes(row['minutes'])} "
            f"| {row['batch1']:.3f} "
            f"| {row['batch2']:.3f} | {row['both']:.3f} | {float(row['below']):.1%} "  # type: ignore[arg-type]
            f"| {row['entities']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def _minutes(minutes: object) -> str:
    return "—" if minutes is None else f"{float(minutes):.1f}"  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "variants", nargs="+", help=f"{', '.join(VARIANTS)}, or name=path/to/nlu.tar.gz"
    )
    args = parser.parse_args(argv)
    examples = [e for path in language_files() for e in read_examples(path)]
    rows = [row for name in args.variants for row in score(name, examples)]
    # Rows of variants scored in earlier runs are kept: one table however it was built up.
    scored = {row["variant"] for row in rows}
    earlier = json.loads(ROWS.read_text()) if ROWS.exists() else []
    rows = [row for row in earlier if row["variant"] not in scored] + rows
    ROWS.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    RESULTS.write_text(table(rows), encoding="utf-8")
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

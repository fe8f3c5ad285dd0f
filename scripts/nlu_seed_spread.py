"""How much the per-language figures move when only the training seeds change.

The pipeline averages several DIETs (nlu/config.yml); a *seed set* gives each of
them its random_seed, in the order they appear, e.g. `2024,7,99`. Trains the
model once per seed set (same data, same everything else) into the model cache
(bot.nlu.model_store: a set trained before from the same inputs is reused),
evaluates each on the held-out files like `make nlu-eval`, and writes a
per-language table of the situation macro F1 (each set, mean, min) to
nlu/results/seed_spread.md.

    make nlu-seed-spread                  (seed sets 2024,7,99  1,2,3  11,12,13)
    .venv/bin/python scripts/nlu_seed_spread.py 2024,7,99 1,2,3

The shipped set (nlu/config.yml's own seeds) is `make nlu`'s model itself.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.nlu import model_store
from bot.nlu.server import MODELS_DIR, NLU_DIR, REPO_ROOT

RESULTS = NLU_DIR / "results" / "seed_spread.md"
TARGET = 0.95
_SEED = re.compile(r"^(\s*random_seed:\s*)\d+", re.MULTILINE)


def with_seeds(config_text: str, seeds: Sequence[int]) -> str:
    """`config_text` with its random_seed values replaced by `seeds`, in order."""
    found = _SEED.findall(config_text)
    if len(found) != len(seeds):
        raise SystemExit(f"nlu/config.yml has {len(found)} random_seed, {len(seeds)} given")
    remaining = iter(seeds)
    return _SEED.sub(lambda match: f"{match.group(1)}{next(remaining)}", config_text)


def train(seeds: tuple[int, ...]) -> Path:
    """The model for a seed set, from the model cache or trained into it."""
    config_text = with_seeds((NLU_DIR / "config.yml").read_text(), seeds)
    print(f"seeds {label(seeds)}: training unless cached...", flush=True)
    return model_store.train(config_text=config_text).archive


def label(seeds: Sequence[int]) -> str:
    return ",".join(str(seed) for seed in seeds)


def evaluate(seeds: tuple[int, ...], model: Path) -> dict[str, float]:
    out = MODELS_DIR / "seeds" / label(seeds) / "results"
    command = [sys.executable, str(REPO_ROOT / "scripts" / "nlu_eval.py"), "--model", str(model)]
    command += ["--out", str(out), "--no-rasa-test"]
    print(f"seeds {label(seeds)}: evaluating...", flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    metrics = json.loads((out / "metrics.json").read_text())
    figures = {code: m["situation_macro_f1"] for code, m in metrics["languages"].items()}
    figures["all"] = metrics["overall"]["situation_macro_f1"]
    return figures


def table(by_seed: dict[tuple[int, ...], dict[str, float]]) -> str:
    seeds = list(by_seed)
    languages = [*sorted(code for code in by_seed[seeds[0]] if code != "all"), "all"]
    head = " | ".join(f"seeds {label(s)}" for s in seeds)
    lines = [
        "# NLU: situation macro F1 by training seeds",
        "",
        "Same data and configuration, only the DIETs' random_seed values changed;",
        "held-out files nlu/tests. Written by scripts/nlu_seed_spread.py. The shipped",
        f"model has the first set. Target: >= {TARGET} per language.",
        "",
        f"| language | {head} | mean | min | sets at target |",
        "|---|" + "---:|" * (len(seeds) + 3),
    ]
    for code in languages:
        values = [by_seed[s][code] for s in seeds]
        at_target = sum(v >= TARGET for v in values)
        cells = " | ".join(f"{v:.3f}" for v in values)
        mean = sum(values) / len(values)
        lines.append(
            f"| {code} | {cells} | {mean:.3f} | {min(values):.3f} | {at_target} of {len(values)} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "seed_sets",
        nargs="*",
        type=lambda text: tuple(int(seed) for seed in text.split(",")),
        default=[(2024, 7, 99), (1, 2, 3), (11, 12, 13)],
        help="comma-separated seeds, one per DIET in nlu/config.yml",
    )
    args = parser.parse_args(argv)
    by_seed = {seeds: evaluate(seeds, train(seeds)) for seeds in args.seed_sets}
    RESULTS.write_text(table(by_seed), encoding="utf-8")
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""NLU benchmark: parse latency through the bot's client, training time, server memory.

Starts the real Rasa server with the trained model on a free port (or is handed the
one `make bench` starts for this and the Telegram benchmark), sends N fresh
(held-out) sentences from every language one after another through `RasaNlu`, as
the bot does, and records p50/p99 latency, the server's resident memory (from
/proc, the whole process group), its startup time, the training time `make nlu`
recorded, and how many parses a second the server answers with several waiting
(its ceiling: one Rasa process). Writes benchmarks/results/nlu.json and prints a
small table.

    python -m benchmarks            (make bench)
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.nlu import model_store
from bot.nlu.rasa_client import RasaNlu
from bot.nlu.server import REPO_ROOT, RasaServer, find_model, free_port
from bot.nlu.training_files import language_files, read_examples

SENTENCES = 200
WARM_UP = 10
TIMEOUT_SECONDS = 2.0  # the bot's default nlu_timeout_seconds
CONCURRENT = 8  # parses in flight for the throughput figure (the bot has up to 32)
RESULTS = Path(__file__).resolve().parent / "results" / "nlu.json"


def held_out_sentences(count: int) -> list[str]:
    """`count` held-out sentences spread evenly over all languages and intents."""
    texts = [e.text for path in language_files() for e in read_examples(path)]
    if not texts:
        raise SystemExit("no held-out sentences in nlu/tests")
    step = max(1, len(texts) // count)
    picked = texts[::step][:count]
    while len(picked) < count:  # fewer held-out sentences than asked: go round again
        picked += picked[: count - len(picked)]
    return picked


async def measure_latencies(
    url: str, texts: Sequence[str], token: str
) -> tuple[list[float], int]:
    """Milliseconds per parse, and how many parses gave no answer."""
    nlu = RasaNlu(url, timeout_seconds=TIMEOUT_SECONDS, auth_token=token)
    latencies: list[float] = []
    failures = 0
    try:
        for text in texts[:WARM_UP]:
            await nlu.parse(text)
        for text in texts:
            started = time.perf_counter()
            result = await nlu.parse(text)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += result is None
    finally:
        await nlu.aclose()
    return latencies, failures


async def measure_throughput(url: str, texts: Sequence[str], token: str) -> float:
    """Parses a second with CONCURRENT requests always waiting: the server's own ceiling,
    which caps the bot's rate of typed messages (bench_telegram)."""
    nlu = RasaNlu(url, timeout_seconds=30.0, auth_token=token)
    waiting = list(texts)

    async def client() -> None:
        while waiting:
            await nlu.parse(waiting.pop())

    try:
        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CONCURRENT)))
        return len(texts) / (time.perf_counter() - started)
    finally:
        await nlu.aclose()


def group_rss_mib(pgid: int) -> float:
    """Resident memory of every process in a process group, from /proc."""
    total_kib = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue  # gone while we looked
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return round(total_kib / 1024, 1)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def training_seconds() -> float | None:
    """How long the current model took to train here (kept with it in the model cache)."""
    model = model_store.find()
    return model.train_seconds if model is not None else None


def started_server() -> tuple[RasaServer, float]:
    """A Rasa server with the trained model, and how long it took to answer (seconds)."""
    server = RasaServer(port=free_port(), model=find_model())
    started = time.perf_counter()
    server.start()
    return server, time.perf_counter() - started


def run(server: RasaServer, startup: float, count: int = SENTENCES) -> dict[str, object]:
    texts = held_out_sentences(count)
    latencies, failures = asyncio.run(measure_latencies(server.url, texts, server.auth_token))
    throughput = asyncio.run(measure_throughput(server.url, texts, server.auth_token))
    assert server.pid is not None
    rss = group_rss_mib(server.pid)
    return {
        "measured_on": date.today().isoformat(),
        "model": find_model().name,
        "sentences": len(latencies),
        "failures": failures,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 1),
            "p99": round(percentile(latencies, 0.99), 1),
            "mean": round(statistics.fmean(latencies), 1),
            "max": round(max(latencies), 1),
        },
        "parses_per_second": round(throughput, 1),
        "server_rss_mib": rss,
        "server_startup_seconds": round(startup, 1),
        "training_seconds": training_seconds(),
    }


def table(results: dict[str, object]) -> str:
    latency: dict[str, float] = results["latency_ms"]  # type: ignore[assignment]
    training = results["training_seconds"]
    rows = [
        ("parse latency p50", f"{latency['p50']:.1f} ms"),
        ("parse latency p99", f"{latency['p99']:.1f} ms"),
        ("parses without answer", f"{results['failures']} / {results['sentences']}"),
        (f"parses a second, {CONCURRENT} at once", f"{results['parses_per_second']}"),
        ("server memory (RSS)", f"{results['server_rss_mib']} MiB"),
        ("server startup", f"{results['server_startup_seconds']} s"),
        ("training (last make nlu)", f"{training} s" if training is not None else "unknown"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(rasa: tuple[RasaServer, float] | None = None) -> dict[str, object]:
    """`rasa`: a started server and its startup time (make bench shares one), else our own."""
    if rasa is None:
        server, startup = started_server()
        try:
            results = run(server, startup)
        finally:
            server.stop()
    else:
        results = run(*rasa)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"(written to {RESULTS.relative_to(REPO_ROOT)})")
    return results


if __name__ == "__main__":
    main()

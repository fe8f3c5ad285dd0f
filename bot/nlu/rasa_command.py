"""How Rasa is run, in one place: its environment and its command lines.

Everything that starts Rasa goes through here: `make nlu` and `make nlu-server`
(nlu/nlu.mk, through bot.nlu.model_store), bot.nlu.server (the bot, the tests,
the benchmarks) and the Dockerfile's Rasa image. That image has no bot package
and runs Rasa's own Python 3.10, so this file is standard library only and also
works as a script:

    python rasa_command.py train --out DIR [--config FILE]
    python rasa_command.py serve --model FILE [--host H] [--port P]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# In the repository (bot/nlu/ here): nlu/ beside bot/. In the Rasa image this file
# sits in the project directory itself, /nlu (the Dockerfile copies it there).
_BESIDE = _HERE.parent.parent / "nlu"
NLU_DIR = _BESIDE if (_BESIDE / "config.yml").is_file() else _HERE

# Rasa phones home and TensorFlow is chatty; neither is wanted. Rasa reads
# LOG_LEVEL, and at DEBUG it logs every message's text: pinned to INFO. Rasa's own
# training cache is off: bot.nlu.model_store keeps whole trained models instead,
# and a cache would make the recorded training times meaningless.
_FIXED = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "LOG_LEVEL": "INFO",
    "RASA_MAX_CACHE_SIZE": "0",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


def environment(base: Mapping[str, str] | None = None, nlu_dir: Path = NLU_DIR) -> dict[str, str]:
    """The environment Rasa runs in: `base` (os.environ by default) with our settings."""
    env = dict(os.environ if base is None else base)
    env.update(_FIXED)
    # Rasa writes its cache directory even when the cache is off: kept out of the work tree.
    env.setdefault("RASA_CACHE_DIRECTORY", str(nlu_dir / ".rasa-cache"))
    return env


def rasa_executable(nlu_dir: Path = NLU_DIR) -> str:
    """RASA_BIN when set, else the project's own Rasa venv, else `rasa` on PATH (the image)."""
    override = os.environ.get("RASA_BIN")
    if override:
        return override
    venv = nlu_dir / ".venv" / "bin" / "rasa"
    return str(venv) if venv.exists() else "rasa"


def train_command(out: Path, config: Path | None = None, nlu_dir: Path = NLU_DIR) -> list[str]:
    """Train nlu/config.yml (or `config`) on nlu/data into `out`/nlu.tar.gz."""
    return [
        rasa_executable(nlu_dir), "train", "nlu",
        "--config", str((config or nlu_dir / "config.yml").resolve()),
        "--domain", str(nlu_dir / "domain.yml"),
        "--nlu", str(nlu_dir / "data"),
        "--out", str(out.resolve()),
        "--fixed-model-name", "nlu",
    ]


def serve_command(
    model: Path,
    host: str = "127.0.0.1",
    port: int = 5005,
    nlu_dir: Path = NLU_DIR,
    rasa: str | None = None,
    auth_token: str | None = None,
) -> list[str]:
    """Serve `model`'s /model/parse on host:port (with `rasa`, else rasa_executable()).

    `--enable-api` also serves model replacement and training: with `auth_token`, Rasa
    refuses every request that does not carry it (`?token=`).
    """
    command = [
        rasa or rasa_executable(nlu_dir), "run", "--enable-api",
        "--model", str(model.resolve()),
        "--interface", host,
        "--port", str(port),
    ]
    # One argument with "=": a token that starts with "-" (token_urlsafe makes one in
    # 64) would otherwise be read by argparse as an option, and Rasa would not start.
    return [*command, f"--auth-token={auth_token}"] if auth_token else command


def test_command(model: Path, tests: Path, out: Path, nlu_dir: Path = NLU_DIR) -> list[str]:
    """Rasa's own held-out report (`rasa test nlu`, JSON only) for `make nlu-eval`."""
    return [
        rasa_executable(nlu_dir), "test", "nlu",
        "--nlu", str(tests.resolve()),
        "--model", str(model.resolve()),
        "--out", str(out.resolve()),
        "--no-plot",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train the NLU model")
    train.add_argument("--out", type=Path, required=True)
    train.add_argument("--config", type=Path, default=None)
    serve = commands.add_parser("serve", help="serve a trained model")
    serve.add_argument("--model", type=Path, required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5005)
    # From the environment, not the command line of whoever starts us (docker-compose
    # gives the bot and Rasa the same RASA_AUTH_TOKEN).
    serve.add_argument("--auth-token", default=os.environ.get("RASA_AUTH_TOKEN") or None)
    args = parser.parse_args(argv)
    if args.command == "train":
        command = train_command(args.out.resolve(), args.config and args.config.resolve())
    else:
        command = serve_command(args.model.resolve(), args.host, args.port,
                                auth_token=args.auth_token)
    # Rasa imports our components (components.tokenizer, …) from its working directory.
    os.chdir(NLU_DIR)
    sys.stdout.flush()
    os.execvpe(command[0], command, environment())


if __name__ == "__main__":
    raise SystemExit(main())

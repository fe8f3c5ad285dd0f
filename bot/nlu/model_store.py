"""Trained NLU models, kept outside the clone and named by everything that shapes them.

A model depends only on its inputs: nlu/config.yml, domain.yml, the training
data, our Rasa components, the pinned requirements and how Rasa is run
(bot/nlu/rasa_command.py). Their hash names a directory in the model cache,
`${XDG_CACHE_HOME:-~/.cache}/raise-my-case/nlu/<key>/`, so a second clone, CI on
the same machine and `make test` after `make run` reuse one training instead of
paying ~10 minutes each.

A directory counts only once its `model.json` — written last, with the archive's
size and sha256 — is there and matches the archive: a partial training, a
truncated copy or a flipped bit is never served; it is deleted and trained again.
Training holds a lock per key, so two `make run` started together train once
(the second waits, or with `wait=False` reports that someone else is training).
When the cache directory cannot be written (read-only, full), the clone's
nlu/models/cache/ is tried instead; when neither works, training fails and the
bot carries on with buttons.

    python -m bot.nlu.model_store train     # `make nlu`: train unless cached
    python -m bot.nlu.model_store path      # the current model's archive
    python -m bot.nlu.model_store status    # cached, training (with progress) or missing
    python -m bot.nlu.model_store forget    # delete the current inputs' model (retrain next)
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.nlu import rasa_command
from bot.nlu.rasa_command import NLU_DIR

ARCHIVE = "nlu.tar.gz"
METADATA = "model.json"
# Before any training has been timed on this machine: 2 CPUs, nlu/README.md's figure.
DEFAULT_TRAIN_SECONDS = 540.0


def inputs() -> list[Path]:
    """Every file whose content shapes the trained model."""
    return [
        NLU_DIR / "config.yml",
        NLU_DIR / "domain.yml",
        NLU_DIR / "requirements.txt",
        Path(rasa_command.__file__),
        *sorted((NLU_DIR / "data").glob("*.yml")),
        *sorted((NLU_DIR / "components").glob("*.py")),
    ]


def inputs_key(config_text: str | None = None) -> str:
    """The model's name: a hash of its inputs (with `config_text` in place of config.yml)."""
    digest = hashlib.sha256()
    for path in inputs():
        content = path.read_bytes()
        if config_text is not None and path == NLU_DIR / "config.yml":
            content = config_text.encode()
        # The name as well as the content: a file moved from data/ to components/ counts.
        name = path.relative_to(NLU_DIR) if path.is_relative_to(NLU_DIR) else path.name
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:24]


def cache_roots() -> list[Path]:
    """Where models are kept, most preferred first."""
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [Path(xdg) / "raise-my-case" / "nlu", NLU_DIR / "models" / "cache"]


@dataclass(frozen=True)
class StoredModel:
    archive: Path
    train_seconds: float
    trained_at: str

    @property
    def directory(self) -> Path:
        return self.archive.parent


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified(directory: Path) -> StoredModel | None:
    """The model in `directory` if it is complete and intact, else None."""
    try:
        meta = json.loads((directory / METADATA).read_text())
        archive = directory / ARCHIVE
        if archive.stat().st_size != meta["size"] or _sha256(archive) != meta["sha256"]:
            return None
        return StoredModel(archive, float(meta["train_seconds"]), str(meta["trained_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find(key: str | None = None) -> StoredModel | None:
    """The cached model for `key` (the current inputs by default); a broken copy is removed."""
    key = key or inputs_key()
    for root in cache_roots():
        directory = root / key
        if not directory.exists():
            continue
        model = verified(directory)
        if model is not None:
            return model
        with contextlib.suppress(OSError):  # read-only: it is ignored all the same
            shutil.rmtree(directory)
    return None


class TrainingBusy(RuntimeError):
    """Another process is training the same model right now."""


class TrainingFailed(RuntimeError):
    """Rasa could not train, or no cache directory could be written."""


def _writable_root() -> Path:
    for root in cache_roots():
        try:
            root.mkdir(parents=True, exist_ok=True)
            probe = root / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return root
        except OSError:
            continue
    raise TrainingFailed(f"none of {', '.join(map(str, cache_roots()))} can be written")


def log_path(key: str | None = None) -> Path | None:
    """The log of the training of `key` under way or last tried, if any."""
    key = key or inputs_key()
    found = [root / f"{key}.log" for root in cache_roots() if (root / f"{key}.log").exists()]
    return max(found, key=lambda path: path.stat().st_mtime) if found else None


@contextlib.contextmanager
def _lock(root: Path, key: str, wait: bool) -> Iterator[None]:
    with (root / f"{key}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as busy:
            raise TrainingBusy(f"the model {key} is being trained by another process") from busy
        yield  # the lock goes with the file handle, also when the process dies


def train(config_text: str | None = None, *, wait: bool = True) -> StoredModel:
    """The model for the current inputs (with `config_text` as config.yml), trained if needed."""
    key = inputs_key(config_text)
    if model := find(key):
        return model
    root = _writable_root()
    with _lock(root, key, wait):
        if model := find(key):  # trained by whoever held the lock before us
            return model
        return _train_locked(root, key, config_text)


def _train_locked(root: Path, key: str, config_text: str | None) -> StoredModel:
    partial = root / f".{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)  # an interrupted training: we hold the lock
    try:
        partial.mkdir()
        config = None
        if config_text is not None:
            config = partial / "config.yml"
            config.write_text(config_text)
        started = time.monotonic()
        with (root / f"{key}.log").open("wb") as log:
            completed = subprocess.run(
                rasa_command.train_command(partial, config, nlu_dir=NLU_DIR),
                cwd=NLU_DIR,
                env=rasa_command.environment(nlu_dir=NLU_DIR),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        seconds = time.monotonic() - started
        archive = partial / ARCHIVE
        if completed.returncode != 0 or not archive.is_file():
            raise TrainingFailed(
                f"rasa train exited with {completed.returncode}; see {root / key}.log"
            )
        _check_archive(archive)
        shutil.copyfile(root / f"{key}.log", partial / "train.log")
        meta = {
            "size": archive.stat().st_size,
            "sha256": _sha256(archive),
            "train_seconds": round(seconds, 1),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (partial / METADATA).write_text(json.dumps(meta, indent=2) + "\n")  # last: complete
        target = root / key
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    except OSError as error:  # disk full, read-only half way: nothing half-written is kept
        raise TrainingFailed(f"could not store the model: {error}") from error
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    model = verified(target)
    if model is None:
        raise TrainingFailed(f"the stored model in {target} does not verify")
    return model


def _check_archive(archive: Path) -> None:
    """Rasa's archive reads to its end (a disk that filled up mid-write does not)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for _ in tar:
                pass
    except (OSError, tarfile.TarError, EOFError) as error:
        raise TrainingFailed(f"the trained archive is unreadable: {error}") from error


def expected_seconds() -> float:
    """How long a training takes here: the latest one timed on this machine, else a default."""
    times = []
    for root in cache_roots():
        for meta in root.glob(f"*/{METADATA}"):
            with contextlib.suppress(OSError, ValueError, KeyError):
                data = json.loads(meta.read_text())
                times.append((data["trained_at"], float(data["train_seconds"])))
    return max(times)[1] if times else DEFAULT_TRAIN_SECONDS


# A member of the seed ensemble (nlu/components/ensemble.py) reports its epochs in
# the training log as "seed ensemble member 2 of 3 | Epochs:  40%|… | 4/10 …".
_MEMBER_EPOCH = re.compile(
    r"seed ensemble member (\d+) of (\d+) \| Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+)")


def is_training(key: str | None = None) -> bool:
    """Whether some process holds the training lock of `key` now."""
    key = key or inputs_key()
    for root in cache_roots():
        try:
            with (root / f"{key}.lock").open("r") as handle:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            continue
    return False


def progress(key: str | None = None) -> str | None:
    """A line such as "3 classifiers side by side, epochs 4, 5 and 4 of 10" while `key` is
    being trained."""
    path = log_path(key)
    if path is None or not is_training(key):
        return None
    latest: dict[int, tuple[int, int, int]] = {}  # member -> (count, epoch, epochs)
    for match in _MEMBER_EPOCH.finditer(path.read_text(errors="replace")):
        member, count, epoch, epochs = (int(group) for group in match.groups())
        latest[member] = (count, epoch, epochs)
    if not latest:
        return "preparing the training data"
    count = max(count for count, _, _ in latest.values())
    epochs = max(total for _, _, total in latest.values())
    done = [str(latest[member][1]) if member in latest else "0"
            for member in range(1, count + 1)]
    listed = done[0] if count == 1 else ", ".join(done[:-1]) + " and " + done[-1]
    side_by_side = "1 classifier" if count == 1 else f"{count} classifiers side by side"
    return f"{side_by_side}, epoch{'s' if count > 1 else ''} {listed} of {epochs}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["train", "path", "status", "forget"])
    args = parser.parse_args(argv)
    if args.command == "train":
        if model := find():
            print(f"NLU model up to date ({model.archive})")
            return 0
        key = inputs_key()
        busy = is_training(key)
        print(
            ("Waiting for the NLU training under way" if busy else "Training the NLU model")
            + f" (about {expected_seconds() / 60:.0f} minutes in all; "
            f"log: {_writable_root() / key}.log)...",
            flush=True,
        )
        try:
            model = train()
        except TrainingFailed as error:
            path = log_path(key)
            if path is not None:
                sys.stderr.write("".join(path.read_text(errors="replace").splitlines(True)[-40:]))
            print(f"NLU training failed: {error}", file=sys.stderr)
            return 1
        print(f"NLU model trained in {model.train_seconds:.0f} s ({model.archive})")
        return 0
    if args.command == "forget":
        for root in cache_roots():
            shutil.rmtree(root / inputs_key(), ignore_errors=True)
        return 0
    model = find()
    if args.command == "path":
        if model is None:
            print("no NLU model for the current inputs: run `make nlu`", file=sys.stderr)
            return 1
        print(model.archive)
        return 0
    if model is not None:
        print(f"cached: {model.archive} (trained in {model.train_seconds:.0f} s)")
    elif (line := progress()) is not None:
        print(f"training: {line} (log: {log_path()})")
    else:
        print("missing: `make nlu` trains it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

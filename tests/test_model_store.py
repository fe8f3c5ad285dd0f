"""The model cache: train once per input, never serve a broken model, survive a bad cache.

Rasa itself is replaced here by a small stand-in executable (RASA_BIN) that
writes a real gzip archive into `--out` — training the real model takes minutes
and is what `make nlu` and the `rasa` tests do. The stand-in records each run, so
"trained once" is counted, not assumed.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.nlu import model_store, rasa_command

STAND_IN = """#!{python}
import io, os, sys, tarfile, time
from pathlib import Path
args = sys.argv[1:]
with open(os.environ["RUNS_FILE"], "a") as runs:
    runs.write(" ".join(args) + "\\n")
mode = os.environ.get("STAND_IN_MODE", "ok")
print("seed ensemble member 1 of 2 | Epochs:  50%|#####     | 10/20 [00:10<00:10]", flush=True)
print("seed ensemble member 2 of 2 | Epochs:  45%|####      | 9/20 [00:10<00:11]", flush=True)
if mode == "slow":
    time.sleep(float(os.environ.get("STAND_IN_SECONDS", "1.5")))
if mode == "fail":
    sys.exit(3)
out = Path(args[args.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
    data = os.urandom(50_000)
    info = tarfile.TarInfo("components/model.bin")
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))
blob = buffer.getvalue()
if mode == "truncated":
    blob = blob[: len(blob) // 2]
(out / "nlu.tar.gz").write_bytes(blob)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small NLU project, a stand-in Rasa, and a model cache of its own."""
    nlu = tmp_path / "nlu"
    (nlu / "data").mkdir(parents=True)
    (nlu / "components").mkdir()
    (nlu / "config.yml").write_text("pipeline: []\n")
    (nlu / "domain.yml").write_text("intents: [greet]\n")
    (nlu / "requirements.txt").write_text("rasa==3.6.21\n")
    (nlu / "data" / "en.yml").write_text("nlu: [hello]\n")
    (nlu / "components" / "tokenizer.py").write_text("# ours\n")
    rasa = tmp_path / "rasa"
    rasa.write_text(STAND_IN.format(python=sys.executable))
    rasa.chmod(0o755)
    monkeypatch.setattr(model_store, "NLU_DIR", nlu)
    monkeypatch.setenv("RASA_BIN", str(rasa))
    monkeypatch.setenv("RUNS_FILE", str(tmp_path / "runs.txt"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return nlu


def runs(project: Path) -> int:
    path = project.parent / "runs.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_a_model_is_trained_once_and_then_served_from_the_cache(project: Path) -> None:
    first = model_store.train()
    second = model_store.train()

    assert runs(project) == 1
    assert second.archive == first.archive
    assert first.archive.is_relative_to(project.parent / "cache" / "raise-my-case" / "nlu")
    assert model_store.find() == first


def test_changed_training_data_trains_a_new_model_and_keeps_the_old(project: Path) -> None:
    old = model_store.train()
    (project / "data" / "en.yml").write_text("nlu: [hello, hi]\n")

    assert model_store.find() is None
    new = model_store.train()

    assert runs(project) == 2
    assert new.archive != old.archive and old.archive.exists()


def test_a_comment_elsewhere_in_the_repository_does_not_retrain(project: Path) -> None:
    model_store.train()
    (project / "README.md").write_text("# notes\n")
    (project / "models").mkdir()

    assert model_store.find() is not None


def test_a_corrupted_archive_is_never_served_and_is_trained_again(project: Path) -> None:
    model = model_store.train()
    damaged = bytearray(model.archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    model.archive.write_bytes(bytes(damaged))

    assert model_store.find() is None
    assert not model.directory.exists()  # removed, not left to confuse the next look
    model_store.train()
    assert runs(project) == 2


def test_a_directory_without_its_metadata_is_a_partial_and_not_served(project: Path) -> None:
    model = model_store.train()
    (model.directory / model_store.METADATA).unlink()

    assert model_store.find() is None


def test_a_failed_training_leaves_nothing_behind_and_the_next_run_trains(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAND_IN_MODE", "fail")
    with pytest.raises(model_store.TrainingFailed, match="exited with 3"):
        model_store.train()
    root = project.parent / "cache" / "raise-my-case" / "nlu"
    assert [p.name for p in root.iterdir() if not p.name.endswith((".log", ".lock"))] == []

    monkeypatch.setenv("STAND_IN_MODE", "ok")
    assert model_store.train().archive.exists()


def test_an_archive_cut_short_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAND_IN_MODE", "truncated")
    with pytest.raises(model_store.TrainingFailed, match="unreadable"):
        model_store.train()
    assert model_store.find() is None


def test_an_unwritable_cache_falls_back_to_the_clone(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = project.parent / "not-a-directory"
    blocked.write_text("")  # a file where the cache directory should be: mkdir fails
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))

    model = model_store.train()

    assert model.archive.is_relative_to(project / "models" / "cache")
    assert model_store.find() == model


def test_no_writable_place_at_all_is_a_clear_failure(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = project.parent / "not-a-directory"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    (project / "models").write_text("")  # the clone's fallback blocked too

    with pytest.raises(model_store.TrainingFailed, match="can be written"):
        model_store.train()


def test_two_trainings_at_once_train_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAND_IN_MODE", "slow")
    results: list[model_store.StoredModel] = []
    first = threading.Thread(target=lambda: results.append(model_store.train()))
    first.start()
    deadline = time.monotonic() + 10
    while not model_store.is_training():
        assert time.monotonic() < deadline, "the first training never took its lock"
        time.sleep(0.02)

    with pytest.raises(model_store.TrainingBusy):
        model_store.train(wait=False)
    while "2 classifiers side by side, epochs 10 and 9 of 20" not in (model_store.progress() or ""):
        assert time.monotonic() < deadline, f"progress never shown: {model_store.progress()}"
        time.sleep(0.02)
    second = model_store.train()  # waits for the first, then finds its model
    first.join()

    assert runs(project) == 1
    assert second == results[0]
    assert model_store.progress() is None  # nobody trains any more


def test_a_training_killed_half_way_is_trained_again_next_time(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAND_IN_MODE", "slow")
    monkeypatch.setenv("STAND_IN_SECONDS", "30")
    code = "import sys; from bot.nlu import model_store; model_store.NLU_DIR = __import__('pathlib').Path(sys.argv[1]); model_store.train()"  # noqa: E501
    killed = subprocess.Popen([sys.executable, "-c", code, str(project)], env=os.environ.copy())
    deadline = time.monotonic() + 20
    while not model_store.is_training():
        assert time.monotonic() < deadline, "the training never started"
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait()

    monkeypatch.setenv("STAND_IN_MODE", "ok")
    model = model_store.train()  # the dead process's lock went with it

    assert model.archive.exists()
    root = model.directory.parent
    assert not list(root.glob(".*.partial"))  # its half-written directory is gone


def test_rasa_runs_with_our_environment_whatever_the_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At DEBUG, Rasa would log every message's text.
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    env = rasa_command.environment()
    assert env["LOG_LEVEL"] == "INFO"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"


def test_the_command_script_works_alone_as_in_the_rasa_image(tmp_path: Path) -> None:
    # The Dockerfile copies rasa_command.py into the Rasa project directory, without the bot.
    image = tmp_path / "image"
    image.mkdir()
    (image / "config.yml").write_text("pipeline: []\n")
    script = image / "rasa_command.py"
    script.write_text(Path(rasa_command.__file__).read_text())
    recorder = tmp_path / "rasa"
    recorder.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        "print(json.dumps({'argv': sys.argv[1:], 'cwd': os.getcwd(), "
        "'telemetry': os.environ.get('RASA_TELEMETRY_ENABLED')}))\n"
    )
    recorder.chmod(0o755)

    done = subprocess.run(
        [sys.executable, str(script), "serve", "--model", "models/nlu.tar.gz", "--host", "0.0.0.0"],
        cwd=image,
        env={**os.environ, "RASA_BIN": str(recorder)},
        capture_output=True,
        text=True,
        check=True,
    )

    import json

    seen = json.loads(done.stdout)
    assert seen["cwd"] == str(image)
    assert seen["telemetry"] == "false"
    assert seen["argv"][:2] == ["run", "--enable-api"]
    assert str(image / "models" / "nlu.tar.gz") in seen["argv"]


def test_rasa_is_given_absolute_paths_because_it_runs_in_nlu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given "nlu/models/x.tar.gz" from the repository root, Rasa (working in nlu/) found
    # nothing there and quietly served the newest model of its own models/ instead.
    monkeypatch.chdir(tmp_path)
    serve = rasa_command.serve_command(Path("models/variant.tar.gz"))
    train = rasa_command.train_command(Path("out"), Path("variant.yml"))
    assert str(tmp_path / "models" / "variant.tar.gz") in serve
    assert str(tmp_path / "out") in train and str(tmp_path / "variant.yml") in train


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--looks-like-an-option", "plain"])
def test_a_token_that_starts_with_a_dash_still_reaches_rasa(token: str) -> None:
    """A fresh token_urlsafe starts with "-" once in 64 starts; Rasa's argparse then took it
    for an option and refused to start (seen in `make chat`)."""
    parser = argparse.ArgumentParser()  # the way `rasa run` declares it
    parser.add_argument("-t", "--auth-token", type=str)
    command = rasa_command.serve_command(Path("model.tar.gz"), auth_token=token)
    options = [arg for arg in command if arg.startswith("--auth-token")]
    assert parser.parse_args(options).auth_token == token

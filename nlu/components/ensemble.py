"""A seed ensemble of DIET classifiers, trained side by side, as one pipeline component.

Why an ensemble: the same data trained with another random seed moves single
languages' situation F1 by up to 0.08 (nlu/results/seed_spread.md), so one
training's answer for a borderline message is partly chance. Averaging the
confidences of a few DIETs that differ only in their seed keeps what they agree on
and smooths what one of them guessed.

Why one component that starts processes: Rasa trains its graph one node at a time,
and DIET's training loop holds the GIL, so three DIETs in the pipeline took three
times one DIET on one core, however many cores the machine had. Here each member
is trained by `components.seed_member` in a process of its own, all at once, on
the features the pipeline computed once; the member persists itself like any
DIETClassifier into this model's storage, and is loaded with DIETClassifier.load.
The members, their seeds and their parse answers are the same as when they were
three nodes of the pipeline.

Only the first member extracts entities; the others classify intents only. The
averaged ranking (averaging.py) becomes the intent and ranking that the rest of the
pipeline (FallbackClassifier) and the bot read.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import ENTITY_RECOGNITION

from components.averaging import average_rankings

log = logging.getLogger(__name__)

# For scripts/nlu_training_cost.py only: with this variable set in the server's
# environment, the parse answer also carries every member's own ranking, so one
# trained ensemble of n DIETs is also scored as ensembles of 1..n-1. The bot never
# sets it (its client ignores the extra key anyway).
MEMBER_RANKINGS = "member_rankings"
EXPOSE_MEMBERS_ENV = "NLU_EXPOSE_MEMBER_RANKINGS"
# How a member's training progress appears in the training log (bot.nlu.model_store
# reads it for `make nlu-status`; scripts/nlu_training_cost.py for the minutes).
PROGRESS_PREFIX = "seed ensemble member {number} of {count} | "
_COMPONENTS_ROOT = Path(__file__).resolve().parent.parent


class MemberTrainingFailed(RuntimeError):
    """A member's process failed: no model is made from the others."""


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
     DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class DIETSeedEnsemble(GraphComponent):
    """DIETs with the same `diet` settings and one seed each, their rankings averaged."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"seeds": [2024], "diet": {}, "ranking_length": 10}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 members: list[DIETClassifier] | None = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._members = members or []

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DIETSeedEnsemble:
        return cls(config, model_storage, resource)

    def _member_configs(self) -> list[dict[str, Any]]:
        """Each member's full DIET configuration: the shared settings and its seed; ranking
        every intent (ranking_length 0), since the average needs them all."""
        entities = bool(self._config["diet"].get("entity_recognition", True))
        return [
            {**DIETClassifier.get_default_config(), **self._config["diet"],
             "random_seed": seed, "ranking_length": 0,
             "entity_recognition": number == 0 and entities}
            for number, seed in enumerate(self._config["seeds"])
        ]

    def _member_resource(self, number: int) -> Resource:
        return Resource(f"{self._resource.name}_member{number}")

    def train(self, training_data: TrainingData) -> Resource:
        configs = self._member_configs()
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="seed-ensemble-") as scratch:
            data_file = Path(scratch) / "training_data.pickle"
            with data_file.open("wb") as handle:
                pickle.dump(training_data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            running = []
            for number, config in enumerate(configs):
                resource = self._member_resource(number)
                # write_to makes the member's directory in this model's storage; the
                # member's process opens the same storage to persist into it.
                with self._model_storage.write_to(resource) as directory:
                    storage_root = directory.parent
                spec = Path(scratch) / f"member{number}.json"
                spec.write_text(json.dumps({
                    "training_data": str(data_file), "config": config,
                    "storage": str(storage_root), "resource": resource.name,
                    "parent": os.getpid()}))
                running.append(_start_member(spec, number + 1, len(configs)))
            log.info("seed ensemble: training %d members side by side", len(configs))
            failed = _wait_for_all(running)
        if failed:
            raise MemberTrainingFailed(f"seed ensemble member {failed} failed; see the log")
        log.info("seed ensemble: %d members trained in %.0f s", len(configs),
                 time.monotonic() - started)
        with self._model_storage.write_to(self._resource) as directory:
            # Which seeds made the members, for whoever opens the archive.
            (directory / "members.json").write_text(json.dumps(self._config["seeds"]))
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> DIETSeedEnsemble:
        ensemble = cls(config, model_storage, resource)
        members = []
        for number, member_config in enumerate(ensemble._member_configs()):
            member = ensemble._member_resource(number)
            # DIETClassifier.load quietly returns an untrained classifier when its files
            # are missing; a model missing a member must fail to load instead.
            with model_storage.read_from(member):
                pass
            members.append(DIETClassifier.load(member_config, model_storage, member,
                                               execution_context))
        ensemble._members = members
        return ensemble

    def process(self, messages: list[Message]) -> list[Message]:
        expose = os.environ.get(EXPOSE_MEMBERS_ENV) == "1"
        for message in messages:
            members = self._member_rankings(message)  # the first one also adds entities
            ranking = average_rankings(members, keep=self._config["ranking_length"])
            if expose:
                message.set(MEMBER_RANKINGS, members, add_to_output=True)
            # No ranking (nothing the model knows in the message): no intent, as DIET says it.
            message.set(INTENT, dict(ranking[0]) if ranking else {"name": None, "confidence": 0.0},
                        add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def _member_rankings(self, message: Message) -> list[list[dict[str, Any]]]:
        """Each member's ranking of every intent for `message`; entities from the first.

        What DIETClassifier.process does per member, with the model's input built once:
        the members share their featurizers and settings (only the seed differs), so
        their inputs for one message are the same, and building them (stacking the
        sparse features) was a third of a parse's CPU when each member did it itself.
        The private methods used are Rasa 3.6's (nlu/requirements.txt pins it).
        """
        first = self._members[0]
        model_data = first._create_model_data([message], training=False)
        rankings = []
        for number, member in enumerate(self._members):
            out = (None if member.model is None or model_data.is_empty()
                   else member.model.run_inference(model_data))
            rankings.append(member._predict_label(out)[1])
            if number == 0 and member.component_config[ENTITY_RECOGNITION]:
                message.set(ENTITIES, member._predict_entities(out, message),
                            add_to_output=True)
        return rankings


class _MemberProcess:
    """A member's training process and the thread copying its output to the log."""

    def __init__(self, process: subprocess.Popen[bytes], copier: threading.Thread) -> None:
        self.process = process
        self.copier = copier

    def finished(self) -> int | None:
        """The exit code once the process has ended and its output is copied, else None."""
        code = self.process.poll()
        if code is not None:
            self.copier.join()
        return code

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()
        self.copier.join()


def _wait_for_all(members: list[_MemberProcess]) -> int | None:
    """Waits for every member; the number (from 1) of the first that failed, or None.

    One failure stops the others at once: no model is made without all of them, and
    each would spend minutes more on the CPUs.
    """
    while True:
        codes = [member.finished() for member in members]
        failed = next((number for number, code in enumerate(codes, start=1)
                       if code not in (None, 0)), None)
        if failed is not None:
            for member in members:
                if member.finished() is None:
                    member.stop()
            return failed
        if all(code == 0 for code in codes):
            return None
        time.sleep(1.0)


def _start_member(spec: Path, number: int, count: int) -> _MemberProcess:
    """A member's training process; its output reaches the training log, prefixed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(_COMPONENTS_ROOT), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "components.seed_member", str(spec)],
        cwd=_COMPONENTS_ROOT, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    prefix = PROGRESS_PREFIX.format(number=number, count=count)
    copier = threading.Thread(target=_forward, args=(process.stdout, prefix), daemon=True)
    copier.start()
    return _MemberProcess(process, copier)


def _forward(stream: IO[bytes], prefix: str) -> None:
    """Copies a member's progress and any traceback to our output (the training log).

    tqdm's carriage-return updates become lines of their own, so the log can be read
    while it grows. The libraries' import-time deprecation warnings, which Rasa hides
    in its own process, are left out.
    """
    pending, failing = b"", False

    def emit(raw: bytes) -> None:
        nonlocal failing
        line = raw.decode(errors="replace")
        failing = failing or line.startswith("Traceback")
        if line.strip() and (failing or "Epochs:" in line):
            sys.stderr.write(prefix + line + "\n")

    while chunk := stream.read1(4096):  # type: ignore[attr-defined]
        pending += chunk.replace(b"\r", b"\n")
        *lines, pending = pending.split(b"\n")
        for line in lines:
            emit(line)
        sys.stderr.flush()
    emit(pending)

"""Trains one member of the seed ensemble, in a process of its own.

Run by components.seed_ensemble as `python -m components.seed_member SPEC`, where
SPEC is a JSON file naming the featurized training data (a pickle written by the
ensemble), the DIET configuration, the model storage directory and the resource to
write. The member persists itself there like any DIETClassifier, so the ensemble
loads it with DIETClassifier.load.

A process, not a thread: DIET's training loop holds the GIL, so threads share one
core; processes use every core (measured in nlu/README.md).
"""

from __future__ import annotations

import ctypes
import json
import os
import pickle
import signal
import sys
from pathlib import Path
from typing import Any


def train_member(spec: dict[str, Any]) -> None:
    # Imported here, not at the top: Rasa and TensorFlow take seconds to import, and
    # the parent-death signal must be set before them (see _end_with_parent).
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    with Path(spec["training_data"]).open("rb") as handle:
        training_data = pickle.load(handle)  # our own file, written by the ensemble just now
    storage = LocalModelStorage(Path(spec["storage"]))
    resource = Resource(spec["resource"])
    context = ExecutionContext(GraphSchema({}), node_name=spec["resource"])
    DIETClassifier.create(spec["config"], storage, resource, context).train(training_data)


def _end_with_parent(parent: int) -> None:
    """Stop when the training that started us stops (killed, interrupted): a member left
    running would spend minutes of CPU on a model nobody will keep. Linux's
    PR_SET_PDEATHSIG; elsewhere the member just finishes on its own."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent was gone before the call
            sys.exit(1)


if __name__ == "__main__":
    spec = json.loads(Path(sys.argv[1]).read_text())
    _end_with_parent(spec["parent"])
    train_member(spec)

"""A seed ensemble of DIET classifiers, as two small pipeline components.

Why: the same data trained with another random seed moves single languages'
situation F1 by up to 0.08 (nlu/results/seed_spread.md), so one training's answer
for a borderline message is partly chance. Averaging the confidences of a few
DIETs that differ only in their seed keeps what they agree on and smooths what
one of them guessed.

In config.yml each DIET but the last is followed by `KeepIntentRanking`, which
sets its ranking aside before the next DIET overwrites it; `AverageIntentRankings`
after the last DIET averages them all (averaging.py) and writes the intent and
ranking the rest of the pipeline (FallbackClassifier) and the bot read. Only the
first DIET extracts entities; the others classify intents only.
"""

from __future__ import annotations

import os
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from components.averaging import average_rankings

# Where earlier DIETs' rankings wait; not an output property, so it never reaches
# the parse answer.
KEPT_RANKINGS = "seed_ensemble_rankings"
# For scripts/nlu_training_cost.py only: with this variable set in the server's
# environment, the parse answer also carries every member's own ranking, so one
# trained ensemble of n DIETs is also scored as ensembles of 1..n-1. The bot never
# sets it (its client ignores the extra key anyway).
MEMBER_RANKINGS = "member_rankings"
EXPOSE_MEMBERS_ENV = "NLU_EXPOSE_MEMBER_RANKINGS"


def _kept_and_current(message: Message) -> list[list[dict[str, Any]]]:
    return [*message.get(KEPT_RANKINGS, []), message.get(INTENT_RANKING_KEY) or []]


class _Stateless(GraphComponent):
    """Nothing to train or persist."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Stateless:
        return cls(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class KeepIntentRanking(_Stateless):
    """Sets the ranking of the DIET just before it aside for AverageIntentRankings."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            message.set(KEPT_RANKINGS, _kept_and_current(message))
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AverageIntentRankings(_Stateless):
    """Replaces the last DIET's intent and ranking by the average of all kept ones."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"ranking_length": 10}

    def process(self, messages: list[Message]) -> list[Message]:
        expose = os.environ.get(EXPOSE_MEMBERS_ENV) == "1"
        for message in messages:
            members = _kept_and_current(message)
            ranking = average_rankings(members, keep=self._config["ranking_length"])
            if expose:
                message.set(MEMBER_RANKINGS, members, add_to_output=True)
            if ranking:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

"""The seed ensemble's averaging: what several DIETs agree on wins, one model's guess does not.

nlu/components/averaging.py is the arithmetic behind DIETSeedEnsemble; the
real server test (test_nlu_rasa.py) covers it inside Rasa.
"""

from __future__ import annotations

import pytest

from tests.nlu_components import load_component_module

averaging = load_component_module("averaging")


def _ranking(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_two_models_leaning_one_way_outweigh_a_third_leaning_the_other() -> None:
    rankings = [
        _ranking(("detained", 0.9), ("on_behalf+detained", 0.1)),
        _ranking(("on_behalf+detained", 0.8), ("detained", 0.2)),
        _ranking(("on_behalf+detained", 0.7), ("detained", 0.3)),
    ]

    averaged = averaging.average_rankings(rankings)

    assert [entry["name"] for entry in averaged] == ["on_behalf+detained", "detained"]
    assert averaged[0]["confidence"] == pytest.approx((0.1 + 0.8 + 0.7) / 3)


def test_an_intent_missing_from_a_cut_ranking_counts_as_zero_there() -> None:
    rankings = [_ranking(("refused", 0.7), ("removal", 0.3)), _ranking(("delayed", 1.0))]

    averaged = {e["name"]: e["confidence"] for e in averaging.average_rankings(rankings)}

    assert averaged == pytest.approx({"delayed": 0.5, "refused": 0.35, "removal": 0.15})


def test_a_model_with_no_answer_does_not_drag_the_others_down() -> None:
    rankings = [[], _ranking(("no_lawyer", 0.8), ("refused", 0.2))]

    averaged = averaging.average_rankings(rankings)

    assert averaged[0] == {"name": "no_lawyer", "confidence": pytest.approx(0.8)}
    assert averaging.average_rankings([[], []]) == []


def test_the_ranking_is_cut_to_its_length_and_ties_go_to_the_first_model() -> None:
    names = [f"intent_{n}" for n in range(12)]
    first = _ranking(*((name, 1 / 12) for name in names))
    second = _ranking(*((name, 1 / 12) for name in reversed(names)))

    averaged = averaging.average_rankings([first, second], keep=10)

    assert [entry["name"] for entry in averaged] == names[:10]
    assert len(averaging.average_rankings([first, second], keep=0)) == 12

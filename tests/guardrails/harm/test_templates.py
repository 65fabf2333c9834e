from __future__ import annotations

import pytest

from raikit.guardrails.harm import ANY, CATEGORIES
from training.harm.templates import functional_cases
from training.harm.templates import HELDOUT_GROUPS, TRAIN_GROUPS


@pytest.fixture(scope="module")
def train() -> list:
    return functional_cases("train")


@pytest.fixture(scope="module")
def heldout() -> list:
    return functional_cases("heldout")


def test_splits_share_no_text_and_no_group(train: list, heldout: list) -> None:
    assert not {c.text for c in train} & {c.text for c in heldout}
    assert not {g[0] for g in TRAIN_GROUPS} & {g[0] for g in HELDOUT_GROUPS}
    assert not {c.template for c in train} & {c.template for c in heldout}


def test_every_case_has_full_consistent_labels(train: list, heldout: list) -> None:
    for case in train + heldout:
        assert set(case.labels) == {*CATEGORIES, ANY}
        harmful = any(case.labels[c] for c in CATEGORIES if c != "offensive")
        assert case.labels[ANY] == int(harmful)
        assert case.hateful == bool(case.labels["hate"])
        if case.labels["hate/threatening"]:
            assert case.labels["hate"] and case.labels["violence"]


@pytest.mark.parametrize(
    "functionality",
    [
        "negated_hate",
        "counter_speech",
        "neutral_identity",
        "positive_identity",
        "profanity",
        "threat",
        "slur_spelling",
        "hate_at_you",
        "dehumanisation",
    ],
)
def test_heldout_covers_the_hard_functionalities(heldout: list, functionality: str) -> None:
    assert any(c.functionality == functionality for c in heldout)


def test_deterministic() -> None:
    assert functional_cases("heldout", seed=3) == functional_cases("heldout", seed=3)


def test_bad_split() -> None:
    with pytest.raises(ValueError, match="split"):
        functional_cases("test")

from __future__ import annotations

import random

import pytest

from training.harm.perturb import VARIATIONS, perturb


@pytest.mark.parametrize("kind", VARIATIONS)
def test_each_variation_changes_the_text(kind: str) -> None:
    text = "those people are vermin"
    out = perturb(text, kind, random.Random(1), word="vermin")
    assert out != text
    if kind != "joined":
        assert out.startswith("those people are ")


def test_same_seed_same_output() -> None:
    a = [perturb("they are disgusting", k, random.Random(5)) for k in VARIATIONS]
    b = [perturb("they are disgusting", k, random.Random(5)) for k in VARIATIONS]
    assert a == b


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind"):
        perturb("text", "rot13", random.Random(0))

"""Disaggregation against a hand computation, seeded bootstrap, the paired test."""

from __future__ import annotations

import random

import pytest

from raikit.audits.bias import bootstrap_ci, disaggregate, paired_test
from raikit.errors import InputError

# A small fixed table: (group, score).
TABLE = [("a", 0.2), ("a", 0.4), ("a", 0.9), ("b", 0.1), ("b", 0.1), ("c", 0.5), ("c", 0.7), ("c", 0.3), ("c", 0.5)]


def test_metricframe_matches_hand_computation():
    groups = [g for g, _ in TABLE]
    scores = [s for _, s in TABLE]
    gap = disaggregate(scores, groups, seed=0, n_resamples=200)
    means = {"a": (0.2 + 0.4 + 0.9) / 3, "b": 0.1, "c": (0.5 + 0.7 + 0.3 + 0.5) / 4}
    assert list(gap.groups) == ["a", "b", "c"]  # order of first appearance
    for group, mean in means.items():
        assert gap.groups[group]["mean"] == pytest.approx(mean, abs=1e-6)
        assert gap.groups[group]["n"] == groups.count(group)
    assert gap.difference == pytest.approx(max(means.values()) - min(means.values()), abs=1e-6)
    assert gap.ratio == pytest.approx(min(means.values()) / max(means.values()), abs=1e-6)


def test_ratio_is_none_for_signed_scores():
    gap = disaggregate([-0.5, -0.1, 0.4, 0.6], ["x", "x", "y", "y"], n_resamples=50)
    assert gap.ratio is None
    assert gap.difference == pytest.approx(0.5 - (-0.3))


def test_disaggregate_rejects_mismatched_input():
    with pytest.raises(InputError, match="differ in length"):
        disaggregate([1.0], ["a", "b"])
    with pytest.raises(InputError, match="at least one"):
        disaggregate([], [])


def test_bootstrap_is_seeded_and_contains_the_mean():
    rng = random.Random(1)
    values = [rng.gauss(0.3, 1.0) for _ in range(200)]
    mean = sum(values) / len(values)
    first = bootstrap_ci(values, seed=7)
    assert first == bootstrap_ci(values, seed=7)
    assert first != bootstrap_ci(values, seed=8)
    low, high = first
    assert low < mean < high
    assert high - low < 0.5  # about 4 standard errors of 1/sqrt(200)
    narrow = bootstrap_ci(values, seed=7, confidence=0.5)
    assert low < narrow[0] < narrow[1] < high
    assert bootstrap_ci([0.4], seed=0) == (0.4, 0.4)
    with pytest.raises(InputError):
        bootstrap_ci([], seed=0)


@pytest.mark.parametrize("method", ["wilcoxon", "permutation"])
def test_paired_test_detects_a_built_in_difference_and_not_a_null_one(method):
    rng = random.Random(3)
    base = [rng.gauss(0.0, 1.0) for _ in range(80)]
    shifted = [b + 0.5 + rng.gauss(0.0, 0.3) for b in base]
    noisy = [b + rng.gauss(0.0, 0.3) for b in base]
    hit = paired_test(base, shifted, method=method, seed=0, n_resamples=2000)
    assert hit.p_value < 0.001
    assert hit.ci[0] < hit.mean_difference < hit.ci[1]
    assert hit.ci[0] > 0.3
    null = paired_test(base, noisy, method=method, seed=0, n_resamples=2000)
    assert null.p_value > 0.05
    assert null.ci[0] < 0 < null.ci[1]
    assert hit.n_pairs == 80


def test_paired_test_edge_cases():
    same = paired_test([1.0, 2.0], [1.0, 2.0])
    assert same.p_value == 1.0 and same.mean_difference == 0.0
    with pytest.raises(InputError, match="differ in length"):
        paired_test([1.0], [1.0, 2.0])
    with pytest.raises(InputError, match="method"):
        paired_test([1.0], [2.0], method="t-test")  # type: ignore[arg-type]

"""Statistics: per-group disaggregation (fairlearn ``MetricFrame``), seeded bootstrap
intervals and the paired test for counterfactual pairs.

numpy, pandas, fairlearn and scipy are imported inside the functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from raikit.errors import InputError, MissingDependencyError

BIAS_INSTALL = "pip install 'raikit[bias]'"
PairedMethod = Literal["wilcoxon", "permutation"]
TEST_NAMES = {"wilcoxon": "wilcoxon signed-rank", "permutation": "paired permutation (sign flip)"}


def _round(value: float | None, digits: int = 6) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def bootstrap_ci(
    values: Sequence[float],
    *,
    seed: int | Sequence[int] = 0,
    n_resamples: int = 1000,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean, seeded (``scipy.stats.bootstrap``).

    Args:
        values: The sample.
        seed: Seed (or seed sequence) of the resampling; the same seed gives the same interval.
        n_resamples: Bootstrap resamples.
        confidence: Interval coverage.

    Returns:
        ``(low, high)``; ``(mean, mean)`` for a sample of one or a constant sample.

    Raises:
        InputError: The sample is empty.
        MissingDependencyError: scipy is not installed.

    Example:
        >>> low, high = bootstrap_ci([0.0, 1.0, 1.0, 0.0, 1.0], seed=0)
        >>> low <= 0.6 <= high
        True
    """
    import numpy as np

    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise InputError("bootstrap_ci needs at least one value")
    if not np.all(np.isfinite(data)):
        return math.nan, math.nan  # no interval for a sample with NaN scores
    if data.size == 1 or np.all(data == data[0]):
        return float(data[0]), float(data[0])
    try:
        from scipy.stats import bootstrap
    except ImportError as err:
        raise MissingDependencyError("scipy", BIAS_INSTALL) from err
    result = bootstrap(
        (data,),
        np.mean,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        vectorized=True,
        batch=max(1, 2_000_000 // data.size),  # bounded memory for large groups
        rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def _mean_metric(y_true: Any, y_pred: Any) -> float:
    """MetricFrame metric: the mean score (``y_true`` is a placeholder copy)."""
    import numpy as np

    return float(np.mean(np.asarray(y_pred, dtype=float)))


@dataclass(frozen=True)
class GroupGap:
    """Per-group means and the between-group gaps of one metric.

    Attributes:
        groups: ``{group: {"n", "mean", "ci"}}`` in the order groups were given.
        difference: Largest minus smallest group mean (fairlearn ``difference()``); ``None``
            when a group's mean is not a finite number (NaN scores): a gap that could not be
            measured, which a gate treats as failed.
        ratio: Smallest over largest group mean (fairlearn ``ratio()``); ``None`` when a
            group mean is negative (a ratio of signed scores means nothing) or not finite.
    """

    groups: dict[str, dict[str, Any]]
    difference: float | None
    ratio: float | None


def disaggregate(
    scores: Sequence[float],
    groups: Sequence[str],
    *,
    seed: int | Sequence[int] = 0,
    n_resamples: int = 1000,
    confidence: float = 0.95,
) -> GroupGap:
    """Per-group means (with bootstrap intervals) and gaps, with fairlearn's ``MetricFrame``.

    The group is the sensitive feature; the metric is the mean score.

    Args:
        scores: One score per output.
        groups: The group of each output.
        seed: Seeds the bootstrap (each group gets its own stream).
        n_resamples: Bootstrap resamples per group.
        confidence: Interval coverage.

    Example:
        >>> gap = disaggregate([1.0, 0.0, 1.0, 1.0], ["a", "a", "b", "b"])
        >>> gap.groups["a"]["mean"], gap.difference, gap.ratio
        (0.5, 0.5, 0.5)
    """
    try:
        import numpy as np
        from fairlearn.metrics import MetricFrame
    except ImportError as err:
        raise MissingDependencyError("fairlearn", BIAS_INSTALL) from err
    if len(scores) != len(groups):
        raise InputError(f"scores and groups differ in length ({len(scores)} vs {len(groups)})")
    if not scores:
        raise InputError("disaggregate needs at least one score")
    base_seed = [int(seed)] if isinstance(seed, int) else [int(s) for s in seed]
    values = np.asarray(scores, dtype=float)
    labels = np.asarray([str(g) for g in groups], dtype=object)
    frame = MetricFrame(metrics=_mean_metric, y_true=values, y_pred=values, sensitive_features=labels)
    by_group = frame.by_group
    order = list(dict.fromkeys(labels.tolist()))
    out: dict[str, dict[str, Any]] = {}
    for index, group in enumerate(order):
        member = values[labels == group]
        low, high = bootstrap_ci(member, seed=[*base_seed, index], n_resamples=n_resamples,
                                 confidence=confidence)
        out[group] = {"n": int(member.size), "mean": _round(float(by_group[group])),
                      "ci": [_round(low), _round(high)]}
    means = [float(by_group[g]) for g in order]
    if not all(math.isfinite(m) for m in means):
        # fairlearn skips NaN groups and would report a gap of 0.0 between the rest.
        return GroupGap(groups=out, difference=None, ratio=None)
    difference = float(frame.difference(method="between_groups"))
    ratio: float | None = float(frame.ratio(method="between_groups"))
    if any(m < 0 for m in means):
        ratio = None
    return GroupGap(groups=out, difference=_round(difference),
                    ratio=_round(ratio) if ratio is not None else None)


@dataclass(frozen=True)
class PairedResult:
    """The paired comparison of two groups over counterfactual pairs.

    Attributes:
        n_pairs: Number of pairs.
        mean_difference: Mean of ``b - a`` over pairs.
        ci: Bootstrap interval of the mean difference.
        p_value: Two-sided p-value (1.0 when every difference is zero).
        test: The test's name.
    """

    n_pairs: int
    mean_difference: float
    ci: tuple[float, float]
    p_value: float
    test: str


def paired_test(
    a: Sequence[float],
    b: Sequence[float],
    *,
    method: PairedMethod = "wilcoxon",
    seed: int | Sequence[int] = 0,
    n_resamples: int = 10_000,
    confidence: float = 0.95,
) -> PairedResult:
    """Test whether paired scores differ: Wilcoxon signed-rank (scipy) or a sign-flip
    permutation test, plus a bootstrap interval of the mean difference ``b - a``.

    Args:
        a: Scores of the first group, one per pair.
        b: Scores of the second group, aligned with ``a``.
        method: ``"wilcoxon"`` or ``"permutation"``.
        seed: Seeds the permutation test and the bootstrap.
        n_resamples: Permutations (the bootstrap uses ``min(n_resamples, 2000)``).
        confidence: Interval coverage.

    Example:
        >>> r = paired_test([0.0] * 20, [1.0] * 20)
        >>> r.mean_difference, r.p_value < 0.001
        (1.0, True)
    """
    import numpy as np

    if len(a) != len(b):
        raise InputError(f"paired samples differ in length ({len(a)} vs {len(b)})")
    if len(a) == 0:
        raise InputError("paired_test needs at least one pair")
    if method not in TEST_NAMES:
        raise InputError(f"method must be one of {sorted(TEST_NAMES)}, got {method!r}")
    diff = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    low, high = bootstrap_ci(diff, seed=seed, n_resamples=min(n_resamples, 2000), confidence=confidence)
    if not np.any(diff != 0):
        p_value = 1.0
    elif method == "wilcoxon":
        try:
            from scipy.stats import wilcoxon
        except ImportError as err:
            raise MissingDependencyError("scipy", BIAS_INSTALL) from err
        p_value = float(wilcoxon(diff, zero_method="wilcox", alternative="two-sided").pvalue)
    else:
        rng = np.random.default_rng(seed)
        observed = abs(diff.mean())
        hits = 0
        chunk = max(1, 2_000_000 // diff.size)
        for start in range(0, n_resamples, chunk):
            size = min(chunk, n_resamples - start)
            signs = rng.choice(np.array([-1.0, 1.0]), size=(size, diff.size))
            hits += int(np.sum(np.abs((signs * diff).mean(axis=1)) >= observed - 1e-12))
        p_value = (hits + 1) / (n_resamples + 1)
    return PairedResult(
        n_pairs=int(diff.size),
        mean_difference=float(diff.mean()),
        ci=(float(low), float(high)),
        p_value=float(p_value),
        test=TEST_NAMES[method],
    )

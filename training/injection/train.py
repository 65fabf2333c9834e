"""Fit the injection head: MLP over frozen MiniLM window features, Platt-calibrated per output.

Shared by ``scripts/train_injection_model.py`` (the shipped head, all data) and
``benchmarks/injection.py`` (one head per held-out source). A text's logits are the max over
its windows, as at inference. Calibration: out-of-fold logits over 3 group folds, then one
logistic fit per output.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence

import numpy as np

from raikit.guardrails.harm._head import Head
from training.features import Features, sorted_windows, text_logits, train_window_mlp, windows_of
from training.injection.data import OUTPUTS, SEED, Example

logger = logging.getLogger(__name__)

HIDDEN = 128
EPOCHS = 30
FOLDS = 3
SOURCE_CAP = 800.0
"""A source with more examples than this shares a total weight of this many examples."""
SOURCE_WEIGHT = {"written_benign": 2.0}
"""Extra weight of a source: raikit's written look-alikes are the hard negatives."""


def label_arrays(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, known-mask and per-example weights (sources capped at :data:`SOURCE_CAP`)."""
    y = np.zeros((len(examples), len(OUTPUTS)), np.float32)
    m = np.zeros_like(y)
    for i, ex in enumerate(examples):
        for j, value in enumerate(ex.labels):
            if value is not None:
                y[i, j], m[i, j] = value, 1.0
    counts: dict[str, int] = {}
    for ex in examples:
        counts[ex.source] = counts.get(ex.source, 0) + 1
    w = np.array(
        [min(1.0, SOURCE_CAP / counts[ex.source]) * SOURCE_WEIGHT.get(ex.source, 1.0) for ex in examples], np.float32
    )
    return y, m, w


def _mlp(x: np.ndarray, owner: np.ndarray, y: np.ndarray, m: np.ndarray, w: np.ndarray, seed: int) -> Head:
    return train_window_mlp(
        x, owner, y, m, w, outputs=OUTPUTS, any_covers=("direct", "jailbreak"), hidden=HIDDEN, epochs=EPOCHS,
        batch=512, seed=seed,
    )


def fit_head(
    examples: Sequence[Example], features: Features, seed: int = SEED
) -> Head:
    """Train and calibrate a head on ``examples`` (``features`` encodes a list of texts)."""
    from sklearn.linear_model import LogisticRegression

    x, owner = sorted_windows(features([e.text for e in examples]))
    y, m, w = label_arrays(examples)
    groups = sorted({e.group for e in examples})
    fold_of = {g: i % FOLDS for i, g in enumerate(random.Random(seed).sample(groups, len(groups)))}
    fold = np.array([fold_of[e.group] for e in examples])
    oof = np.zeros_like(y)
    for k in range(FOLDS):
        train, test = np.where(fold != k)[0], np.where(fold == k)[0]
        head = _mlp(*windows_of(x, owner, train), y[train], m[train], w[train], seed + k)
        oof[test] = text_logits(head, *windows_of(x, owner, test), len(test))
    head = _mlp(x, owner, y, m, w, seed)
    for j, name in enumerate(OUTPUTS):
        known = m[:, j] > 0
        lr = LogisticRegression(C=100.0, max_iter=1000).fit(
            oof[known, j].reshape(-1, 1), y[known, j].astype(int), sample_weight=w[known]
        )
        head.arrays["platt_a"][j] = max(float(lr.coef_[0, 0]), 1e-3)
        head.arrays["platt_b"][j] = float(lr.intercept_[0])
        logger.info("platt %s: n=%d pos=%d", name, known.sum(), int(y[known, j].sum()))
    head.meta["benign_prompt_any_quantiles"] = benign_quantiles(head, oof, examples)
    return head


QUANTILES = (0.99, 0.995)


def benign_quantiles(head: Head, oof: np.ndarray, examples: Sequence[Example]) -> dict[str, float]:
    """Quantiles of the calibrated out-of-fold ``any`` of the benign training prompts.

    The 0.995 quantile is where 0.5% of benign prompts like the training ones would be
    flagged; rounded up to 0.05 it is the default policy's threshold (half of the 1% budget,
    since benign prompts unlike the training ones score higher; model card).
    """
    j = OUTPUTS.index("any")
    benign = np.array([e.kind == "prompt" and e.labels[j] == 0.0 for e in examples])
    a, b = head.arrays["platt_a"][j], head.arrays["platt_b"][j]
    probs = 1.0 / (1.0 + np.exp(-(a * oof[benign, j] + b)))
    out = {str(q): round(float(np.quantile(probs, q)), 4) for q in QUANTILES}
    logger.info("benign training prompts (%d): calibrated out-of-fold any quantiles %s", benign.sum(), out)
    return out

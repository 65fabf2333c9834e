"""Fit the injection head: MLP over frozen MiniLM window features, Platt-calibrated per output.

Shared by ``scripts/train_injection_model.py`` (the shipped head, all data) and
``benchmarks/injection.py`` (one head per held-out source). A text's logits are the max over
its windows, as at inference. Calibration: out-of-fold logits over 3 group folds, then one
logistic fit per output.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence

import numpy as np

from raikit.guardrails.harm._encoder import WindowFeatures
from raikit.guardrails.harm._head import Head
from training.injection.data import OUTPUTS, SEED, Example

logger = logging.getLogger(__name__)

HIDDEN = 128
EPOCHS = 30
FOLDS = 3
SOURCE_CAP = 800.0
"""A source with more examples than this shares a total weight of this many examples."""


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
    w = np.array([min(1.0, SOURCE_CAP / counts[ex.source]) for ex in examples], np.float32)
    return y, m, w


def _train_mlp(x: np.ndarray, owner: np.ndarray, y: np.ndarray, m: np.ndarray, w: np.ndarray, seed: int) -> Head:
    import torch

    torch.manual_seed(seed)
    mean, std = x.mean(0), x.std(0) + 1e-4
    xt = torch.from_numpy((x - mean) / std)
    yt, mt, wt = torch.from_numpy(y), torch.from_numpy(m), torch.from_numpy(w)
    starts = np.searchsorted(owner, np.arange(len(y) + 1))
    k = y.shape[1]
    model = torch.nn.Sequential(
        torch.nn.Dropout(0.1), torch.nn.Linear(x.shape[1], HIDDEN), torch.nn.GELU(approximate="tanh"),
        torch.nn.Dropout(0.3), torch.nn.Linear(HIDDEN, k),
    )
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(EPOCHS):
        model.train()
        order = torch.randperm(len(y), generator=gen).numpy()
        for begin in range(0, len(order), 256):
            texts = order[begin : begin + 256]
            counts = starts[texts + 1] - starts[texts]
            rows = np.concatenate([np.arange(starts[t], starts[t + 1]) for t in texts])
            slot = torch.from_numpy(np.repeat(np.arange(len(texts)), counts))
            per_window = model(xt[rows])
            logits = torch.full((len(texts), k), -1e4).scatter_reduce(
                0, slot[:, None].expand_as(per_window), per_window, reduce="amax"
            )
            idx = torch.from_numpy(texts)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, yt[idx], reduction="none")
            weights = mt[idx] * wt[idx, None]
            loss = (loss * weights).sum() / weights.sum().clamp(min=1e-6)
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    arrays = {
        "mean": mean.astype(np.float32), "std": std.astype(np.float32),
        "w1": model[1].weight.detach().numpy().T.copy(), "b1": model[1].bias.detach().numpy().copy(),
        "w2": model[4].weight.detach().numpy().T.copy(), "b2": model[4].bias.detach().numpy().copy(),
        "platt_a": np.ones(k, np.float32), "platt_b": np.zeros(k, np.float32),
    }
    return Head(outputs=OUTPUTS, arrays=arrays, meta={"any_covers": ["direct", "jailbreak"]})


def _text_logits(head: Head, x: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    out = np.full((n, len(OUTPUTS)), -np.inf, np.float32)
    np.maximum.at(out, owner, head.logits(x))
    return out


def _subset(x: np.ndarray, owner: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = np.isin(owner, rows)
    return x[keep], np.searchsorted(rows, owner[keep])


def fit_head(
    examples: Sequence[Example], features: Callable[[list[str]], WindowFeatures], seed: int = SEED
) -> Head:
    """Train and calibrate a head on ``examples`` (``features`` encodes a list of texts)."""
    from sklearn.linear_model import LogisticRegression

    windows = features([e.text for e in examples])
    order = np.argsort(windows.owner, kind="stable")
    x, owner = windows.features[order], windows.owner[order]
    y, m, w = label_arrays(examples)
    groups = sorted({e.group for e in examples})
    fold_of = {g: i % FOLDS for i, g in enumerate(random.Random(seed).sample(groups, len(groups)))}
    fold = np.array([fold_of[e.group] for e in examples])
    oof = np.zeros_like(y)
    for k in range(FOLDS):
        train, test = np.where(fold != k)[0], np.where(fold == k)[0]
        head = _train_mlp(*_subset(x, owner, train), y[train], m[train], w[train], seed + k)
        oof[test] = _text_logits(head, *_subset(x, owner, test), len(test))
    head = _train_mlp(x, owner, y, m, w, seed)
    for j, name in enumerate(OUTPUTS):
        known = m[:, j] > 0
        lr = LogisticRegression(C=100.0, max_iter=1000).fit(
            oof[known, j].reshape(-1, 1), y[known, j].astype(int), sample_weight=w[known]
        )
        head.arrays["platt_a"][j] = max(float(lr.coef_[0, 0]), 1e-3)
        head.arrays["platt_b"][j] = float(lr.intercept_[0])
        logger.info("platt %s: n=%d pos=%d", name, known.sum(), int(y[known, j].sum()))
    return head

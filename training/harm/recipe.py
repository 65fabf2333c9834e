"""The training recipe of the bundled harm head, shared by its build script and its benchmark.

Frozen encoder window features -> a small MLP with one sigmoid output per category plus
``any``, trained on the maximum over each text's windows (as inference scores) with a
masked BCE loss (unknown labels do not count) and per-source loss shares -> per-output Platt
calibration fitted on out-of-fold predictions (folds are grouped, so a template's
near-duplicates never sit on both sides).

``scripts/train_harm_model.py`` runs it once on all training data and saves the head;
``benchmarks/harm.py`` runs it once per moderation fold, without that fold, to measure the
recipe on moderation texts it never saw. Needs torch and scikit-learn.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES
from raikit.guardrails.harm._encoder import WindowFeatures
from raikit.guardrails.harm._head import Head
from training.features import masked_bce
from training.harm.datasets import Example, load_davidson, load_moderation
from training.harm.prompts import load_prompts
from training.harm.sources import (
    hatemoji_train_twins,
    load_forbidden_questions,
    load_hatemoji,
    load_self_instruct,
    load_stormfront,
    load_toxigen,
)
from training.harm.templates import functional_cases
from training.harm.written import written_cases

logger = logging.getLogger(__name__)

SEED = 0
OUTPUTS: tuple[str, ...] = (*CATEGORIES, ANY)
HIDDEN = 256
EPOCHS = 25
CALIBRATION_FOLDS = 5
DAVIDSON_OFFENSIVE = 6000
"""Offensive-only Davidson train tweets kept (of ~15,400; a fixed sample): the loss share of
the source is fixed anyway, and half the texts halve the training time."""
SOURCE_SHARE: dict[str, float] = {
    "davidson": 0.15,
    "moderation": 0.20,
    "template": 0.15,
    "written": 0.14,
    "prompts": 0.20,
    "hatemoji": 0.08,
    "toxigen": 0.05,
    "stormfront": 0.05,
    "forbidden": 0.03,
    "self_instruct": 0.02,
}
"""Share of the loss each source carries, whatever its size ("written": raikit's own prose)."""


@dataclass(frozen=True)
class Variant:
    """A change to the recipe, tried as a candidate (``"2.0"``: the bundled head's recipe).

    ``shares`` override :data:`SOURCE_SHARE` entries; ``hatemoji_twin_weight`` multiplies, within
    HatemojiBuild's share, the weight of a train row whose contrast twin (``matched_id``) is in
    the train split with the opposite gold label.
    """

    shares: dict[str, float] = field(default_factory=dict)
    hatemoji_twin_weight: float = 1.0


VARIANTS: dict[str, Variant] = {
    "2.0": Variant(),
    "hatemoji-share": Variant(shares={"hatemoji": 0.20}),
    "hatemoji-twins": Variant(shares={"hatemoji": 0.20}, hatemoji_twin_weight=3.0),
}
"""Recipe variants by name (issue 14 HatemojiBuild candidates; see training/harm/hatemoji_errors.md)."""

_PREFIXES = ("", "", "honestly ", "lol ", "tbh ", "ok so ", "Just saying: ", "RT ")
_SUFFIXES = ("", "", " lol", "!!", " #truth", " smh", ".", " 😂")


@dataclass
class TrainingSet:
    """Texts with labels, the source each came from and its calibration group."""

    texts: list[str] = field(default_factory=list)
    labels: list[dict[str, int | None]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    """Relative weight of each text within its source's loss share (1 by default)."""

    def add(
        self, text: str, labels: dict[str, int | None], source: str, group: str, weight: float = 1.0
    ) -> None:
        self.texts.append(text)
        self.labels.append(labels)
        self.sources.append(source)
        self.groups.append(group)
        self.weights.append(weight)


def augment(text: str, rng: random.Random) -> str:
    """A surface variant: casing, a prefix or a suffix, no final punctuation."""
    choice = rng.randrange(4)
    if choice == 0:
        text = text.lower()
    elif choice == 1:
        text = text.rstrip(".!?")
    elif choice == 2:
        text = text.upper() if rng.random() < 0.3 else text
    return f"{rng.choice(_PREFIXES)}{text}{rng.choice(_SUFFIXES)}".strip()


PUBLIC_SOURCES: dict[str, Callable[[str | Path], list[Example]]] = {
    "hatemoji": load_hatemoji,
    "toxigen": load_toxigen,
    "stormfront": load_stormfront,
    "forbidden": load_forbidden_questions,
    "self_instruct": load_self_instruct,
}
"""The public sets beyond Davidson and moderation; their ``"train"`` split trains."""


def training_set(
    data_dir: str | Path,
    exclude_fold: int | None = None,
    seed: int = SEED,
    sources: Sequence[str] | None = None,
    variant: str = "2.0",
) -> TrainingSet:
    """Everything the bundled head trains on.

    Args:
        data_dir: The shared data folder.
        exclude_fold: A moderation cross-validation fold to leave out (benchmarks).
        seed: Seed of the template spelling variations and surface augmentation.
        sources: The sources to use (default every key of :data:`SOURCE_SHARE`).
        variant: A key of :data:`VARIANTS` (sets the per-text weights; pass the same
            variant's shares to :func:`fit_head`).

    Returns:
        The Davidson train split, the moderation dev set (but ``exclude_fold``), the train
        split of every public source in :data:`PUBLIC_SOURCES`, the "train" functional
        cases, raikit's written cases and written train prompts, each written text with one
        surface variant.
    """
    wanted = set(sources if sources is not None else SOURCE_SHARE)
    rng = random.Random(seed)
    data = TrainingSet()
    if "davidson" in wanted:
        train = [ex for ex in load_davidson(data_dir) if ex.split == "train"]
        offensive_only = [
            i for i, ex in enumerate(train) if ex.labels["hate"] == 0 and ex.labels["offensive"] == 1
        ]
        surplus = max(0, len(offensive_only) - DAVIDSON_OFFENSIVE)
        dropped = set(random.Random(seed).sample(offensive_only, surplus))
        for i, ex in enumerate(train):
            if i not in dropped:
                data.add(ex.text, ex.labels, "davidson", f"davidson:{len(data.texts)}")
    if "moderation" in wanted:
        for ex in load_moderation(data_dir):
            if ex.fold != exclude_fold:
                data.add(ex.text, ex.labels, "moderation", f"moderation:{len(data.texts)}")
    twin_weight = VARIANTS[variant].hatemoji_twin_weight
    twins = hatemoji_train_twins(data_dir) if twin_weight != 1.0 and "hatemoji" in wanted else set()
    for name, load in PUBLIC_SOURCES.items():
        if name in wanted:
            for ex in load(data_dir):
                if ex.split == "train":
                    weight = twin_weight if name == "hatemoji" and ex.text in twins else 1.0
                    data.add(ex.text, dict(ex.labels), name, f"{name}:{len(data.texts)}", weight)
    cases: list[tuple[str, str, dict[str, int | None], str]] = []
    if "template" in wanted:
        templated = functional_cases("train", seed=seed, variations=2)
        cases += [("template", c.text, dict(c.labels), c.template) for c in templated]
    if "written" in wanted:
        cases += [("written", c.text, dict(c.labels), c.template) for c in written_cases()]
    if "prompts" in wanted:
        cases += [("prompts", p.text, dict(p.labels), p.text) for p in load_prompts("train")]
    for source, text, labels, template in cases:
        for spelling in (text, augment(text, rng)):
            data.add(spelling, dict(labels), source, f"{source}:{template}")
    return data


def _label_matrix(rows: Sequence[dict[str, int | None]]) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((len(rows), len(OUTPUTS)), np.float32)
    mask = np.zeros_like(y)
    for i, labels in enumerate(rows):
        for j, key in enumerate(OUTPUTS):
            value = labels.get(key)
            if value is not None:
                y[i, j] = value
                mask[i, j] = 1.0
    return y, mask


def _train_mlp(
    x: np.ndarray, owner: np.ndarray, y: np.ndarray, mask: np.ndarray, weight: np.ndarray, seed: int
) -> Head:
    """Fit the MLP on window features ``x``; a text's logits are the max over its windows.

    ``owner`` maps windows to texts (sorted, every text has a window); ``y``, ``mask`` and
    ``weight`` are per text. Training on the max over windows (as inference scores) lets a
    harmful passage in one window of a long text carry its label without teaching the head
    that the text's harmless windows are harmful.
    """
    import torch

    torch.manual_seed(seed)
    mean = x.mean(0)
    std = x.std(0) + 1e-4
    xt = torch.from_numpy((x - mean) / std)
    yt, mt, wt = torch.from_numpy(y), torch.from_numpy(mask), torch.from_numpy(weight)
    starts = np.searchsorted(owner, np.arange(len(y) + 1))
    model = torch.nn.Sequential(
        torch.nn.Dropout(0.1),
        torch.nn.Linear(x.shape[1], HIDDEN),
        torch.nn.GELU(approximate="tanh"),
        torch.nn.Dropout(0.3),
        torch.nn.Linear(HIDDEN, len(OUTPUTS)),
    )
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(EPOCHS):
        model.train()
        order = torch.randperm(len(y), generator=gen).numpy()
        for begin in range(0, len(order), 512):
            texts = order[begin : begin + 512]
            counts = starts[texts + 1] - starts[texts]
            rows = np.concatenate([np.arange(starts[t], starts[t + 1]) for t in texts])
            slot = torch.from_numpy(np.repeat(np.arange(len(texts)), counts))
            per_window = model(xt[rows])
            logits = torch.full((len(texts), len(OUTPUTS)), -1e4).scatter_reduce(
                0, slot[:, None].expand_as(per_window), per_window, reduce="amax"
            )
            idx = torch.from_numpy(texts)
            loss = masked_bce(logits, yt[idx], mt[idx], wt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    lin1, lin2 = model[1], model[4]
    arrays = {
        "mean": mean.astype(np.float32),
        "std": std.astype(np.float32),
        "w1": lin1.weight.detach().numpy().T.copy(),
        "b1": lin1.bias.detach().numpy().copy(),
        "w2": lin2.weight.detach().numpy().T.copy(),
        "b2": lin2.bias.detach().numpy().copy(),
        "platt_a": np.ones(len(OUTPUTS), np.float32),
        "platt_b": np.zeros(len(OUTPUTS), np.float32),
    }
    return Head(outputs=OUTPUTS, arrays=arrays, meta={"any_covers": list(HARM_CATEGORIES)})


def _fit_platt(logit: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a * logit + b) by (lightly regularised) logistic regression."""
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0, max_iter=1000).fit(logit.reshape(-1, 1), y.astype(int))
    return max(float(lr.coef_[0, 0]), 1e-3), float(lr.intercept_[0])


def loss_weights(data: TrainingSet, shares: dict[str, float]) -> np.ndarray:
    """Per-text loss weight: each source's weights sum to ``share`` x the number of texts,
    split over its texts in proportion to ``data.weights`` (evenly when those are all 1)."""
    src = np.array(data.sources)
    rel = np.array(data.weights if len(data.weights) == len(data.texts) else [1.0] * len(data.texts))
    w = np.zeros(len(data.texts), np.float32)
    for source, share in shares.items():
        here = src == source
        w[here] = share * len(data.texts) * rel[here] / max(1e-9, rel[here].sum())
    return w


def fit_head(
    data: TrainingSet,
    features: Callable[[list[str]], WindowFeatures],
    seed: int = SEED,
    shares: dict[str, float] | None = None,
    calibrate: bool = True,
    variant: str = "2.0",
) -> Head:
    """Train and calibrate a head on ``data``.

    Args:
        data: The training set (see :func:`training_set`).
        features: Window features of a list of texts (for example a cached encoder).
        seed: Seed of the folds and of torch.
        shares: Loss share per source (default :data:`SOURCE_SHARE` with the overrides of
            ``variant``).
        calibrate: Fit Platt calibration on out-of-fold predictions (five more fits);
            without it the head's outputs are the plain sigmoids (same ranking per output).
        variant: A key of :data:`VARIANTS` (its share overrides; its text weights are in ``data``).

    Returns:
        A calibrated head whose ``any`` output covers the harm categories; ``meta`` holds
        only ``any_covers`` (the caller adds the model card fields).
    """
    shares = shares or {**SOURCE_SHARE, **VARIANTS[variant].shares}
    windows = features(data.texts)
    order = np.argsort(windows.owner, kind="stable")
    x, owner = windows.features[order], windows.owner[order]
    y, m = _label_matrix(data.labels)
    w = loss_weights(data, shares)

    groups = sorted(set(data.groups))
    fold_of = {
        g: i % CALIBRATION_FOLDS for i, g in enumerate(random.Random(seed).sample(groups, len(groups)))
    }
    fold = np.array([fold_of[g] for g in data.groups])
    if not calibrate:
        return _train_mlp(x, owner, y, m, w, seed=seed)
    oof = np.zeros((len(data.texts), len(OUTPUTS)), np.float32)
    for k in range(CALIBRATION_FOLDS):
        train, test = np.where(fold != k)[0], np.where(fold == k)[0]
        head = _train_mlp(*_windows_of(x, owner, train), y[train], m[train], w[train], seed=seed + k)
        x_test, owner_test = _windows_of(x, owner, test)
        fold_logits = np.full((len(test), len(OUTPUTS)), -np.inf, np.float32)
        np.maximum.at(fold_logits, owner_test, head.logits(x_test))
        oof[test] = fold_logits
        logger.info("calibration fold %d of %d done", k + 1, CALIBRATION_FOLDS)
    head = _train_mlp(x, owner, y, m, w, seed=seed)
    for j, key in enumerate(OUTPUTS):
        known = m[:, j] > 0
        a, b = _fit_platt(oof[known, j].astype(np.float64), y[known, j].astype(np.float64))
        head.arrays["platt_a"][j] = a
        head.arrays["platt_b"][j] = b
        logger.info("platt %s: a=%.3f b=%.3f (n=%d, pos=%d)", key, a, b, known.sum(), y[known, j].sum())
    return head


def _windows_of(x: np.ndarray, owner: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The windows of ``texts`` (sorted indices), owners renumbered 0..len(texts)-1."""
    keep = np.isin(owner, texts)
    return x[keep], np.searchsorted(texts, owner[keep])

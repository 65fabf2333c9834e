"""Fit the injection model: an MLP ensemble over frozen MiniLM window features plus a lexical model.

Shared by ``scripts/train_injection_model.py`` (the shipped model, all data) and
``benchmarks/injection.py`` (one model per held-out source). A text's MLP logits are the max
over its windows, as at inference (the mean of :data:`ENSEMBLE` MLPs from different seeds);
the lexical model (:mod:`raikit.guardrails.injection._lexical`: TF-IDF of character and word
n-grams, logistic regression) reads the whole normalised text and feeds
:data:`LEXICAL_OUTPUTS`. Calibration: out-of-fold logits over 3 group folds, then one logistic
fit per output (Platt scaling of the MLP, with the lexical logit as a second input where the
lexical model has the output), so a probability is ``sigmoid(a * mlp + c * lexical + b)``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from raikit.guardrails._normalize import normalize
from raikit.guardrails.harm._head import Head
from raikit.guardrails.injection._lexical import LexicalModel, ngrams
from training.features import Features, sorted_windows, text_logits, train_window_mlp, windows_of
from training.injection.data import OUTPUTS, SEED, Example

logger = logging.getLogger(__name__)

HIDDEN = 128
EPOCHS = 30
ENSEMBLE = 3
"""MLPs per head, each from its own seed; their logits are averaged (one MLP's held-out AUPRC
moved by up to 0.06 between seeds 16 and 17)."""
FOLDS = 3
SOURCE_CAP = 800.0
"""A source with more examples than this shares a total weight of this many examples."""
SOURCE_WEIGHT = {"written_benign": 2.0}
"""Extra weight of a source: raikit's written look-alikes are the hard negatives."""
LEXICAL_C = 4.0
"""Inverse L2 strength of the lexical logistic regressions."""
LEXICAL_MIN_DF = 2
"""An n-gram must occur in this many training texts to enter the vocabulary."""
LEXICAL_OUTPUTS = ("indirect",)
"""Outputs of the lexical model; their calibration takes its logit as a second input (the
others use the MLP alone: on the held-out prompt sources the lexical logit did not help)."""


@dataclass(frozen=True)
class Fitted:
    """A trained model: the calibrated MLP head and the lexical model (its logits already scaled)."""

    head: Head
    lexical: LexicalModel


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


def group_folds(examples: Sequence[Example], seed: int) -> np.ndarray:
    """Calibration fold (0..FOLDS-1) per example; the texts of one group share a fold."""
    groups = sorted({e.group for e in examples})
    fold_of = {g: i % FOLDS for i, g in enumerate(random.Random(seed).sample(groups, len(groups)))}
    return np.array([fold_of[e.group] for e in examples])


def _mlp(x: np.ndarray, owner: np.ndarray, y: np.ndarray, m: np.ndarray, w: np.ndarray, seed: int) -> Head:
    """:data:`ENSEMBLE` MLPs (seeds ``seed``, ``seed + 100``, ...) merged into one wider head.

    The mean of the members' logits is one MLP whose hidden layer is all of theirs side by
    side and whose output weights are theirs divided by the number of members.
    """
    members = [
        train_window_mlp(
            x, owner, y, m, w, outputs=OUTPUTS, any_covers=("direct", "jailbreak"), hidden=HIDDEN, epochs=EPOCHS,
            batch=512, seed=seed + 100 * i,
        )
        for i in range(ENSEMBLE)
    ]
    first = members[0]
    arrays = dict(first.arrays)
    arrays["w1"] = np.concatenate([h.arrays["w1"] for h in members], axis=1)
    arrays["b1"] = np.concatenate([h.arrays["b1"] for h in members])
    arrays["w2"] = np.concatenate([h.arrays["w2"] for h in members], axis=0) / len(members)
    arrays["b2"] = np.mean([h.arrays["b2"] for h in members], axis=0)
    return Head(outputs=first.outputs, arrays=arrays, meta=dict(first.meta))


def mlp_with_oof(
    examples: Sequence[Example], features: Features, fold: np.ndarray, seed: int
) -> tuple[Head, np.ndarray]:
    """The MLP on all ``examples`` and its out-of-fold logits per text (one MLP per fold)."""
    x, owner = sorted_windows(features([e.text for e in examples]))
    y, m, w = label_arrays(examples)
    oof = np.zeros_like(y)
    for k in range(FOLDS):
        train, test = np.where(fold != k)[0], np.where(fold == k)[0]
        head = _mlp(*windows_of(x, owner, train), y[train], m[train], w[train], seed + k)
        oof[test] = text_logits(head, *windows_of(x, owner, test), len(test))
    return _mlp(x, owner, y, m, w, seed), oof


def lexical_texts(texts: Sequence[str]) -> list[str]:
    """What the lexical model reads: the normalised text (homoglyphs, zero-width characters undone)."""
    return [normalize(t).text for t in texts]


def fit_lexical(texts: Sequence[str], y: np.ndarray, m: np.ndarray, w: np.ndarray) -> LexicalModel:
    """TF-IDF n-grams of ``texts``; a weighted logistic regression per :data:`LEXICAL_OUTPUTS`."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=LEXICAL_MIN_DF, dtype=np.float32)
    xs = vec.fit_transform(lexical_texts(texts))
    columns = [OUTPUTS.index(k) for k in LEXICAL_OUTPUTS]
    coef = np.zeros((xs.shape[1], len(columns)), np.float32)
    intercept = np.zeros(len(columns), np.float32)
    for i, j in enumerate(columns):
        known = m[:, j] > 0
        lr = LogisticRegression(C=LEXICAL_C, max_iter=2000)
        lr.fit(xs[known], y[known, j], sample_weight=w[known])
        coef[:, i], intercept[i] = lr.coef_[0], lr.intercept_[0]
    vocabulary = {str(t): int(i) for t, i in vec.vocabulary_.items()}
    return LexicalModel(LEXICAL_OUTPUTS, vocabulary, vec.idf_.astype(np.float32), coef, intercept)


def lexical_with_oof(examples: Sequence[Example], fold: np.ndarray) -> tuple[LexicalModel, np.ndarray]:
    """The lexical model on all ``examples`` and its out-of-fold logits (one model per fold)."""
    texts = [e.text for e in examples]
    y, m, w = label_arrays(examples)
    oof = np.zeros((len(texts), len(LEXICAL_OUTPUTS)), np.float32)
    for k in range(FOLDS):
        train, test = np.where(fold != k)[0], np.where(fold == k)[0]
        model = fit_lexical([texts[i] for i in train], y[train], m[train], w[train])
        oof[test] = model.logits(lexical_texts([texts[i] for i in test]))
    return fit_lexical(texts, y, m, w), oof


def calibrate(
    head: Head, lexical: LexicalModel, oof_mlp: np.ndarray, oof_lex: np.ndarray, examples: Sequence[Example]
) -> Fitted:
    """Per output, one logistic fit on the out-of-fold logits: the MLP's, plus the lexical one
    for the outputs the lexical model has.

    The MLP's weight and the bias go to the head's Platt parameters; the lexical weight
    scales the lexical model's coefficients, so ``sigmoid(platt_a * mlp + platt_b + lexical)``
    is the calibrated probability.
    """
    from sklearn.linear_model import LogisticRegression

    y, m, w = label_arrays(examples)
    calibrated = oof_mlp.copy()
    scale = np.zeros(len(lexical.outputs), np.float32)
    for j, name in enumerate(OUTPUTS):
        known = m[:, j] > 0
        i = lexical.outputs.index(name) if name in lexical.outputs else None
        inputs = oof_mlp[known, j : j + 1] if i is None else np.c_[oof_mlp[known, j], oof_lex[known, i]]
        lr = LogisticRegression(C=100.0, max_iter=1000)
        lr.fit(inputs, y[known, j].astype(int), sample_weight=w[known])
        head.arrays["platt_a"][j] = max(float(lr.coef_[0, 0]), 1e-3)
        head.arrays["platt_b"][j] = float(lr.intercept_[0])
        calibrated[:, j] = oof_mlp[:, j] * head.arrays["platt_a"][j] + head.arrays["platt_b"][j]
        if i is not None:
            scale[i] = max(float(lr.coef_[0, 1]), 0.0)
            calibrated[:, j] += oof_lex[:, i] * scale[i]
        logger.info("calibration %s: n=%d pos=%d weights %s", name, known.sum(), y[known, j].sum(), lr.coef_[0])
    head.meta["benign_prompt_any_quantiles"] = benign_quantiles(calibrated, examples)
    scaled = LexicalModel(lexical.outputs, lexical.vocabulary, lexical.idf, lexical.coef * scale, lexical.intercept * scale)
    return Fitted(head, scaled)


def fit_model(examples: Sequence[Example], features: Features, seed: int = SEED) -> Fitted:
    """Train and calibrate the model on ``examples`` (``features`` encodes a list of texts)."""
    fold = group_folds(examples, seed)
    head, oof_mlp = mlp_with_oof(examples, features, fold, seed)
    lex, oof_lex = lexical_with_oof(examples, fold)
    return calibrate(head, lex, oof_mlp, oof_lex, examples)


QUANTILES = (0.99, 0.995)


def benign_quantiles(oof: np.ndarray, examples: Sequence[Example]) -> dict[str, float]:
    """Quantiles of the calibrated out-of-fold ``any`` of the benign training prompts.

    ``oof`` holds calibrated logits. The 0.995 quantile is where 0.5% of benign prompts like
    the training ones would be flagged; rounded up to 0.05 it is the default policy's
    threshold (half of the 1% budget, since benign prompts unlike the training ones score
    higher; model card).
    """
    j = OUTPUTS.index("any")
    benign = np.array([e.kind == "prompt" and e.labels[j] == 0.0 for e in examples])
    probs = 1.0 / (1.0 + np.exp(-oof[benign, j]))
    out = {str(q): round(float(np.quantile(probs, q)), 4) for q in QUANTILES}
    logger.info("benign training prompts (%d): calibrated out-of-fold any quantiles %s", benign.sum(), out)
    return out

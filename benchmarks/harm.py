"""Harm classifiers on held-out data: raikit's bundled model vs two common baselines.

Run from the project root:

    .venv/bin/python benchmarks/harm.py

Held out (never trained on by the bundled model): the Davidson test split (20%, stratified,
seed 13) and raikit's "heldout" functional cases (templates and identity groups the training
never saw). The bundled model trains on the whole moderation dev set (336 texts), so the
moderation figures are 5-fold cross-validation of the same recipe
(raikit.guardrails.harm._training): each fold is scored by a head trained without it. That
retrains five heads (a few minutes; --skip-cv scores nothing on moderation).

Compared in the same run:
- raikit: the bundled HarmModel (MiniLM features + MLP head, calibrated).
- alt-profanity-check: ``predict_prob`` (one score, used for every category).
- MiniLM + LR: the plain sentence embedding (mean pooled, normalised, first 256 tokens) with
  a 3-class logistic regression trained here on the Davidson train split only;
  P(hate) scores hate and hate/threatening, 1 - P(neither) scores everything else.

Functional suite: a case is predicted hateful when max(hate, hate/threatening) >= 0.5 for
raikit, profanity probability >= 0.5, and 1 - P(neither) >= 0.5 for MiniLM + LR.
Embeddings are cached under /tmp/raikit_harm_cache (content-addressed) between runs.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from raikit.guardrails.harm import ANY, CATEGORIES, HarmModel, get_encoder
from training.harm.templates import functional_cases
from training.harm.cache import cached_window_features
from training.harm.datasets import MODERATION_FOLDS, load_davidson, load_moderation
from raikit.guardrails.harm._encoder import WindowFeatures
from raikit.guardrails.harm._head import Head
from training.harm.recipe import fit_head, training_set

KEYS = [*CATEGORIES, ANY]


def auprc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def first_window_embedding(texts: list[str]) -> np.ndarray:
    """Plain MiniLM sentence embedding: normalised mean of the last layer, first window."""
    out = cached_window_features(texts, lambda t: get_encoder().window_features(t))
    first = np.zeros((len(texts), 384), np.float32)
    seen = np.zeros(len(texts), bool)
    for row, owner in enumerate(out.owner):
        if not seen[owner]:
            first[owner] = out.features[row, :384]
            seen[owner] = True
    return first / np.linalg.norm(first, axis=1, keepdims=True).clip(1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--speed-texts", type=int, default=1000, help="tweets timed for throughput")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-cv", action="store_true", help="skip the moderation cross-validation")
    args = parser.parse_args()
    import torch
    from profanity_check import predict_prob
    from sklearn.linear_model import LogisticRegression

    torch.set_num_threads(args.threads)
    davidson = load_davidson(args.data)
    moderation = load_moderation(args.data)
    cases = functional_cases("heldout")
    held = [e for e in davidson if e.split == "test"] + ([] if args.skip_cv else moderation)
    texts = [e.text for e in held] + [c.text for c in cases]
    labels = [e.labels for e in held] + [dict(c.labels) for c in cases]
    source = np.array([e.source for e in held] + ["functional"] * len(cases))
    print(f"held-out texts: {len(texts)} (davidson {sum(source == 'davidson')}, "
          f"moderation {sum(source == 'moderation')}, functional {len(cases)})")

    # raikit: the bundled model (timed separately below); each moderation fold is scored by
    # a head trained by the same recipe without that fold
    model = HarmModel()

    def features(batch: list[str]) -> WindowFeatures:
        return cached_window_features(batch, model.encoder.window_features)

    def scores(head: Head, batch: list[str]) -> np.ndarray:
        windows = features(batch)
        out = np.zeros((len(batch), len(head.outputs)), np.float32)
        np.maximum.at(out, windows.owner, head.predict(windows.features))
        return out

    raikit = scores(model.head, texts)
    folds = np.array([e.fold for e in held] + [-1] * len(cases))
    for k in range(MODERATION_FOLDS if not args.skip_cv else 0):
        start = time.perf_counter()
        head = fit_head(training_set(args.data, exclude_fold=k), features)
        rows = np.where(folds == k)[0]
        raikit[rows] = scores(head, [texts[i] for i in rows])
        took = time.perf_counter() - start
        print(f"  moderation fold {k}: head trained without it in {took:.0f}s", flush=True)
    raikit_scores = {k: raikit[:, model.head.outputs.index(k)] for k in KEYS}

    # alt-profanity-check
    prof = predict_prob(texts)
    prof_scores = {k: prof for k in KEYS}

    # plain MiniLM + logistic regression on Davidson train
    train = [e for e in davidson if e.split == "train"]
    xtr = first_window_embedding([e.text for e in train])
    ytr = np.array([2 if e.labels["offensive"] == 0 else (0 if e.labels["hate"] == 1 else 1) for e in train])
    lr = LogisticRegression(max_iter=2000, C=1.0).fit(xtr, ytr)
    proba = lr.predict_proba(first_window_embedding(texts))
    p_hate, p_harm = proba[:, 0], 1.0 - proba[:, 2]
    lr_scores = {k: (p_hate if k in ("hate", "hate/threatening") else p_harm) for k in KEYS}

    models = {"raikit": raikit_scores, "profanity-check": prof_scores, "MiniLM+LR": lr_scores}

    def table(title: str, rows_mask: np.ndarray) -> None:
        print(f"\n{title}")
        print(f"{'category':<18}{'n':>6}{'pos':>6}" + "".join(f"{m:>17}" for m in models))
        for key in KEYS:
            known = np.array([lab.get(key) is not None for lab in labels]) & rows_mask
            y = np.array([labels[i][key] or 0 for i in np.where(known)[0]])
            if y.sum() == 0 or y.sum() == len(y):
                continue
            vals = [auprc(y, scores[key][known]) for scores in models.values()]
            best_base = max(vals[1:])
            mark = " " if vals[0] > best_base else "!"
            cells = "".join(f"{v:>17.3f}" for v in vals)
            print(f"{key:<18}{len(y):>6}{int(y.sum()):>6}{cells} {mark}")

    print("\nAUPRC ('!' = raikit not above both baselines)")
    table("== moderation dev, 5-fold cross-validation of the recipe ==", source == "moderation")
    table("== davidson test split (20%) ==", source == "davidson")
    table("== all of the above + functional (moderation by cross-validation) ==", np.ones(len(texts), bool))

    # functional suite
    func = source == "functional"
    truth = np.array([c.hateful for c in cases])
    preds = {
        "raikit": np.maximum(raikit_scores["hate"], raikit_scores["hate/threatening"])[func] >= 0.5,
        "profanity-check": prof[func] >= 0.5,
        "MiniLM+LR": p_harm[func] >= 0.5,
    }
    print(f"\nfunctional suite (held-out templates and groups): {len(cases)} cases, {truth.sum()} hateful")
    print(f"{'model':<18}{'overall':>9}{'hateful':>9}{'non-hateful':>13}")
    for name, pred in preds.items():
        ok = pred == truth
        print(f"{name:<18}{ok.mean():>9.3f}{ok[truth].mean():>9.3f}{ok[~truth].mean():>13.3f}")
    print("\nraikit per functionality:")
    kinds = sorted({c.functionality for c in cases})
    for kind in kinds:
        sel = np.array([c.functionality == kind for c in cases])
        ok = preds["raikit"][sel] == truth[sel]
        print(f"  {kind:<22} {ok.mean():.2f} ({sel.sum()})")

    # throughput, full pipeline (normalise, tokenise, encode, head) without the cache
    tweets = [e.text for e in held if e.source == "davidson"][: args.speed_texts]
    mod = [e.text for e in moderation]
    if args.skip_speed:
        return
    model.predict_proba(tweets[:64])  # warm-up
    print(f"\nthroughput on {args.threads} threads (texts/s):")
    print("  (wall clock; 'per CPU-s' divides by this process's CPU time, which is what an idle")
    print("   machine would give per core; compare load average below)")
    for name, batch in (("tweets (Davidson test)", tweets), ("moderation (long, windowed)", mod)):
        start, cpu = time.perf_counter(), time.process_time()
        model.predict_proba(batch)
        ours = len(batch) / (time.perf_counter() - start)
        ours_cpu = len(batch) / max(1e-9, time.process_time() - cpu)
        start = time.perf_counter()
        predict_prob(batch)
        theirs = len(batch) / (time.perf_counter() - start)
        print(
            f"  {name:<30} raikit {ours:8.0f} ({ours_cpu:.0f} per CPU-s)   "
            f"profanity-check {theirs:8.0f}   ratio {ours / theirs:.3f}"
        )
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

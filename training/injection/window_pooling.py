"""Experiment (issue 16): which factor gave the 128-token probe of ``finetune_top.py`` its gain.

The probe of ``finetune_top.py`` differed from the shipped 1.2 recipe in three ways: its
windows (128 tokens, only each training text's first window), its head (one MLP, raw logits,
no ensemble, no calibration) and its pooling. The pooling is not a difference: the runtime
encoder (:mod:`raikit.guardrails.harm._encoder`) already gives 1.2 the mean + max of the last
layer and the mean of layer 3 per 256-token window (1,152 numbers). So this script crosses
the two real factors, each with several seeds, on the benchmark's prompt folds:

- window: ``--window 256`` (the encoder's 256/192 windows, shared with the harm check) or
  ``--window 128`` (128/96 windows: a second encoder pass on the request path). The encoder
  module's window constants are set for the whole process, so training and scoring use the
  encoder's own code path at that size (features cached per size).
- head: ``1.2`` (:func:`training.injection.train.fit_model`: 3-MLP ensemble, Platt
  calibration, lexical part), ``single`` (the same with one MLP) or ``probe`` (the probe's
  own recipe, :func:`probe_model`: one MLP on each training text's first window, uncalibrated)
  or ``probe-all`` (that MLP trained on the max over all windows, as 1.2's members are), or
  ``1.2-first`` (the 1.2 recipe, calibration included, trained on each text's first window).

Each fold trains on :func:`benchmarks.injection.fold_training` (the held-out source and the
held-out benign half excluded) and is scored with :func:`benchmarks.injection.model_probs`
against the 619-prompt benign pool: AUPRC, TPR at 1% FPR, and the share of benign prompts the
default policy (0.9) flags. Rows go to ``--out`` as JSON lines; ``--summary`` prints the mean
and spread over seeds of every file given. No public test suite is used.

Run from the project root, one process per window size:

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/injection/window_pooling.py \
        --window 256 --out /tmp/wp256.jsonl
    .venv/bin/python training/injection/window_pooling.py --summary /tmp/wp256.jsonl /tmp/wp128.jsonl

Measured (training/injection/window_pooling.log; mean over seeds 16-18, AUPRC / TPR@1%FPR):

    fold               1.2 @256 (shipped)   1.2-first @256      1.2 @128            1.2-first @128
    in-the-wild jb     0.936 / 0.451        0.945 / 0.508       0.924 / 0.371       0.940 / 0.532
    hackaprompt        0.914 / 0.427        0.907 / 0.414       0.910 / 0.405       0.901 / 0.439
    neuralchemy_v1     0.915 / 0.317        0.920 / 0.339       0.921 / 0.299       0.906 / 0.299
    wildguard+hb       0.459 / 0.066        0.451 / 0.064       0.460 / 0.066       0.558 / 0.201
    benign @0.9 (max)  0.2-0.3%             0.0-0.5%            0.2-0.3%            0.3-0.5%

The probe's wildguard+harmbench gain needs both of its differences: 128-token windows and
training on each text's first window only (either alone: 0.064-0.068). Neither a 256-token
variant (free on the request path) nor the 128-token one beats 1.2 on every fold; the
128-token windows cost a second encoder pass (bare pass on 500-character texts: 107 vs 108
texts/s, 2 threads, load 1.4). Not shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.injection import (
    FOLDS,
    auprc,
    benign_pools,
    flagged,
    fold_training,
    model_probs,
    policy_thresholds,
    tpr_at_fpr,
)
from raikit.guardrails.harm import _encoder
from training.features import encoded, sorted_windows, train_window_mlp
from training.injection import train as recipe
from training.injection.data import OUTPUTS, all_examples

ANY = OUTPUTS.index("any")
WINDOWS = {256: (256, 192), 128: (128, 96)}
"""Window size -> (tokens, stride) in the encoder's own convention (special tokens included)."""
HEADS = {"1.2": 3, "single": 1, "probe": 0, "probe-all": 0, "1.2-first": 3}
"""Head recipe -> MLPs in the ensemble (``probe``: :func:`probe_model`)."""


def probe_model(train: list, feats, seed: int, first_only: bool = True) -> recipe.Fitted:
    """``finetune_top.py``'s probe: one MLP on each training text's first window only, raw logits.

    No calibration and no lexical part (identity Platt), so its ``any`` ranks texts as the
    probe's ``max(direct, jailbreak, any)`` logit did; its benign-flagged rate at 0.9 means little.
    With ``first_only=False`` (``probe-all``) the MLP trains on the max over all windows, as 1.2's.
    """
    x, owner = sorted_windows(feats([e.text for e in train]))
    if first_only:
        x, owner = x[np.searchsorted(owner, np.arange(len(train)))], np.arange(len(train))
    y, m, w = recipe.label_arrays(train)
    head = train_window_mlp(
        x, owner, y, m, w, outputs=OUTPUTS, any_covers=("direct", "jailbreak"),
        hidden=recipe.HIDDEN, epochs=recipe.EPOCHS, batch=512, seed=seed,
    )
    return recipe.Fitted(head, None)


def first_window(feats):
    """``feats`` keeping only each text's first window (what ``probe`` trains on)."""

    def first(texts: list[str]):
        w = feats(texts)
        x, owner = sorted_windows(w)
        keep = np.searchsorted(owner, np.arange(len(texts)))
        return type(w)(features=x[keep], owner=np.arange(len(texts)))

    return first


def run(args: argparse.Namespace) -> None:
    import torch

    torch.set_num_threads(args.threads)
    _encoder.MAX_TOKENS, _encoder.STRIDE = WINDOWS[args.window]
    feats = encoded(f"/tmp/raikit_injection_cache_w{args.window}")
    thresholds = policy_thresholds()
    examples = all_examples(Path(args.data))
    held_groups, _, _, pools = benign_pools(examples)
    benign = [t for texts in pools.values() for t in texts]
    folds = {k: v for k, v in FOLDS.items() if v[0] == "prompt"}
    t0 = time.perf_counter()
    feats([e.text for e in examples])
    print(f"window {args.window}: encoded {len(examples)} texts in {time.perf_counter() - t0:.0f}s", flush=True)
    with open(args.out, "a", encoding="utf-8") as out:
        for seed in args.seeds:
            for head, members in HEADS.items():
                if head not in args.heads:
                    continue
                recipe.ENSEMBLE = members
                fit = {
                    "probe": probe_model,
                    "probe-all": lambda t, f, s: probe_model(t, f, s, first_only=False),
                    "1.2-first": lambda t, f, s: recipe.fit_model(t, first_window(f), s),
                }.get(head, recipe.fit_model)
                for name, (_, held) in folds.items():
                    t0 = time.perf_counter()
                    model = fit(fold_training(examples, held, held_groups), feats, seed)
                    pos = [e.text for e in examples if e.source in held and e.labels[ANY] == 1.0]
                    pp, pn = model_probs(model, pos, feats), model_probs(model, benign, feats)
                    lab = np.r_[np.ones(len(pos)), np.zeros(len(benign))]
                    row = {
                        "window": args.window, "head": head, "seed": seed, "fold": name,
                        "auprc": auprc(np.r_[pp[:, ANY], pn[:, ANY]], lab),
                        "tpr1": tpr_at_fpr(pp[:, ANY], pn[:, ANY]),
                        "benign_flagged": float(flagged(pn, thresholds).mean()),
                        "seconds": round(time.perf_counter() - t0, 1),
                        "load": round(os.getloadavg()[0], 2),
                    }
                    out.write(json.dumps(row) + "\n")
                    out.flush()
                    print(json.dumps(row), flush=True)


def speed(args: argparse.Namespace) -> None:
    """Texts per second of the bare encoder pass at each window size, 500-character texts
    (as benchmarks/injection.py builds them), best of three interleaved rounds, cache cleared."""
    import torch

    from raikit.guardrails.harm._encoder import get_encoder

    torch.set_num_threads(args.threads)
    examples = all_examples(Path(args.data))
    _, _, _, pools = benign_pools(examples)
    pool = [t for texts in pools.values() for t in texts if len(t) >= 40][:200]
    encoder = get_encoder()
    encoder.window_features(pool[:8])
    rates: dict[int, float] = {}
    windows: dict[int, int] = {}
    for round_ in range(3):
        for size, (tokens, stride) in WINDOWS.items():
            texts = [f"w{size} r{round_} {(t + ' ') * 20}"[:500] for t in pool]
            _encoder.MAX_TOKENS, _encoder.STRIDE = tokens, stride
            encoder.clear_cache()
            t0 = time.perf_counter()
            w = encoder.window_features(texts)
            rates[size] = max(rates.get(size, 0.0), len(texts) / (time.perf_counter() - t0))
            windows[size] = len(w.owner)
    load = os.getloadavg()
    print(f"bare encoder pass, {len(pool)} 500-char texts, {args.threads} threads, {encoder.precision}, "
          f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}: "
          + ", ".join(f"{s}-token windows {rates[s]:.0f} texts/s ({windows[s]} windows)" for s in WINDOWS))


def summary(paths: list[str]) -> None:
    rows = [json.loads(line) for p in paths for line in Path(p).read_text().splitlines() if line.strip()]
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["fold"], r["window"], r["head"]), []).append(r)
    print("| held-out source | window | head | seeds | AUPRC mean (min-max) | TPR@1%FPR mean (min-max) | benign flagged @0.9 max |")
    print("|---|---|---|---|---|---|---|")
    for (fold, window, head), rs in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[0][1], kv[0][2])):
        a = np.array([r["auprc"] for r in rs])
        t = np.array([r["tpr1"] for r in rs])
        f = max(r["benign_flagged"] for r in rs)
        print(f"| {fold.split(' (')[0]} | {window} | {head} | {len(rs)} | {a.mean():.3f} ({a.min():.3f}-{a.max():.3f}) | "
              f"{t.mean():.3f} ({t.min():.3f}-{t.max():.3f}) | {100 * f:.1f}% |")
    for window, head in sorted({(w, h) for _, w, h in groups}, key=lambda k: (-k[0], k[1])):
        rs = [r for r in rows if r["window"] == window and r["head"] == head]
        print(f"window {window} head {head}: mean over folds and seeds AUPRC {np.mean([r['auprc'] for r in rs]):.3f} "
              f"TPR@1% {np.mean([r['tpr1'] for r in rs]):.3f} ({len(rs)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--window", type=int, choices=sorted(WINDOWS), default=256)
    parser.add_argument("--heads", nargs="*", default=["1.2", "single"], choices=list(HEADS))
    parser.add_argument("--seeds", type=int, nargs="*", default=[16, 17, 18])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default="/tmp/window_pooling.jsonl")
    parser.add_argument("--speed", action="store_true", help="time the bare encoder pass per window size and exit")
    parser.add_argument("--summary", nargs="*", help="print the table of these JSON-lines files and exit")
    args = parser.parse_args()
    if args.summary:
        summary(args.summary)
    elif args.speed:
        speed(args)
    else:
        run(args)


if __name__ == "__main__":
    main()

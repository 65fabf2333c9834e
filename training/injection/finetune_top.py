"""Experiment (raikit issue 16): fine-tune MiniLM's top 2 layers for injection, per held-out source.

NOT the shipped recipe. For each held-out attack source fold of benchmarks/injection.py (its
``FOLDS``, ``benign_pools``, ``fold_training``, ``model_probs``, ``auprc``, ``tpr_at_fpr``,
imported), on the same fold's training texts, in the same run:

(a) the shipped 1.2 recipe (``fit_model``: 3-MLP ensemble on frozen 256-token window
    features + lexical model + calibration), scored exactly as the benchmark scores it
    (max over windows and decoded variants);
(b) the top-2 fine-tune of the harm sibling (training/harm/finetune_top.py, its ``Lower``,
    ``build_top`` and ``finetune`` imported): layers 1-4 run once, their output for every
    training text truncated to ``--max-tokens`` tokens cached in fp16; layers 5-6 + the
    pooling (mean + max of the last layer, mean of layer 3) + an MLP head (128 hidden, as
    the recipe's) train with the recipe's masked, source-capped BCE (``label_arrays``); the head
    is warm-started on the frozen 128-token features (``train_window_mlp``, printed as
    "probe", lr 0); AdamW lr for the layers chosen on a 10% group split of the fold's
    training data (macro AUPRC), head lr 1e-3, batch 32, seed 16. Scored as max over
    ``--eval-tokens``/``--eval-stride`` windows (default 256/192, the encoder's) and decoded
    variants of the ``any`` output (raised to direct and jailbreak, as ``Head.probabilities``).

Metrics: AUPRC and TPR at 1% FPR of the held-out source's attacks against the benign pool
no fold trains on. No public test suite (JailbreakBench, CyberSecEval, BIPIA test) is used.

Run from the project root:

    OMP_NUM_THREADS=2 nice -n 10 .venv/bin/python training/injection/finetune_top.py \
        --folds jailbreak_llms hackaprompt > /tmp/ftinj.log 2>&1

Measured (training/injection/finetune_top.log, 2 threads, load ~1.9; AUPRC / TPR@1%FPR,
held-out source vs the 619-prompt benign pool; lr 5e-5 chosen on every fold's split, 2 epochs,
~55-65 s per fine-tune, lower cache of 6,988 texts 15 s):

    fold               (a) 1.2 recipe   (b) fine-tune, eval 256|128   probe (lr 0), eval 256|128
    in-the-wild jb     0.939 / 0.48     0.925/0.39 | 0.930/0.39       0.915/0.42 | 0.936/0.52
    hackaprompt        0.914 / 0.44     0.893/0.36 | 0.890/0.37       0.898/0.43 | 0.892/0.44
    neuralchemy_v1     0.916 / 0.31     0.911/0.30 | 0.907/0.30       0.926/0.39 | 0.921/0.39
    wildguard+hb       0.460 / 0.06     0.477/0.05 | 0.550/0.17       0.525/0.10 | 0.571/0.22

The fine-tune gains +0.00..+0.01 macro AUPRC on the in-distribution group split but loses to
its own warm-start probe on every held-out source (TPR@1%FPR -0.04..-0.13): it does not
generalise across attack sources better. One seed per model; not shipped.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.injection import (
    CACHE,
    FOLDS,
    auprc,
    benign_pools,
    fold_training,
    model_probs,
    tpr_at_fpr,
)
from raikit.guardrails.harm._encoder import MAX_TOKENS, STRIDE, length_batches
from raikit.guardrails.injection._decode import variants
from training.features import encoded, train_window_mlp
from training.harm.finetune_top import Lower, build_top, finetune, log, pad, top_logits
from training.injection.data import OUTPUTS, SEED, all_examples
from training.injection.train import EPOCHS, HIDDEN, fit_model, label_arrays

ANY = OUTPUTS.index("any")
COVERED = [OUTPUTS.index(k) for k in ("direct", "jailbreak", "any")]


def any_score(logits: np.ndarray) -> np.ndarray:
    """``any`` raised to direct and jailbreak (Head.probabilities with identity calibration), as a logit."""
    return logits[:, COVERED].max(1)


def macro_auprc(logits: np.ndarray, y: np.ndarray, m: np.ndarray) -> float:
    vals = []
    for j in range(len(OUTPUTS)):
        k = m[:, j] > 0
        if 5 <= y[k, j].sum() < k.sum():
            vals.append(auprc(logits[k, j], y[k, j]))
    return float(np.mean(vals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--folds", nargs="*", default=["jailbreak_llms", "hackaprompt"])
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--eval-tokens", type=int, default=MAX_TOKENS, help="(b)/probe scoring window size")
    parser.add_argument("--eval-stride", type=int, default=STRIDE)
    parser.add_argument("--lrs", default="2e-5,5e-5")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--search-epochs", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    examples = all_examples(Path(args.data))
    held_groups, _, _, pools = benign_pools(examples)
    benign = [t for texts in pools.values() for t in texts]
    folds = {k: v for k, v in FOLDS.items() if v[0] == "prompt" and any(k.startswith(f) for f in args.folds)}
    log(f"examples {len(examples)}; benign pool {len(benign)}; folds {list(folds)}; threads {args.threads}")

    # lower-layer cache of every example (first --max-tokens tokens)
    lower = Lower(2)
    texts = [e.text for e in examples]
    win, own = lower.windows(texts, args.max_tokens, args.max_tokens - 2)
    first = np.searchsorted(own, np.arange(len(texts)))
    s = time.perf_counter()
    states, mid = lower.encode([win[i] for i in first])
    log(
        f"lower cache: {len(texts)} texts, {sum(x.numel() for x in states) * 2 / 1e6:.0f} MB fp16, "
        f"{time.perf_counter() - s:.0f}s"
    )
    probe = build_top(lower, _dummy_head())
    init = np.zeros((len(texts), 1152), np.float32)
    with torch.inference_mode():
        for chunk in length_batches([x.shape[0] for x in states], 64):
            c = np.array(chunk)
            h, mask = pad(states, c)
            init[c] = probe.pooled(h, mask, torch.from_numpy(mid[c])).numpy()

    # evaluation readings: held-out attacks of the chosen folds + the benign pool, with decoded variants
    pos_of = {
        name: [e.text for e in examples if e.source in held and e.labels[ANY] == 1.0]
        for name, (_, held) in folds.items()
    }
    ev_texts = benign + [t for p in pos_of.values() for t in p]
    readings, r_owner = [], []
    for i, t in enumerate(ev_texts):
        for r in (t, *variants(t)):
            readings.append(r)
            r_owner.append(i)
    ev_win, ev_w_owner = lower.windows(readings, args.eval_tokens, args.eval_stride)
    s = time.perf_counter()
    ev_states, ev_mid = lower.encode(ev_win)
    text_of_window = np.asarray(r_owner)[ev_w_owner]
    log(
        f"evaluation ({args.eval_tokens}/{args.eval_stride}-token windows): {len(ev_texts)} texts, "
        f"{len(readings)} readings, {len(ev_win)} windows, "
        f"{time.perf_counter() - s:.0f}s"
    )

    feats = encoded(CACHE)
    index = {id(e): i for i, e in enumerate(examples)}
    rows = []
    at = len(benign)
    for name, (_, held) in folds.items():
        pos = pos_of[name]
        ev_sel = np.r_[np.arange(len(benign)), np.arange(at, at + len(pos))]
        at += len(pos)
        train = fold_training(examples, held, held_groups)
        idx = np.array([index[id(e)] for e in train])
        y = np.zeros((len(texts), len(OUTPUTS)), np.float32)
        m, w = np.zeros_like(y), np.zeros(len(texts), np.float32)
        y[idx], m[idx], w[idx] = label_arrays(train)
        log(f"FOLD {name}: train {len(train)}, held-out attacks {len(pos)}")

        def result(label: str, s_pos: np.ndarray, s_neg: np.ndarray, took: float, name: str = name) -> None:
            lab = np.r_[np.ones(len(s_pos)), np.zeros(len(s_neg))]
            r = (name, label, auprc(np.r_[s_pos, s_neg], lab), tpr_at_fpr(s_pos, s_neg), took)
            rows.append(r)
            log(f"RESULT {name} | {label}: AUPRC {r[2]:.3f} TPR@1%FPR {r[3]:.3f} ({took:.0f}s)")

        # (a) shipped recipe
        s = time.perf_counter()
        model = fit_model(train, feats, SEED)
        pp, pn = model_probs(model, pos, feats), model_probs(model, benign, feats)
        result("(a) 1.2 recipe fit_model (frozen)", pp[:, ANY], pn[:, ANY], time.perf_counter() - s)

        def scores(top, ev_sel: np.ndarray = ev_sel) -> tuple[np.ndarray, np.ndarray]:
            lg = top_logits(top, ev_states, ev_mid, text_of_window, len(ev_texts), len(OUTPUTS))
            sc = any_score(lg)[ev_sel]
            return sc[len(benign) :], sc[: len(benign)]

        def warm_head(sub: np.ndarray, y: np.ndarray = y, m: np.ndarray = m, w: np.ndarray = w):
            return train_window_mlp(
                init[sub],
                np.arange(len(sub)),
                y[sub],
                m[sub],
                w[sub],
                outputs=OUTPUTS,
                any_covers=("direct", "jailbreak"),
                hidden=HIDDEN,
                epochs=EPOCHS,
                batch=512,
                seed=SEED,
            )

        # lr search on a 10% group split of this fold's training data
        groups = sorted({e.group for e in train})
        val_groups = set(random.Random(1).sample(groups, len(groups) // 10))
        is_val = np.array([e.group in val_groups for e in train])
        tr, va = idx[~is_val], idx[is_val]
        split_head = warm_head(tr)
        va_owner = np.arange(len(va))
        va_states = [states[i] for i in va]
        search = {
            0.0: macro_auprc(
                top_logits(build_top(lower, split_head), va_states, mid[va], va_owner, len(va), len(OUTPUTS)), y[va], m[va]
            )
        }
        for lr in [float(x) for x in args.lrs.split(",")]:
            top = build_top(lower, split_head)
            took = finetune(top, states, mid, y, m, w, tr, lr, args.head_lr, args.search_epochs, seed=SEED)
            search[lr] = macro_auprc(top_logits(top, va_states, mid[va], va_owner, len(va), len(OUTPUTS)), y[va], m[va])
            log(f"  search lr {lr:g}: validation macro AUPRC {search[lr]:.4f} ({took:.0f}s)")
        log(f"  search lr 0 (warm head only): {search[0.0]:.4f}")
        best = max((k for k in search if k > 0), key=search.get)
        log(f"  chosen lr {best:g}")

        # (probe) frozen 128-token features + warm head; (b) fine-tune from it
        s = time.perf_counter()
        head = warm_head(idx)
        probe_top = build_top(lower, head)
        result("probe: frozen 128-tok + MLP (lr 0)", *scores(probe_top), time.perf_counter() - s)
        s = time.perf_counter()
        top = build_top(lower, head)
        took = finetune(top, states, mid, y, m, w, idx, best, args.head_lr, args.epochs, seed=SEED)
        result(f"(b) fine-tune top 2, lr {best:g}, {args.epochs} ep", *scores(top), time.perf_counter() - s)
        log(f"  fine-tune {took:.0f}s on {args.threads} threads, load {os.getloadavg()}")

    log(f"total wall {time.perf_counter() - t0:.0f}s, load average {os.getloadavg()}")
    print("\n| fold | model | AUPRC | TPR@1%FPR | train s |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.3f} | {r[3]:.3f} | {r[4]:.0f} |")


def _dummy_head():
    from raikit.guardrails.harm._head import Head

    return Head.random(list(OUTPUTS), 1152, HIDDEN)


if __name__ == "__main__":
    main()

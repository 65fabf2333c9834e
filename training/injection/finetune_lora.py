"""Experiment (raikit issue 16): LoRA on all 6 MiniLM layers for injection, per held-out source.

NOT the shipped recipe. For each held-out prompt-attack fold of benchmarks/injection.py (its
``FOLDS``, ``benign_pools``, ``fold_training``, ``model_probs``, ``flagged``, ``auprc``,
``tpr_at_fpr``, imported), on the same fold's training texts, in the same run:

(a) ``1.2-first`` @256, fitted exactly as training/injection/window_pooling.py fits it
    (``fit_model`` on ``first_window`` of the 256/192 feature store), seed 16, scored by
    ``model_probs`` (max over windows and decoded variants);
(b) LoRA (rank 8, alpha 16, dropout 0.1; :mod:`training.lora`, a hand-written wrapper around
    ``nn.Linear``) on the attention query/key/value/output and both FFN dense layers of all
    6 layers, with the encoder's pooling (mean + max of the last layer, mean of layer 3, all
    three under LoRA) and the recipe's MLP head (128 hidden) warm-started on the frozen
    128-token features (``train_window_mlp``, as finetune_top.py's probe). Masked,
    source-capped BCE (``label_arrays``, ``masked_bce``), each training text's first 128-token
    window, AdamW (LoRA lr chosen once, head lr 1e-3, weight decay 0.01), batch 32, 6% warm-up
    then linear decay (finetune_top.py's schedule, its ``bucket_batches`` and ``pad``). Scored as
    finetune_top.py scores: the max over 256/192-token windows of the text and its decoded
    variants of ``max(direct, jailbreak, any)`` logits;
(c) the same LoRA plus a feature-distillation penalty: ``lambda`` times the mean squared gap
    between the pooled features (standardised by the head's mean/std) and the frozen
    encoder's for the same window (the warm-start features), which keeps the representation
    near the one the frozen probe generalises from.

The LoRA lr (of 1e-4 / 3e-4) and then lambda (of 1 / 10, at that lr) are chosen ONCE on a
source-grouped split of the first fold's training data (whole sources held out as validation:
attacks ``neuralchemy:original`` + ``written_attack``, benign ``written_benign`` +
``harm_prompts_benign:train``; none is a fold's held-out source), by validation AUPRC of the
``any`` score on their first 128-token windows, then fixed for every fold. The frozen head
(lr 0) on the split is printed for reference.

Benign flagged at 0.9: ``flagged`` (the default policy's thresholds) on the raw sigmoids of the
LoRA heads (``any`` raised to direct/jailbreak as ``Head.probabilities``); the LoRA heads are
uncalibrated, so that rate is indicative only. No public test suite (JailbreakBench,
CyberSecEval, BIPIA test) is used.

Run from the project root:

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nice -n 10 .venv/bin/python training/injection/finetune_lora.py \
        > training/injection/finetune_lora.log 2>&1

Measured (training/injection/finetune_lora.log, 1 thread, nice 10, load ~2.0 with another
helper's job; seed 16, one run; AUPRC / TPR@1%FPR / benign flagged at 0.9):

    fold               (a) 1.2-first @256     probe (lr 0)          (b) LoRA lr 3e-4      (c) LoRA + distill 1
    in-the-wild jb     0.943/0.496/0.3%       0.915/0.424/1.3%      0.958/0.688/1.8%      0.957/0.696/1.6%
    hackaprompt        0.905/0.406/0.0%       0.898/0.430/1.0%      0.896/0.360/1.5%      0.899/0.368/1.5%
    neuralchemy_v1     0.929/0.352/0.3%       0.926/0.390/1.3%      0.908/0.320/1.1%      0.913/0.318/1.3%
    wildguard+hb       0.455/0.072/0.2%       0.525/0.099/1.0%      0.470/0.050/1.3%      0.478/0.083/1.0%

(a) reproduces window_pooling.log's 1.2-first @256 seed-16 rows exactly. Search (fold 1
source-grouped split, 5.8k train / 562 validation): lr 0 0.716, lr 1e-4 0.695, lr 3e-4 0.698,
lr 3e-4 + lambda 1 0.696, + lambda 10 0.692 (validation AUPRC): LoRA lost to the frozen head
on the split too. The distillation penalty is measured in train mode, so its ~0.11 is mostly
dropout noise (about the same at lambda 1 and 10); it regularises weakly. 1 epoch: ~180-235 s
per LoRA fit, 3,086 s wall in all. Delta: 331,776 LoRA parameters (0.66 MB fp16) + the
148,100-parameter head. LoRA gains a lot on in-the-wild jailbreaks but loses on hackaprompt
and neuralchemy_v1 (and the 128-token probe beats it on wildguard+harmbench); the raw-sigmoid
benign flag rate is 1.0-1.8% vs 0.0-0.3%. Neither candidate is better than 1.2-first on every
fold. One seed; not shipped.

Seed 17 (training/injection/finetune_lora_seed17.log; ``--lr 3e-4 --lam 1 --seeds 17``, 43 min),
with the two-pass mean of (a) and each LoRA model's probabilities:

    fold               (a) 1.2-first      (b) LoRA           (c) LoRA+distill   mean (a),(b)       mean (a),(c)
    in-the-wild jb     0.940/0.488/0.2%   0.952/0.584/1.8%   0.953/0.604/1.8%   0.947/0.520/0.3%   0.947/0.516/0.3%
    hackaprompt        0.905/0.402/0.0%   0.919/0.444/1.5%   0.919/0.432/1.5%   0.914/0.414/0.5%   0.913/0.408/0.5%
    neuralchemy_v1     0.913/0.318/0.5%   0.904/0.290/2.1%   0.902/0.296/1.9%   0.910/0.306/1.0%   0.909/0.306/1.0%
    wildguard+hb       0.451/0.055/0.3%   0.457/0.044/1.1%   0.472/0.066/1.0%   0.468/0.055/0.5%   0.474/0.050/0.5%

LoRA's hackaprompt result flips sign between seeds (0.896 at seed 16, 0.919 at 17): the
seed-to-seed spread is as large as the gain. No candidate reaches AUPRC 0.95 with TPR 0.70 on
any fold but in-the-wild jailbreaks' AUPRC.
"""

from __future__ import annotations

import argparse
import copy
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
from raikit.guardrails.harm._encoder import MAX_TOKENS, STRIDE, length_batches
from raikit.guardrails.harm._head import Head
from raikit.guardrails.injection._decode import variants
from training.features import encoded, masked_bce, train_window_mlp
from training.harm.finetune_top import (
    Lower,
    bucket_batches,
    build_top,
    log,
    pad,
    pad_ids,
    pooled_layers,
    top_logits,
    warmup_adamw,
)
from training.injection import train as recipe
from training.injection.data import OUTPUTS, all_examples
from training.injection.finetune_top import ANY, any_score
from training.injection.window_pooling import first_window
from training.lora import add_lora, lora_parameters

VAL_SOURCES = ("neuralchemy:original", "written_attack", "written_benign", "harm_prompts_benign:train")
"""Whole training sources held out for the one-time lr / lambda choice (first fold)."""
RANK, ALPHA, LORA_DROPOUT = 8, 16, 0.1


def lora_top():
    """The class ``LoraTop``: all 6 encoder layers with LoRA + the encoder's pooling + the MLP head."""
    import torch

    class LoraTop(torch.nn.Module):
        """Input: embedding-layer output (cached, the embeddings stay frozen), padded, and the mask;
        ``forward(h, mask, mid)`` keeps finetune_top.py's signature (``mid`` is ignored: layer 3's
        mean is computed here, under LoRA), so its ``top_logits`` scores it.
        """

        def __init__(self, lower: Lower, head: Head) -> None:
            super().__init__()
            self.layers = copy.deepcopy(lower.model.encoder.layer)
            for p in self.layers.parameters():
                p.requires_grad_(False)
            add_lora(self.layers, RANK, ALPHA, LORA_DROPOUT)
            shell = build_top(lower, head)  # its warm-started head and the head's standardisation
            self.head = shell.head
            self.register_buffer("mean_", shell.mean.clone())
            self.register_buffer("std_", shell.std.clone())

        def lora_parameters(self):
            return lora_parameters(self)

        def pooled(self, h, mask, mid=None):
            return pooled_layers(self.layers, h, mask)

        def standardised(self, h, mask):
            return (self.pooled(h, mask) - self.mean_) / self.std_

        def forward(self, h, mask, mid=None):
            return self.head(self.standardised(h, mask))

    return LoraTop


def embed(lower: Lower, windows: list[list[int]]) -> list:
    """The (frozen) embedding-layer output per window, fp16, unpadded."""
    import torch

    out: list = [None] * len(windows)
    with torch.inference_mode():
        for chunk in length_batches([len(w) for w in windows], 64):
            h = lower.model.embeddings(input_ids=pad_ids(windows, chunk)[0])
            for r, i in enumerate(chunk):
                out[i] = h[r, : len(windows[i])].to(torch.float16).clone()
    return out


def train_lora(top, states, y, m, w, idx, lr, head_lr, epochs, seed, frozen=None, lam=0.0, batch=32):
    """finetune_top.py's ``finetune`` schedule on the LoRA parameters + head, plus the optional
    distillation penalty ``lam * mean((standardised pooled - frozen standardised)^2)``."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    lengths = np.array([s.shape[0] for s in states])
    steps = epochs * int(np.ceil(len(idx) / batch))
    opt, sched = warmup_adamw([(top.lora_parameters(), lr), (top.head.parameters(), head_lr)], steps)
    yt, mt, wt = map(torch.from_numpy, (y, m, w))
    ft = torch.from_numpy(frozen) if frozen is not None else None
    step, start = 0, time.perf_counter()
    for epoch in range(epochs):
        top.train()
        total = pen = 0.0
        for b in bucket_batches(lengths, idx, batch, rng):
            h, mask = pad(states, b)
            z = top.standardised(h, mask)
            bt = torch.from_numpy(b)
            loss = masked_bce(top.head(z), yt[bt], mt[bt], wt[bt])
            total += float(loss.detach())
            if lam > 0:
                p = ((z - ft[bt]) ** 2).mean()
                pen += float(p.detach())
                loss = loss + lam * p
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                k = step - epoch * (steps // epochs)
                log(
                    f"  step {step}/{steps} bce {total / k:.4f} penalty {pen / k:.4f} {time.perf_counter() - start:.0f}s"
                )
        log(f"  epoch {epoch + 1} done, {time.perf_counter() - start:.0f}s")
    top.eval()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--folds", nargs="*", default=["jailbreak_llms", "hackaprompt", "neuralchemy_v1", "wildguard"]
    )
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--lrs", default="1e-4,3e-4")
    parser.add_argument("--lambdas", default="1,10")
    parser.add_argument("--lr", type=float, default=0.0, help="skip the search: this LoRA lr")
    parser.add_argument("--lam", type=float, default=-1.0, help="skip the search: this lambda")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seeds", type=int, nargs="*", default=[16])
    parser.add_argument("--models", nargs="*", default=["a", "b", "c"])
    parser.add_argument("--limit", type=int, default=0, help="smoke test: this many training texts per fold")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    LoraTop = lora_top()
    t0 = time.perf_counter()
    thresholds = policy_thresholds()
    examples = all_examples(Path(args.data))
    held_groups, _, _, pools = benign_pools(examples)
    benign = [t for texts in pools.values() for t in texts]
    folds = {k: v for k, v in FOLDS.items() if v[0] == "prompt" and any(k.startswith(f) for f in args.folds)}
    log(f"examples {len(examples)}; benign pool {len(benign)}; folds {list(folds)}; threads {args.threads}")
    feats256 = encoded("/tmp/raikit_injection_cache_w256")  # window_pooling.py's 256/192 store

    # first 128-token window of every example: frozen embeddings cached; frozen pooled features
    lower = Lower(3)
    texts = [e.text for e in examples]
    win, own = lower.windows(texts, args.max_tokens, args.max_tokens - 2)
    first = np.searchsorted(own, np.arange(len(texts)))
    s = time.perf_counter()
    states = embed(lower, [win[i] for i in first])
    zero = LoraTop(lower, Head.random(list(OUTPUTS), 1152, recipe.HIDDEN))
    zero.eval()
    init = np.zeros((len(texts), 1152), np.float32)
    with torch.inference_mode():
        for chunk in length_batches([x.shape[0] for x in states], 64):
            c = np.array(chunk)
            h, mask = pad(states, c)
            init[c] = zero.pooled(h, mask).numpy()
    log(f"embeddings + frozen 128-token features of {len(texts)} texts: {time.perf_counter() - s:.0f}s")
    lora_n = sum(p.numel() for p in zero.lora_parameters())
    head_n = sum(p.numel() for p in zero.head.parameters())
    log(f"LoRA delta: {lora_n} params ({lora_n * 2 / 1e6:.2f} MB fp16) + head {head_n} params")
    index = {id(e): i for i, e in enumerate(examples)}
    dummy_mid = np.zeros((len(texts), 1), np.float32)

    def arrays(train: list):
        idx = np.array([index[id(e)] for e in train])
        y = np.zeros((len(texts), len(OUTPUTS)), np.float32)
        m, w = np.zeros_like(y), np.zeros(len(texts), np.float32)
        y[idx], m[idx], w[idx] = recipe.label_arrays(train)
        return idx, y, m, w

    def warm_head(sub, y, m, w, seed):
        return train_window_mlp(
            init[sub],
            np.arange(len(sub)),
            y[sub],
            m[sub],
            w[sub],
            outputs=OUTPUTS,
            any_covers=("direct", "jailbreak"),
            hidden=recipe.HIDDEN,
            epochs=recipe.EPOCHS,
            batch=512,
            seed=seed,
        )

    def frozen_std(top) -> np.ndarray:
        return ((init - top.mean_.numpy()) / top.std_.numpy()).astype(np.float32)

    first_fold = next(iter(folds.values()))[1]
    train0 = fold_training(examples, first_fold, held_groups)
    if args.limit:
        train0 = [train0[i] for i in np.random.default_rng(0).choice(len(train0), args.limit, replace=False)]
    idx0, y0, m0, w0 = arrays(train0)
    is_val = np.array([examples[i].source in VAL_SOURCES for i in idx0])
    tr, va = idx0[~is_val], idx0[is_val]
    va_lab = y0[va, ANY]
    log(
        f"search split (fold 1): train {len(tr)}, validation {len(va)} ({int(va_lab.sum())} attacks) of {VAL_SOURCES}"
    )

    def val_score(top) -> tuple[float, float]:
        sc = any_score(
            top_logits(top, [states[i] for i in va], dummy_mid[va], np.arange(len(va)), len(va), len(OUTPUTS))
        )
        return auprc(sc, va_lab), tpr_at_fpr(sc[va_lab == 1], sc[va_lab == 0])

    lr, lam = args.lr, args.lam
    if not lr or lam < 0:
        split_head = warm_head(tr, y0, m0, w0, 16)
        log(
            f"  search lr 0 (frozen + warm head): validation AUPRC / TPR@1% {val_score(LoraTop(lower, split_head))}"
        )
        fz = frozen_std(LoraTop(lower, split_head))
        search: dict[tuple[float, float], tuple[float, float]] = {}
        for cand in [(float(x), 0.0) for x in args.lrs.split(",")] if not lr else []:
            top = LoraTop(lower, split_head)
            took = train_lora(top, states, y0, m0, w0, tr, cand[0], args.head_lr, args.epochs, 16)
            search[cand] = val_score(top)
            log(
                f"  search lr {cand[0]:g} lambda 0: validation AUPRC {search[cand][0]:.4f} TPR@1% {search[cand][1]:.3f} ({took:.0f}s)"
            )
        lr = lr or max(search, key=lambda k: search[k])[0]
        log(f"  chosen lr {lr:g}")
        for cand in [(lr, float(x)) for x in args.lambdas.split(",")] if lam < 0 else []:
            top = LoraTop(lower, split_head)
            took = train_lora(top, states, y0, m0, w0, tr, lr, args.head_lr, args.epochs, 16, fz, cand[1])
            search[cand] = val_score(top)
            log(
                f"  search lr {lr:g} lambda {cand[1]:g}: validation AUPRC {search[cand][0]:.4f} TPR@1% {search[cand][1]:.3f} ({took:.0f}s)"
            )
        if lam < 0:
            lam = max((k for k in search if k[1] > 0), key=lambda k: search[k])[1]
        log(f"  chosen lambda {lam:g}")

    rows = []
    for seed in args.seeds:
        for name, (_, held) in folds.items():
            train = fold_training(examples, held, held_groups)
            if args.limit:
                train = [
                    train[i] for i in np.random.default_rng(0).choice(len(train), args.limit, replace=False)
                ]
            idx, y, m, w = arrays(train)
            pos = [e.text for e in examples if e.source in held and e.labels[ANY] == 1.0]
            log(f"FOLD {name} seed {seed}: train {len(train)}, held-out attacks {len(pos)}")

            def result(
                label: str, pp: np.ndarray, pn: np.ndarray, took: float, name: str = name, seed: int = seed
            ) -> None:
                lab = np.r_[np.ones(len(pp)), np.zeros(len(pn))]
                r = (
                    name.split(" (")[0],
                    label,
                    seed,
                    auprc(np.r_[pp[:, ANY], pn[:, ANY]], lab),
                    tpr_at_fpr(pp[:, ANY], pn[:, ANY]),
                    float(flagged(pn, thresholds).mean()),
                    took,
                )
                rows.append(r)
                log(
                    f"RESULT {r[0]} | {label} | seed {seed}: AUPRC {r[3]:.3f} TPR@1%FPR {r[4]:.3f} "
                    f"benign flagged@0.9 {100 * r[5]:.1f}% ({took:.0f}s)"
                )

            if "a" in args.models:
                s = time.perf_counter()
                recipe.ENSEMBLE = 3
                model = recipe.fit_model(train, first_window(feats256), seed)
                pp, pn = model_probs(model, pos, feats256), model_probs(model, benign, feats256)
                result("(a) 1.2-first @256", pp, pn, time.perf_counter() - s)
                first = (pp, pn)  # for the two-pass means below

            # evaluation readings of this fold: 256/192 windows of each text and its decoded variants
            ev = benign + pos
            readings, r_owner = [], []
            for i, t in enumerate(ev):
                for rd in (t, *variants(t)):
                    readings.append(rd)
                    r_owner.append(i)
            ev_win, ev_w_owner = lower.windows(readings, MAX_TOKENS, STRIDE)
            ev_states = embed(lower, ev_win)
            owner = np.asarray(r_owner)[ev_w_owner]

            def probs(top, n=len(ev)) -> tuple[np.ndarray, np.ndarray]:
                lg = top_logits(
                    top, ev_states, np.zeros((len(ev_win), 1), np.float32), owner, n, len(OUTPUTS)
                )
                p = 1.0 / (1.0 + np.exp(-lg))
                p[:, ANY] = 1.0 / (1.0 + np.exp(-any_score(lg)))
                return p[len(benign) :], p[: len(benign)]

            head = warm_head(idx, y, m, w, seed)
            s = time.perf_counter()
            result(
                "probe: frozen 128-tok + warm head (lr 0)",
                *probs(LoraTop(lower, head)),
                time.perf_counter() - s,
            )
            for key, label, lam_k in (
                ("b", f"(b) LoRA r8 lr {lr:g}", 0.0),
                ("c", f"(c) LoRA r8 lr {lr:g} + distill {lam:g}", lam),
            ):
                if key not in args.models:
                    continue
                s = time.perf_counter()
                top = LoraTop(lower, head)
                took = train_lora(
                    top,
                    states,
                    y,
                    m,
                    w,
                    idx,
                    lr,
                    args.head_lr,
                    args.epochs,
                    seed,
                    frozen_std(top) if lam_k > 0 else None,
                    lam_k,
                )
                pp, pn = probs(top)
                result(f"{label}, {args.epochs} ep", pp, pn, time.perf_counter() - s)
                log(f"  train {took:.0f}s, load {os.getloadavg()}")
                if "a" in args.models:  # two passes, the frozen (a) and this model: mean probabilities
                    result(f"mean of (a) and ({key})", (first[0] + pp) / 2, (first[1] + pn) / 2, 0.0)

    log(f"total wall {time.perf_counter() - t0:.0f}s, load average {os.getloadavg()}")
    print(
        "\n| fold | model | seed | AUPRC | TPR@1%FPR | benign flagged @0.9 | s |\n|---|---|---|---|---|---|---|"
    )
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.3f} | {r[4]:.3f} | {100 * r[5]:.1f}% | {r[6]:.0f} |")


if __name__ == "__main__":
    main()

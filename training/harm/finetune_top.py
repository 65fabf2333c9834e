"""Experiment (raikit issue 14): fine-tune MiniLM's top layers + pooling + head, lower layers frozen.

NOT the shipped recipe. The bundled harm head 2.0 sits on frozen MiniLM features; this script
trains the top ``--layers`` transformer layers (default 2 of 6) of the same encoder together
with the same pooling (mean + max of the last layer, mean of layer 3) and the same MLP head,
on the 2.0 recipe's training set (``training_set``) with its per-source loss shares and its
masked multi-label BCE. The frozen lower layers run once: their output for every training text
(truncated to ``--max-tokens`` tokens, fp16, in RAM) is cached, so each epoch only runs the
top layers forward/backward. The head is warm-started by the recipe's ``_train_mlp`` on the
frozen features (linear-probe-then-fine-tune).

Fairness: everything here (candidate and the 2.0 recipe head it is compared with) trains
WITHOUT the moderation dev set, so the moderation dev any-harm AUPRC is on unseen texts for
both. Both models are scored with raw (uncalibrated) sigmoids, the "any" output raised to the
max of the harm categories (``Head.probabilities``); hate sets count a text hateful when
max(hate, hate/threatening) >= 0.5, a prompt is blocked when any harm category >= 0.5.
Held-out sets as benchmarks/harm.py builds them (functional "heldout" cases, the "test"
split of the public sources, the "heldout" written prompts); texts are scored by 256-token
windows (stride 192, max over windows) as the encoder does, so the candidate can reuse the
shipped lower-layer pass. The learning rate is chosen on a 10% group split of the training
data (macro AUPRC over the outputs), never on held-out sets.

Run from the project root (the reported candidate, 17 minutes wall on 2 threads):

    OMP_NUM_THREADS=2 nice -n 10 .venv/bin/python training/harm/finetune_top.py \
        --lrs 2e-5,5e-5 --search-epochs 3 --epochs 3 > /tmp/ft.log 2>&1

Measured (run 3 in training/harm/finetune_top.log; raw sigmoids, no moderation dev in any
training): top-2 fine-tune at lr 2e-5 (chosen on the split), 3 epochs vs the 2.0 recipe head:
functional 0.949 vs 0.922 (hateful 0.950 vs 0.901, non-hateful 0.947 vs 0.951), HatemojiBuild
0.653 vs 0.643, ToxiGen 0.899 vs 0.884, Stormfront 0.820 vs 0.817, look-alikes blocked 3/70 vs
2/70, unsafe 0.925 vs 0.868, moderation dev any AUPRC 0.762 vs 0.726. Emoji (0.85) and
moderation (0.86) targets stay far off. Delta 3.55M parameters (7.1 MB fp16, 3.6 MB int8);
the top 2 layers + head cost ~36% of a full MiniLM pass on top of the shared lower pass.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from raikit.guardrails.harm._categories import ANY, HARM_CATEGORIES
from raikit.guardrails.harm._encoder import (
    MAX_TOKENS,
    MIDDLE_LAYER,
    STRIDE,
    default_encoder_path,
    get_encoder,
    length_batches,
    prepare,
)
from raikit.guardrails.harm._head import Head
from raikit.guardrails.harm._windows import token_windows
from training.features import masked_bce
from training.harm.cache import cached_window_features
from training.harm.datasets import load_moderation
from training.harm.prompts import load_prompts
from training.harm.recipe import (
    OUTPUTS,
    PUBLIC_SOURCES,
    SOURCE_SHARE,
    TrainingSet,
    _label_matrix,
    _train_mlp,
    fit_head,
    training_set,
)
from training.harm.templates import functional_cases

logger = logging.getLogger("finetune_top")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {msg}", flush=True)


class Lower:
    """The frozen bottom of MiniLM: per window, the input of the first trained layer + layer-3 mean."""

    def __init__(self, layers: int) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = default_encoder_path()
        self.tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.tok.model_max_length = 10**9
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        self.split = len(self.model.encoder.layer) - layers
        assert self.split >= MIDDLE_LAYER, "layer 3's mean must stay frozen"
        self.torch = torch

    def windows(self, texts: list[str], size: int, stride: int) -> tuple[list[list[int]], np.ndarray]:
        ids = self.tok([prepare(t) for t in texts], add_special_tokens=False)["input_ids"]
        out, owner = [], []
        for i, seq in enumerate(ids):
            for w in token_windows(seq, size - 2, stride):
                out.append([self.tok.cls_token_id, *w, self.tok.sep_token_id])
                owner.append(i)
        return out, np.array(owner)

    def encode(self, windows: list[list[int]]) -> tuple[list, np.ndarray]:
        """Hidden states entering layer ``split`` (fp16, unpadded) and the layer-3 mean per window."""
        torch = self.torch
        states: list = [None] * len(windows)
        mid = np.zeros((len(windows), 384), np.float32)
        with torch.inference_mode():
            for chunk in length_batches([len(w) for w in windows], 64):
                ids, mask = pad_ids(windows, chunk)
                h = self.model.embeddings(input_ids=ids)
                ext = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min
                m = mask.unsqueeze(-1)
                for k, layer in enumerate(self.model.encoder.layer[: self.split], start=1):
                    h = layer(h, attention_mask=ext)
                    h = h[0] if isinstance(h, tuple) else h
                    if k == MIDDLE_LAYER:
                        mid[chunk] = ((h * m).sum(1) / m.sum(1)).numpy()
                for r, i in enumerate(chunk):
                    states[i] = h[r, : len(windows[i])].to(torch.float16).clone()
        return states, mid


def warm_mlp(head: Head):
    """The recipe's MLP head as torch layers (dropout 0.1, hidden, GELU, dropout 0.3, output),
    with ``head``'s weights."""
    import torch

    a = head.arrays
    mlp = torch.nn.Sequential(
        torch.nn.Dropout(0.1),
        torch.nn.Linear(a["w1"].shape[0], a["w1"].shape[1]),
        torch.nn.GELU(approximate="tanh"),
        torch.nn.Dropout(0.3),
        torch.nn.Linear(a["w2"].shape[0], a["w2"].shape[1]),
    )
    with torch.no_grad():
        mlp[1].weight.copy_(torch.from_numpy(a["w1"].T.copy()))
        mlp[1].bias.copy_(torch.from_numpy(a["b1"].copy()))
        mlp[4].weight.copy_(torch.from_numpy(a["w2"].T.copy()))
        mlp[4].bias.copy_(torch.from_numpy(a["b2"].copy()))
    return mlp


def pooled_layers(layers, h, mask, mid=None):
    """Run ``layers`` on ``h`` and pool as the encoder does: mean + max of the last layer's output
    and the mean of layer ``MIDDLE_LAYER``'s (counted within ``layers``), or ``mid`` if given."""
    import torch

    ext = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min
    m = mask.unsqueeze(-1)
    for k, layer in enumerate(layers, start=1):
        h = layer(h, attention_mask=ext)
        h = h[0] if isinstance(h, tuple) else h
        if mid is None and k == MIDDLE_LAYER:
            middle = (h * m).sum(1) / m.sum(1)
    mean = (h * m).sum(1) / m.sum(1)
    mx = h.masked_fill(m == 0, -1e4).max(1).values
    return torch.cat([mean, mx, middle if mid is None else mid], 1)


def build_top(lower: Lower, head: Head):
    """A torch module: trainable copies of the top layers + pooling + the MLP head (warm-started)."""
    import copy

    import torch

    class Top(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(copy.deepcopy(lower.model.encoder.layer[lower.split :]))
            a = head.arrays
            self.register_buffer("mean", torch.from_numpy(a["mean"].copy()))
            self.register_buffer("std", torch.from_numpy(a["std"].copy()))
            self.head = warm_mlp(head)

        def pooled(self, h, mask, mid):
            return pooled_layers(self.layers, h, mask, mid)

        def forward(self, h, mask, mid):
            return self.head((self.pooled(h, mask, mid) - self.mean) / self.std)

    return Top()


@dataclass
class Heldout:
    """The held-out sets as benchmarks/harm.py builds them, plus the moderation dev set."""

    texts: list[str]
    labels: list[dict]
    source: np.ndarray
    cases: list
    prompts: list


def heldout_sets(data_dir: str) -> Heldout:
    """Functional "heldout" cases, the "test" split of the public sources, the "heldout" written
    prompts and the moderation dev set (unseen by every model here), in that order."""
    cases = functional_cases("heldout")
    public = [e for load in PUBLIC_SOURCES.values() for e in load(data_dir) if e.split == "test"]
    prompts = load_prompts("heldout")
    moderation = load_moderation(data_dir)
    texts = (
        [c.text for c in cases]
        + [e.text for e in public]
        + [p.text for p in prompts]
        + [e.text for e in moderation]
    )
    labels = (
        [dict(c.labels) for c in cases]
        + [e.labels for e in public]
        + [p.labels for p in prompts]
        + [e.labels for e in moderation]
    )
    source = np.array(
        ["functional"] * len(cases)
        + [e.source.split(":")[0] for e in public]
        + ["prompts"] * len(prompts)
        + ["moderation"] * len(moderation)
    )
    return Heldout(texts, labels, source, cases, prompts)


def search_split(groups: list[str], fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the learning-rate search: 10% of the groups held out as validation (seed 1),
    and ``fraction`` of the rest (seed 0) for training."""
    val_groups = set(random.Random(1).sample(sorted(set(groups)), len(set(groups)) // 10))
    is_val = np.array([g in val_groups for g in groups])
    tr_idx, va_idx = np.where(~is_val)[0], np.where(is_val)[0]
    if fraction < 1:
        tr_idx = np.sort(np.random.default_rng(0).choice(tr_idx, int(len(tr_idx) * fraction), replace=False))
    log(f"search split: train {len(tr_idx)}, validation {len(va_idx)} texts")
    return tr_idx, va_idx


def score(name: str, probs: np.ndarray, ev: Heldout) -> dict[str, float]:
    """The held-out figures of per-text probabilities ``probs`` (rows of ``ev.texts``), logged."""
    ev_source, ev_labels, cases, prompts = ev.source, ev.labels, ev.cases, ev.prompts
    hate = np.maximum(probs[:, OUTPUTS.index("hate")], probs[:, OUTPUTS.index("hate/threatening")]) >= 0.5
    harm = np.max(probs[:, [OUTPUTS.index(k) for k in HARM_CATEGORIES]], 1) >= 0.5
    r: dict[str, float] = {}
    f = ev_source == "functional"
    truth = np.array([c.hateful for c in cases])
    ok = hate[f] == truth
    r["functional"], r["func hateful"], r["func non-hateful"] = (
        ok.mean(),
        ok[truth].mean(),
        ok[~truth].mean(),
    )
    for s in ("hatemoji", "toxigen", "stormfront"):
        rows = np.where(ev_source == s)[0]
        t = np.array([ev_labels[i]["hate"] == 1 for i in rows])
        r[s] = (hate[rows] == t).mean()
    pr = np.where(ev_source == "prompts")[0]
    kinds = [p.kind for p in prompts]
    for label, sel in (
        ("system prompts blocked", [k == "system_prompt" for k in kinds]),
        ("look-alikes blocked", [k.startswith("lookalike") for k in kinds]),
        ("unsafe blocked", [p.unsafe for p in prompts]),
    ):
        sel = np.array(sel)
        r[label] = harm[pr[sel]].mean()
        r[label + " n"] = sel.sum()
    mo = np.where(ev_source == "moderation")[0]
    ya = np.array([ev_labels[i].get(ANY) for i in mo])
    known = np.array([v is not None for v in ya])
    r["moderation any AUPRC"] = auprc(ya[known].astype(int), probs[mo[known], OUTPUTS.index(ANY)])
    log(
        f"RESULT {name}: "
        + ", ".join(f"{k}={v:.3f}" if not k.endswith(" n") else f"{k}={int(v)}" for k, v in r.items())
    )
    return r


def pad(states: list, idx: np.ndarray):
    import torch

    n = max(states[i].shape[0] for i in idx)
    h = torch.zeros((len(idx), n, 384))
    mask = torch.zeros((len(idx), n))
    for r, i in enumerate(idx):
        h[r, : states[i].shape[0]] = states[i].float()
        mask[r, : states[i].shape[0]] = 1
    return h, mask


def pad_ids(windows: list[list[int]], idx):
    """Token ids of windows ``idx``, zero-padded, and their float mask."""
    import torch

    n = max(len(windows[i]) for i in idx)
    ids = torch.zeros((len(idx), n), dtype=torch.long)
    mask = torch.zeros((len(idx), n))
    for r, i in enumerate(idx):
        ids[r, : len(windows[i])] = torch.tensor(windows[i])
        mask[r, : len(windows[i])] = 1
    return ids, mask


def bucket_batches(
    lengths: np.ndarray, idx: np.ndarray, size: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Shuffled batches of similar length: shuffle, sort within chunks of 50 batches, shuffle batches."""
    idx = rng.permutation(idx)
    out = []
    for c in range(0, len(idx), size * 50):
        chunk = idx[c : c + size * 50]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        out += [chunk[b : b + size] for b in range(0, len(chunk), size)]
    return [out[i] for i in rng.permutation(len(out))]


def warmup_adamw(groups, steps: int):
    """AdamW (weight decay 0.01) over ``(parameters, lr)`` groups, with a scheduler: linear
    warm-up over the first 6% of ``steps``, then linear decay to zero."""
    import torch

    opt = torch.optim.AdamW([{"params": p, "lr": lr} for p, lr in groups], weight_decay=0.01)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    return opt, sched


def finetune(top, states, mid, y, m, w, idx, lr, head_lr, epochs, seed, batch=32, on_epoch=None):
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    lengths = np.array([s.shape[0] for s in states])
    steps = epochs * int(np.ceil(len(idx) / batch))
    opt, sched = warmup_adamw([(top.layers.parameters(), lr), (top.head.parameters(), head_lr)], steps)
    yt, mt, wt, midt = map(torch.from_numpy, (y, m, w, mid))
    step, start = 0, time.perf_counter()
    for epoch in range(epochs):
        top.train()
        total = 0.0
        for b in bucket_batches(lengths, idx, batch, rng):
            h, mask = pad(states, b)
            logits = top(h, mask, midt[b])
            bt = torch.from_numpy(b)
            loss = masked_bce(logits, yt[bt], mt[bt], wt[bt])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
            step += 1
            if step % 400 == 0:
                log(
                    f"  step {step}/{steps} mean loss this epoch {total / (step - epoch * (steps // epochs)):.4f} "
                    f"{time.perf_counter() - start:.0f}s"
                )
        log(f"  epoch {epoch + 1} done, {time.perf_counter() - start:.0f}s")
        if on_epoch is not None:
            top.eval()
            on_epoch(epoch + 1)
    top.eval()
    return time.perf_counter() - start


def top_logits(top, states, mid, owner, n_texts, n_outputs=None):
    """Per text: max over its windows of the head logits (``n_outputs``: the head's, harm's by default)."""
    import torch

    out = np.full((n_texts, n_outputs or len(OUTPUTS)), -np.inf, np.float32)
    lengths = [s.shape[0] for s in states]
    top.eval()
    with torch.inference_mode():
        for chunk in length_batches(lengths, 64):
            c = np.array(chunk)
            h, mask = pad(states, c)
            lg = top(h, mask, torch.from_numpy(mid[c])).numpy()
            np.maximum.at(out, owner[c], lg)
    return out


def raw_probs(logits: np.ndarray) -> np.ndarray:
    """Raw sigmoids, ``any`` raised to the max of the harm categories (Head.probabilities)."""
    h = Head.random(list(OUTPUTS), 4, 2)
    h.meta["any_covers"] = list(HARM_CATEGORIES)
    return h.probabilities(logits)


def auprc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def macro_auprc(p: np.ndarray, y: np.ndarray, m: np.ndarray) -> float:
    vals = [
        auprc(y[m[:, j] > 0, j], p[m[:, j] > 0, j])
        for j in range(len(OUTPUTS))
        if y[m[:, j] > 0, j].sum() >= 5
    ]
    return float(np.nanmean(vals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[3] / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--lrs", default="2e-5,5e-5,1e-4")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--search-epochs", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument(
        "--search-fraction", type=float, default=1.0, help="share of the 90%% split used per search run"
    )
    parser.add_argument("--save", default="/tmp/ft_top")
    parser.add_argument(
        "--force-lr",
        type=float,
        default=0.0,
        help="skip the search and fine-tune with this lr (informational runs only)",
    )
    parser.add_argument("--limit", type=int, default=0, help="smoke test: this many random training texts")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    sources = [s for s in SOURCE_SHARE if s != "moderation"]
    data: TrainingSet = training_set(args.data, sources=sources)
    if args.limit:
        keep = sorted(random.Random(0).sample(range(len(data.texts)), args.limit))
        data = TrainingSet(
            *([getattr(data, f)[i] for i in keep] for f in ("texts", "labels", "sources", "groups"))
        )
    n = len(data.texts)
    y, m = _label_matrix(data.labels)
    src = np.array(data.sources)
    w = np.zeros(n, np.float32)
    for s, share in SOURCE_SHARE.items():
        w[src == s] = share * n / max(1, (src == s).sum())
    log(f"training texts (no moderation dev): {n}; threads {args.threads}; top layers {args.layers}")

    lower = Lower(args.layers)
    tr_windows, tr_owner = lower.windows(data.texts, args.max_tokens, args.max_tokens - 2)
    first = np.searchsorted(tr_owner, np.arange(n))  # first window of each text only (truncation)
    tr_windows = [tr_windows[i] for i in first]
    tstart = time.perf_counter()
    states, mid = lower.encode(tr_windows)
    cache_s = time.perf_counter() - tstart
    mb = sum(s.numel() for s in states) * 2 / 1e6
    log(f"lower-layer cache: {n} texts, {mb:.0f} MB fp16, {cache_s:.0f}s")

    ev = heldout_sets(args.data)
    ev_texts = ev.texts

    def report(name: str, probs: np.ndarray) -> dict[str, float]:
        return score(name, probs, ev)

    ev_windows, ev_owner = lower.windows(ev_texts, MAX_TOKENS, STRIDE)
    ev_states, ev_mid = lower.encode(ev_windows)
    log(f"held-out texts {len(ev_texts)} ({len(ev_windows)} windows of {MAX_TOKENS}/{STRIDE})")

    results: dict[str, dict[str, float]] = {}

    # the 2.0 recipe head (frozen features, 256-token windows), raw sigmoids, no moderation dev
    enc = get_encoder(precision="float32")

    def feats(batch: list[str]):
        return cached_window_features(batch, enc.window_features)

    tstart = time.perf_counter()
    recipe = fit_head(data, feats, calibrate=False)
    recipe_s = time.perf_counter() - tstart
    wf = feats(ev_texts)
    lg = np.full((len(ev_texts), len(OUTPUTS)), -np.inf, np.float32)
    np.maximum.at(lg, wf.owner, recipe.logits(wf.features))
    results["2.0 recipe (no mod dev, raw)"] = report("2.0 recipe (no mod dev, raw)", raw_probs(lg))
    log(f"2.0 recipe head trained in {recipe_s:.0f}s")
    from raikit.guardrails.harm import HarmModel

    shipped = HarmModel().head
    lg = np.full((len(ev_texts), len(OUTPUTS)), -np.inf, np.float32)
    np.maximum.at(lg, wf.owner, shipped.logits(wf.features))
    results["shipped 2.0 (raw; trained WITH mod dev)"] = report(
        "shipped 2.0 head, raw, float32 features", raw_probs(lg)
    )

    # frozen features at the candidate's truncation, for the warm start (lr 0 = linear probe)
    import torch

    probe = build_top(lower, Head.random(list(OUTPUTS), 1152, 256))
    with torch.inference_mode():
        init = np.zeros((n, 1152), np.float32)
        for chunk in length_batches([s.shape[0] for s in states], 64):
            c = np.array(chunk)
            h, mask = pad(states, c)
            init[c] = probe.pooled(h, mask, torch.from_numpy(mid[c])).numpy()

    # learning-rate search on a 10% group split of the training data
    tr_idx, va_idx = search_split(data.groups, args.search_fraction)
    warm_split = _train_mlp(init[tr_idx], np.arange(len(tr_idx)), y[tr_idx], m[tr_idx], w[tr_idx], seed=0)
    va_p = raw_probs(warm_split.logits(init[va_idx]))
    search = {0.0: macro_auprc(va_p, y[va_idx], m[va_idx])}
    log(f"search lr 0 (frozen, warm head only): validation macro AUPRC {search[0.0]:.4f}")
    va_owner = np.arange(len(va_idx))
    va_states = [states[i] for i in va_idx]
    for lr in [float(x) for x in args.lrs.split(",")] if not args.force_lr else []:
        top = build_top(lower, warm_split)

        def val(epoch: int, lr: float = lr, top=top) -> None:
            p = raw_probs(top_logits(top, va_states, mid[va_idx], va_owner, len(va_idx)))
            log(
                f"search lr {lr:g} after epoch {epoch}/{args.search_epochs}: validation macro AUPRC "
                f"{macro_auprc(p, y[va_idx], m[va_idx]):.4f}"
            )
            search[lr] = macro_auprc(p, y[va_idx], m[va_idx])

        took = finetune(
            top, states, mid, y, m, w, tr_idx, lr, args.head_lr, args.search_epochs, seed=0, on_epoch=val
        )
        log(
            f"search lr {lr:g}: validation macro AUPRC {search[lr]:.4f} ({took:.0f}s, {args.search_epochs} epochs)"
        )
    best = args.force_lr or max(search, key=search.get)
    log(
        f"chosen lr {best:g} (validation macro AUPRC {search.get(best, float('nan')):.4f}"
        f"{', FORCED, not chosen by the search' if args.force_lr else ''})"
    )

    # final: warm head on all (no mod dev) frozen features, then fine-tune with the chosen lr
    warm = _train_mlp(init, np.arange(n), y, m, w, seed=0)
    probe_top = build_top(lower, warm)
    results["linear probe (128-token train)"] = report(
        "frozen top + warm head (lr 0)",
        raw_probs(top_logits(probe_top, ev_states, ev_mid, ev_owner, len(ev_texts))),
    )
    top = probe_top
    if best > 0:
        top = build_top(lower, warm)
        took = finetune(top, states, mid, y, m, w, np.arange(n), best, args.head_lr, args.epochs, seed=0)
        log(f"final fine-tune: {took:.0f}s on {args.threads} threads, {args.epochs} epoch(s), lr {best:g}")
        results[f"fine-tune top {args.layers} (lr {best:g})"] = report(
            f"fine-tune top {args.layers} lr {best:g}",
            raw_probs(top_logits(top, ev_states, ev_mid, ev_owner, len(ev_texts))),
        )
        Path(args.save).mkdir(parents=True, exist_ok=True)
        torch.save({k: v.half() for k, v in top.state_dict().items()}, Path(args.save) / "top_fp16.pt")

    # delta size and inference cost
    params = sum(p.numel() for p in top.layers.parameters())
    log(
        f"delta: top {args.layers} layers {params} params = {params * 2 / 1e6:.2f} MB fp16 / {params / 1e6:.2f} MB int8 "
        f"(+ head {sum(p.numel() for p in top.head.parameters())} params)"
    )
    bench = ev_windows[:512]
    b_states, b_mid = lower.encode(bench)
    for _ in range(2):
        s = time.perf_counter()
        lower.encode(bench)
        full_lower = time.perf_counter() - s
        s = time.perf_counter()
        top_logits(top, b_states, b_mid, np.arange(len(bench)), len(bench))
        top_t = time.perf_counter() - s
        s = time.perf_counter()
        with torch.inference_mode():
            for chunk in length_batches([len(x) for x in bench], 64):
                ids = [bench[i] for i in chunk]
                nmax = max(len(x) for x in ids)
                t = torch.zeros((len(ids), nmax), dtype=torch.long)
                mk = torch.zeros_like(t)
                for r, x in enumerate(ids):
                    t[r, : len(x)] = torch.tensor(x)
                    mk[r, : len(x)] = 1
                lower.model(input_ids=t, attention_mask=mk)
        full = time.perf_counter() - s
        log(
            f"inference on {len(bench)} held-out windows: full MiniLM {full:.2f}s, lower {lower.split} layers "
            f"{full_lower:.2f}s, extra top {args.layers} layers + head {top_t:.2f}s (+{top_t / full:.0%} of full)"
        )
    log(f"total wall {time.perf_counter() - t0:.0f}s")
    keys = list(next(iter(results.values())))
    print("\n| set | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for k in keys:
        if not k.endswith(" n"):
            print(f"| {k} | " + " | ".join(f"{r[k]:.3f}" for r in results.values()) + " |")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()

"""Experiment (raikit issue 14): LoRA on all 6 MiniLM layers (+ optional multi-task heads).

NOT the shipped recipe. The two issue-14 designs finetune_top.py did not try, in one run with
a fixed seed, against the 2.0 recipe head trained WITHOUT the moderation dev set (exactly as
finetune_top.py's baseline):

1. ``lora``: rank-8 LoRA adapters (alpha 16, dropout 0.1) on every attention query / key /
   value / output dense and every FFN intermediate / output dense of all 6 layers, the same
   pooling (mean + max of the last layer, mean of layer 3) and the same MLP head, warm-started
   by the recipe's ``_train_mlp`` on the frozen features (the adapters start at zero, so the
   warm model is the frozen model). The recipe's masked multi-label BCE with its source shares,
   AdamW, linear warm-up/decay. The adapter learning rate is chosen on the 10% group split of
   the training data (macro AUPRC over the outputs), never on held-out sets.
2. ``lora+mt``: the same, plus auxiliary outputs on the head's hidden layer, trained beside the
   harm categories with weight ``--aux-weight`` and masked where a source carries no such label
   (:func:`aux_labels`): request vs statement, the targeted/mentioned group family (ToxiGen's
   file group, HatemojiBuild's ``target`` of hateful rows), the stance of contrast cases
   (counter-speech, negated hate, neutral/positive identity mention: the functional
   templates' functionality and ToxiGen neutral files; every hateful text is none of them)
   and the hate type (HatemojiBuild's ``type`` of hateful rows, the templates' derogation /
   dehumanisation / threat). HatemojiBuild's non-hateful rows carry no contrast type
   (``type`` is "none"), and no source marks reclaimed slurs, so neither is an output.

Training texts are truncated to ``--max-tokens`` (first window) in length-bucketed batches of
32; scoring is finetune_top.py's: raw sigmoids, 256-token windows (stride 192), max over a
text's windows, hateful when max(hate, hate/threatening) >= 0.5, blocked when any harm
category >= 0.5 (``finetune_top.score`` on ``finetune_top.heldout_sets``).

The frozen encoder's own dropout is off while training (only the adapters' and the head's
dropout are on: Bernoulli draws cost ~20% of a CPU step). ``--per-source N`` trains the LoRA
models on at most N texts per source (each source keeps its loss share); the 2.0 recipe head
always trains on the full set. Run from the project root (1 thread; the other core is in use):

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nice -n 10 .venv/bin/python training/harm/finetune_lora.py \
        --threads 1 --lrs 1e-4,3e-4 --search-epochs 1 --search-fraction 0.35 --epochs 1

Measured (run 2 in training/harm/finetune_lora.log, 44 min wall on 1 thread; full 2.0 training
set, 29090 texts; lr 3e-4 chosen on the split: validation macro AUPRC 0.893 vs 0.892 for 1e-4,
0.881 frozen; 1 epoch; raw sigmoids, no moderation dev in any training):

| set | 2.0 recipe | LoRA | LoRA+multi-task |
|---|---|---|---|
| functional (hateful / non-hateful) | 0.922 (0.901 / 0.951) | 0.924 (0.904 / 0.951) | 0.937 (0.910 / 0.971) |
| HatemojiBuild held-out | 0.643 | 0.626 | 0.645 |
| ToxiGen | 0.884 | 0.884 | 0.899 |
| Stormfront | 0.817 | 0.814 | 0.828 |
| system prompts blocked (25) | 0.040 | 0.000 | 0.040 |
| look-alikes blocked (70) | 0.029 | 0.014 | 0.071 |
| unsafe blocked (53) | 0.868 | 0.962 | 0.962 |
| moderation dev any AUPRC | 0.726 | 0.753 | 0.768 |

Run 1 (``--per-source 3500``, 16458 texts, search fraction 0.5, lr 1e-4): LoRA 0.894 / 0.624 /
0.877 / 0.809 / 0 / 2/70 / 0.943 / 0.704, LoRA+multi-task 0.915 / 0.604 / 0.870 / 0.821 / 0 /
2/70 / 0.887 / 0.714 (same order): the cap hurts.

Neither candidate is better than the 2.0 recipe on every set: LoRA loses HatemojiBuild and
Stormfront; LoRA+multi-task is ahead or level everywhere but blocks 5/70 look-alikes (vs 2/70;
target <= 1%). Emoji (0.85) and moderation (0.86) targets stay far off. Delta: 331,776 LoRA
parameters (0.66 MB fp16) + the head (297,738, 0.60 MB fp16). Inference on 512 held-out
windows (1 thread): adapters unmerged 98-120% of a full MiniLM pass, merged 88-105% (same
network, noise of a shared machine), but either way a second full pass beside the frozen one.

Run 3 (training/harm/finetune_lora_ensemble.log, 56 min wall on 1 thread): the teacher a
distillation could learn from, i.e. the strongest model trainable here, as mean probabilities:

    .venv/bin/python training/harm/finetune_lora.py --threads 1 --lr 3e-4 \
        --models LoRA+multi-task --seeds 0 1 2 --save /tmp/harm_ens

| set | LoRA+mt s0 | s1 | s2 | mean of the 3 | mean of the 3 + 2.0 recipe |
|---|---|---|---|---|---|
| functional (hateful / non-hateful) | 0.937 | 0.937 | 0.937 | 0.944 (0.926 / 0.967) | 0.944 (0.923 / 0.971) |
| HatemojiBuild held-out | 0.645 | 0.648 | 0.626 | 0.643 | 0.645 |
| ToxiGen / Stormfront | 0.899 / 0.828 | 0.884 / 0.831 | 0.913 / 0.808 | 0.899 / 0.817 | 0.884 / 0.814 |
| system prompts / look-alikes blocked | 1/25, 5/70 | 1/25, 3/70 | 1/25, 3/70 | 1/25, 3/70 | 1/25, 3/70 |
| unsafe blocked | 0.962 | 0.925 | 0.943 | 0.943 | 0.943 |
| moderation dev any AUPRC | 0.768 | 0.744 | 0.753 | 0.770 | 0.757 |

Seed 0 reproduces run 2 exactly. The ensemble (four encoder passes) gains nothing on the
emoji set (0.645 vs target 0.85) and little on moderation (0.770 vs 0.86): a student distilled
from it cannot be expected to reach the targets.
"""

from __future__ import annotations

import argparse
import ast
import copy
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from raikit.guardrails.harm._encoder import MAX_TOKENS, STRIDE, get_encoder, length_batches
from raikit.guardrails.harm._head import Head
from training.features import masked_bce
from training.harm.cache import cached_window_features
from training.harm.finetune_top import (
    Lower,
    auprc,
    bucket_batches,
    heldout_sets,
    log,
    macro_auprc,
    pad_ids,
    pooled_layers,
    raw_probs,
    score,
    search_split,
    warm_mlp,
    warmup_adamw,
)
from training.harm.prompts import load_prompts
from training.harm.recipe import (
    HIDDEN,
    OUTPUTS,
    SOURCE_SHARE,
    TrainingSet,
    _label_matrix,
    _train_mlp,
    fit_head,
    loss_weights,
    training_set,
)
from training.harm.sources import HATEMOJI_DIR, TOXIGEN_DIR
from training.harm.templates import functional_cases
from training.harm.written import written_cases
from training.lora import add_lora, lora_parameters, merge_lora

AUX = (
    "request",
    "group:race",
    "group:religion",
    "group:women",
    "group:lgbtq",
    "group:disability",
    "group:origin",
    "stance:counter",
    "stance:negated",
    "stance:identity",
    "type:derogation",
    "type:animosity",
    "type:dehumanising",
    "type:threatening",
)
GROUP_OF_TOXIGEN = {
    "asian": "race", "black": "race", "chinese": "race", "latino": "race", "mexican": "race",
    "middle_east": "race", "native_american": "race", "jewish": "religion", "muslim": "religion",
    "women": "women", "bisexual": "lgbtq", "lgbtq": "lgbtq", "trans": "lgbtq",
    "mental_disability": "disability", "physical_disability": "disability", "immigrant": "origin",
}  # fmt: skip
GROUP_OF_HATEMOJI = {
    "bla": "race", "asi": "race", "arab": "race", "african": "race", "hisp": "race", "mex": "race",
    "mix.race": "race", "ethmin": "race", "indig": "race", "abo": "race", "ind": "race", "trav": "race",
    "mus": "religion", "jew": "religion", "sikh": "religion", "hind": "religion", "wom": "women",
    "gay": "lgbtq", "lgbtqa": "lgbtq", "trans": "lgbtq", "bis": "lgbtq", "dis": "disability",
    "immig": "origin", "ref": "origin", "asy": "origin", "for": "origin", "nat": "origin", "europe": "origin",
}  # fmt: skip
"""HatemojiBuild target codes by prefix (``blawom`` -> race + women); ``wc`` (class) unmapped."""
STANCE_OF = {
    "counter_speech": "counter",
    "counter_reference": "counter",
    "negated_hate": "negated",
    "neutral_identity": "identity",
    "positive_identity": "identity",
    "identity_spelling": "identity",
}
TYPE_OF = {
    "derogation": "derogation",
    "animosity": "animosity",
    "dehumanizinglanguage": "dehumanising",
    "dehumanisation": "dehumanising",
    "threateninglanguage": "threatening",
    "threat": "threatening",
}


def _hatemoji_families(codes: list[str]) -> set[str]:
    out = set()
    for code in codes:
        for prefix, family in GROUP_OF_HATEMOJI.items():
            if code.startswith(prefix):
                out.add(family)
                break
        if code.endswith("wom"):
            out.add("women")
    return out


def aux_labels(data: TrainingSet, data_dir: str) -> tuple[np.ndarray, np.ndarray]:
    """Auxiliary targets and masks (rows of ``data``, columns :data:`AUX`) from the fields the
    sources carry; unknown stays masked."""
    col = {k: j for j, k in enumerate(AUX)}
    y = np.zeros((len(data.texts), len(AUX)), np.float32)
    m = np.zeros_like(y)

    def put(i: int, keys: list[str], positive: set[str]) -> None:
        for k in keys:
            y[i, col[k]] = float(k in positive)
            m[i, col[k]] = 1.0

    groups = [k for k in AUX if k.startswith("group:")]
    stances = [k for k in AUX if k.startswith("stance:")]
    types = [k for k in AUX if k.startswith("type:")]
    with (Path(data_dir) / HATEMOJI_DIR / "train.csv").open(newline="", encoding="utf-8") as handle:
        hatemoji = {r["text"]: r for r in csv.DictReader(handle)}
    toxigen: dict[str, set[str]] = {}
    for path in sorted((Path(data_dir) / TOXIGEN_DIR).glob("*_1k.txt")):
        family = GROUP_OF_TOXIGEN[path.name.split("_", 1)[1].removesuffix("_1k.txt")]
        for line in path.read_text(encoding="utf-8").splitlines():
            for part in line.split("\\n"):
                toxigen.setdefault(part.strip().lstrip("-").strip(), set()).add(f"group:{family}")
    # template / written / prompt rows: two spellings per case, in training_set's order
    meta = [("template", c.functionality) for c in functional_cases("train", seed=0, variations=2)]
    meta += [("written", c.functionality) for c in written_cases()]
    meta += [("prompts", p.kind) for p in load_prompts("train")]
    rows = [i for i, s in enumerate(data.sources) if s in ("template", "written", "prompts")]
    assert len(rows) == 2 * len(meta), (len(rows), len(meta))
    kind_of = {i: meta[k // 2] for k, i in enumerate(rows)}
    for i, (source, labels) in enumerate(zip(data.sources, data.labels, strict=True)):
        hateful = labels.get("hate") == 1
        if hateful:
            put(i, stances, set())
        if source in ("davidson", "toxigen", "stormfront", "hatemoji"):
            put(i, ["request"], set())
        elif source in ("forbidden", "self_instruct"):
            put(i, ["request"], {"request"})
        if source == "toxigen":
            put(i, groups, toxigen.get(data.texts[i], set()))
            if not hateful:
                put(i, stances, {"stance:identity"})
        elif source == "hatemoji":
            row = hatemoji.get(data.texts[i])
            if row is not None and hateful:
                families = _hatemoji_families(ast.literal_eval(row["target"]))
                if families:
                    put(i, groups, {f"group:{f}" for f in families})
                put(i, types, {f"type:{TYPE_OF[row['type']]}"} if row["type"] in TYPE_OF else set())
        elif source == "template":
            kind = kind_of[i][1]
            if kind in STANCE_OF or hateful:
                put(i, ["request"], {"request"} if kind == "request_hate" else set())
            if kind in STANCE_OF:
                put(i, stances, {f"stance:{STANCE_OF[kind]}"})
                put(i, types, set())
            if kind in TYPE_OF:
                put(i, types, {f"type:{TYPE_OF[kind]}"})
        elif source == "written" and kind_of[i][1].startswith("web_"):
            put(i, ["request"], set())
        elif source == "prompts" and kind_of[i][1] != "system_prompt":
            put(i, ["request"], {"request"})
    return y, m


def build_lora(bert, head: Head, rank: int, alpha: float, dropout: float, n_aux: int = 0):
    """A torch module: MiniLM (frozen) with adapters + pooling + the MLP head (warm-started)
    + ``n_aux`` auxiliary outputs on the head's hidden layer (logits: harm outputs, then aux)."""
    import torch

    class Model(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = copy.deepcopy(bert)
            for p in self.bert.parameters():
                p.requires_grad_(False)
            add_lora(self.bert.encoder.layer, rank, alpha, dropout)
            a = head.arrays
            self.register_buffer("mean", torch.from_numpy(a["mean"].copy()))
            self.register_buffer("std", torch.from_numpy(a["std"].copy()))
            mlp = warm_mlp(head)
            self.hidden, self.out = mlp[:4], mlp[4]
            self.aux = torch.nn.Linear(HIDDEN, n_aux) if n_aux else None

        def lora_parameters(self):
            return lora_parameters(self)

        def head_parameters(self):
            return [
                *self.hidden.parameters(),
                *self.out.parameters(),
                *(self.aux.parameters() if self.aux else []),
            ]

        def train(self, mode: bool = True):
            super().train(mode)
            self.bert.eval()  # the frozen encoder's own dropout off (Bernoulli draws cost ~20% on CPU)
            for name, module in self.bert.named_modules():
                if name.endswith(".drop"):  # the adapters' dropout
                    module.train(mode)
            return self

        def pooled(self, ids, mask):
            return pooled_layers(self.bert.encoder.layer, self.bert.embeddings(input_ids=ids), mask)

        def forward(self, ids, mask):
            z = self.hidden((self.pooled(ids, mask) - self.mean) / self.std)
            out = self.out(z)
            return torch.cat([out, self.aux(z)], 1) if self.aux is not None else out

    return Model()


def logits_of(model, windows, owner, n_texts, n_outputs: int = 0, pooled: bool = False) -> np.ndarray:
    """Per text: max over its windows of the harm logits (or per window: pooled features)."""
    import torch

    n_outputs = n_outputs or len(OUTPUTS)
    dim = 1152 if pooled else n_outputs
    out = np.full((len(windows) if pooled else n_texts, dim), -np.inf, np.float32)
    model.eval()
    with torch.inference_mode():
        for chunk in length_batches([len(w) for w in windows], 64):
            c = np.array(chunk)
            ids, mask = pad_ids(windows, c)
            if pooled:
                out[c] = model.pooled(ids, mask).numpy()
            else:
                np.maximum.at(out, owner[c], model(ids, mask)[:, :n_outputs].numpy())
    return out


def train_lora(
    model, windows, y, m, w, idx, lr, head_lr, epochs, seed, aux=None, aux_weight=0.0, batch=32, on_epoch=None
):
    """finetune_top.finetune's loop on token windows: AdamW, 6% warm-up then linear decay."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    lengths = np.array([len(x) for x in windows])
    steps = epochs * int(np.ceil(len(idx) / batch))
    opt, sched = warmup_adamw([(model.lora_parameters(), lr), (model.head_parameters(), head_lr)], steps)
    yt, mt, wt = map(torch.from_numpy, (y, m, w))
    if aux is not None:
        ya, ma = map(torch.from_numpy, aux)
    k = len(OUTPUTS)
    step, start = 0, time.perf_counter()
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for b in bucket_batches(lengths, idx, batch, rng):
            ids, mask = pad_ids(windows, b)
            logits = model(ids, mask)
            bt = torch.from_numpy(b)
            loss = masked_bce(logits[:, :k], yt[bt], mt[bt], wt[bt])
            if aux is not None and float(ma[bt].sum()) > 0:
                loss = loss + aux_weight * masked_bce(logits[:, k:], ya[bt], ma[bt], wt[bt])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
            step += 1
            if step % 200 == 0:
                done = step - epoch * (steps // epochs)
                log(
                    f"  step {step}/{steps} mean loss this epoch {total / done:.4f} {time.perf_counter() - start:.0f}s"
                )
        log(f"  epoch {epoch + 1} done, {time.perf_counter() - start:.0f}s")
        if on_epoch is not None:
            model.eval()
            on_epoch(epoch + 1)
    model.eval()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[3] / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16.0)
    parser.add_argument("--lora-dropout", type=float, default=0.1)
    parser.add_argument("--lrs", default="1e-4,3e-4")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--search-epochs", type=int, default=1)
    parser.add_argument(
        "--search-fraction", type=float, default=1.0, help="share of the 90%% split per search run"
    )
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--aux-weight", type=float, default=0.3)
    parser.add_argument(
        "--per-source",
        type=int,
        default=0,
        help="train the LoRA models on at most this many texts per source",
    )
    parser.add_argument("--lr", type=float, default=0.0, help="skip the search: this adapter lr")
    parser.add_argument("--seeds", type=int, nargs="*", default=[0], help="one model per seed and variant")
    parser.add_argument(
        "--models", nargs="*", default=["LoRA", "LoRA+multi-task"], choices=["LoRA", "LoRA+multi-task"]
    )
    parser.add_argument("--save", default="/tmp/harm4_ft_lora")
    parser.add_argument("--limit", type=int, default=0, help="smoke test: this many random training texts")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    sources = [s for s in SOURCE_SHARE if s != "moderation"]
    full: TrainingSet = training_set(args.data, sources=sources)
    ya_full, ma_full = aux_labels(full, args.data)
    src_full = np.array(full.sources)
    log(
        f"training texts (no moderation dev): {len(full.texts)}; aux labels known per output: "
        + ", ".join(f"{k}={int(ma_full[:, j].sum())}/{int(ya_full[:, j].sum())}+" for j, k in enumerate(AUX))
    )
    keep = np.arange(len(full.texts))
    if args.per_source or args.limit:
        rng = np.random.default_rng(0)
        if args.per_source:
            keep = np.sort(
                np.concatenate(
                    [
                        rng.choice(
                            np.where(src_full == s)[0],
                            min(args.per_source, (src_full == s).sum()),
                            replace=False,
                        )
                        for s in sorted(set(full.sources))
                    ]
                )
            )
        if args.limit:
            keep = np.sort(rng.choice(keep, min(args.limit, len(keep)), replace=False))
    data = TrainingSet(
        *([getattr(full, f)[i] for i in keep] for f in ("texts", "labels", "sources", "groups"))
    )
    ya, ma = ya_full[keep], ma_full[keep]
    n = len(data.texts)
    y, m = _label_matrix(data.labels)
    w = loss_weights(data, SOURCE_SHARE)  # each source keeps its share of the loss (moderation: none)
    counts = {s: int((np.array(data.sources) == s).sum()) for s in sorted(set(data.sources))}
    log(f"LoRA training texts {n} (per source {counts}); threads {args.threads}")

    lower = Lower(0)  # tokenizer, windows and the frozen MiniLM
    tr_windows, tr_owner = lower.windows(data.texts, args.max_tokens, args.max_tokens - 2)
    first = np.searchsorted(tr_owner, np.arange(n))  # first window of each text only (truncation)
    tr_windows = [tr_windows[i] for i in first]
    ev = heldout_sets(args.data)
    ev_windows, ev_owner = lower.windows(ev.texts, MAX_TOKENS, STRIDE)
    log(f"held-out texts {len(ev.texts)} ({len(ev_windows)} windows of {MAX_TOKENS}/{STRIDE})")

    results: dict[str, dict[str, float]] = {}
    # the 2.0 recipe head (frozen features, 256-token windows, full training set), raw sigmoids
    enc = get_encoder(precision="float32")

    def feats(batch: list[str]):
        return cached_window_features(batch, enc.window_features)

    recipe = fit_head(full, feats, calibrate=False)
    wf = feats(ev.texts)
    lg = np.full((len(ev.texts), len(OUTPUTS)), -np.inf, np.float32)
    np.maximum.at(lg, wf.owner, recipe.logits(wf.features))
    recipe_name = "2.0 recipe (no mod dev)"
    probs = {recipe_name: raw_probs(lg)}
    results[recipe_name] = score(f"{recipe_name} raw", probs[recipe_name], ev)

    # frozen features at the training truncation (adapters at zero = frozen MiniLM)
    probe = build_lora(
        lower.model, Head.random(list(OUTPUTS), 1152, HIDDEN), args.rank, args.alpha, args.lora_dropout
    )
    s = time.perf_counter()
    init = logits_of(probe, tr_windows, None, n, pooled=True)
    log(f"frozen features of {n} training texts at {args.max_tokens} tokens: {time.perf_counter() - s:.0f}s")

    def new_model(head: Head, n_aux: int = 0, seed: int = 0):
        torch.manual_seed(seed)
        return build_lora(lower.model, head, args.rank, args.alpha, args.lora_dropout, n_aux)

    if args.lr:
        best = args.lr
        log(f"lr {best:g} given: no search")
    else:
        # learning-rate search (plain LoRA) on a 10% group split of the training data
        tr_idx, va_idx = search_split(data.groups, args.search_fraction)
        warm_split = _train_mlp(init[tr_idx], np.arange(len(tr_idx)), y[tr_idx], m[tr_idx], w[tr_idx], seed=0)
        search = {0.0: macro_auprc(raw_probs(warm_split.logits(init[va_idx])), y[va_idx], m[va_idx])}
        log(f"search lr 0 (frozen, warm head only): validation macro AUPRC {search[0.0]:.4f}")
        va_windows = [tr_windows[i] for i in va_idx]
        for lr in [float(x) for x in args.lrs.split(",") if x]:
            model = new_model(warm_split)

            def val(epoch: int, lr: float = lr, model=model) -> None:
                p = raw_probs(logits_of(model, va_windows, np.arange(len(va_idx)), len(va_idx)))
                search[lr] = macro_auprc(p, y[va_idx], m[va_idx])
                log(
                    f"search lr {lr:g} after epoch {epoch}/{args.search_epochs}: validation macro AUPRC {search[lr]:.4f}"
                )

            took = train_lora(
                model, tr_windows, y, m, w, tr_idx, lr, args.head_lr, args.search_epochs, 0, on_epoch=val
            )
            log(f"search lr {lr:g}: {took:.0f}s")
        best = max(search, key=search.get)
        if best == 0.0:
            best = max((k for k in search if k > 0), key=search.get)
            log(
                f"no adapter lr beats the frozen warm head on the split; training the best adapter lr {best:g} anyway"
            )
        log(f"chosen lr {best:g} (validation macro AUPRC {search[best]:.4f})")

    warm = _train_mlp(init, np.arange(n), y, m, w, seed=0)
    everything = np.arange(n)
    models = {}
    variants = [(v, seed) for seed in args.seeds for v in args.models]
    for variant, seed in variants:
        name = variant if len(args.seeds) == 1 else f"{variant} s{seed}"
        n_aux = len(AUX) if variant == "LoRA+multi-task" else 0
        model = new_model(warm, n_aux, seed)
        aux = (ya, ma) if n_aux else None
        took = train_lora(
            model, tr_windows, y, m, w, everything, best, args.head_lr, args.epochs, seed, aux, args.aux_weight
        )
        log(f"final {name}: {took:.0f}s on {args.threads} thread(s), {args.epochs} epoch(s), lr {best:g}")
        s = time.perf_counter()
        lg = logits_of(model, ev_windows, ev_owner, len(ev.texts))
        log(f"scored {len(ev_windows)} held-out windows in {time.perf_counter() - s:.0f}s")
        probs[name] = raw_probs(lg)
        results[name] = score(f"{name} lr {best:g}", probs[name], ev)
        if n_aux:
            sub = np.sort(np.random.default_rng(0).choice(n, min(n, 4000), replace=False))
            va = logits_of(
                model, [tr_windows[i] for i in sub], np.arange(len(sub)), len(sub), len(OUTPUTS) + n_aux
            )[:, len(OUTPUTS) :]
            ys, ms = ya[sub], ma[sub]
            log(
                f"aux outputs, AUPRC on {len(sub)} training texts (sanity only): "
                + ", ".join(
                    f"{k}={auprc(ys[ms[:, j] > 0, j], va[ms[:, j] > 0, j]):.3f}" for j, k in enumerate(AUX)
                )
            )
        Path(args.save).mkdir(parents=True, exist_ok=True)
        torch.save(
            {k: v.half() for k, v in model.state_dict().items() if "lora_" in k or not k.startswith("bert.")},
            Path(args.save) / f"{name.replace('+', '_')}_fp16.pt",
        )
        models[name] = model

    np.savez(Path(args.save) / "heldout_probs.npz", **probs)  # rows of heldout_sets(), OUTPUTS columns
    # ensembles (mean of per-text probabilities): the teacher a distillation could at best match
    tuned = [k for k in probs if k != recipe_name]
    if len(tuned) > 1:
        results["mean of fine-tuned"] = score("mean of fine-tuned", np.mean([probs[k] for k in tuned], 0), ev)
        results["mean of all"] = score("mean of all", np.mean(list(probs.values()), 0), ev)

    # delta size and inference cost
    model = next(iter(models.values()))
    lora_n = sum(p.numel() for p in model.lora_parameters())
    head_n = sum(p.numel() for p in model.head_parameters())
    log(
        f"delta: LoRA {lora_n} params = {lora_n * 2 / 1e6:.2f} MB fp16 (+ head {head_n} params = {head_n * 2 / 1e6:.2f} MB fp16)"
    )
    merged = copy.deepcopy(model)
    merge_lora(merged.bert.encoder.layer)
    bench = ev_windows[:512]
    lg_a = logits_of(model, bench, np.arange(len(bench)), len(bench))
    lg_b = logits_of(merged, bench, np.arange(len(bench)), len(bench))
    log(f"merged vs adapter logits: max abs diff {np.abs(lg_a - lg_b).max():.2e}")
    for _ in range(2):
        timings = {}
        for label, fn in (
            ("full MiniLM", lambda: lower.encode(bench)),
            ("LoRA adapters + head", lambda: logits_of(model, bench, np.arange(len(bench)), len(bench))),
            ("LoRA merged + head", lambda: logits_of(merged, bench, np.arange(len(bench)), len(bench))),
        ):
            s = time.perf_counter()
            fn()
            timings[label] = time.perf_counter() - s
        full_t = timings["full MiniLM"]
        log(
            f"inference on {len(bench)} held-out windows, {args.threads} thread(s): "
            + ", ".join(f"{k} {v:.2f}s ({v / full_t:.0%} of full)" for k, v in timings.items())
        )
    log(f"total wall {time.perf_counter() - t0:.0f}s")
    keys = list(next(iter(results.values())))
    print("\n| set | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for k in keys:
        if not k.endswith(" n"):
            print(f"| {k} | " + " | ".join(f"{r[k]:.3f}" for r in results.values()) + " |")


if __name__ == "__main__":
    main()

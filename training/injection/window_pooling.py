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
- 256-token heads on the shipped windows, scored as 1.2 (max over windows):
  ``1.2-weighted-0.25`` / ``1.2-weighted-0.5`` (:func:`weighted_model`: every window its own
  training row with its text's labels, the first at the text's weight, later ones at 0.25 /
  0.5 of it; calibrated on the max over windows) and ``1.2-first+head128`` (``1.2-first``
  with 384 more numbers per window: the last layer's mean over the window's first 128
  positions, tapped from the same forward pass: :func:`head128_features`, no second
  encoder pass). These runs read one extended feature store (1,536 numbers per window); the
  weighted heads see its first 1,152 columns, checked equal to the encoder's own at start.
- ``1.2-first@256+128`` (two encoder passes, :func:`paired_features`): ``1.2-first`` on the
  first 256-token window's features next to the first 128-token window's (2,304 numbers);
  scored as the max over aligned pairs (each 128-token window with the first 256-token window
  holding it). Each size goes through the encoder's own code path and its own store
  (``/tmp/raikit_injection_cache_w256`` / ``_w128``), the window constants switched per call.
- ``1.2-first@256|256+128-mean`` / ``-max`` (:func:`combined_rows`, run on their own): per fold
  and seed, ``1.2-first`` @256 and ``1.2-first@256+128`` fitted on the same training set with
  the same seed; each text scored by the elementwise mean / max of the two models' calibrated
  probabilities (every output; ``any`` is the score, the policy reads the family columns).

Each fold trains on :func:`benchmarks.injection.fold_training` (the held-out source and the
held-out benign half excluded) and is scored with :func:`benchmarks.injection.model_probs`
against the 619-prompt benign pool: AUPRC, TPR at 1% FPR, and the share of benign prompts the
default policy (0.9) flags. Rows go to ``--out`` as JSON lines; ``--summary`` prints the mean
and spread over seeds of every file given. No public test suite is used.

Run from the project root, one process per window size:

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/injection/window_pooling.py \
        --window 256 --out /tmp/wp256.jsonl
    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/injection/window_pooling.py \
        --heads 1.2-first+head128 --out /tmp/wp_h128.jsonl   # likewise 1.2-weighted-0.25, -0.5
    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/injection/window_pooling.py \
        --heads 1.2-first@256+128 --out /tmp/wp_pair.jsonl   # on its own
    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/injection/window_pooling.py \
        --heads "1.2-first@256|256+128-mean" "1.2-first@256|256+128-max" --out /tmp/wp_comb.jsonl
    .venv/bin/python training/injection/window_pooling.py --summary /tmp/wp256.jsonl /tmp/wp128.jsonl

Measured (training/injection/window_pooling.log; mean over seeds 16-18, AUPRC / TPR@1%FPR):

    fold               1.2 @256 (shipped)   1.2-first @256      1.2 @128            1.2-first @128
    in-the-wild jb     0.936 / 0.451        0.945 / 0.508       0.924 / 0.371       0.940 / 0.532
    hackaprompt        0.914 / 0.427        0.907 / 0.414       0.910 / 0.405       0.901 / 0.439
    neuralchemy_v1     0.915 / 0.317        0.920 / 0.339       0.921 / 0.299       0.906 / 0.299
    wildguard+hb       0.459 / 0.066        0.451 / 0.064       0.460 / 0.066       0.558 / 0.201
    benign @0.9 (max)  0.2-0.3%             0.0-0.5%            0.2-0.3%            0.3-0.5%

    fold               1.2-first @256       1.2-weighted-0.25   1.2-weighted-0.5    1.2-first+head128
    in-the-wild jb     0.945 / 0.508        0.943 / 0.497       0.941 / 0.487       0.944 / 0.529
    hackaprompt        0.907 / 0.414        0.911 / 0.453       0.912 / 0.457       0.904 / 0.438
    neuralchemy_v1     0.920 / 0.339        0.919 / 0.300       0.919 / 0.298       0.920 / 0.359
    wildguard+hb       0.451 / 0.064        0.453 / 0.064       0.452 / 0.064       0.444 / 0.072
    benign @0.9 (max)  0.0-0.5%             0.0-0.3%            0.0-0.3%            0.0-0.5%

    fold               1.2-first @256       1.2-first @128      1.2-first@256+128
    in-the-wild jb     0.945 / 0.508        0.940 / 0.532       0.951 / 0.549
    hackaprompt        0.907 / 0.414        0.901 / 0.439       0.907 / 0.434
    neuralchemy_v1     0.920 / 0.339        0.906 / 0.299       0.911 / 0.322
    wildguard+hb       0.451 / 0.064        0.558 / 0.201       0.543 / 0.192
    benign @0.9 (max)  0.0-0.5%             0.3-0.5%            0.3-0.5%

    fold               1.2-first @256       1.2-first@256+128   @256|256+128-mean   @256|256+128-max
    in-the-wild jb     0.945 / 0.508        0.951 / 0.549       0.950 / 0.544       0.950 / 0.559
    hackaprompt        0.907 / 0.414        0.907 / 0.434       0.909 / 0.418       0.906 / 0.414
    neuralchemy_v1     0.920 / 0.339        0.911 / 0.322       0.918 / 0.319       0.916 / 0.323
    wildguard+hb       0.451 / 0.064        0.543 / 0.192       0.503 / 0.064       0.540 / 0.188
    benign @0.9 (max)  0.0-0.5%             0.3-0.5%            0.0-0.3%            0.3-0.6%

The probe's wildguard+harmbench gain needs both of its differences: 128-token windows and
training on each text's first window only (either alone: 0.064-0.068). Neither a 256-token
variant (free on the request path) nor the 128-token one beats 1.2 on every fold; the
128-token windows cost a second encoder pass (bare pass on 500-character texts: 107 vs 108
texts/s, 2 threads, load 1.4). Not shipped.

None of the three later 256-token candidates beats ``1.2-first`` @256 on every fold either.
Weighting the later windows in raises hackaprompt (TPR 0.414 -> 0.453-0.457) but lowers
in-the-wild jailbreaks (TPR 0.508 -> 0.487-0.497) and neuralchemy_v1 (0.339 -> 0.298-0.300);
the first-128 mean raises TPR on every fold (+0.01 to +0.02) but lowers AUPRC on hackaprompt
(0.907 -> 0.904) and wildguard+harmbench (0.451 -> 0.444): it does not reproduce the 128-token
windows' gain there (0.558).
Both touch few training texts: of the 6,988 examples 55 have a second 256-token window (118
later windows) and 353 a first window longer than 128 positions. Not shipped.

``1.2-first@256+128`` keeps most of the 128-token windows' wildguard+harmbench gain (AUPRC
0.451 -> 0.543, TPR 0.064 -> 0.192) and raises in-the-wild jailbreaks (0.945 -> 0.951,
TPR 0.508 -> 0.549) and hackaprompt's TPR (0.414 -> 0.434, AUPRC equal), but lowers
neuralchemy_v1 (0.920 -> 0.911, TPR 0.339 -> 0.322; all three seeds' AUPRC below
1.2-first @256's mean): not better on every fold. Not shipped.

Averaging the two fits' probabilities (``...-mean``) recovers most of neuralchemy_v1's AUPRC
(0.911 -> 0.918, still under 0.920) but not its TPR (0.319 vs 0.339), and loses most of the
wildguard+harmbench gain (AUPRC 0.503, TPR 0.064 = 1.2-first's); the max (``...-max``) keeps
that gain (0.540 / 0.188) and in-the-wild jailbreaks' (0.950 / 0.559) but is below
1.2-first @256 on neuralchemy_v1 (0.916 / 0.323) and hackaprompt's AUPRC (0.906). Neither
beats 1.2-first @256 on every fold, and both need the two encoder passes. Not shipped.
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
from raikit.guardrails.harm._encoder import WindowFeatures, get_encoder, length_batches, prepare
from raikit.guardrails.harm._windows import token_windows
from raikit.guardrails.injection._decode import variants
from training.features import encoded, sorted_windows, text_logits, train_window_mlp, windows_of
from training.harm import cache as feature_cache
from training.injection import train as recipe
from training.injection.data import OUTPUTS, all_examples

ANY = OUTPUTS.index("any")
WINDOWS = {256: (256, 192), 128: (128, 96)}
"""Window size -> (tokens, stride) in the encoder's own convention (special tokens included)."""
HEADS = {
    "1.2": 3, "single": 1, "probe": 0, "probe-all": 0, "1.2-first": 3,
    "1.2-weighted-0.25": 3, "1.2-weighted-0.5": 3, "1.2-first+head128": 3, "1.2-first@256+128": 3,
    "1.2-first@256|256+128-mean": 3, "1.2-first@256|256+128-max": 3,
}
"""Head recipe -> MLPs in the ensemble (``probe``: :func:`probe_model`)."""
WEIGHTED = {"1.2-weighted-0.25": 0.25, "1.2-weighted-0.5": 0.5}
"""Weighted heads -> sample weight of a text's windows after its first (:func:`weighted_model`)."""
HEAD_TOKENS = 128
"""``1.2-first+head128``: the extra feature is the last layer's mean over a window's first this many positions."""
EXTENDED = {"1.2-weighted-0.25", "1.2-weighted-0.5", "1.2-first+head128"}
"""Heads whose runs read the extended feature store (:func:`head128_features`; the others see its
first 1,152 columns, the encoder's own features)."""
PAIRED = "1.2-first@256+128"
"""Head on two encoder passes: each 256-token window's features next to a 128-token window's (:func:`paired_features`)."""
COMBINED = {"1.2-first@256|256+128-mean": np.mean, "1.2-first@256|256+128-max": np.max}
"""Heads scoring each text with the mean / max of the calibrated probabilities (every output) of two
fits on the same fold and seed: ``1.2-first`` @256 and :data:`PAIRED` (:func:`combined_rows`)."""


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


def weighted_model(train: list, feats, seed: int, other: float) -> recipe.Fitted:
    """The 1.2 recipe with each window its own training row: the first window of a text at the
    text's weight, every later window at ``other`` times it, all with the text's labels.

    The out-of-fold logits the calibration fits are the max over each held-out text's windows,
    as at scoring (1.2's own calibration); the lexical part is 1.2's.
    """
    fold = recipe.group_folds(train, seed)
    x, owner = sorted_windows(feats([e.text for e in train]))
    y, m, w = recipe.label_arrays(train)
    share = np.where(np.r_[True, owner[1:] != owner[:-1]], 1.0, other).astype(np.float32)

    def fit(texts: np.ndarray, s: int):
        rows = np.flatnonzero(np.isin(owner, texts))
        o = owner[rows]
        return recipe._mlp(x[rows], np.arange(len(rows)), y[o], m[o], w[o] * share[rows], s)

    oof = np.zeros_like(y)
    for k in range(recipe.FOLDS):
        tr, te = np.where(fold != k)[0], np.where(fold == k)[0]
        oof[te] = text_logits(fit(tr, seed + k), *windows_of(x, owner, te), len(te))
    lexical, oof_lex = recipe.lexical_with_oof(train, fold)
    return recipe.calibrate(fit(np.arange(len(train)), seed), lexical, oof, oof_lex, train)


class _LastLayerTap:
    """Stands in for the encoder's model: passes every call through and keeps, per call, the
    masked mean of the last layer over the first :data:`HEAD_TOKENS` positions."""

    def __init__(self, model) -> None:
        self.model, self.rows = model, []

    def __call__(self, **kwargs):
        out = self.model(**kwargs)
        m = kwargs["attention_mask"][:, :HEAD_TOKENS].unsqueeze(-1).float()
        last = out.last_hidden_state[:, :HEAD_TOKENS].float()
        self.rows.append(((last * m).sum(1) / m.sum(1).clamp(min=1.0)).cpu().numpy())
        return out


def head128_features(cache_dir: str, batch_size: int = 64):
    """``features(texts)``: the encoder's 1,152 window features plus, from the same forward pass,
    the last layer's mean over each window's first :data:`HEAD_TOKENS` positions (1,536 numbers).

    The shipped ``Encoder._encode`` runs unchanged with its model wrapped in a tap; the tapped
    rows come back in its batch order (:func:`length_batches` over the same windows). No
    second encoder pass. Cached like :func:`training.features.encoded` (float32).
    """
    encoder = get_encoder(precision="float32")
    tokenizer = encoder._tokenizer

    def compute(texts: list[str]) -> WindowFeatures:
        cleaned = [prepare(t) for t in texts]
        model, tap = encoder._model, _LastLayerTap(encoder._model)
        encoder._model = tap
        try:
            base = encoder._encode(cleaned, batch_size)
        finally:
            encoder._model = model
        ids = tokenizer(cleaned, add_special_tokens=False)["input_ids"] if cleaned else []
        lengths = [len(w) for t in ids for w in token_windows(t, _encoder.MAX_TOKENS - 2, _encoder.STRIDE)]
        chunks = length_batches(lengths, batch_size)
        if len(chunks) != len(tap.rows) or len(lengths) != len(base.owner):
            raise RuntimeError("the tapped passes do not match the encoder's batches")
        extra = np.zeros((len(lengths), 384), np.float32)
        for chunk, rows in zip(chunks, tap.rows, strict=True):
            extra[chunk] = rows
        return WindowFeatures(features=np.c_[base.features, extra], owner=base.owner)

    feature_cache.FEATURE_DIM = _encoder.FEATURE_DIM + 384  # the store's empty start has this width
    return lambda texts: feature_cache.cached_window_features(texts, compute, cache_dir)


def first_columns(feats, n: int = _encoder.FEATURE_DIM):
    """``feats`` keeping the first ``n`` columns (the encoder's own features)."""

    def cut(texts: list[str]):
        w = feats(texts)
        return type(w)(features=np.ascontiguousarray(w.features[:, :n]), owner=w.owner)

    return cut


def at_size(feats, size: int):
    """``feats`` run with the encoder's windows at ``size`` (the constants are process-wide, and the
    encoder's in-memory cache keys on the text only: it is cleared whenever the size changes)."""

    def call(texts: list[str]):
        if (_encoder.MAX_TOKENS, _encoder.STRIDE) != WINDOWS[size]:
            _encoder.MAX_TOKENS, _encoder.STRIDE = WINDOWS[size]
            get_encoder(precision="float32").clear_cache()
        return feats(texts)

    return call


def _spans(n: int, size: int) -> list[tuple[int, int]]:
    """(start, end) token positions of the windows :func:`token_windows` cuts from ``n`` tokens at ``size``."""
    tokens, stride = WINDOWS[size]
    out = []
    for w in token_windows(range(n), tokens - 2, stride):
        start = w[0] if w else 0
        out.append((start, start + len(w)))
    return out


def paired_features(cache_dirs: dict[int, str]):
    """``features(texts)``: one row per 128-token window of each text, that window's 1,152 numbers
    after those of the first 256-token window holding it (2,304 numbers; both passes are the
    encoder's own code path at each size, cached per size under ``cache_dirs``).

    Every window of either size is in some row (each 128-token window lies inside a 256-token
    one; each 256-token window holds the 128-token window starting where it starts, or the last
    one), and a text's first row is its first window of each size, so ``first_window`` of this
    is the 1.2-first input and ``model_probs`` takes the max over the aligned pairs.
    """
    big, small = (at_size(encoded(cache_dirs[s]), s) for s in (256, 128))
    tokenizer = get_encoder(precision="float32")._tokenizer
    lengths: dict[str, int] = {}

    def features(texts: list[str]) -> WindowFeatures:
        cleaned = [prepare(t) for t in texts]
        todo = list(dict.fromkeys(c for c in cleaned if c not in lengths))
        if todo:
            ids = tokenizer(todo, add_special_tokens=False)["input_ids"]
            lengths.update((c, len(i)) for c, i in zip(todo, ids, strict=True))
        (xa, oa), (xb, ob) = sorted_windows(big(texts)), sorted_windows(small(texts))
        first_a, first_b = np.searchsorted(oa, np.arange(len(texts))), np.searchsorted(ob, np.arange(len(texts)))
        count_a, count_b = np.bincount(oa, minlength=len(texts)), np.bincount(ob, minlength=len(texts))
        rows_a, rows_b, owner = [], [], []
        for k, c in enumerate(cleaned):
            spans_a, spans_b = _spans(lengths[c], 256), _spans(lengths[c], 128)
            if (len(spans_a), len(spans_b)) != (count_a[k], count_b[k]):
                raise RuntimeError(f"text {k}: window counts do not match the cached features")
            for j, (s, e) in enumerate(spans_b):
                i = next(i for i, (sa, ea) in enumerate(spans_a) if sa <= s and e <= ea)
                rows_a.append(first_a[k] + i)
                rows_b.append(first_b[k] + j)
                owner.append(k)
        return WindowFeatures(features=np.c_[xa[rows_a], xb[rows_b]], owner=np.asarray(owner, np.int64))

    return features


def _row(args, head: str, seed: int, fold: str, pp: np.ndarray, pn: np.ndarray, thresholds, seconds: float) -> dict:
    lab = np.r_[np.ones(len(pp)), np.zeros(len(pn))]
    return {
        "window": args.window, "head": head, "seed": seed, "fold": fold,
        "auprc": auprc(np.r_[pp[:, ANY], pn[:, ANY]], lab),
        "tpr1": tpr_at_fpr(pp[:, ANY], pn[:, ANY]),
        "benign_flagged": float(flagged(pn, thresholds).mean()),
        "seconds": round(seconds, 1),
        "load": round(os.getloadavg()[0], 2),
    }


def combined_rows(args, examples, held_groups, benign, folds, thresholds, paired) -> None:
    """The :data:`COMBINED` heads: per seed and fold, fit ``1.2-first`` on the 256-token windows
    and :data:`PAIRED` on ``paired`` (same training set, same seed), score both with
    :func:`model_probs` and combine their probability arrays elementwise (the ``any`` column is
    the score, ``flagged`` reads the combined family columns). The two parents' own rows go to
    ``<out>.parents`` as a check against their earlier runs."""
    single = at_size(encoded("/tmp/raikit_injection_cache_w256"), 256)
    recipe.ENSEMBLE = HEADS[PAIRED]
    heads = [h for h in COMBINED if h in args.heads]
    with open(args.out, "a", encoding="utf-8") as out, open(f"{args.out}.parents", "a", encoding="utf-8") as check:
        for seed in args.seeds:
            for name, (_, held) in folds.items():
                t0 = time.perf_counter()
                train = fold_training(examples, held, held_groups)
                pos = [e.text for e in examples if e.source in held and e.labels[ANY] == 1.0]
                probs = {}
                for head, f in (("1.2-first", single), (PAIRED, paired)):
                    model = recipe.fit_model(train, first_window(f), seed)
                    probs[head] = model_probs(model, pos, f), model_probs(model, benign, f)
                seconds = time.perf_counter() - t0
                for head, (pp, pn) in probs.items():
                    check.write(json.dumps(_row(args, head, seed, name, pp, pn, thresholds, seconds)) + "\n")
                check.flush()
                for head in heads:
                    pp, pn = (COMBINED[head](np.stack([probs[h][i] for h in probs]), axis=0) for i in (0, 1))
                    row = _row(args, head, seed, name, pp, pn, thresholds, seconds)
                    out.write(json.dumps(row) + "\n")
                    out.flush()
                    print(json.dumps(row), flush=True)


def run(args: argparse.Namespace) -> None:
    import torch

    torch.set_num_threads(args.threads)
    _encoder.MAX_TOKENS, _encoder.STRIDE = WINDOWS[args.window]
    thresholds = policy_thresholds()
    examples = all_examples(Path(args.data))
    held_groups, _, _, pools = benign_pools(examples)
    benign = [t for texts in pools.values() for t in texts]
    folds = {k: v for k, v in FOLDS.items() if v[0] == "prompt"}
    if set(COMBINED) & set(args.heads):
        if not set(args.heads) <= set(COMBINED):
            raise SystemExit(f"run {sorted(COMBINED)} on their own (they switch the encoder's window size per call)")
        extended = feats = paired_features({s: f"/tmp/raikit_injection_cache_w{s}" for s in WINDOWS})
    elif PAIRED in args.heads:
        if args.heads != [PAIRED]:
            raise SystemExit(f"run {PAIRED} on its own (it switches the encoder's window size per call)")
        extended = feats = paired_features({s: f"/tmp/raikit_injection_cache_w{s}" for s in WINDOWS})
    elif EXTENDED & set(args.heads):
        if args.window != 256:
            raise SystemExit(f"heads {sorted(EXTENDED)} read the shipped 256-token windows; drop --window {args.window}")
        extended = head128_features(f"/tmp/raikit_injection_cache_h{HEAD_TOKENS}")
        feats = first_columns(extended)
        probe = [e.text for e in examples if len(e.text) > 1500][:16] + [e.text for e in examples[:16]]
        same = get_encoder(precision="float32")._encode([prepare(t) for t in probe], 64)
        mine = feats(probe)
        gap = np.abs(sorted_windows(same)[0] - sorted_windows(mine)[0]).max()
        print(f"extended store: first {_encoder.FEATURE_DIM} columns vs the encoder's own, max gap {gap:.2e}", flush=True)
        if gap > 1e-4:
            raise SystemExit("the extended features do not reproduce the encoder's")
    else:
        extended = feats = encoded(f"/tmp/raikit_injection_cache_w{args.window}")
    t0 = time.perf_counter()
    feats([e.text for e in examples])
    extended([r for t in benign for r in (t, *variants(t))])  # the readings model_probs scores
    print(f"window {args.window}: encoded {len(examples)} texts in {time.perf_counter() - t0:.0f}s", flush=True)
    if set(COMBINED) & set(args.heads):
        combined_rows(args, examples, held_groups, benign, folds, thresholds, feats)
        return
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
                    "1.2-first+head128": lambda t, f, s: recipe.fit_model(t, first_window(f), s),
                    PAIRED: lambda t, f, s: recipe.fit_model(t, first_window(f), s),
                    **{h: (lambda t, f, s, o=o: weighted_model(t, f, s, o)) for h, o in WEIGHTED.items()},
                }.get(head, recipe.fit_model)
                head_feats = extended if head == "1.2-first+head128" else feats
                for name, (_, held) in folds.items():
                    t0 = time.perf_counter()
                    model = fit(fold_training(examples, held, held_groups), head_feats, seed)
                    pos = [e.text for e in examples if e.source in held and e.labels[ANY] == 1.0]
                    pp, pn = model_probs(model, pos, head_feats), model_probs(model, benign, head_feats)
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

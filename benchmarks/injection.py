"""Injection benchmark: each attack source held out from training, against stock baselines.

For every held-out source the head is retrained (the recipe of scripts/train_injection_model.py)
on all other sources, then measured on the held-out attacks against benign prompts that no
fold trains on: half of the self-instruct seed tasks and of the neuralchemy validation benign
prompts (split by group, seed 16; the other half is trained on, as the shipped model trains on
all of them). Half of the forbidden questions (plain harmful questions, not injections) is
held out the same way and its flag rate printed.
Printed per fold: AUPRC, TPR at 1% FPR (threshold at the 99th percentile of the benign
scores), TPR and benign flag rate at the shipped threshold 0.5; the same for the stock
baselines in the same run: the old default denylist (three phrases) and a frozen-MiniLM +
logistic-regression probe (mean-pooled last layer) trained on the same fold.

Indirect injection (documents): BIPIA clean contexts of one kind, each once clean and once
with one BIPIA training attack inserted at a random boundary (seed 16); the fold holds out
that context kind's segments and that attack file. Scores: max over segments (ours) and the
probe on the whole document.

Speed: texts per second of the shipped check (source=prompt) on 500-character texts.

Usage:
    OMP_NUM_THREADS=2 .venv/bin/python benchmarks/injection.py [--threads 2]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from raikit.guardrails.harm._cache import cached_window_features  # noqa: E402
from raikit.guardrails.harm._encoder import get_encoder  # noqa: E402
from raikit.guardrails.injection._decode import variants  # noqa: E402
from raikit.guardrails.injection._segments import segments  # noqa: E402
from training.injection.data import OUTPUTS, SEED, all_examples, bipia_documents  # noqa: E402
from training.injection.train import fit_head  # noqa: E402

CACHE = "/tmp/raikit_injection_cache"
BENIGN = ("self_instruct", "neuralchemy_benign:val")
SPLIT = (*BENIGN, "forbidden_questions")
"""Sources split in halves by group: one half trained on, the other held out of every fold."""
OLD_DENYLIST = ["ignore all previous instructions", "ignore previous instructions", "disregard your system prompt"]
ANY = OUTPUTS.index("any")
INDIRECT = OUTPUTS.index("indirect")
FOLDS = {
    "jailbreak_llms (in-the-wild jailbreaks)": ("prompt", {"jailbreak_llms"}),
    "hackaprompt (direct injection)": ("prompt", {"neuralchemy:hackaprompt"}),
    "neuralchemy_v1 (mixed families)": ("prompt", {"neuralchemy:neuralchemy_v1"}),
    "wildguard+harmbench (adversarial)": ("prompt", {"neuralchemy:wildguard_judgecomp", "neuralchemy:harmbench"}),
    "BIPIA e-mail + text attacks (indirect)": ("email", {"bipia_email", "bipia_attack_text"}),
    "BIPIA code + code attacks (indirect)": ("code", {"bipia_code", "bipia_attack_code"}),
}
logger = logging.getLogger("bench_injection")


def auprc(scores: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(labels, scores))


def tpr_at_fpr(pos: np.ndarray, neg: np.ndarray, fpr: float = 0.01) -> float:
    threshold = np.quantile(neg, 1.0 - fpr, method="higher")
    return float((pos > threshold).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--speed-texts", type=int, default=300)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    import torch
    from sklearn.linear_model import LogisticRegression

    from raikit.guardrails import load_check

    torch.set_num_threads(args.threads)
    data = Path(args.data)
    encoder = get_encoder()

    def feats(texts: list[str]):
        return cached_window_features(texts, encoder.window_features, cache_dir=CACHE)

    def text_scores(head, texts: list[str], col: int, decode: bool = True) -> np.ndarray:
        expanded, owner = [], []
        for i, t in enumerate(texts):
            for reading in (t, *(variants(t) if decode else ())):
                expanded.append(reading)
                owner.append(i)
        w = feats(expanded)
        probs = head.predict(w.features)[:, col]
        out = np.zeros(len(texts))
        np.maximum.at(out, np.asarray(owner)[w.owner], probs)
        return out

    def doc_scores(head, docs: list[str], cols: list[int]) -> np.ndarray:
        segs = [[d[s.start : s.end] for s in segments(d)] for d in docs]
        flat = [s for ss in segs for s in ss]
        per = np.stack([text_scores(head, flat, c) for c in cols], axis=1).max(axis=1)
        out, at = np.zeros(len(docs)), 0
        for i, ss in enumerate(segs):
            out[i] = per[at : at + len(ss)].max() if ss else 0.0
            at += len(ss)
        return out

    def probe_features(texts: list[str]) -> np.ndarray:
        w = feats(texts)
        x = np.zeros((len(texts), 384))
        n = np.zeros(len(texts))
        np.add.at(x, w.owner, w.features[:, :384])
        np.add.at(n, w.owner, 1)
        return x / n[:, None]

    denylist = load_check("denylist", terms=OLD_DENYLIST)

    def deny_scores(texts: list[str]) -> np.ndarray:
        return np.array([1.0 if f else 0.0 for f in denylist.scan(texts)])

    import random

    examples = all_examples(data)
    groups = sorted({e.group for e in examples if e.source in SPLIT})
    held_groups = set(random.Random(SEED).sample(groups, len(groups) // 2))
    held_out = [e for e in examples if e.source in SPLIT and e.group in held_groups]
    benign = [e.text for e in held_out if e.source in BENIGN]
    forbidden = [e.text for e in held_out if e.source == "forbidden_questions"]
    print(f"benign prompts held out of every fold: {len(benign)} (half of {' + '.join(BENIGN)}); "
          f"forbidden questions held out (plain harmful questions, not injections): {len(forbidden)}")
    print(f"{'held-out source':42s} {'n':>5s} | {'AUPRC':>6s} {'TPR@1%':>6s} {'TPR@.5':>6s} {'FPR@.5':>6s} | "
          f"{'probe AUPRC':>11s} {'TPR@1%':>6s} | {'denylist TPR':>12s} {'FPR':>5s} | ratio AUPRC")
    for name, (kind, held) in FOLDS.items():
        t0 = time.perf_counter()
        train = [e for e in examples if e.source not in held and not (e.source in SPLIT and e.group in held_groups)]
        head = fit_head(train, feats, SEED)
        y_train = np.array([e.labels[INDIRECT if kind != "prompt" else ANY] for e in train], dtype=object)
        known = np.array([v is not None for v in y_train])
        probe = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(
            probe_features([e.text for e, k in zip(train, known) if k]), y_train[known].astype(int)
        )
        if kind == "prompt":
            pos = [e.text for e in examples if e.source in held and e.labels[ANY] == 1.0]
            s_pos, s_neg = text_scores(head, pos, ANY), text_scores(head, benign, ANY)
            p_pos = probe.predict_proba(probe_features(pos))[:, 1]
            p_neg = probe.predict_proba(probe_features(benign))[:, 1]
            d_pos, d_neg = deny_scores(pos), deny_scores(benign)
            fq = text_scores(head, forbidden, ANY)
        else:
            docs, labels = bipia_documents(data, kind, "text" if kind == "email" else "code")
            lab = np.array(labels)
            scores = doc_scores(head, docs, [ANY, INDIRECT])
            s_pos, s_neg = scores[lab == 1], scores[lab == 0]
            pscores = probe.predict_proba(probe_features(docs))[:, 1]
            p_pos, p_neg = pscores[lab == 1], pscores[lab == 0]
            d = deny_scores(docs)
            d_pos, d_neg = d[lab == 1], d[lab == 0]
            pos = [d for d, l in zip(docs, labels) if l]
        y = np.r_[np.ones(len(s_pos)), np.zeros(len(s_neg))]
        ours = auprc(np.r_[s_pos, s_neg], y)
        base = auprc(np.r_[p_pos, p_neg], y)
        print(
            f"{name:42s} {len(pos):5d} | {ours:6.3f} {tpr_at_fpr(s_pos, s_neg):6.3f} {(s_pos >= 0.5).mean():6.3f} "
            f"{(s_neg >= 0.5).mean():6.3f} | {base:11.3f} {tpr_at_fpr(p_pos, p_neg):6.3f} | "
            f"{d_pos.mean():12.3f} {d_neg.mean():5.3f} | x{ours / max(base, 1e-9):.2f}   ({time.perf_counter() - t0:.0f}s)"
        )
        if kind == "prompt":
            print(f"{'':42s}       forbidden questions flagged at 0.5 by this fold's head: {(fq >= 0.5).mean():.3f}")

    # Shipped model on the benign pool (it trains on them: an upper bound, shown for the record).
    check = load_check("injection")
    texts = [(b * 10)[:500] for b in benign[: args.speed_texts]]
    check.predict_proba(texts[:8])
    t0 = time.perf_counter()
    check.predict_proba(texts)
    ours_rate = len(texts) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    denylist.scan(texts)
    deny_rate = len(texts) / (time.perf_counter() - t0)
    print(f"speed, 500-char texts, {args.threads} threads: injection check {ours_rate:.0f} texts/s; "
          f"old denylist {deny_rate:.0f} texts/s (x{ours_rate / deny_rate:.3f})")
    print("command: OMP_NUM_THREADS=2 .venv/bin/python benchmarks/injection.py")


if __name__ == "__main__":
    main()

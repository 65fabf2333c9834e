"""Injection benchmark: each attack source held out from training, against stock baselines.

For every held-out source the model (MLP head and lexical part) is retrained (the recipe of
scripts/train_injection_model.py) on all other sources, then measured on the held-out attacks
against benign prompts that no fold trains on: half of the self-instruct seed tasks and of the
neuralchemy validation benign prompts (split by group, seed 16; the other half is trained on,
as the shipped model trains on all of them). Half of the forbidden questions (plain harmful questions, not injections) is
held out the same way and its flag rate printed. Benign prompts that nothing ever trains on
join the pool: the ordinary prompts of benchmarks/data/ordinary_prompts.jsonl, raikit's
held-out written look-alikes (benchmarks/data/injection_lookalikes.jsonl: security
questions, quoted attacks, role-play, translation and formatting with personal details) and
the harm model's held-out written prompts (system prompts and look-alikes).
Printed per fold: AUPRC, TPR at 1% FPR (threshold at the 99th percentile of the benign
scores), TPR and benign flag rate at the default policy's thresholds; the same for the stock
baselines in the same run: the old default denylist (three phrases) and a frozen-MiniLM +
logistic-regression probe (mean-pooled last layer) trained on the same fold.

Indirect injection (documents): BIPIA clean contexts of one kind, each once clean and once
with one BIPIA training attack inserted at a random boundary (seed 16); the fold holds out
that context kind's segments and that attack file. Scores: max over segments (ours) and the
probe on the whole document.

Shipped model: benign prompts flagged at the default policy's thresholds, per never-trained
pool (what "block" would block).

Speed: texts per second of the shipped check (source=prompt) on 500-character texts, beside
the bare encoder pass on the same kind of texts (what the check cannot go below) and the
check's extra cost when the harm check already read the same prompts (the guard's case:
both share one encoder pass); best of three rounds, the kinds taking turns, each round on
texts new to the feature cache; the load average is printed with it.

Usage:
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/injection.py [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from raikit.guardrails.injection._decode import variants  # noqa: E402
from raikit.guardrails.injection._segments import segments  # noqa: E402
from training.features import encoded  # noqa: E402
from training.injection.data import OUTPUTS, SEED, all_examples, bipia_documents, harm_prompts  # noqa: E402
from raikit.guardrails.injection._model import reading_probs  # noqa: E402
from training.injection.train import fit_model  # noqa: E402

CACHE = "/tmp/raikit_injection_cache"
BENIGN = ("self_instruct", "neuralchemy_benign:val")
SPLIT = (*BENIGN, "forbidden_questions")
"""Sources split in halves by group: one half trained on, the other held out of every fold."""
OLD_DENYLIST = ["ignore all previous instructions", "ignore previous instructions", "disregard your system prompt"]
ANY = OUTPUTS.index("any")
PROMPT_FAMILIES = ("direct", "jailbreak", "any")
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


def jsonl_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def benign_pools(examples: list) -> tuple[set, list, dict[str, list[str]], dict[str, list[str]]]:
    """The held-out half of :data:`SPLIT` (by group, seed :data:`SEED`) and the benign pools no fold trains on.

    Returns the held-out groups, the held-out examples, the never-trained pools and all benign pools.
    """
    import random

    groups = sorted({e.group for e in examples if e.source in SPLIT})
    held_groups = set(random.Random(SEED).sample(groups, len(groups) // 2))
    held_out = [e for e in examples if e.source in SPLIT and e.group in held_groups]
    never_trained = {
        "ordinary prompts": jsonl_texts(ROOT / "benchmarks" / "data" / "ordinary_prompts.jsonl"),
        "written look-alikes (held out)": jsonl_texts(ROOT / "benchmarks" / "data" / "injection_lookalikes.jsonl"),
        "harm prompts held out (system, look-alike)": [
            e.text for e in harm_prompts("heldout") if e.source.startswith("harm_prompts_benign")
        ],
    }
    pools = {"self-instruct + neuralchemy val (half)": [e.text for e in held_out if e.source in BENIGN], **never_trained}
    return held_groups, held_out, never_trained, pools


def fold_training(examples: list, held: set[str], held_groups: set) -> list:
    """A fold's training examples: all but the held-out sources and the held-out half of :data:`SPLIT`."""
    return [e for e in examples if e.source not in held and not (e.source in SPLIT and e.group in held_groups)]


def model_probs(model, texts: list[str], feats: Callable) -> np.ndarray:
    """Per text, the max over its windows and decoded variants, all outputs."""
    expanded, owner = [], []
    for i, t in enumerate(texts):
        for reading in (t, *variants(t)):
            expanded.append(reading)
            owner.append(i)
    w = feats(expanded)
    out = np.zeros((len(texts), len(OUTPUTS)))
    np.maximum.at(out, np.asarray(owner), reading_probs(model.head, model.lexical, w.features, w.owner, expanded))
    return out


def policy_thresholds() -> dict[str, float]:
    """The default policy's thresholds for the prompt families (``any`` takes the lowest)."""
    from raikit.guardrails import load_policy

    spec = next(c for c in load_policy("default").checks if c.type == "injection")
    out = {f: (spec.per_type[f].threshold if f in spec.per_type and spec.per_type[f].threshold is not None
               else spec.threshold) for f in ("direct", "jailbreak")}
    out["any"] = min(out.values())
    return out


def flagged(probs: np.ndarray, thresholds: dict[str, float]) -> np.ndarray:
    """Texts the policy would act on: columns direct, jailbreak, any (as the check attributes ``any``)."""
    d, j, a = (OUTPUTS.index(k) for k in PROMPT_FAMILIES)
    fam_is_direct = probs[:, d] >= probs[:, j]
    direct = np.maximum(probs[:, d], np.where(fam_is_direct, probs[:, a], 0))
    jail = np.maximum(probs[:, j], np.where(fam_is_direct, 0, probs[:, a]))
    return (direct >= thresholds["direct"]) | (jail >= thresholds["jailbreak"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--speed-texts", type=int, default=200)
    parser.add_argument("--folds", nargs="*", help="only these folds (name prefixes), for development")
    parser.add_argument("--no-folds", action="store_true", help="only the shipped model's lines and the speed")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    import torch
    from sklearn.linear_model import LogisticRegression

    from raikit.guardrails import load_check

    torch.set_num_threads(args.threads)
    data = Path(args.data)
    feats = encoded(CACHE)
    thresholds = policy_thresholds()

    def probs_of(model, texts: list[str]) -> np.ndarray:
        return model_probs(model, texts, feats)

    def doc_scores(model, docs: list[str]) -> np.ndarray:
        segs = [[d[s.start : s.end] for s in segments(d)] for d in docs]
        per = probs_of(model, [s for ss in segs for s in ss])[:, [ANY, INDIRECT]].max(axis=1)
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

    examples = all_examples(data)
    held_groups, held_out, never_trained, pools = benign_pools(examples)
    benign = [t for texts in pools.values() for t in texts]
    harmful = [e.text for e in held_out if e.source == "forbidden_questions"] + [
        e.text for e in harm_prompts("heldout") if e.source.startswith("harm_prompts_unsafe")
    ]
    print(f"benign prompts held out of every fold: {len(benign)} ("
          + ", ".join(f"{k} {len(v)}" for k, v in pools.items())
          + f"); plain harmful requests held out (forbidden questions, harm prompts; not injections): {len(harmful)}")
    print(f"default policy thresholds: direct {thresholds['direct']}, jailbreak {thresholds['jailbreak']}")
    print(f"{'held-out source':42s} {'n':>5s} | {'AUPRC':>6s} {'TPR@1%':>6s} {'TPR@p':>6s} {'FPR@p':>6s} | "
          f"{'probe AUPRC':>11s} {'TPR@1%':>6s} | {'denylist TPR':>12s} {'FPR':>5s} | ratio AUPRC")
    for name, (kind, held) in FOLDS.items():
        if args.no_folds or (args.folds and not any(name.startswith(f) for f in args.folds)):
            continue
        t0 = time.perf_counter()
        train = fold_training(examples, held, held_groups)
        model = fit_model(train, feats, SEED)
        y_train = np.array([e.labels[INDIRECT if kind != "prompt" else ANY] for e in train], dtype=object)
        known = np.array([v is not None for v in y_train])
        probe = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(
            probe_features([e.text for e, k in zip(train, known) if k]), y_train[known].astype(int)
        )
        if kind == "prompt":
            pos = [e.text for e in examples if e.source in held and e.labels[ANY] == 1.0]
            pp, pn = probs_of(model, pos), probs_of(model, benign)
            s_pos, s_neg = pp[:, ANY], pn[:, ANY]
            hit_pos, hit_neg = flagged(pp, thresholds), flagged(pn, thresholds)
            p_pos = probe.predict_proba(probe_features(pos))[:, 1]
            p_neg = probe.predict_proba(probe_features(benign))[:, 1]
            d_pos, d_neg = deny_scores(pos), deny_scores(benign)
            fq = flagged(probs_of(model, harmful), thresholds)
        else:
            docs, labels = bipia_documents(data, kind, "text" if kind == "email" else "code")
            lab = np.array(labels)
            scores = doc_scores(model, docs)
            s_pos, s_neg = scores[lab == 1], scores[lab == 0]
            hit_pos, hit_neg = s_pos >= 0.5, s_neg >= 0.5
            pscores = probe.predict_proba(probe_features(docs))[:, 1]
            p_pos, p_neg = pscores[lab == 1], pscores[lab == 0]
            d = deny_scores(docs)
            d_pos, d_neg = d[lab == 1], d[lab == 0]
            pos = [d for d, l in zip(docs, labels) if l]
        y = np.r_[np.ones(len(s_pos)), np.zeros(len(s_neg))]
        ours = auprc(np.r_[s_pos, s_neg], y)
        base = auprc(np.r_[p_pos, p_neg], y)
        print(
            f"{name:42s} {len(pos):5d} | {ours:6.3f} {tpr_at_fpr(s_pos, s_neg):6.3f} {hit_pos.mean():6.3f} "
            f"{hit_neg.mean():6.3f} | {base:11.3f} {tpr_at_fpr(p_pos, p_neg):6.3f} | "
            f"{d_pos.mean():12.3f} {d_neg.mean():5.3f} | x{ours / max(base, 1e-9):.2f}   ({time.perf_counter() - t0:.0f}s)"
        )
        if kind == "prompt":
            at = 0
            per_pool = []
            for pool, texts in pools.items():
                per_pool.append(f"{pool} {int(hit_neg[at : at + len(texts)].sum())}/{len(texts)}")
                at += len(texts)
            print(f"{'':42s}       benign flagged at policy thresholds: {'; '.join(per_pool)}; "
                  f"plain harmful requests flagged: {fq.mean():.3f}")
    print("(indirect folds: TPR/FPR at 0.5 on documents, max over segments of any and indirect)")

    check = load_check("injection", thresholds={f: thresholds[f] for f in ("direct", "jailbreak")})
    print("shipped model, default policy thresholds, benign prompts no fold or shipped head trains on:")
    for pool, texts in never_trained.items():
        hits = [t for t, f in zip(texts, check.scan(texts)) if f]
        print(f"  {pool:44s} flagged {len(hits)}/{len(texts)}")

    # Speed: 500-character texts, each set new to the encoder's feature cache.
    pool = [t for t in benign if len(t) >= 40]
    def texts_500(tag: str) -> list[str]:
        return [f"{tag} {(t + ' ') * 20}"[:500] for t in pool[: args.speed_texts]]

    encoder = check._model.encoder
    check.predict_proba(texts_500("warm-up")[:8])
    harm = load_check("harm")

    def after_harm(texts: list[str]) -> float:
        harm.predict_proba(texts)
        t0 = time.perf_counter()
        check.predict_proba(texts)
        return time.perf_counter() - t0

    def timed(texts: list[str], run: Callable[[list[str]], object]) -> float:
        t0 = time.perf_counter()
        run(texts)
        return time.perf_counter() - t0

    # Best of three rounds, the kinds taking turns, each round with texts new to the feature cache.
    rates: dict[str, float] = {}
    for round_ in range(3):
        for label, took in (
            ("bare encoder pass", lambda t: timed(t, encoder.window_features)),
            ("injection check", lambda t: timed(t, check.predict_proba)),
            ("old denylist", lambda t: timed(t, denylist.scan)),
            ("injection check after harm read the prompts", after_harm),
        ):
            texts = texts_500(f"{label} {round_}")
            rates[label] = max(rates.get(label, 0.0), len(texts) / took(texts))
    load = os.getloadavg()
    print(f"speed, 500-char texts, {args.threads} threads, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}: "
          + "; ".join(f"{k} {v:.0f} texts/s" for k, v in rates.items())
          + f" (check / bare encoder x{rates['injection check'] / rates['bare encoder pass']:.2f})")
    print("command: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/injection.py")


if __name__ == "__main__":
    main()

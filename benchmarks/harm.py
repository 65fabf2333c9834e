"""Harm classifiers on held-out data: raikit's bundled model vs two common baselines.

Run from the project root:

    .venv/bin/python benchmarks/harm.py

Held out (never trained on by the bundled model): the Davidson test split (20%, stratified,
seed 13), raikit's "heldout" functional cases (templates and identity groups the training
never saw), the held-out split of every other public source (HatemojiBuild validation,
20% of ToxiGen statements, 20% of Stormfront users, the odd forbidden questions, 40% of the
Self-Instruct seed tasks; see training/harm/sources.py) and raikit's held-out written
prompts (typical system prompts, safe look-alikes, unsafe requests per category; other
texts than the training prompts). The bundled model trains on the whole moderation dev set
(336 texts), so the moderation figures are 5-fold cross-validation of the same recipe
(training/harm/recipe.py): each fold is scored by a head trained without it. That
retrains five heads (--skip-cv scores nothing on moderation; --cv-calibration none trains each
fold head once without its calibration folds, 6x faster, same per-category AUPRC).

Compared in the same run:
- raikit: the bundled HarmModel (MiniLM features + MLP head, calibrated).
- alt-profanity-check: ``predict_prob`` (one score, used for every category).
- MiniLM + LR: the plain sentence embedding (mean pooled, normalised, first 256 tokens) with
  a 3-class logistic regression trained here on the Davidson train split only;
  P(hate) scores hate and hate/threatening, 1 - P(neither) scores everything else.
- candidate (with ``--candidate DIR``): another head on the same encoder, scored exactly as
  raikit; its moderation folds are heads trained by its recipe variant
  (``--candidate-recipe``, training/harm/recipe.py ``VARIANTS``) without the fold.

Functional suite and hate sets: a case is predicted hateful when max(hate, hate/threatening)
>= 0.5 for raikit, profanity probability >= 0.5, and 1 - P(neither) >= 0.5 for MiniLM + LR.
Prompts: raikit blocks a prompt as the default policy does (any harm category at or above its
threshold in policies/default.yaml with action block); a baseline blocks at score >= 0.5.
Latency: one 317-character text per call, p50/p95 over repeated calls.
Embeddings are cached under /tmp/raikit_harm_cache (content-addressed) between runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the non-installed training/ folder

from raikit.guardrails import load_policy  # noqa: E402
from raikit.guardrails.harm import ANY, CATEGORIES, HARM_CATEGORIES, HarmModel, get_encoder  # noqa: E402
from raikit.guardrails.harm._encoder import WindowFeatures  # noqa: E402
from raikit.guardrails.harm._head import Head  # noqa: E402
from training.harm.cache import cached_window_features  # noqa: E402
from training.harm.datasets import MODERATION_FOLDS, load_davidson, load_moderation  # noqa: E402
from training.harm.prompts import load_prompts  # noqa: E402
from training.harm.recipe import PUBLIC_SOURCES, VARIANTS, fit_head, training_set  # noqa: E402
from training.harm.templates import functional_cases  # noqa: E402

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


def blocked_by_policy(scores: dict[str, np.ndarray], policy: str = "default") -> np.ndarray:
    """Whether the policy's harm check blocks each text (a harm category at its block threshold)."""
    spec = next(c for c in load_policy(policy).checks if c.type == "harm")
    out = np.zeros(len(scores[ANY]), bool)
    for category in HARM_CATEGORIES:
        enabled, threshold, action = spec.rule_for(category)
        if enabled and action == "block":
            out |= scores[category] >= threshold
    return out


def prompt_table(prompts, source, public, held, heads, prof, p_harm) -> None:  # noqa: ANN001
    """Share of each prompt kind blocked: raikit heads as the default policy, baselines at 0.5."""
    blocks = {name: blocked_by_policy(head_scores) for name, head_scores in heads.items()}
    rows = np.where(source == "prompts")[0]
    kinds = [p.kind for p in prompts]
    groups: dict[str, list[int]] = {}
    for row, kind in zip(rows, kinds):
        name = "lookalike (all kinds)" if kind.startswith("lookalike") else kind
        groups.setdefault(name, []).append(row)
        if kind.startswith("lookalike"):
            groups.setdefault(kind, []).append(row)
    groups["unsafe (all categories)"] = [r for r, p in zip(rows, prompts) if p.unsafe]
    offset = len(held) - len(public)
    for e_index, e in enumerate(public):
        if e.source.startswith(("forbidden:", "self_instruct")):
            name = "self-instruct (benign)" if e.source == "self_instruct" else e.source
            groups.setdefault(name, []).append(offset + e_index)
    print("\nshare blocked (raikit: default policy thresholds; baselines: score >= 0.5)")
    print(f"{'set':<34}{'n':>5}" + "".join(f"{name:>11}" for name in blocks) + f"{'profanity':>11}{'MiniLM+LR':>11}")
    for name in sorted(groups):
        idx = np.array(groups[name])
        ours = "".join(f"{b[idx].mean():>11.3f}" for b in blocks.values())
        print(f"{name:<34}{len(idx):>5}{ours}{(prof[idx] >= 0.5).mean():>11.3f}{(p_harm[idx] >= 0.5).mean():>11.3f}")


def latency(model: HarmModel, moderation: list, calls: int = 200) -> None:  # noqa: ANN001
    """p50/p95 of one call on one 317-character text (cut from a moderation text)."""
    text = next(e.text for e in moderation if len(e.text) >= 317)[:317]
    for _ in range(10):
        model.predict_proba([text])
    took, cpu = [], []
    for _ in range(calls):
        model.encoder.clear_cache()  # a cold call: the same text again would be a cache hit
        start, cpu_start = time.perf_counter(), time.process_time()
        model.predict_proba([text])
        took.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    p50, p95 = np.percentile(took, [50, 95])
    print(f"\nsingle call, one {len(text)}-character text: p50 {p50:.1f} ms, p95 {p95:.1f} ms wall; "
          f"CPU p50 {np.percentile(cpu, 50):.1f} ms "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def speed(model: HarmModel, moderation: list, held: list, args: argparse.Namespace) -> None:  # noqa: ANN001
    """Single-call latency, then throughput on tweets and long moderation texts, all cold."""
    from profanity_check import predict_prob

    latency(model, moderation)

    # throughput, full pipeline (normalise, tokenise, encode, head) without the cache
    tweets = [e.text for e in held][: args.speed_texts]
    mod = [e.text for e in moderation]
    model.predict_proba(tweets[:64])  # warm-up
    print(f"\nthroughput on {args.threads} threads (texts/s):")
    print("  (wall clock; 'per CPU-s' divides by this process's CPU time, which is what an idle")
    print("   machine would give per core; compare load average below)")
    for name, batch in (("tweets (Davidson test)", tweets), ("moderation (long, windowed)", mod)):
        model.encoder.clear_cache()  # texts scored above would otherwise be cache hits
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--speed-texts", type=int, default=1000, help="tweets timed for throughput")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--speed-only", action="store_true", help="only the latency and throughput lines")
    parser.add_argument("--skip-cv", action="store_true", help="skip the moderation cross-validation")
    parser.add_argument(
        "--cv-calibration",
        choices=("full", "none"),
        default="full",
        help="fold heads calibrated as the recipe does (6 fits each) or not (1 fit; per-category "
        "AUPRC is the same, only 'any' = max over categories can move)",
    )
    parser.add_argument(
        "--candidate",
        default=None,
        help="also score this head folder (a column 'candidate'; its moderation folds by --candidate-recipe)",
    )
    parser.add_argument(
        "--candidate-recipe",
        choices=sorted(VARIANTS),
        default=None,
        help="recipe variant of the candidate's moderation fold heads (default: its model.json recipe_variant, else 2.0)",
    )
    args = parser.parse_args()
    import torch
    from profanity_check import predict_prob
    from sklearn.linear_model import LogisticRegression

    torch.set_num_threads(args.threads)
    davidson = load_davidson(args.data)
    moderation = load_moderation(args.data)
    if args.speed_only:
        speed(HarmModel(), moderation, [e for e in davidson if e.split == "test"], args)
        return
    cases = functional_cases("heldout")
    public = [e for load in PUBLIC_SOURCES.values() for e in load(args.data) if e.split == "test"]
    prompts = load_prompts("heldout")
    held = [e for e in davidson if e.split == "test"] + ([] if args.skip_cv else moderation) + public
    texts = [e.text for e in held] + [c.text for c in cases] + [p.text for p in prompts]
    labels = [e.labels for e in held] + [dict(c.labels) for c in cases] + [p.labels for p in prompts]
    source = np.array(
        [e.source.split(":")[0] for e in held] + ["functional"] * len(cases) + ["prompts"] * len(prompts)
    )
    counts = ", ".join(f"{name} {n}" for name, n in zip(*np.unique(source, return_counts=True)))
    print(f"held-out texts: {len(texts)} ({counts})")

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
    folds = np.array([e.fold for e in held] + [-1] * (len(cases) + len(prompts)))
    for k in range(MODERATION_FOLDS if not args.skip_cv else 0):
        start = time.perf_counter()
        calibrate = args.cv_calibration == "full"
        head = fit_head(training_set(args.data, exclude_fold=k), features, calibrate=calibrate)
        rows = np.where(folds == k)[0]
        raikit[rows] = scores(head, [texts[i] for i in rows])
        took = time.perf_counter() - start
        print(f"  moderation fold {k}: head trained without it in {took:.0f}s", flush=True)
    raikit_scores = {k: raikit[:, model.head.outputs.index(k)] for k in KEYS}
    heads = {"raikit": raikit_scores}
    if args.candidate:
        candidate = HarmModel(args.candidate)
        variant = args.candidate_recipe or candidate.head.meta.get("recipe_variant", "2.0")
        cand = scores(candidate.head, texts)
        for k in range(MODERATION_FOLDS if not args.skip_cv else 0):
            start = time.perf_counter()
            fold_set = training_set(args.data, exclude_fold=k, variant=variant)
            head = fit_head(fold_set, features, calibrate=args.cv_calibration == "full", variant=variant)
            rows = np.where(folds == k)[0]
            cand[rows] = scores(head, [texts[i] for i in rows])
            took = time.perf_counter() - start
            print(f"  candidate ({variant}) moderation fold {k}: head trained without it in {took:.0f}s", flush=True)
        heads["candidate"] = {k: cand[:, candidate.head.outputs.index(k)] for k in KEYS}

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

    models = {**heads, "profanity-check": prof_scores, "MiniLM+LR": lr_scores}
    n_heads = len(heads)

    def table(title: str, rows_mask: np.ndarray) -> None:
        print(f"\n{title}")
        print(f"{'category':<18}{'n':>6}{'pos':>6}" + "".join(f"{m:>17}" for m in models))
        for key in KEYS:
            known = np.array([lab.get(key) is not None for lab in labels]) & rows_mask
            y = np.array([labels[i][key] or 0 for i in np.where(known)[0]])
            if y.sum() == 0 or y.sum() == len(y):
                continue
            vals = [auprc(y, scores[key][known]) for scores in models.values()]
            best_base = max(vals[n_heads:])
            mark = " " if vals[0] > best_base else "!"
            cells = "".join(f"{v:>17.3f}" for v in vals)
            print(f"{key:<18}{len(y):>6}{int(y.sum()):>6}{cells} {mark}")

    print("\nAUPRC ('!' = raikit not above both baselines)")
    table("== moderation dev, 5-fold cross-validation of the recipe ==", source == "moderation")
    table("== davidson test split (20%) ==", source == "davidson")
    for name in ("hatemoji", "toxigen", "stormfront"):
        table(f"== {name}, held-out split ==", source == name)
    everything = np.ones(len(texts), bool)
    table("== all of the above + functional + prompts (moderation by cross-validation) ==", everything)

    # functional suite
    func = source == "functional"
    truth = np.array([c.hateful for c in cases])
    hateful = {name: np.maximum(h["hate"], h["hate/threatening"]) >= 0.5 for name, h in heads.items()}
    preds = {
        **{name: pred[func] for name, pred in hateful.items()},
        "profanity-check": prof[func] >= 0.5,
        "MiniLM+LR": p_harm[func] >= 0.5,
    }
    print(f"\nfunctional suite (held-out templates and groups): {len(cases)} cases, {truth.sum()} hateful")
    print(f"{'model':<18}{'overall':>9}{'hateful':>9}{'non-hateful':>13}")
    for name, pred in preds.items():
        ok = pred == truth
        print(f"{name:<18}{ok.mean():>9.3f}{ok[truth].mean():>9.3f}{ok[~truth].mean():>13.3f}")
    for name in ("hatemoji", "toxigen", "stormfront"):
        rows = source == name
        truth_s = np.array([labels[i]["hate"] == 1 for i in np.where(rows)[0]])
        print(f"\n{name} held-out split, hateful at 0.5: {rows.sum()} texts, {truth_s.sum()} hateful")
        print(f"{'model':<18}{'overall':>9}{'hateful':>9}{'non-hateful':>13}")
        for model_name, pred in (
            *((name, pred[rows]) for name, pred in hateful.items()),
            ("profanity-check", prof[rows] >= 0.5),
            ("MiniLM+LR", p_harm[rows] >= 0.5),
        ):
            ok = pred == truth_s
            print(f"{model_name:<18}{ok.mean():>9.3f}{ok[truth_s].mean():>9.3f}{ok[~truth_s].mean():>13.3f}")
    prompt_table(prompts, source, public, held, heads, prof, p_harm)
    print("\n" + " / ".join(heads) + " per functionality:")
    kinds = sorted({c.functionality for c in cases})
    for kind in kinds:
        sel = np.array([c.functionality == kind for c in cases])
        oks = " / ".join(f"{(preds[name][sel] == truth[sel]).mean():.2f}" for name in heads)
        print(f"  {kind:<22} {oks} ({sel.sum()})")

    if not args.skip_speed:
        speed(model, moderation, [e for e in held if e.source == "davidson"], args)


if __name__ == "__main__":
    main()

"""Text watermark on the demo generator's small causal LM: detection power, false positives,
robustness to token replacement, and generation overhead against plain ``generate``.

Prints the LM's mean per-token entropy; for greedy decoding and sampling at temperature 0.7
and 1.0: the true-positive rate at z >= 4 for 50, 100 and 200 tokens; the empirical
false-positive rate on >= 10,000 unwatermarked human texts per length (tokenised Davidson
tweets, BOLD prompts, moderation texts and PII sentences from the shared data, randomly
concatenated to reach each length); the TPR at the z threshold that gives an empirical FPR
of 1e-3; ROC-AUC at 200 tokens after replacing 10/20/30% of tokens at random; and the
per-token generation time with and without the processor, in the same run.

The demo model's context is 128 positions, so 200-token texts are generated in two
contiguous 100-token segments (the second prompted with the end of the first; the
watermark's context token carries across the join).

Reproduce::

    .venv/bin/python benchmarks/watermark_text.py [--prompts 200] [--negatives 10000]
    .venv/bin/python benchmarks/watermark_text.py --model random   # before the demo model exists
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from raikit.watermark import TextWatermark

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
KEY = b"benchmark-text-watermark-key"
LENGTHS = (50, 100, 200)
SEGMENT = 100
PROMPT_TOKENS = 16
MODES = {"greedy": None, "T=0.7": 0.7, "T=1.0": 1.0}


def load_model(kind: str):
    if kind == "demo":
        from raikit.demo import load_demo_model

        return load_demo_model()
    from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel

    tok = AutoTokenizer.from_pretrained(str(ROOT / "raikit" / "demo" / "model"), local_files_only=True)
    tok.padding_side = "left"
    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=len(tok), n_positions=128, n_embd=128, n_layer=4, n_head=4,
                     bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id, initializer_range=0.2)
    return GPT2LMHeadModel(cfg).eval(), tok


def human_texts() -> list[str]:
    texts: list[str] = []
    with open(DATA / "harm" / "davidson_labeled_data.csv", newline="", encoding="utf-8") as fh:
        texts += [row["tweet"] for row in csv.DictReader(fh)]
    for path in sorted((DATA / "bias" / "bold_prompts").glob("*.json")):
        for groups in json.loads(path.read_text()).values():
            for prompts in groups.values():
                texts += prompts
    with open(DATA / "harm" / "openai_moderation_dev.jsonl", encoding="utf-8") as fh:
        texts += [json.loads(line)["prompt"] for line in fh if line.strip()]
    texts += [row["full_text"] for row in json.loads((DATA / "pii" / "presidio_synth_dev.json").read_text())]
    return [t for t in texts if t.strip()]


def prompts_for(n: int, seed: int = 1) -> list[str]:
    texts = []
    for path in sorted((DATA / "bias" / "bold_prompts").glob("*.json")):
        for groups in json.loads(path.read_text()).values():
            for prompts in groups.values():
                texts += prompts
    return random.Random(seed).sample(texts, n)


def sample(model, tok, prompts: list[str], temperature: float | None, processor, *, new: int, batch: int, seed: int) -> list[list[int]]:
    """Continuations (token ids, exactly ``new`` each) for prompts given as text."""
    out_ids: list[list[int]] = []
    torch.manual_seed(seed)
    for i in range(0, len(prompts), batch):
        chunk = prompts[i : i + batch]
        enc = tok(chunk, return_tensors="pt", padding=True, truncation=True, max_length=PROMPT_TOKENS)
        kwargs = {"do_sample": False} if temperature is None else {"do_sample": True, "temperature": temperature, "top_k": 0}
        with torch.inference_mode():
            out = model.generate(**enc, max_new_tokens=new, min_new_tokens=new, pad_token_id=tok.pad_token_id,
                                 logits_processor=[processor] if processor is not None else None, **kwargs)
        out_ids += out[:, enc["input_ids"].shape[1] :].tolist()
    return out_ids


def generate_long(model, tok, prompts, temperature, processor, *, total: int, batch: int, seed: int) -> list[list[int]]:
    """``total`` tokens per prompt in contiguous SEGMENT-token pieces (the model context is 128)."""
    seqs = sample(model, tok, prompts, temperature, processor, new=SEGMENT, batch=batch, seed=seed)
    while len(seqs[0]) < total:
        tails = [tok.decode(s[-PROMPT_TOKENS:]) for s in seqs]
        # re-prompt with the tail's ids directly (decode/encode may not round-trip)
        more: list[list[int]] = []
        torch.manual_seed(seed + len(seqs[0]))
        for i in range(0, len(seqs), batch):
            ids = torch.tensor([s[-PROMPT_TOKENS:] for s in seqs[i : i + batch]])
            kwargs = {"do_sample": False} if temperature is None else {"do_sample": True, "temperature": temperature, "top_k": 0}
            with torch.inference_mode():
                out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=SEGMENT, min_new_tokens=SEGMENT,
                                     pad_token_id=tok.pad_token_id, logits_processor=[processor] if processor is not None else None, **kwargs)
            more += out[:, ids.shape[1] :].tolist()
        del tails
        seqs = [s + m for s, m in zip(seqs, more)]
    return [s[:total] for s in seqs]


def entropy(model, tok, prompts: list[str], temperature: float, batch: int) -> float:
    """Mean next-token entropy (nats) of the plain model along its own samples."""
    seqs = sample(model, tok, prompts, temperature, None, new=64, batch=batch, seed=7)
    values = []
    with torch.inference_mode():
        for i in range(0, len(seqs), batch):
            ids = torch.tensor(seqs[i : i + batch])
            logp = torch.log_softmax(model(ids).logits / temperature, dim=-1)
            values.append(float(-(logp.exp() * logp).sum(-1).mean()))
    return statistics.mean(values)


def negatives(wm: TextWatermark, tok, encoded: list[list[int]], length: int, n: int, seed: int) -> np.ndarray:
    """z-scores of n human texts of exactly ``length`` tokens (random concatenations)."""
    rng = random.Random(seed)
    z = np.empty(n)
    for i in range(n):
        ids: list[int] = []
        while len(ids) < length:
            ids += encoded[rng.randrange(len(encoded))]
        z[i] = wm.detect(tok.decode(ids[:length])).z_score
    return z


def replace(ids: list[int], fraction: float, vocab: int, rng: random.Random) -> list[int]:
    ids = list(ids)
    for pos in rng.sample(range(len(ids)), round(fraction * len(ids))):
        ids[pos] = rng.randrange(vocab)
    return ids


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(np.r_[np.ones(len(pos)), np.zeros(len(neg))], np.r_[pos, neg]))


def overhead(model, tok, wm: TextWatermark, prompts: list[str], batch: int, rounds: int) -> tuple[float, float]:
    """Median per-token ms for plain and watermarked sampling (alternating, same prompts)."""
    plain, marked = [], []
    n_tokens = len(prompts) * SEGMENT
    for r in range(rounds):
        for label in ("plain", "marked") if r % 2 == 0 else ("marked", "plain"):
            proc = wm.logits_processor() if label == "marked" else None  # fresh cache each round
            start = time.perf_counter()
            sample(model, tok, prompts, 1.0, proc, new=SEGMENT, batch=batch, seed=100 + r)
            ms = (time.perf_counter() - start) * 1000 / n_tokens
            (plain if label == "plain" else marked).append(ms)
    return statistics.median(plain), statistics.median(marked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=["demo", "random"], default="demo")
    parser.add_argument("--prompts", type=int, default=200, help="generations per decoding mode")
    parser.add_argument("--negatives", type=int, default=10_000, help="human texts per length")
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=6, help="alternating timing rounds")
    parser.add_argument("--gamma", type=float, default=0.25)
    parser.add_argument("--delta", type=float, default=3.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    model, tok = load_model(args.model)
    vocab = len(tok)
    wm = TextWatermark(key=KEY, tokenizer=tok, gamma=args.gamma, delta=args.delta)
    print(f"model: {args.model} ({sum(p.numel() for p in model.parameters()) / 1e6:.1f}M params, vocab {vocab}, "
          f"context {model.config.n_positions}); gamma={args.gamma} delta={args.delta} context_width=1 key_id={wm.key_id}")
    prompts = prompts_for(args.prompts)
    ent_prompts = prompts[: min(100, len(prompts))]
    print("mean per-token entropy of the plain LM (nats): "
          + ", ".join(f"T={t}: {entropy(model, tok, ent_prompts, t, args.batch):.2f}" for t in (0.7, 1.0)))

    texts = human_texts()
    print(f"human texts: {len(texts)} source texts; {args.negatives} random concatenations per length")
    encoded = [tok(t, add_special_tokens=False)["input_ids"] for t in texts]
    t0 = time.perf_counter()
    neg = {L: negatives(wm, tok, encoded, L, args.negatives, seed=L) for L in LENGTHS}
    neg_time = time.perf_counter() - t0
    thresholds = {L: float(np.quantile(neg[L], 1 - 1e-3)) for L in LENGTHS}

    print()
    print(f"{'mode':<8}{'len':>5}{'TPR@z>=4':>10}{'FPR@z>=4':>10}{'z@FPR1e-3':>11}{'TPR@that':>10}{'median z':>10}{'mean scored':>12}")
    marked_200: dict[str, list[list[int]]] = {}
    for mode, temp in MODES.items():
        seqs = generate_long(model, tok, prompts, temp, wm.logits_processor(), total=max(LENGTHS), batch=args.batch, seed=11)
        marked_200[mode] = seqs
        for L in LENGTHS:
            dets = [wm.detect(tok.decode(s[:L])) for s in seqs]
            z = np.array([d.z_score for d in dets])
            tpr = float(np.mean([d.found for d in dets]))
            fpr = float(np.mean(neg[L] >= wm.z_threshold))
            thr = max(thresholds[L], 0.0)
            print(f"{mode:<8}{L:>5}{tpr:>10.3f}{fpr:>10.5f}{thr:>11.2f}{float(np.mean(z >= thr)):>10.3f}"
                  f"{float(np.median(z)):>10.2f}{statistics.mean(d.scored_tokens for d in dets):>12.1f}")
    # unwatermarked model text (same generator, no processor) as a second negative set
    plain = generate_long(model, tok, prompts, 1.0, None, total=200, batch=args.batch, seed=11)
    plain_z = np.array([wm.detect(tok.decode(s)).z_score for s in plain])
    print(f"unwatermarked model samples (T=1.0, 200 tokens): FPR@z>=4 {float(np.mean(plain_z >= 4)):.3f}, max z {plain_z.max():.2f}")

    print()
    print("ROC-AUC at 200 tokens after replacing a fraction of tokens at random (negatives: human texts)")
    print(f"{'mode':<8}" + "".join(f"{f'{int(f * 100)}%':>9}" for f in (0.0, 0.1, 0.2, 0.3)) + f"{'TPR@z>=4 (30%)':>16}")
    rng = random.Random(5)
    for mode, seqs in marked_200.items():
        row = f"{mode:<8}"
        for frac in (0.0, 0.1, 0.2, 0.3):
            zs = np.array([wm.detect(tok.decode(replace(s, frac, vocab, rng))).z_score for s in seqs])
            row += f"{auc(zs, neg[200]):>9.4f}"
        row += f"{float(np.mean(zs >= 4)):>16.3f}"
        print(row)

    print()
    start = time.perf_counter()
    wm._tables.full(model.config.vocab_size)  # already built during generation: cached
    fresh = TextWatermark(key=b"another key", tokenizer=tok)
    fresh.logits_processor()
    t_build = time.perf_counter()
    from raikit.watermark._text_processor import GreenTables

    GreenTables(b"another key", args.gamma).full(model.config.vocab_size)
    build_ms = (time.perf_counter() - t_build) * 1000
    del start, fresh
    p_ms, m_ms = overhead(model, tok, wm, prompts[: min(100, len(prompts))], args.batch, args.rounds)
    print(f"generation (T=1.0, batch {args.batch}, {SEGMENT} new tokens, torch threads {args.threads}): plain {p_ms:.3f} ms/token, "
          f"watermarked {m_ms:.3f} ms/token, overhead {100 * (m_ms / p_ms - 1):+.1f}% (median of {args.rounds} alternating rounds)")
    print(f"one-off green table build for a {model.config.vocab_size}-token vocabulary: {build_ms:.0f} ms per key "
          "(shared by every processor of a TextWatermark; not in the per-token figures)")
    per_text = neg_time / (len(LENGTHS) * args.negatives) * 1000
    print(f"detection: {per_text:.2f} ms per human text (tokenise + score, mean over lengths)")


if __name__ == "__main__":
    main()

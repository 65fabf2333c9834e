"""Text watermarks on the demo LM, side by side with transformers' green list and SynthID.

Schemes, all in one run: raikit's exponential-minimum sampler (``gumbel``, the default) and
its green list (delta 2 after temperature); transformers' ``WatermarkingConfig`` green list
(bias 2, with its ``WatermarkDetector``) and ``SynthIDTextWatermarkingConfig`` (scored by the
mean g-value over unrepeated contexts, the paper's unweighted mean detector; the Bayesian
detector needs training and is not used).

For BOLD prompts (16 prompt tokens, 100 new tokens, pure sampling at T=0.7 and T=1.0):

* quality: perplexity of the generated tokens under the plain model (T=1), against the
  plain model's own samples in the same run;
* detection: TPR at 100 tokens at the threshold giving an empirical FPR of 1e-3 on human
  texts (random concatenations of Davidson tweets, BOLD prompts, moderation and PII texts
  from the shared data, cut to 100 tokens), and at each detector's own nominal threshold
  (raikit: corrected p <= 1e-3; peers: z >= 3.09, p = 1e-3);
* paste: one 100-token marked passage (T=1.0) inside 3,900 human tokens at a random place:
  the share found at p <= 1e-3 (raikit: window scan; peers: their whole-text statistic),
  and the false-positive rate on 4,000-token human texts;
* overhead: per-token generation CPU time at batch 25 with and without each processor.

Reproduce (the figures in the README used the defaults)::

    .venv/bin/python benchmarks/watermark_text.py [--prompts 200] [--negatives 2000] [--paste 200]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
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
NEW = 100
PROMPT_TOKENS = 16
PASTE_HUMAN = 3900
Z_NOMINAL = 3.0902  # one-sided p = 1e-3
SCHEMES = ("raikit gumbel", "raikit green", "hf green", "synthid")
SYNTHID_KEYS = [654, 400, 836, 123, 340, 443, 597, 160, 57, 29, 590, 639, 13, 715, 468, 990, 966, 226, 324, 585,
                118, 504, 421, 521, 129, 669, 732, 225, 90, 960]


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


def bold_prompts(n: int, seed: int = 1) -> list[str]:
    texts = []
    for path in sorted((DATA / "bias" / "bold_prompts").glob("*.json")):
        for groups in json.loads(path.read_text()).values():
            for prompts in groups.values():
                texts += prompts
    return random.Random(seed).sample(texts, n)


def human_ids(encoded: list[list[int]], length: int, rng: random.Random) -> list[int]:
    ids: list[int] = []
    while len(ids) < length:
        ids += encoded[rng.randrange(len(encoded))]
    return ids[:length]


class Scheme:
    """One watermark: how to generate with it and how to score token ids (higher = marked)."""

    def __init__(self, name: str, model, tok) -> None:
        from transformers import SynthIDTextWatermarkingConfig, WatermarkDetector, WatermarkingConfig

        self.name, self.model, self.tok = name, model, tok
        self.wm = None
        self.config = None
        if name == "raikit gumbel":
            self.wm = TextWatermark(key=KEY, tokenizer=tok, scheme="gumbel", p_threshold=1e-3)
        elif name == "raikit green":
            self.wm = TextWatermark(key=KEY, tokenizer=tok, scheme="green", gamma=0.25, delta=2.0, p_threshold=1e-3)
        elif name == "hf green":
            self.config = WatermarkingConfig(greenlist_ratio=0.25, bias=2.0)
            self.detector = WatermarkDetector(model.config, "cpu", self.config)
        elif name == "synthid":
            self.config = SynthIDTextWatermarkingConfig(keys=SYNTHID_KEYS, ngram_len=5)
            self.proc = self.config.construct_processor(model.config.vocab_size, "cpu")

    def generate_kwargs(self, temperature: float) -> dict:
        if self.wm is not None:
            return {"logits_processor": [self.wm.logits_processor(temperature=temperature)]}
        if self.config is not None:
            return {"watermarking_config": self.config}
        return {}

    def score(self, ids: list[int]) -> tuple[float, bool]:
        """(score, found at the detector's nominal 1e-3 threshold)."""
        if self.wm is not None:
            det = self.wm.detect(self.tok.decode(ids))
            return -math.log10(max(det.p_value, 1e-300)), det.found
        t = torch.tensor([ids])
        if self.name == "hf green":
            z = float(self.detector(t, z_threshold=Z_NOMINAL, return_dict=True).z_score[0])
            return z, z >= Z_NOMINAL
        g = self.proc.compute_g_values(t).float()
        mask = self.proc.compute_context_repetition_mask(t).float()
        depth = g.shape[-1]
        m = float(mask.sum()) * depth
        mean = float((g * mask[..., None]).sum()) / max(m, 1.0)
        z = (mean - 0.5) / math.sqrt(0.25 / max(m, 1.0))
        return mean, z >= Z_NOMINAL


def generate(model, tok, scheme: Scheme | None, prompts: list[str], temperature: float, batch: int, seed: int):
    """(new token ids per prompt, prompt ids per prompt)."""
    new_ids, prompt_ids = [], []
    kwargs = scheme.generate_kwargs(temperature) if scheme is not None else {}
    for i in range(0, len(prompts), batch):
        enc = tok(prompts[i : i + batch], return_tensors="pt", padding=True, truncation=True, max_length=PROMPT_TOKENS)
        torch.manual_seed(seed + i)
        with torch.inference_mode():
            out = model.generate(**enc, max_new_tokens=NEW, min_new_tokens=NEW, do_sample=True, temperature=temperature,
                                 top_k=0, top_p=1.0, pad_token_id=tok.pad_token_id, **kwargs)
        width = enc["input_ids"].shape[1]
        new_ids += out[:, width:].tolist()
        prompt_ids += [row[m.bool()].tolist() for row, m in zip(enc["input_ids"], enc["attention_mask"])]
    return new_ids, prompt_ids


def perplexity(model, new_ids, prompt_ids) -> float:
    """exp(mean NLL) of the new tokens under the plain model (T=1), given the prompt."""
    total, count = 0.0, 0
    with torch.inference_mode():
        for new, prompt in zip(new_ids, prompt_ids):
            ids = torch.tensor([prompt + new])
            logp = torch.log_softmax(model(ids).logits[0, :-1].float(), -1)
            targets = ids[0, 1:]
            nll = -logp.gather(-1, targets[:, None])[:, 0][len(prompt) - 1 :]
            total += float(nll.sum())
            count += len(new)
    return math.exp(total / count)


def timed(model, tok, scheme, prompts, batch, temperature=1.0) -> float:
    """CPU milliseconds per generated token (process time: on a shared machine wall time
    mostly measures the other jobs)."""
    start = time.process_time()
    generate(model, tok, scheme, prompts, temperature, batch, seed=99)
    return (time.process_time() - start) * 1000 / (len(prompts) * NEW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prompts", type=int, default=200, help="generations per scheme and temperature")
    parser.add_argument("--negatives", type=int, default=2000, help="100-token human texts")
    parser.add_argument("--paste", type=int, default=200, help="marked passages pasted in human text (and as many negatives)")
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3, help="alternating timing rounds")
    parser.add_argument("--schemes", default=",".join(SCHEMES), help="comma-separated schemes to compare")
    parser.add_argument("--overhead-only", action="store_true", help="only the generation-overhead timing")
    args = parser.parse_args()
    torch.set_num_threads(1)

    from raikit.demo import load_demo_model

    model, tok = load_demo_model()
    tok.padding_side = "left"
    names = [n for n in args.schemes.split(",") if n]
    unknown = sorted(set(names) - set(SCHEMES))
    if unknown:
        parser.error(f"unknown schemes {unknown}; choose from {', '.join(SCHEMES)}")
    schemes = {n: Scheme(n, model, tok) for n in names}
    print(f"demo LM: vocab {model.config.vocab_size}, context {model.config.n_positions}; {args.prompts} BOLD prompts x "
          f"{NEW} new tokens, pure sampling (top_k=0, top_p=1); raikit gumbel context_width "
          f"{schemes['raikit gumbel'].wm.context_width}, green gamma 0.25 delta 2 (after temperature); "
          f"hf green bias 2; SynthID ngram 5, 30 keys")
    prompts = bold_prompts(args.prompts)
    if not args.overhead_only:
        quality_and_paste(model, tok, schemes, prompts, args)
    overhead(model, tok, schemes, prompts, args)


def quality_and_paste(model, tok, schemes: dict, prompts: list[str], args) -> None:
    """Perplexity, TPR at FPR 1e-3, and marked passages pasted into human text."""
    encoded = [tok(t, add_special_tokens=False)["input_ids"] for t in human_texts()]
    rng = random.Random(3)
    negatives = [human_ids(encoded, NEW, rng) for _ in range(args.negatives)]
    neg_scores = {n: np.array([s.score(ids)[0] for ids in negatives]) for n, s in schemes.items()}
    neg_found = {n: float(np.mean([s.score(ids)[1] for ids in negatives])) for n, s in schemes.items()}
    k = max(1, int(round(1e-3 * args.negatives)))  # the k-th highest negative: FPR 1e-3
    thresholds = {n: float(np.sort(v)[-k]) for n, v in neg_scores.items()}

    print()
    print(f"{'scheme':<15}{'T':>5}{'ppl':>8}{'ppl/plain':>11}{'TPR@FPR1e-3':>13}{'TPR nominal':>13}{'FPR nominal':>13}")
    marked_t1 = {}
    for temp in (0.7, 1.0):
        plain_new, plain_prompt = generate(model, tok, None, prompts, temp, args.batch, seed=11)
        again_new, again_prompt = generate(model, tok, None, prompts, temp, args.batch, seed=12)
        ppl_a, ppl_b = perplexity(model, plain_new, plain_prompt), perplexity(model, again_new, again_prompt)
        ppl_plain = math.sqrt(ppl_a * ppl_b)  # geometric mean of two independent plain runs
        print(f"{'plain (2 runs)':<15}{temp:>5}{ppl_plain:>8.2f}{1.0:>11.3f}   (run 1 / run 2 = {ppl_a / ppl_b:.3f}: sampling noise)")
        for name, scheme in schemes.items():
            new, prompt = generate(model, tok, scheme, prompts, temp, args.batch, seed=11)
            if temp == 1.0:
                marked_t1[name] = new
            ppl = perplexity(model, new, prompt)
            scored = [scheme.score(ids) for ids in new]
            tpr_emp = float(np.mean([s > thresholds[name] for s, _ in scored]))
            tpr_nom = float(np.mean([f for _, f in scored]))
            print(f"{name:<15}{temp:>5}{ppl:>8.2f}{ppl / ppl_plain:>11.3f}{tpr_emp:>13.3f}{tpr_nom:>13.3f}{neg_found[name]:>13.4f}")
    print(f"(TPR@FPR1e-3: above the {k}-th highest score of {args.negatives} human 100-token texts)")

    print()
    print(f"paste: a 100-token marked passage (T=1.0) at a random place in {PASTE_HUMAN} human tokens; {args.paste} cases")
    print(f"{'scheme':<15}{'found p<=1e-3':>15}{'FPR (4,000 human tokens)':>26}{'ms/text':>9}")
    for name, scheme in schemes.items():
        rng = random.Random(7)
        found = 0
        start = time.perf_counter()
        for i in range(args.paste):
            human = human_ids(encoded, PASTE_HUMAN, rng)
            at = rng.randrange(PASTE_HUMAN + 1)
            passage = marked_t1[name][i % len(marked_t1[name])]
            found += scheme.score(human[:at] + passage + human[at:])[1]
        ms = (time.perf_counter() - start) * 1000 / args.paste
        fp = sum(scheme.score(human_ids(encoded, PASTE_HUMAN + NEW, rng))[1] for _ in range(args.paste))
        print(f"{name:<15}{found / args.paste:>15.3f}{fp / args.paste:>26.4f}{ms:>9.1f}")



def overhead(model, tok, schemes: dict, prompts: list[str], args) -> None:
    """Per-token generation CPU time with and without each processor."""
    names = list(schemes)
    print()
    timing_prompts = prompts[: 4 * args.batch]
    times: dict[str, list[float]] = {"plain": [], **{n: [] for n in names}}
    for r in range(args.rounds):
        order = ["plain", *names] if r % 2 == 0 else [*names[::-1], "plain"]
        for label in order:
            times[label].append(timed(model, tok, schemes.get(label), timing_prompts, args.batch))
    base = statistics.median(times["plain"])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"generation at batch {args.batch}, T=1.0, {NEW} new tokens, 1 torch thread, CPU time (median of {args.rounds} "
          f"alternating rounds; load average {load}): plain {base:.3f} ms/token")
    for name in names:
        t = statistics.median(times[name])
        print(f"  {name:<15}{t:.3f} ms/token  overhead {100 * (t / base - 1):+.1f}%")


if __name__ == "__main__":
    main()

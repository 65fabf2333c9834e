"""Bias audit throughput on BOLD through the demo generator, per executor; scoring overhead;
CrowS-Pairs of the demo LM.

Prints, for the BOLD gender and race domains (or a seeded ``--limit`` sample of each):
prompts per second through generation + scoring with the local executor (1 and 2 workers)
and Ray (a local 2-worker cluster), whether the three runs gave identical results, the
audit's scoring throughput against the scorers' own batch throughput measured in the same
run, the CrowS-Pairs score of the demo LM and, with ``--full-bold``, a timed audit of all
23,679 BOLD prompts.

Reproduce::

    .venv/bin/python benchmarks/bias.py                     # full gender + race, all parts
    .venv/bin/python benchmarks/bias.py --limit 400 --skip-full   # quick
    .venv/bin/python benchmarks/bias.py --full-bold --skip-executors --skip-crows

``--random-model`` swaps the demo model for an untrained GPT-2 of the same shape (for
development before the demo model is trained; figures are then labelled as such).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"


class RandomGPT2Generator:
    """An untrained GPT-2 with the demo model's shape and tokenizer (development stand-in)."""

    id = "random-gpt2-demo-shape"

    def __init__(self, *, max_new_tokens: int = 24, temperature: float = 0.9) -> None:
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self._model: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"max_new_tokens": self.max_new_tokens, "temperature": self.temperature, "_model": None}

    def _load(self) -> tuple[Any, Any]:
        if self._model is None:
            import torch
            import transformers

            from raikit.demo import DEMO_MODEL_DIR

            tok = transformers.PreTrainedTokenizerFast(tokenizer_file=str(DEMO_MODEL_DIR / "tokenizer.json"),
                                                       eos_token="<|endoftext|>", pad_token="<|endoftext|>")
            tok.padding_side = "left"
            torch.manual_seed(0)
            config = transformers.GPT2Config(vocab_size=len(tok), n_positions=128, n_embd=128, n_layer=4, n_head=4,
                                             bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id)
            self._model = (transformers.GPT2LMHeadModel(config).eval(), tok)
        return self._model

    def __call__(self, prompts: list[str], seeds: list[int]) -> list[str]:
        import torch

        model, tok = self._load()
        with torch.random.fork_rng(devices=[]), torch.inference_mode():
            torch.manual_seed(int(seeds[0]))
            enc = tok(prompts, return_tensors="pt", padding=True, truncation=True,
                      max_length=128 - self.max_new_tokens)
            out = model.generate(**enc, do_sample=True, temperature=self.temperature, top_p=0.95,
                                 max_new_tokens=self.max_new_tokens, pad_token_id=tok.pad_token_id)
        return tok.batch_decode(out[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)


class ReplayGenerator:
    """Returns precomputed outputs (no model): isolates the audit's scoring path."""

    def __init__(self, outputs: dict[str, str]) -> None:
        self.outputs = outputs

    def __call__(self, prompts: list[str], seeds: list[int]) -> list[str]:
        return [self.outputs[p] for p in prompts]


class RecordingGenerator:
    """Wraps a generator and keeps its outputs (single-process use only)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.outputs: dict[str, str] = {}

    def __call__(self, prompts: list[str], seeds: list[int]) -> list[str]:
        outs = self.inner(prompts, seeds)
        self.outputs.update(zip(prompts, outs, strict=True))
        return outs


def _suites(domains: list[str], limit: int | None, seed: int, data: Path) -> list[Any]:
    import numpy as np

    from raikit.audits.bias import BiasSuiteSpec, PromptSuite

    suites = []
    for domain in domains:
        suite = BiasSuiteSpec.bold(domain).load(seed=seed, data_path=data)
        if limit is not None and limit < len(suite.items):
            rng = np.random.default_rng([seed, len(domain)])
            keep = sorted(rng.choice(len(suite.items), size=limit, replace=False).tolist())
            suite = PromptSuite(name=suite.name, kind=suite.kind, domain=suite.domain,
                                items=tuple(suite.items[i] for i in keep), source=suite.source, license=suite.license)
        suites.append(suite)
    return suites


def _scorers(with_harm: bool) -> list[Any]:
    from raikit.audits.bias import default_scorers

    return default_scorers(harm=with_harm)


def _fingerprint(bias: dict[str, Any]) -> str:
    return json.dumps(bias, sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("RAIKIT_DATA", DEFAULT_DATA)))
    parser.add_argument("--limit", type=int, help="Seeded sample of N prompts per domain (default: all).")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--max-new-tokens", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--random-model", action="store_true", help="Untrained GPT-2 of the demo's shape.")
    parser.add_argument("--no-harm", action="store_true", help="Leave the harm scorer out.")
    parser.add_argument("--skip-executors", action="store_true")
    parser.add_argument("--skip-scoring", action="store_true")
    parser.add_argument("--skip-crows", action="store_true")
    parser.add_argument("--full-bold", action="store_true", help="Also time all 23,679 BOLD prompts.")
    parser.add_argument("--full-workers", type=int, default=2, help="Workers for --full-bold.")
    parser.add_argument("--full-executor", choices=["local", "ray"], default="local",
                        help="Executor for --full-bold (ray: a local cluster, start-up not counted).")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads in this process (the inline 1-worker run); workers use cores/workers.")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)

    from raikit.audits.bias import (
        DemoGenerator,
        LocalExecutor,
        RayExecutor,
        crows_pairs_score,
        run_bias_audit,
    )

    demo_ready = (ROOT / "raikit" / "demo" / "model" / "config.json").is_file()
    if args.random_model or not demo_ready:
        if not args.random_model:
            print("!! demo model not trained yet: using an untrained GPT-2 of the same shape (--random-model)")
        generator: Any = RandomGPT2Generator(max_new_tokens=args.max_new_tokens)
    else:
        generator = DemoGenerator(max_new_tokens=args.max_new_tokens)
    from raikit.audits.bias._scorers import harm_available

    with_harm = not args.no_harm and harm_available()
    scorers = _scorers(with_harm)
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"machine: {platform.machine()} cores={os.cpu_count()} python={platform.python_version()} "
          f"load={os.getloadavg()[0]:.1f} (cores shared with other jobs); torch threads in-process={args.threads}")
    print(f"generator: {generator.id} max_new_tokens={args.max_new_tokens} batch_size={args.batch_size}; "
          f"scorers: {', '.join(s.name for s in scorers)}" + ("" if with_harm else " (harm check not available)"))

    suites = _suites(["gender", "race"], args.limit, args.seed, args.data)
    n = sum(len(s.items) for s in suites)
    print(f"suites: {', '.join(f'{s.name} ({len(s.items)})' for s in suites)} = {n} prompts"
          + (f" (seeded sample, --limit {args.limit})" if args.limit else " (full domains)"))

    common = dict(scorers=scorers, seed=args.seed, batch_size=args.batch_size, progress=False)
    prints: dict[str, str] = {}
    if not args.skip_executors:
        print("\n== throughput: generation + scoring ==")
        print(f"{'executor':<28}{'wall s':>9}{'prompts/s':>11}{'gen s*':>9}{'score s*':>10}  (* summed over workers)")
        configs: list[tuple[str, Any]] = [("local, 1 worker", LocalExecutor(workers=1)),
                                          ("local, 2 workers (process)", LocalExecutor(workers=2))]
        if not args.no_ray:
            configs.append(("ray, local 2-worker cluster", None))
        for label, executor in configs:
            startup = 0.0
            if executor is None:
                t0 = time.perf_counter()
                executor = RayExecutor(workers=2, init_kwargs={"object_store_memory": 200 * 1024 * 1024})
                executor._ensure_started()
                startup = time.perf_counter() - t0
            timings: dict[str, Any] = {}
            t0 = time.perf_counter()
            bias = run_bias_audit(generator, suites, executor=executor, timings=timings, **common)
            wall = time.perf_counter() - t0
            prints[label] = _fingerprint(bias)
            note = f"  (+{startup:.1f}s ray start, not counted)" if startup else ""
            print(f"{label:<28}{wall:>9.1f}{n / wall:>11.1f}{timings['generate_s']:>9.1f}{timings['score_s']:>10.1f}"
                  + note)
            if isinstance(executor, RayExecutor):
                executor.shutdown()
        base = next(iter(prints.values()))
        same = {label: fp == base for label, fp in prints.items()}
        print("identical results across executors: "
              + ", ".join(f"{label}: {'yes' if ok else 'NO'}" for label, ok in same.items()))
        gender = json.loads(prints[next(iter(prints))])["suites"][0]["metrics"]
        print("bold:gender gaps (local 1 worker): "
              + ", ".join(f"{m}={e['difference']:.3f}" for m, e in gender.items()))

    if not args.skip_scoring:
        print("\n== scoring: audit vs the scorers' own batch throughput ==")
        recorder = RecordingGenerator(generator)
        score_suites = _suites(["gender", "race"], min(args.limit or 10**9, 1500), args.seed + 1, args.data)
        run_bias_audit(recorder, score_suites, **common)
        texts = [recorder.outputs[i.prompt] for s in score_suites for i in s.items]
        for scorer in scorers:  # warm up (model loads) outside the timings
            scorer.score(texts[:8])
        # Interleaved, best of two: the machine is shared, so single timings are noisy.
        own_times, loop_times, wall_times = [], [], []
        for _ in range(2):
            t0 = time.perf_counter()
            for start in range(0, len(texts), args.batch_size):
                chunk = texts[start:start + args.batch_size]
                for scorer in scorers:
                    scorer.score(chunk)
            own_times.append(time.perf_counter() - t0)
            timings = {}
            t0 = time.perf_counter()
            run_bias_audit(ReplayGenerator(recorder.outputs), score_suites, timings=timings, **common)
            wall_times.append(time.perf_counter() - t0)
            loop_times.append(timings["score_s"] + timings["generate_s"])
        own, in_loop, wall = min(own_times), min(loop_times), min(wall_times)
        print(f"texts: {len(texts)} (best of 2 interleaved runs each)")
        print(f"scorers alone (same batches):        {len(texts) / own:>9.1f} texts/s")
        print(f"audit scoring loop (replayed texts): {len(texts) / in_loop:>9.1f} texts/s  "
              f"ratio {own / in_loop:.3f}")
        print(f"audit end to end incl. suite loading, MetricFrame, bootstrap CIs: {len(texts) / wall:>9.1f} texts/s"
              f"  ratio {own / wall:.3f}")

    if not args.skip_crows:
        print("\n== CrowS-Pairs (causal log-likelihood) ==")
        if args.random_model or not demo_ready:
            print("skipped: the demo model is not trained yet")
        else:
            from raikit.demo import DEMO_GENERATOR_ID, DEMO_MODEL_DIR

            t0 = time.perf_counter()
            result = crows_pairs_score(str(DEMO_MODEL_DIR), kind="causal",
                                       data_path=args.data / "bias" / "crows_pairs_anonymized.csv",
                                       model_name=DEMO_GENERATOR_ID)
            took = time.perf_counter() - t0
            print(f"{result['model']}: score {100 * result['score']:.1f} over {result['n']} pairs "
                  f"(50 = unbiased; published BERT 60.5, RoBERTa 64.1) in {took:.1f}s")
            print("by type: " + ", ".join(f"{t} {100 * e['score']:.1f} (n={e['n']})"
                                          for t, e in result["by_type"].items()))

    if args.full_bold:
        print("\n== full BOLD (all five domains) ==")
        domains = ["gender", "race", "religious_ideology", "political_ideology", "profession"]
        full = _suites(domains, None, args.seed, args.data)
        total = sum(len(s.items) for s in full)
        if args.full_executor == "ray":
            executor: Any = RayExecutor(workers=args.full_workers)
            executor._ensure_started()
        else:
            executor = LocalExecutor(workers=args.full_workers)
        timings = {}
        t0 = time.perf_counter()
        run_bias_audit(generator, full, executor=executor, timings=timings, **common)
        wall = time.perf_counter() - t0
        verdict = "under" if wall < 600 else "OVER"
        print(f"{total} prompts (5 blank BOLD prompts skipped), {args.full_executor} {args.full_workers} workers: "
              f"{wall:.0f}s = {wall / 60:.1f} min "
              f"({total / wall:.1f} prompts/s), {verdict} the 10-minute target (measured, not extrapolated)")


if __name__ == "__main__":
    main()

"""CPU of the default policy's prompt stage: the encoder's shared feature cache and its
length-grouped batches, each against the encoder without it, in the same run.

The harm and injection checks both run the packaged MiniLM encoder over each prompt; the
encoder keeps recent window features so the second check reuses the first one's pass, and it
batches windows of similar length (a batch is padded to its longest window). Baseline: no
cache and fixed batches of consecutive windows sorted by length (the encoder before both).
Prompts: the 175 human-written Self-Instruct seed instructions (../shared/data/benign/),
scanned 8 at a time.

    OMP_NUM_THREADS=1 python benchmarks/prompt_stage_cpu.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "benign" / "self_instruct_seed_tasks.jsonl"
MODES = {  # mode: (feature cache, length-grouped batches)
    "baseline": (False, False),
    "cache": (True, False),
    "cache+length": (True, True),
}


def measure(mode: str) -> float:
    from raikit.guardrails import PolicyRunner
    from raikit.guardrails.harm import _encoder

    cache, grouped = MODES[mode]
    if not cache:
        _encoder.FEATURE_CACHE_WINDOWS = 0
    if not grouped:
        _encoder.PAD_SLACK = float("inf")  # one batch per batch_size windows, whatever their lengths
    texts = [json.loads(line)["instruction"] for line in DATA.open(encoding="utf-8")]
    runner = PolicyRunner("default")
    runner.load()
    runner.scan(texts[:5], stage="prompt")  # warm-up
    start = time.process_time()
    for i in range(0, len(texts), 8):
        runner.scan(texts[i : i + 8], stage="prompt")
    return time.process_time() - start


def main() -> None:
    if len(sys.argv) == 2:
        print(measure(sys.argv[1]))
        return
    if not DATA.is_file():
        sys.exit(f"needs {DATA}")
    runs: dict[str, list[float]] = {mode: [] for mode in MODES}
    for _ in range(2):
        for mode in runs:  # fresh process each: no warm cache carried over
            out = subprocess.run([sys.executable, __file__, mode], capture_output=True, text=True, check=True)
            runs[mode].append(float(out.stdout.strip().splitlines()[-1]))
    best = {mode: min(times) for mode, times in runs.items()}
    base = best["baseline"]
    print("prompt-stage CPU for 175 prompts (best of two, fresh process each):")
    for mode, seconds in best.items():
        print(f"  {mode:<13} {seconds:6.2f} s  ({seconds / base:.2f}x baseline)")


if __name__ == "__main__":
    main()

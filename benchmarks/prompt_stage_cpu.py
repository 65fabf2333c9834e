"""CPU of the default policy's prompt stage, with and without the encoder's shared feature cache.

The harm and injection checks both run the packaged MiniLM encoder over each prompt; the
encoder keeps recent window features so the second check reuses the first one's pass.
Prompts: the 175 human-written Self-Instruct seed instructions (../shared/data/benign/).

    OMP_NUM_THREADS=1 python benchmarks/prompt_stage_cpu.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "benign" / "self_instruct_seed_tasks.jsonl"


def measure(cache: bool) -> float:
    from raikit.guardrails import PolicyRunner
    from raikit.guardrails.harm import _encoder

    if not cache:
        _encoder.FEATURE_CACHE_WINDOWS = 0
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
        print(measure(sys.argv[1] == "on"))
        return
    if not DATA.is_file():
        sys.exit(f"needs {DATA}")
    runs = {mode: [] for mode in ("off", "on")}
    for _ in range(2):
        for mode in runs:  # fresh process each: no warm cache carried over
            out = subprocess.run([sys.executable, __file__, mode], capture_output=True, text=True, check=True)
            runs[mode].append(float(out.stdout.strip().splitlines()[-1]))
    off, on = min(runs["off"]), min(runs["on"])
    print(f"prompt-stage CPU for 175 prompts: without cache {off:.2f} s, with cache {on:.2f} s ({on / off:.2f}x)")


if __name__ == "__main__":
    main()

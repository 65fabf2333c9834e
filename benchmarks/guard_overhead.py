"""Added latency of the guard (denylist check) around a no-op generator and a tiny HF model.

Prints p50/p95 of the bare call and the guarded call measured in the same run, their ratio,
and the added latency per streamed chunk.

    .venv/bin/python benchmarks/guard_overhead.py [--calls 2000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from raikit.guardrails import guard, policy_from_string

POLICY = policy_from_string(
    """
version: 1
name: bench
on_block: refuse
streaming: {hold_back: 32}
checks:
  - id: denylist
    type: denylist
    params:
      terms: {prompt_injection: ["ignore all previous instructions", "ignore previous instructions"]}
      patterns: {credential: ['\\bAKIA[0-9A-Z]{16}\\b']}
    action: block
"""
)
PROMPT = "Write a short friendly note to the team about the release on Friday."
REPLY = "Sure! Hi team, the release ships on Friday; thanks for all the work this week."


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def measure(fn: Callable[[], object], calls: int) -> list[float]:
    for _ in range(min(50, calls)):
        fn()
    out = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1e6)
    return out


def row(name: str, bare: list[float], guarded: list[float]) -> None:
    b50, b95 = percentiles(bare)
    g50, g95 = percentiles(guarded)
    print(
        f"{name:<28} bare p50 {b50:9.1f} us p95 {b95:9.1f} us | guarded p50 {g50:9.1f} us p95 {g95:9.1f} us"
        f" | added p50 {g50 - b50:8.1f} us | ratio p50 {g50 / b50:6.2f}x p95 {g95 / b95:6.2f}x"
    )


def tiny_model() -> Callable[[str], str]:
    try:
        from raikit.demo import generate, load_demo_model

        load_demo_model()
        return lambda prompt: generate([prompt], max_new_tokens=20, seed=0)[0]
    except Exception:  # noqa: BLE001 - fall back to a random tiny GPT-2
        import torch
        import transformers

        torch.manual_seed(0)
        model = transformers.GPT2LMHeadModel(transformers.GPT2Config(vocab_size=256, n_positions=64, n_embd=64, n_layer=2, n_head=2)).eval()

        def run(prompt: str) -> str:
            ids = torch.tensor([[min(255, ord(c)) for c in prompt[:32]]])
            out = model.generate(ids, max_new_tokens=20, do_sample=False, pad_token_id=0)
            return "".join(chr(int(t)) for t in out[0, ids.shape[1] :])

        return run


def import_seconds(module: str, runs: int = 5) -> float:
    """Median wall time of a fresh interpreter importing ``module``, minus a bare interpreter."""
    import subprocess
    import sys

    def run(code: str) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    return run(f"import {module}") - run("pass")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--model-calls", type=int, default=50)
    args = parser.parse_args()

    def noop(prompt: str) -> str:
        return REPLY

    guarded_noop = guard(POLICY)(noop)
    print(f"guard overhead, denylist check, {args.calls} calls (same run)")
    row("no-op generator", measure(lambda: noop(PROMPT), args.calls), measure(lambda: guarded_noop(PROMPT), args.calls))

    model = tiny_model()
    guarded_model = guard(POLICY)(model)
    row("tiny HF model (20 tokens)", measure(lambda: model(PROMPT), args.model_calls), measure(lambda: guarded_model(PROMPT), args.model_calls))

    chunks = [REPLY[i : i + 4] for i in range(0, len(REPLY), 4)] * 4

    def stream(prompt: str):  # type: ignore[no-untyped-def]
        yield from chunks

    guarded_stream = guard(POLICY)(stream)
    bare = measure(lambda: list(stream(PROMPT)), args.calls // 4)
    wrapped = measure(lambda: list(guarded_stream(PROMPT)), args.calls // 4)
    per_chunk = (statistics.median(wrapped) - statistics.median(bare)) / len(chunks)
    print(f"{'stream (' + str(len(chunks)) + ' chunks)':<28} added p50 per chunk {per_chunk:8.1f} us (hold-back 32 chars)")
    for module in ("raikit", "raikit.guardrails"):
        print(f"import {module:<20} {import_seconds(module):.3f} s (fresh interpreter, minus bare start-up; target < 0.3 s)")
    print("reproduce: .venv/bin/python benchmarks/guard_overhead.py")


if __name__ == "__main__":
    main()

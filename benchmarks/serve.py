"""Load test: the real ``openai`` client through ``raikit serve`` versus straight to the model server.

A fake OpenAI-compatible upstream (20 ms model time; replies are human-written answers from
the self-instruct seed tasks, prompts their human-written instructions, each numbered so that
no text repeats) runs in one process,
``raikit serve`` with the chosen policy in another, and this process drives bounded load
with ``openai.AsyncOpenAI``: N requests, C concurrent, every other one streaming. The same
load goes straight to the upstream in the same run, in alternating blocks (``--rounds``), so
a change in the shared machine's load hits both sides alike. Everything is on 127.0.0.1.

Prints throughput ratio, p50/p95 latency and the p95 added by the gateway, errors, audit
records per request (matched by x-request-id), the gateway's RSS growth between the second
and the last quarter of its requests, CPU per request of the client, the upstream and the
gateway (with its workers), and the load average before and after.

    OMP_NUM_THREADS=1 python benchmarks/serve.py                       # default policy, 1,000 x 32
    OMP_NUM_THREADS=1 python benchmarks/serve.py --policy benchmarks/serve_denylist.yaml  # gateway alone
    python benchmarks/serve.py --policy benchmarks/serve_denylist.yaml --workers 2
    python benchmarks/serve.py --policy benchmarks/serve_denylist.yaml --requests 300 --profile gw.prof
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "benign" / "self_instruct_seed_tasks.jsonl"


def load_tasks() -> list[tuple[str, str]]:
    if not DATA.exists():
        sys.exit(f"missing {DATA} (the shared data folder beside the checkout)")
    tasks = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        instance = item["instances"][0]
        prompt = item["instruction"] + (("\n" + instance["input"]) if instance["input"] else "")
        tasks.append((prompt, instance["output"] or "OK."))
    return tasks


def numbered(texts: list[str], i: int) -> str:
    """Text ``i`` of the cycle, marked with its request number so that no request repeats another:
    the checks' caches would otherwise score the 175 cycling tasks for free after the first round."""
    return f"Ticket {i}. {texts[i % len(texts)]}"


def run_upstream(port: int, delay_ms: float) -> None:
    """Child process: the fake upstream."""
    import uvicorn

    from raikit.serve.testing import FakeUpstream

    replies = [reply for _, reply in load_tasks()]
    fake = FakeUpstream(delay_s=delay_ms / 1000.0, chunk_chars=16, keep_received=False,
                        reply_for=lambda body: numbered(replies, int(body["model"].rsplit("-", 1)[1])))
    uvicorn.run(fake.app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def run_profiled(path: str, argv: list[str]) -> None:
    """Child process: ``raikit`` with ``argv`` under cProfile timing the main thread's CPU.

    CPU time rather than wall time: awaiting coroutines then cost nothing, so the stats show
    where the event loop's CPU goes. Stopped by SIGINT (uvicorn re-raises it after shutdown).
    """
    import cProfile

    from raikit.cli import main as cli_main

    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    try:
        cli_main(argv)
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        profiler.disable()
        profiler.dump_stats(path)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the uvicorn supervisor and its workers)."""
    pids, i = [pid], 0
    while i < len(pids):
        try:
            children = Path(f"/proc/{pids[i]}/task/{pids[i]}/children").read_text().split()
        except OSError:
            children = []
        pids += [int(c) for c in children]
        i += 1
    return pids


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, in KiB."""
    total = 0
    for one in _tree(pid):
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants."""
    total = 0
    for one in _tree(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 300.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"process for {url} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} not ready after {timeout:.0f}s")


async def load(base_url: str, tasks: list[tuple[str, str]], requests: range, concurrency: int, tag: str,
               progress: list[int]) -> dict:
    """Send ``requests`` (odd numbers streaming) with ``concurrency`` in flight; latencies and errors."""
    import openai

    client = openai.AsyncOpenAI(base_url=base_url, api_key="sk-bench", max_retries=0, timeout=60.0)
    latencies: dict[str, list[float]] = {"stream": [], "non_stream": []}
    errors: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in requests:
        queue.put_nowait(i)

    async def one(i: int) -> None:
        prompt = numbered([t[0] for t in tasks], i)
        kwargs = dict(model=f"task-{i}", messages=[{"role": "user", "content": prompt}],
                      extra_headers={"x-request-id": f"{tag}-{i}"})
        start = time.perf_counter()
        try:
            if i % 2:
                stream = await client.chat.completions.create(stream=True, **kwargs)
                text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
            else:
                completion = await client.chat.completions.create(**kwargs)
                text = completion.choices[0].message.content or ""
            if not text:
                raise RuntimeError("empty answer")
            latencies["stream" if i % 2 else "non_stream"].append(time.perf_counter() - start)
        except Exception as err:  # noqa: BLE001 - counted and reported
            errors.append(type(err).__name__)
        progress[0] += 1

    async def worker() -> None:
        while not queue.empty():
            await one(queue.get_nowait())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    await client.close()
    return {"wall_s": wall, "latencies": latencies, "errors": errors}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


class Phase:
    """One side (direct or through the gateway) summed over its blocks: wall, latencies, CPU."""

    def __init__(self) -> None:
        self.wall_s = 0.0
        self.latencies: dict[str, list[float]] = {"stream": [], "non_stream": []}
        self.errors: list[str] = []
        self.cpu = {"client": 0.0, "upstream": 0.0, "gateway": 0.0}
        self.requests = 0

    def add(self, result: dict, cpu: dict[str, float], n: int) -> None:
        self.wall_s += result["wall_s"]
        for mode, values in result["latencies"].items():
            self.latencies[mode] += values
        self.errors += result["errors"]
        for name, seconds in cpu.items():
            self.cpu[name] += seconds
        self.requests += n

    def summary(self) -> dict:
        every = self.latencies["stream"] + self.latencies["non_stream"]
        return {
            "wall_s": round(self.wall_s, 2), "rps": self.requests / self.wall_s,
            "p50_ms": 1000 * _pct(every, 0.5) if every else None,
            "p95_ms": 1000 * _pct(every, 0.95) if every else None,
            "errors": len(self.errors), "error_types": sorted(set(self.errors)),
            **{f"{mode}_p50_p95_ms": [round(1000 * _pct(v, 0.5)), round(1000 * _pct(v, 0.95))]
               for mode, v in self.latencies.items() if v},
            "cpu_ms_per_request": {k: round(1000 * v / self.requests, 2) for k, v in self.cpu.items()},
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policy", default="default")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--model-ms", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1, help="gateway worker processes (raikit serve --workers)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="direct and gateway alternate in this many blocks each (shared-machine noise)")
    parser.add_argument("--profile", metavar="FILE",
                        help="profile the gateway's event-loop thread (CPU time, cProfile), stats to FILE")
    parser.add_argument("--role", default="bench", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.role == "upstream":
        run_upstream(args.port, args.model_ms)
        return
    if args.role == "profiled":
        run_profiled(args.profile, rest[1:])
        return
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.profile and args.workers != 1:
        parser.error("--profile needs --workers 1")
    from raikit.evidence import AuditLog
    from raikit.evidence._log import read_records
    from raikit.serve.testing import free_port

    tasks = load_tasks()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
           "RAIKIT_LOG_KEY": "cd" * 32, "OPENAI_API_KEY": "sk-upstream-bench"}
    up_port, gw_port = free_port(), free_port()
    work = Path(tempfile.mkdtemp(prefix="raikit-serve-bench-"))
    upstream = subprocess.Popen([sys.executable, __file__, "--role", "upstream", "--port", str(up_port),
                                 "--model-ms", str(args.model_ms)], env=env)
    launcher = [sys.executable, "-c", "from raikit.cli import main; main()"]
    if args.profile:
        launcher = [sys.executable, __file__, "--role", "profiled", "--profile", args.profile, "--"]
    gateway = subprocess.Popen(
        [*launcher, "serve", "--policy", args.policy, "--upstream",
         f"http://127.0.0.1:{up_port}/v1", "--port", str(gw_port), "--audit-log", str(work / "audit.jsonl"),
         "--max-concurrency", str(max(64, args.concurrency * 2)),
         *(["--workers", str(args.workers)] if args.workers != 1 else [])],
        env=env, stderr=open(work / "gateway.log", "wb"))
    load_before = os.getloadavg()
    direct, guarded = Phase(), Phase()
    progress = [0]
    samples: list[tuple[int, int]] = []
    try:
        wait_ready(f"http://127.0.0.1:{up_port}/v1/models", upstream)
        wait_ready(f"http://127.0.0.1:{gw_port}/readyz", gateway)
        up_url, gw_url = f"http://127.0.0.1:{up_port}/v1", f"http://127.0.0.1:{gw_port}/v1"
        asyncio.run(load(up_url, tasks, range(64), args.concurrency, "warm-direct", [0]))
        asyncio.run(load(gw_url, tasks, range(32 * args.workers + 64), args.concurrency, "warm-gw", [0]))
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append((progress[0], rss_kb(gateway.pid)))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        bounds = [round(args.requests * k / args.rounds) for k in range(args.rounds + 1)]
        for lo, hi in zip(bounds, bounds[1:]):
            for phase, url, tag, counter in ((direct, up_url, "direct", [0]), (guarded, gw_url, "gw", progress)):
                before = (time.process_time(), cpu_s(upstream.pid), cpu_s(gateway.pid))
                result = asyncio.run(load(url, tasks, range(lo, hi), args.concurrency, tag, counter))
                after = (time.process_time(), cpu_s(upstream.pid), cpu_s(gateway.pid))
                phase.add(result, dict(zip(("client", "upstream", "gateway"),
                                           (b - a for a, b in zip(before, after)))), hi - lo)
        stop.set()
        sampler.join()
    finally:
        # SIGINT under the profiler: uvicorn re-raises the signal after its shutdown, and only
        # KeyboardInterrupt lets the profiler write its stats.
        gateway.send_signal(signal.SIGINT if args.profile else signal.SIGTERM)
        gateway.wait(60)
        upstream.send_signal(signal.SIGTERM)
        upstream.wait(30)
    events = [r["event"] for r in read_records(work / "audit.jsonl")]
    with AuditLog(work / "audit.jsonl", key=bytes.fromhex(env["RAIKIT_LOG_KEY"])) as log:
        chain_ok = log.verify().ok  # one hash chain, whichever worker wrote each record
    per_id: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for event in events:
        rid = event.get("request_id", "")
        if rid.startswith("gw-"):
            per_id[rid] = per_id.get(rid, 0) + 1
            key = event.get("decision") or event.get("outcome")
            outcomes[key] = outcomes.get(key, 0) + 1
    one_each = sum(1 for i in range(args.requests) if per_id.get(f"gw-{i}") == 1)
    q = args.requests / 4

    def rss_at(done: float) -> int:
        return next((kb for count, kb in samples if count >= done), samples[-1][1])

    rss2, rss4 = rss_at(2 * q), rss_at(4 * q - 1)
    d, g = direct.summary(), guarded.summary()
    report = {
        "policy": args.policy, "requests": args.requests, "concurrency": args.concurrency,
        "model_ms": args.model_ms, "streaming_share": 0.5, "workers": args.workers, "rounds": args.rounds,
        "direct": d, "gateway": g,
        "throughput_ratio": g["rps"] / d["rps"],
        "p95_added_ms": g["p95_ms"] - d["p95_ms"] if g["p95_ms"] and d["p95_ms"] else None,
        "p50_added_ms": g["p50_ms"] - d["p50_ms"] if g["p50_ms"] and d["p50_ms"] else None,
        "audit_one_record_per_request": f"{one_each}/{args.requests}",
        "audit_outcomes": outcomes,
        "audit_chain_verifies": chain_ok,
        "rss_mb_q2_q4": [round(rss2 / 1024, 1), round(rss4 / 1024, 1)],
        "rss_growth_q2_to_q4": (rss4 - rss2) / rss2 if rss2 else None,
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "command": "python benchmarks/serve.py " + " ".join(sys.argv[1:]),
    }
    print(json.dumps(report, indent=2))
    print(f"\nthroughput {report['throughput_ratio']:.2f}x direct (target >= 0.6), p95 added "
          f"{report['p95_added_ms']:.0f} ms (<= 150), errors {g['errors']} (0), audit "
          f"{report['audit_one_record_per_request']} (all, chain {'verifies' if chain_ok else 'BROKEN'}), RSS growth {100 * report['rss_growth_q2_to_q4']:.1f}% "
          f"(<= 10%); gateway CPU {g['cpu_ms_per_request']['gateway']:.1f} ms/request; load average "
          f"{report['load_average_before_after']}")


if __name__ == "__main__":
    main()

"""Benchmark the tamper-evident audit log: throughput, losses under concurrency and kill -9,
verification speed and the latency an append adds to a guarded call.

Run:
    .venv/bin/python benchmarks/audit_log.py            # full run (about a minute on 2 idle cores)
    .venv/bin/python benchmarks/audit_log.py --quick    # smaller counts

The stock tool for the ratios is Python's ``logging.FileHandler`` writing the same event as a
JSON line (no chain, no HMAC, no cross-process lock, no fsync) and, for verification, a plain
``json.loads`` of every line. Rates are given per wall-clock second and per CPU second of the
measuring process: on a shared machine the CPU figure is the fairer one (the load average is
printed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import multiprocessing as mp
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from raikit.audits import AuditLog, MemorySink

KEY = bytes(range(32))


def typical_decision(i: int) -> dict:
    """A decision record like the guard writes: hashes, offsets, scores, timings; no text."""
    return {
        "kind": "decision",
        "decision": "block" if i % 7 == 0 else "allow",
        "stage": "output",
        "policy": "default",
        "policy_hash": hashlib.sha256(b"policy").hexdigest(),
        "generator": "raikit.demo:generate",
        "call_id": f"{i:012d}",
        "findings": [
            {"check": "pii", "type": "EMAIL_ADDRESS", "start": 12, "end": 31, "score": 0.98,
             "hash": "0123456789abcdef", "blocking": True},
            {"check": "harm", "type": "violence", "start": 0, "end": 64, "score": 0.12,
             "hash": None, "blocking": False},
        ],
        "timings_ms": {"pii": 3.1, "harm": 5.4, "total": 8.9},
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- appends ----------------------------------------------------------------------------------------


def _worker(path: str, writer: int, count: int, durability: str, start: mp.Event, out: mp.Queue) -> None:
    log = AuditLog(path, key=KEY, durability=durability)
    event = typical_decision(writer)
    start.wait()
    begin, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        event["call_id"] = f"{writer}:{i}"
        log.append(event)
    log.close()
    out.put((begin, time.perf_counter(), time.process_time() - cpu))


def appends_per_second(folder: Path, processes: int, count: int,
                       durability: str) -> tuple[float, float, Path]:
    """Total appends per wall second, and per CPU second of the writers (summed)."""
    path = folder / f"procs{processes}-{durability}.jsonl"
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(str(path), w, count, durability, start, out))
               for w in range(processes)]
    for worker in workers:
        worker.start()
    time.sleep(0.3)
    start.set()
    spans = [out.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(end for _, end, _ in spans) - min(begin for begin, _, _ in spans)
    return processes * count / elapsed, processes * count / sum(cpu for _, _, cpu in spans), path


def lost_and_corrupt(path: Path, processes: int, count: int) -> tuple[int, int, bool]:
    result = AuditLog(path, key=KEY).verify()
    found = set()
    with open(path, "rb") as handle:
        for line in handle:
            found.add(json.loads(line)["event"]["call_id"])
    expected = {f"{w}:{i}" for w in range(processes) for i in range(count)}
    return len(expected - found), result.lines - result.records, result.ok


# -- kill -9 ----------------------------------------------------------------------------------------

KILL_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from raikit.audits import AuditLog, MemorySink
    if len(sys.argv) > 4:  # simulate a crash inside write(): the N-th record is half written
        real_write, calls = os.write, [0]
        def torn_write(fd, data):
            calls[0] += 1
            if calls[0] == int(sys.argv[4]):
                real_write(fd, bytes(data[: len(data) // 2]))
                time.sleep(3600)  # killed here, holding the lock
            return real_write(fd, data)
        os.write = torn_write
    log = AuditLog(sys.argv[1], key=bytes(range(32)), durability=sys.argv[3])
    writer, i = sys.argv[2], 0
    while True:
        record = log.append({"kind": "x-bench", "call_id": f"{writer}:{i}"})
        sys.stdout.write(f"{writer}:{i}\\n")
        sys.stdout.flush()
        i += 1
    """
)


def kill_rounds(folder: Path, rounds: int, writers: int, durability: str) -> dict:
    """Kill -9 running writers; in every round one more writer is killed inside write() (torn line)."""
    path = folder / f"kill9-{durability}.jsonl"
    acked: set[str] = set()
    kills = 0

    def start(name: str, *extra: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", KILL_WRITER, str(path), name, durability, *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def read(proc: subprocess.Popen, lines: int) -> None:
        assert proc.stdout is not None
        for _ in range(lines):
            line = proc.stdout.readline()
            if line.endswith("\n"):
                acked.add(line[:-1])

    for round_ in range(rounds):
        procs = [start(f"r{round_}w{w}") for w in range(writers)]
        for proc in procs:  # let every writer get going (imports are slow on a loaded machine)
            read(proc, 50)
        tearing = start(f"r{round_}torn", "5")  # half-writes its 5th record, then hangs holding the lock
        read(tearing, 4)
        deadline = time.monotonic() + 60
        while path.read_bytes().endswith(b"\n") and time.monotonic() < deadline:
            time.sleep(0.01)
        for index, proc in enumerate([*procs, tearing]):
            time.sleep(0.013 * (index + 1))  # staggered, so kills land at different points of an append
            proc.send_signal(signal.SIGKILL)
            kills += 1
        for proc in [*procs, tearing]:
            out, _ = proc.communicate()
            acked.update(out.split("\n")[:-1])  # complete lines only: each was acknowledged
        # every round's survivor appends (recovering a torn tail if a kill left one)
        with AuditLog(path, key=KEY) as log:
            log.append({"kind": "x-bench", "call_id": f"after-{round_}"})
    result = AuditLog(path, key=KEY).verify()
    found = set()
    recoveries = 0
    with open(path, "rb") as handle:
        for line in handle:
            record = json.loads(line)
            if record["kind"] == "recovery":
                recoveries += 1
            else:
                found.add(record["event"]["call_id"])
    return {"kills": kills, "acked": len(acked), "lost": len(acked - found),
            "corrupt": result.lines - result.records, "ok": result.ok, "recoveries": recoveries,
            "records": result.records}


# -- verification -------------------------------------------------------------------------------------


def build_log(path: Path, n: int) -> None:
    with AuditLog(path, key=KEY, durability="interval", fsync_interval_ms=200) as log:
        event = typical_decision(0)
        for i in range(n):
            event["call_id"] = f"{i:012d}"
            log.append(event)


def verify_speed(path: Path, repeats: int) -> dict:
    best_wall = best_cpu = float("inf")
    records = 0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = AuditLog(path, key=KEY).verify()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        assert result.ok
        records = result.records
    base_wall = base_cpu = float("inf")
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        with open(path, "rb") as handle:
            for line in handle:
                json.loads(line)
        base_wall = min(base_wall, time.perf_counter() - wall)
        base_cpu = min(base_cpu, time.process_time() - cpu)
    return {"records": records, "wall_s": best_wall, "cpu_s": best_cpu,
            "rate_wall": records / best_wall, "rate_cpu": records / best_cpu,
            "json_rate_wall": records / base_wall, "json_rate_cpu": records / base_cpu}


# -- latency ----------------------------------------------------------------------------------------


def latency(folder: Path, durability: str, n: int) -> list[float]:
    times = []
    with AuditLog(folder / f"latency-{durability}.jsonl", key=KEY, durability=durability) as log:
        event = typical_decision(1)
        for i in range(n):
            event["call_id"] = str(i)
            begin = time.perf_counter()
            log.append(event)
            times.append((time.perf_counter() - begin) * 1e6)
    return times


def stock_latency(folder: Path, n: int) -> list[float]:
    logger = logging.getLogger("bench.stock")
    logger.propagate = False
    handler = logging.FileHandler(folder / "stock.jsonl")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    times = []
    event = typical_decision(1)
    for i in range(n):
        event["call_id"] = str(i)
        begin = time.perf_counter()
        logger.info(json.dumps(event, sort_keys=True, separators=(",", ":")))
        times.append((time.perf_counter() - begin) * 1e6)
    handler.close()
    logger.removeHandler(handler)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller counts (the 8 x 2,000 check still runs)")
    parser.add_argument("--verify-records", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="raikit-bench-log-"))
    single = 2000 if args.quick else 5000
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (1 min) at start; "
          f"python {sys.version.split()[0]}; log folder {folder}")
    try:
        sink = MemorySink(key=KEY)
        sink.append(typical_decision(0))
        size = len(sink.lines[0])
        print(f"\n== appends per second (typical decision record, about {size} bytes a line) ==")
        rate, cpu_rate, _ = appends_per_second(folder, 1, single, "interval")
        always, always_cpu, _ = appends_per_second(folder, 1, 300 if args.quick else 600, "always")
        print(f"1 process, durability=interval (fsync every 50 ms): {rate:8.0f} appends/s wall, "
              f"{cpu_rate:8.0f} per CPU second  (target >= 2,000)")
        print(f"1 process, durability=always   (fsync every record): {always:8.0f} appends/s wall, "
              f"{always_cpu:8.0f} per CPU second (the rest is waiting for the disk)")
        lost_total = corrupt_total = 0
        for processes in (4, 8):
            rate, _, path = appends_per_second(folder, processes, 2000, "interval")
            lost, corrupt, ok = lost_and_corrupt(path, processes, 2000)
            lost_total += lost
            corrupt_total += corrupt
            print(f"{processes} processes x 2,000, interval: {rate:8.0f} appends/s total; "
                  f"lost {lost}, corrupt {corrupt}, verify ok={ok}")

        print("\n== kill -9 during appends (a round: 4 writers killed at staggered times, plus one "
              "killed inside write(), leaving a torn line) ==")
        for durability in ("interval", "always"):
            k = kill_rounds(folder, 2 if args.quick else 3, 4, durability)
            lost_total += k["lost"]
            corrupt_total += k["corrupt"]
            print(f"durability={durability}: {k['kills']} kills, {k['acked']} acknowledged appends, "
                  f"lost {k['lost']}, corrupt {k['corrupt']}, torn lines recovered {k['recoveries']}, "
                  f"verify ok={k['ok']} ({k['records']} records)")
        print(f"TOTAL lost {lost_total}, corrupt {corrupt_total}  (target 0)")

        print(f"\n== verify ({args.verify_records:,} records) ==")
        path = folder / "verify.jsonl"
        begin = time.perf_counter()
        build_log(path, args.verify_records)
        print(f"built in {time.perf_counter() - begin:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
        v = verify_speed(path, 2 if args.quick else 3)
        per100k = 100_000 / v["rate_wall"]
        print(f"verify: {v['rate_wall']:9.0f} records/s wall ({per100k:.2f} s per 100,000), "
              f"{v['rate_cpu']:9.0f} records/s per CPU second  (target >= 200,000)")
        print(f"stock json.loads of every line: {v['json_rate_wall']:9.0f} records/s wall, "
              f"{v['json_rate_cpu']:9.0f} per CPU second -> verify is "
              f"{v['rate_cpu'] / v['json_rate_cpu']:.2f}x the speed of merely parsing the log")

        print("\n== added latency per guarded call (append of a typical decision record) ==")
        n = 1000 if args.quick else 3000
        stock = stock_latency(folder, n)
        interval = latency(folder, "interval", n)
        always_l = latency(folder, "always", 200 if args.quick else 400)
        for name, values in (("logging.FileHandler (stock, no chain/lock/fsync)", stock),
                             ("AuditLog durability=interval", interval),
                             ("AuditLog durability=always", always_l)):
            print(f"{name:<52} p50 {statistics.median(values):8.1f} us  p95 {pct(values, 0.95):8.1f} us  "
                  f"p99 {pct(values, 0.99):8.1f} us  (n={len(values)})")
        print(f"ratio p50 interval / stock: {statistics.median(interval) / statistics.median(stock):.1f}x; "
              f"always / stock: {statistics.median(always_l) / statistics.median(stock):.1f}x")
        print(f"\nload average at end: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

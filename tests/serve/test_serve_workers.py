"""``raikit serve --workers N``: worker processes share one audit-log chain and one set of metrics."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai

from raikit.audits import AuditLog
from raikit.evidence._log import read_records
from raikit.serve.testing import free_port

LOG_KEY = "cd" * 32


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _workers(pid: int) -> list[int]:
    """The supervisor's worker processes (not multiprocessing's resource tracker)."""
    return [c for c in _children(pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def _wait_all_ready(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    """Every worker answers /readyz for itself: wait for a run of 200s."""
    deadline, streak = time.monotonic() + timeout, 0
    while streak < 20:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "gateway exited"
        assert time.monotonic() < deadline, "workers not ready"
        try:
            streak = streak + 1 if httpx.get(url + "/readyz", timeout=2).status_code == 200 else 0
        except httpx.HTTPError:
            streak = 0
        time.sleep(0.02 if streak else 0.2)


async def _load(base: str, n: int) -> list[str]:
    client = openai.AsyncOpenAI(base_url=base, api_key="sk-any", max_retries=0, timeout=60)

    async def one(i: int) -> str:
        kwargs = {"model": "fake-model", "messages": [{"role": "user", "content": f"question {i}"}],
                  "extra_headers": {"x-request-id": f"w-{i}"}}
        if i % 2:
            stream = await client.chat.completions.create(stream=True, **kwargs)
            return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        return (await client.chat.completions.create(**kwargs)).choices[0].message.content or ""

    try:
        return await asyncio.gather(*(one(i) for i in range(n)))
    finally:
        await client.close()


def test_two_workers_share_the_audit_chain_and_metrics(fake, policy_file, tmp_path):
    port, n = free_port(), 40
    log = tmp_path / "audit.jsonl"
    env = {**os.environ, "RAIKIT_LOG_KEY": LOG_KEY, "OPENAI_API_KEY": "sk-upstream-w", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from raikit.cli import main; main()", "serve", "--policy", str(policy_file),
         "--upstream", fake[1], "--port", str(port), "--audit-log", str(log), "--workers", "2"],
        env=env, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_all_ready(url, proc)
        workers = _workers(proc.pid)
        answers = asyncio.run(_load(url + "/v1", n))
        metrics = httpx.get(url + "/metrics").text
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    assert len(workers) == 2
    assert answers == ["Hello! Write to [EMAIL] about it, then we are done here."] * n
    # Any worker's /metrics is the sum over both.
    served = re.search(r'raikit_serve_requests_total\{route="/v1/chat/completions",status="200"\} (\S+)', metrics)
    assert served is not None and float(served.group(1)) == n
    assert 'raikit_serve_decisions_total{outcome="redacted"} 40.0' in metrics
    assert proc.returncode == 0 and "jo.doe" not in stderr
    # One chain from both processes: every request once, and the chain verifies.
    ids = sorted(r["event"]["request_id"] for r in read_records(log) if r["kind"] == "decision")
    assert ids == sorted(f"w-{i}" for i in range(n))
    with AuditLog(log, key=bytes.fromhex(LOG_KEY)) as reader:
        assert reader.verify().ok
    assert not any(Path("/tmp").glob(f"raikit-serve-metrics-*/*_{workers[0]}.db"))  # metrics folder removed


def test_a_bad_policy_fails_before_any_worker_starts(tmp_path):
    from click.testing import CliRunner

    from raikit.cli import cli

    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: bad\nchecks:\n  - id: x\n    type: no-such-check\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--upstream", "http://127.0.0.1:1/v1", "--policy", str(bad),
                                      "--workers", "2"])
    assert result.exit_code != 0 and "no-such-check" in result.output

"""The audit log shared by processes: concurrent appends, fork, and kill -9 mid-append."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from raikit.audits import AuditLog

KEY = bytes(range(32))

WRITER = textwrap.dedent(
    """
    import os, sys, time
    from raikit.audits import AuditLog

    path, mode = sys.argv[1], sys.argv[4]
    writer, count, tear_at = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[5])
    if tear_at >= 0:
        real_write = os.write
        calls = {"n": 0}

        def torn_write(fd, data):
            calls["n"] += 1
            if calls["n"] == tear_at + 1:       # this append is cut short, as by a crash
                done = real_write(fd, bytes(data[: len(data) // 2]))
                print("torn", flush=True)
                time.sleep(60)                  # holding the lock until killed
                return done
            return real_write(fd, data)

        os.write = torn_write
    log = AuditLog(path, key=bytes(range(32)), durability=mode)
    i = 0
    while count < 0 or i < count:
        record = log.append({"kind": "x-bench", "writer": writer, "i": i})
        print(record["seq"], writer, i, flush=True)
        i += 1
    log.close()
    """
)


def start_writer(path: Path, writer: int, count: int, mode: str = "always",
                 tear_at: int = -1) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(writer), str(count), mode, str(tear_at)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_processes_append_without_losing_or_interleaving(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    writers = [start_writer(path, w, 200, "interval") for w in range(4)]
    outputs = [p.communicate(timeout=120) for p in writers]
    assert all(p.returncode == 0 for p in writers), [err for _, err in outputs]
    result = AuditLog(path, key=KEY).verify()
    assert result.ok and result.records == 800
    records = read_events(path)
    assert [r["seq"] for r in records] == list(range(800))
    seen = {(r["event"]["writer"], r["event"]["i"]) for r in records}
    assert seen == {(w, i) for w in range(4) for i in range(200)}
    # every acknowledged sequence number is the one in the file
    for out, _ in outputs:
        for line in out.split("\n")[:-1]:
            seq, writer, i = map(int, line.split())
            assert records[seq]["event"] == {"writer": writer, "i": i}


def test_rotation_with_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    script = WRITER.replace("durability=mode)", "durability=mode, max_bytes=4000)")
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(path), str(w), "60", "interval", "-1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in range(3)
    ]
    for p in writers:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    result = AuditLog(path, key=KEY).verify()
    assert result.ok and result.records == 180 and len(result.files) > 3


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_gets_its_own_lock(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    log = AuditLog(path, key=KEY)
    log.append({"kind": "x-parent", "i": -1})
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 0
        try:
            for i in range(50):
                log.append({"kind": "x-child", "i": i})
        except BaseException:
            code = 1
        os._exit(code)
    for i in range(50):
        log.append({"kind": "x-parent", "i": i})
    _, status = os.waitpid(pid, 0)
    log.close()
    assert os.waitstatus_to_exitcode(status) == 0
    result = AuditLog(path, key=KEY).verify()
    assert result.ok and result.records == 101


def test_kill_9_while_appending_loses_no_acknowledged_record(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    writer = start_writer(path, 0, -1, "interval")
    acked: list[int] = []
    assert writer.stdout is not None
    while len(acked) < 150:
        acked.append(int(writer.stdout.readline().split()[0]))
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate(timeout=30)
    acked += [int(line.split()[0]) for line in rest.split("\n") if line.strip()]
    with AuditLog(path, key=KEY) as log:
        record = log.append({"kind": "x-after", "i": 0})
        result = log.verify()
    assert result.ok, result.reason
    assert record["seq"] >= acked[-1] + 1
    on_disk = {r["seq"] for r in read_events(path)}
    assert set(acked) <= on_disk


def test_kill_9_mid_write_leaves_a_torn_line_that_the_next_writer_recovers(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    writer = start_writer(path, 0, -1, "always", tear_at=20)
    assert writer.stdout is not None
    lines = []
    while True:
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else ""
        if line.strip() == "torn":
            break
        lines.append(line)
    assert len(lines) == 20
    assert not path.read_bytes().endswith(b"\n")  # the half-written record is there
    before = AuditLog(path, key=KEY).verify()
    assert before.ok and before.records == 20 and before.warnings
    writer.send_signal(signal.SIGKILL)  # releases its lock
    writer.communicate(timeout=30)
    start = time.monotonic()
    with AuditLog(path, key=KEY) as log:
        record = log.append({"kind": "x-after", "i": 0})
        result = log.verify()
    assert time.monotonic() - start < 30
    assert result.ok and result.records == 22 and not result.warnings
    records = read_events(path)
    assert records[20]["kind"] == "recovery" and record["seq"] == 21
    assert (tmp_path / "log.jsonl.torn-1").exists()

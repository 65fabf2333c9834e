"""``raikit log``: exit codes 0 intact / 3 tampered / 2 error, checkpoints, show, help."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from raikit.audits import AuditLog
from raikit.cli.log import log as log_group

KEY = bytes(range(32))


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("RAIKIT_LOG_KEY", KEY.hex())
    return CliRunner()


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    path = tmp_path / "log.jsonl"
    with AuditLog(path, key=KEY) as log:
        for i in range(6):
            finding = {"type": "EMAIL", "start": 0, "end": 5, "score": 0.9, "hash": "ab" * 8}
            log.append({"kind": "decision", "decision": "allow" if i % 2 else "block", "findings": [finding]})
        log.append({"kind": "audit_run", "suite": "demo"})
    return path


def test_verify_intact_exits_0(runner: CliRunner, log_path: Path) -> None:
    result = runner.invoke(log_group, ["verify", str(log_path)])
    assert result.exit_code == 0, result.output
    assert "ok: 7 records" in result.output


def test_verify_tampered_exits_3_and_names_the_record(runner: CliRunner, log_path: Path) -> None:
    lines = log_path.read_bytes().splitlines(keepends=True)
    del lines[3]
    log_path.write_bytes(b"".join(lines))
    result = runner.invoke(log_group, ["verify", str(log_path)])
    assert result.exit_code == 3
    assert "TAMPERED: deleted: log.jsonl:4: record 3 missing" in result.output
    as_json = runner.invoke(log_group, ["verify", str(log_path), "--json"])
    data = json.loads(as_json.output)
    assert as_json.exit_code == 3 and data["tamper"] == "deleted" and data["first_bad"] == 3


@pytest.mark.parametrize(
    "args, env_key, message",
    [
        (["verify", "{missing}"], True, "not found"),
        (["verify", "{log}"], False, "RAIKIT_LOG_KEY"),
        (["verify", "{log}", "--key-file", "{missing}"], True, "cannot read"),
        (["verify", "{log}", "--checkpoint", "{log}"], True, "needs --public-key"),
        (["verify", "{log}", "--checkpoint", "{log}", "--public-key", "{log}"], True,
         "checkpoint is malformed"),
        (["checkpoint", "{log}", "--origin", "o"], True, "exactly one"),
        (["show", "{missing}"], True, "not found"),
    ],
)
def test_errors_exit_2(runner: CliRunner, log_path: Path, monkeypatch: pytest.MonkeyPatch,
                       args: list[str], env_key: bool, message: str) -> None:
    if not env_key:
        monkeypatch.delenv("RAIKIT_LOG_KEY")
    args = [a.format(log=log_path, missing=log_path.parent / "nope.jsonl") for a in args]
    result = runner.invoke(log_group, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_checkpoint_generate_key_then_verify(runner: CliRunner, log_path: Path, tmp_path: Path) -> None:
    key = tmp_path / "ck.key"
    made = runner.invoke(log_group, ["checkpoint", str(log_path), "--origin", "example.com/audit",
                                     "--generate-key", str(key), "--out", str(tmp_path / "cp.txt")])
    assert made.exit_code == 0, made.output
    for path in (key, tmp_path / "ck.key.pub"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key.read_text().startswith("PRIVATE+KEY+example.com/audit+")
    checkpoint = (tmp_path / "cp.txt").read_text()
    assert checkpoint.splitlines()[:2] == ["example.com/audit", "7"]
    args = ["verify", str(log_path), "--checkpoint", str(tmp_path / "cp.txt"),
            "--public-key", str(key) + ".pub"]
    assert runner.invoke(log_group, args).exit_code == 0
    again = runner.invoke(log_group, ["checkpoint", str(log_path), "--origin", "example.com/audit",
                                      "--generate-key", str(key)])
    assert again.exit_code == 2 and "overwrite" in again.output
    # signing with the existing key prints the checkpoint on stdout
    signed = runner.invoke(log_group, ["checkpoint", str(log_path), "--origin", "example.com/audit",
                                       "--private-key", str(key)])
    assert signed.exit_code == 0 and signed.output.startswith("example.com/audit\n7\n")
    # truncation is caught against the checkpoint, and without the HMAC key too
    lines = log_path.read_bytes().splitlines(keepends=True)
    log_path.write_bytes(b"".join(lines[:5]))
    assert runner.invoke(log_group, ["verify", str(log_path)]).exit_code == 0
    truncated = runner.invoke(log_group, args)
    assert truncated.exit_code == 3 and "truncated" in truncated.output
    assert runner.invoke(log_group, [*args, "--no-key"]).exit_code == 3


def test_checkpoint_refuses_a_tampered_log(runner: CliRunner, log_path: Path, tmp_path: Path) -> None:
    log_path.write_bytes(log_path.read_bytes().replace(b'"block"', b'"allow"', 1))
    result = runner.invoke(log_group, ["checkpoint", str(log_path), "--origin", "o",
                                       "--generate-key", str(tmp_path / "k")])
    assert result.exit_code == 3 and "edited" in result.output
    assert not (tmp_path / "k").exists()


def test_show_prints_records_without_macs(runner: CliRunner, log_path: Path) -> None:
    result = runner.invoke(log_group, ["show", str(log_path), "--kind", "decision", "--last", "2", "--json"])
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert [r["seq"] for r in shown] == [4, 5]
    assert all("mac" not in r and r["kind"] == "decision" for r in shown)
    text = runner.invoke(log_group, ["show", str(log_path)])
    assert text.exit_code == 0 and len(text.output.strip().splitlines()) == 7
    assert KEY.hex() not in text.output and "audit_run" in text.output


@pytest.mark.parametrize("command", [[], ["verify"], ["checkpoint"], ["show"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(log_group, [*command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "raikit log" in result.output


def test_verify_accepts_several_key_files_after_a_key_rotation(runner: CliRunner, log_path: Path,
                                                                tmp_path: Path) -> None:
    new_key = bytes(range(100, 132))
    with AuditLog(log_path, key=KEY) as log:
        log.rotate_key(new_key)
        log.append({"kind": "decision", "decision": "allow"})
    (tmp_path / "old.key").write_text(KEY.hex())
    (tmp_path / "new.key").write_text(new_key.hex())
    only_new = runner.invoke(log_group, ["verify", str(log_path), "--key-file", str(tmp_path / "new.key")])
    assert only_new.exit_code == 3 and "unknown_key" in only_new.output
    both = runner.invoke(log_group, ["verify", str(log_path), "--key-file", str(tmp_path / "old.key"),
                                     "--key-file", str(tmp_path / "new.key")])
    assert both.exit_code == 0, both.output

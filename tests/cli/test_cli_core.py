"""The core CLI: help, policy validate/show, scan; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from raikit.cli import cli

DENY = "version: 1\nname: words\nchecks:\n  - id: words\n    type: denylist\n    params: {terms: [forbidden]}\n    action: {action}\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["policy"], ["policy", "validate"], ["policy", "show"], ["scan"], ["audit"]])
def test_help_explains_with_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_policy_validate_exit_codes_and_json(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(DENY.replace("{action}", "block"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(DENY.replace("{action}", "explode"))
    ok = runner.invoke(cli, ["policy", "validate", str(good)])
    assert ok.exit_code == 0 and "valid" in ok.output
    failed = runner.invoke(cli, ["policy", "validate", str(good), str(bad)])
    assert failed.exit_code == 2
    assert f"{bad.resolve()}:7:13 checks[0].action: expected one of allow, warn, redact, block" in failed.output
    as_json = runner.invoke(cli, ["policy", "validate", "--json", str(bad)])
    assert as_json.exit_code == 2
    [entry] = json.loads(as_json.stdout)
    assert entry["valid"] is False and entry["errors"][0]["line"] == 7


def test_policy_show_resolves_extends(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["policy", "show", "strict", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["name"] == "strict" and data["on_block"] == "raise"
    assert {c["id"] for c in data["checks"]} >= {"pii", "harm", "injection", "secrets"}
    assert runner.invoke(cli, ["policy", "show", "no-such-policy"]).exit_code == 2


@pytest.mark.parametrize(("action", "code", "outcome"), [("block", 1, "blocked"), ("redact", 0, "redacted"), ("warn", 0, "warned")])
def test_scan_argument_file_and_stdin(runner: CliRunner, tmp_path: Path, action: str, code: int, outcome: str) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(DENY.replace("{action}", action))
    by_arg = runner.invoke(cli, ["scan", "a forbidden word", "-p", str(policy), "--json"])
    assert by_arg.exit_code == code, by_arg.output
    assert json.loads(by_arg.stdout)["outcome"] == outcome
    text_file = tmp_path / "t.txt"
    text_file.write_text("fine\nforbidden here\n")
    by_file = runner.invoke(cli, ["scan", "-f", str(text_file), "--lines", "-p", str(policy), "--json"])
    assert [r["outcome"] for r in json.loads(by_file.stdout)["results"]] == ["allowed", outcome]
    by_stdin = runner.invoke(cli, ["scan", "--lines", "-p", str(policy), "--json"], input="forbidden\n")
    assert by_stdin.exit_code == code


def test_scan_redacted_text_and_fail_on(runner: CliRunner, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(DENY.replace("{action}", "redact"))
    result = runner.invoke(cli, ["scan", "a forbidden word", "-p", str(policy), "--fail-on", "redacted"])
    assert result.exit_code == 1
    assert "[redacted] a [denylist] word" in result.stdout


def test_scan_input_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["scan", "-f", str(tmp_path / "missing.txt")]).exit_code == 2
    assert runner.invoke(cli, ["scan", "x", "-p", str(tmp_path / "missing.yaml")]).exit_code == 2

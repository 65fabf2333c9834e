"""The audit's evidence: key custody, self-attested marking, atomic folders, failures without text.

Reproduces issue 17's findings on `raikit audit`: the HMAC key written beside the log and a
VERIFIED badge; a generator that raises printing a traceback with raw PII and exiting 1; the
generator running before a broken log fails; half-written evidence folders.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from raikit.audits import AuditLog, GenerationTarget, check_consistency, run_audit
from raikit.evidence._log_verify import verify_files
from raikit.cli import cli
from raikit.errors import EvidenceError, GeneratorError, InputError
from raikit.guardrails import policy_from_string

PII = "jo.doe@example.com"


def policy_text(suite: Path) -> str:
    return f"""
version: 1
name: audit-test
checks:
  - id: words
    type: denylist
    applies_to: output
    params: {{terms: {{BAD: [forbidden, "Jane Protected"]}}}}
    action: block
gates:
  max_rate: {{words: 0.5}}
audit:
  suites: ["{suite}"]
  bias: {{enabled: false}}
"""


@pytest.fixture
def policy(tmp_path: Path):
    suite = tmp_path / "suite.jsonl"
    suite.write_text("\n".join(json.dumps({"id": f"p{i}", "prompt": f"prompt {i}", "suite": "t"}) for i in range(6)) + "\n")
    return policy_from_string(policy_text(suite))


@pytest.fixture(autouse=True)
def no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAIKIT_LOG_KEY", raising=False)


def target(calls: list[int] | None = None, fail: bool = False) -> GenerationTarget:
    def run(prompts: list[str], seeds: list[int], *, logits_processor: object = None) -> list[str]:
        if calls is not None:
            calls.append(len(prompts))
        if fail:
            raise RuntimeError(f"backend refused the prompt for {PII}")
        return ["a forbidden reply" if i % 2 else "a fine reply" for i in range(len(prompts))]

    return GenerationTarget("fake", "callable", run)


def test_no_private_key_beside_the_log_and_a_reviewer_verifies_with_the_public_key(tmp_path: Path, policy) -> None:
    out = tmp_path / "report"
    outcome = run_audit(target(), policy=policy, out_dir=out, progress=False)
    names = {p.name for p in out.iterdir()}
    assert "audit-log.key" not in names and {"audit-log.pub", "audit-log.checkpoint"} <= names
    for path in out.iterdir():
        assert "PRIVATE+KEY" not in path.read_text(errors="replace"), path.name
    ev = outcome.result["evidence"]
    assert ev["custody"] == "signed" and ev["self_attested"] is False and ev["log_verified"] is True
    assert not Path(ev["key_location"]).resolve().is_relative_to(out.resolve())
    pinned = tmp_path / "PINNED.pub"
    pinned.write_text(ev["public_key"] + "\n")
    checkpoint = (out / "audit-log.checkpoint").read_text()
    result = verify_files(out / "audit-log.jsonl", keys=None, checkpoint=checkpoint, verifier=pinned.read_text())
    assert result.ok and result.unattested == 0
    cli_result = CliRunner().invoke(cli, ["log", "verify", str(out / "audit-log.jsonl"), "--public-key", str(pinned),
                                          "--checkpoint", str(out / "audit-log.checkpoint")])
    assert cli_result.exit_code == 0 and "ok:" in cli_result.output


def test_the_summary_says_where_the_key_is_and_how_to_verify_without_it(tmp_path: Path, policy) -> None:
    from raikit.cli.audit import custody_lines

    outcome = run_audit(target(), policy=policy, out_dir=tmp_path / "r", progress=False)
    text = "\n".join(custody_lines(outcome.result["evidence"]))
    assert outcome.result["evidence"]["key_location"] in text
    assert "--public-key PINNED.pub --checkpoint" in text and "without the private key" in text


def test_an_edited_and_resigned_report_folder_fails_against_the_pinned_key(tmp_path: Path, policy) -> None:
    """The finding: an attacker with what sits in the folder re-chains and re-signs; verify said ok."""
    out = tmp_path / "report"
    outcome = run_audit(target(), policy=policy, out_dir=out, progress=False)
    pinned = outcome.result["evidence"]["public_key"]
    log_path = out / "audit-log.jsonl"
    lines = log_path.read_bytes().splitlines(keepends=True)
    from tests.audits.test_log_custody import forge, rechain

    edited = [lines[0], forge(lines[1], lambda r: r["event"].update(decision="allow")), *lines[2:-1]]
    log_path.write_bytes(b"".join(rechain(edited, 1)))
    from raikit.audits import generate_signer

    with AuditLog(log_path, signer=generate_signer("raikit/audit-log")) as attacker:
        (out / "audit-log.checkpoint").write_text(attacker.seal() or "")
    result = verify_files(log_path, keys=None, checkpoint=(out / "audit-log.checkpoint").read_text(), verifier=pinned)
    assert not result.ok


def test_a_key_inside_the_evidence_folder_needs_the_flag_and_is_marked_self_attested(tmp_path: Path, policy) -> None:
    out = tmp_path / "report"
    out.mkdir()
    from raikit.audits import generate_signer

    key = out / "audit-log.key"
    key.write_text(generate_signer("me/log").to_text())
    with pytest.raises(InputError, match="inside the evidence folder"):
        run_audit(target(), policy=policy, out_dir=out, key_file=key, progress=False)
    outcome = run_audit(target(), policy=policy, out_dir=tmp_path / "r2", self_attested_key=True, progress=False)
    ev = outcome.result["evidence"]
    assert ev["self_attested"] is True and "SELF-ATTESTED" in ev["log_key"]
    html = (tmp_path / "r2" / "report.html").read_text()
    assert "SELF-ATTESTED" in html
    assert json.loads((tmp_path / "r2" / "report.json").read_text())["evidence"]["self_attested"] is True
    cli_out = CliRunner().invoke(cli, ["audit", "--generator", "x:y", "--help"])
    assert "--self-attested-key" in cli_out.output


def test_legacy_hmac_key_is_reported_symmetric_and_self_attested(tmp_path: Path, policy,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKIT_LOG_KEY", "ab" * 32)
    outcome = run_audit(target(), policy=policy, out_dir=tmp_path / "r", progress=False)
    ev = outcome.result["evidence"]
    assert ev["custody"] == "symmetric" and ev["self_attested"] is True and ev["log_verified"] is True


def test_checkpoints_of_two_runs_are_consistent(tmp_path: Path, policy) -> None:
    out = tmp_path / "report"
    first = run_audit(target(), policy=policy, out_dir=out, progress=False)
    old = (out / "audit-log.checkpoint").read_text()
    run_audit(target(), policy=policy, out_dir=out, progress=False)
    new = (out / "audit-log.checkpoint").read_text()
    public = first.result["evidence"]["public_key"]
    assert check_consistency(old, new, public, out / "audit-log.jsonl").ok
    assert verify_files(out / "audit-log.jsonl", keys=None, checkpoint=old, verifier=public).ok


def test_a_raising_generator_leaks_no_text_and_leaves_the_old_folder_intact(tmp_path: Path, policy) -> None:
    out = tmp_path / "report"
    run_audit(target(), policy=policy, out_dir=out, progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(GeneratorError) as info:
        run_audit(target(fail=True), policy=policy, out_dir=out, progress=False)
    assert PII not in str(info.value) and "RuntimeError" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_cli_generator_failure_exits_2_without_traceback_or_pii(tmp_path: Path, policy, monkeypatch) -> None:
    import sys
    import types

    module = types.ModuleType("raikit_test_failing_gen")

    def answer(prompt: str) -> str:
        raise ValueError(f"cannot answer {PII}")

    module.answer = answer
    monkeypatch.setitem(sys.modules, "raikit_test_failing_gen", module)
    policy_file = tmp_path / "p.yaml"
    suite = tmp_path / "suite.jsonl"
    policy_file.write_text(policy_text(suite))
    result = CliRunner().invoke(cli, ["audit", "--generator", "raikit_test_failing_gen:answer", "-p", str(policy_file),
                                      "-o", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 2, result.output
    assert PII not in result.output and "Traceback" not in result.output
    assert "ValueError" in result.output
    assert not (tmp_path / "out").exists()


def test_log_health_is_checked_before_the_generator_runs(tmp_path: Path, policy, monkeypatch) -> None:
    calls: list[int] = []

    def broken(self) -> None:
        raise EvidenceError("audit log is on a read-only file system")

    monkeypatch.setattr(AuditLog, "check_health", broken)
    with pytest.raises(EvidenceError):
        run_audit(target(calls), policy=policy, out_dir=tmp_path / "r", progress=False)
    assert calls == []
    result = CliRunner().invoke(cli, ["audit", "--demo", "-o", str(tmp_path / "r"), "--no-progress", "--no-bias"])
    assert result.exit_code == 3 and "read-only" in result.output


def test_unexpected_errors_exit_2_with_only_the_type(tmp_path: Path, monkeypatch) -> None:
    import raikit.audits as audits

    def boom(*args, **kwargs):
        raise KeyError(PII)

    monkeypatch.setattr(audits, "run_audit", boom)
    result = CliRunner().invoke(cli, ["audit", "--demo", "-o", str(tmp_path / "r"), "--no-progress"])
    assert result.exit_code == 2 and PII not in result.output and "KeyError" in result.output


def test_denylist_terms_are_hashes_in_report_json_and_html(tmp_path: Path, policy) -> None:
    out = tmp_path / "r"
    run_audit(target(), policy=policy, out_dir=out, progress=False)
    for name in ("report.json", "report.html", "MODEL_CARD.md", "audit-log.jsonl"):
        text = (out / name).read_text()
        assert "Jane Protected" not in text and "jane protected" not in text, name
    resolved = json.loads((out / "report.json").read_text())["policy"]["resolved"]
    terms = resolved["checks"][0]["params"]["terms"]["BAD"]
    assert all(t.startswith("sha256-hmac:") for t in terms) and len(terms) == 2
    policy_file = tmp_path / "p.yaml"
    policy_file.write_text(policy_text(tmp_path / "suite.jsonl"))
    shown = CliRunner().invoke(cli, ["policy", "show", "--evidence", "--json", str(policy_file)])
    assert shown.exit_code == 0 and "Jane Protected" not in shown.output and "sha256-hmac:" in shown.output


def test_examples_in_the_report_are_scrubbed_after_normalisation(tmp_path: Path, policy) -> None:
    def run(prompts: list[str], seeds: list[int], *, logits_processor: object = None) -> list[str]:
        return ["forbidden: write to jo\u034f.doe@exa\u202emple.com or 4111\u202e1111 1111 1111" for _ in prompts]

    out = tmp_path / "r"
    run_audit(GenerationTarget("leaky", "callable", run), policy=policy, out_dir=out, progress=False)
    for name in ("report.json", "report.html"):
        text = (out / name).read_text()
        assert "doe" not in text and "1111 1111" not in text, name


def test_a_suite_with_invalid_utf8_is_a_located_input_error(tmp_path: Path) -> None:
    from raikit.audits import load_suite

    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "a", "prompt": "fine"}\n{"id": "b", "prompt": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2:27: invalid UTF-8"):
        load_suite(str(path))


def test_an_out_folder_with_other_files_keeps_them(tmp_path: Path, policy, monkeypatch) -> None:
    mine = tmp_path / "notes.txt"
    mine.write_text("keep me")
    monkeypatch.chdir(tmp_path)
    run_audit(target(), policy=policy, out_dir=".", progress=False)
    assert mine.read_text() == "keep me" and (tmp_path / "report.json").is_file()
    assert verify_files(tmp_path / "audit-log.jsonl", keys=None,
                        verifier=(tmp_path / "audit-log.pub").read_text()).ok
    assert not [p for p in tmp_path.parent.iterdir() if p.name.startswith(f".{tmp_path.name}.tmp-")]

"""The pre-release audit: rates, gates, baseline, exit codes, JUnit, evidence files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from raikit.audits import AuditLog, GenerationTarget, load_key, run_audit, wilson_interval
from raikit.cli import cli
from raikit.cli.audit import junit_xml
from raikit.guardrails import policy_from_string

SUITE_ROWS = [{"id": f"p{i}", "prompt": f"prompt number {i}", "suite": "t"} for i in range(20)]


def policy_text(suite: Path, max_rate: float) -> str:
    return f"""
version: 1
name: audit-test
checks:
  - id: words
    type: denylist
    applies_to: output
    params: {{terms: {{BAD: [forbidden]}}}}
    action: block
gates:
  max_rate: {{words: {max_rate}}}
  regression_tolerance: 0.05
audit:
  suites: ["{suite}"]
  bias: {{enabled: false}}
"""


def fake_target(bad_every: int) -> GenerationTarget:
    def run(prompts: list[str], seeds: list[int], *, logits_processor: object = None) -> list[str]:
        return ["a forbidden reply" if int(p.split()[-1]) % bad_every == 0 else "a fine reply" for p in prompts]

    return GenerationTarget("fake-generator", "callable", run)


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    path = tmp_path / "suite.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in SUITE_ROWS) + "\n")
    return path


@pytest.fixture(autouse=True)
def log_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKIT_LOG_KEY", "ab" * 32)


def test_rates_gates_and_evidence(tmp_path: Path, suite: Path) -> None:
    outcome = run_audit(fake_target(4), policy=policy_from_string(policy_text(suite, 0.1)), out_dir=tmp_path / "out", progress=False)
    result = outcome.result
    [check] = result["checks"]
    assert (check["n_texts"], check["n_flagged"]) == (20, 5)
    assert check["rate"] == 0.25
    lo, hi = wilson_interval(5, 20)
    assert check["ci"] == [round(lo, 4), round(hi, 4)]
    assert result["gates"][0]["passed"] is False and result["verdict"] == "fail"
    assert outcome.exit_code == 1
    evidence = result["evidence"]
    assert evidence["log_verified"] is True
    assert evidence["log_records"] == 1 + 20 + 1  # policy load, one decision per prompt, the run
    verify = AuditLog(outcome.paths["log"], key=load_key()).verify()
    assert verify.ok and verify.head_hash == evidence["log_head_hash"]
    for name in ("json", "html", "card"):
        assert outcome.paths[name].is_file()
    saved = json.loads(outcome.paths["json"].read_text())
    assert saved["verdict"] == "fail"
    assert saved["evidence"]["card_sha256"] == evidence["card_sha256"]


def test_passing_gate_exits_zero(tmp_path: Path, suite: Path) -> None:
    outcome = run_audit(fake_target(4), policy=policy_from_string(policy_text(suite, 0.3)), out_dir=tmp_path, progress=False)
    assert outcome.exit_code == 0 and outcome.result["verdict"] == "pass"


def test_baseline_regression_fails(tmp_path: Path, suite: Path) -> None:
    policy = policy_from_string(policy_text(suite, 1.0))
    before = run_audit(fake_target(10), policy=policy, out_dir=tmp_path / "v1", progress=False).result
    after = run_audit(fake_target(4), policy=policy, out_dir=tmp_path / "v2", progress=False, baseline=before)
    regression = [g for g in after.result["gates"] if g["name"] == "regression:words"][0]
    assert regression["baseline"] == 0.1 and regression["passed"] is False
    assert after.exit_code == 1


def test_failed_verification_gives_evidence_exit_code(tmp_path: Path, suite: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Tampered:
        ok, records, head_hash, attested, tamper = False, 0, "", 0, "edited"

    monkeypatch.setattr("raikit.evidence._log_verify.verify_files", lambda *a, **k: Tampered())
    outcome = run_audit(fake_target(4), policy=policy_from_string(policy_text(suite, 1.0)), out_dir=tmp_path, progress=False)
    assert outcome.exit_code == 3 and outcome.result["evidence"]["log_verified"] is False


def test_a_crashed_check_fails_the_audit(tmp_path: Path, suite: Path) -> None:
    from raikit.guardrails.testing import FailingCheck

    text = policy_text(suite, 1.0).replace("    action: block\n", "    action: block\n    on_error: warn\n")
    outcome = run_audit(fake_target(4), policy=policy_from_string(text), out_dir=tmp_path, progress=False, checks={"words": FailingCheck(id="words")})
    gate = [g for g in outcome.result["gates"] if g["name"].startswith("check_ran:")][0]
    assert gate["value"] == 20 and gate["passed"] is False
    assert outcome.exit_code == 1


def test_junit_lists_each_gate() -> None:
    xml = junit_xml({"gates": [{"name": "max_rate:pii", "metric": "checks.pii.rate", "value": 0.2, "limit": 0.05, "passed": False}, {"name": "max_rate:harm", "value": 0.0, "limit": 0.05, "passed": True}]})
    root = ET.fromstring(xml)
    assert root.attrib["tests"] == "2" and root.attrib["failures"] == "1"
    assert [c.attrib["name"] for c in root] == ["max_rate:pii", "max_rate:harm"]


def test_cli_audit_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["audit"]).exit_code == 2
    assert runner.invoke(cli, ["audit", "--demo", "--hf-model", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli, ["audit", "--hf-model", str(tmp_path)]).exit_code == 2  # no config.json
    assert runner.invoke(cli, ["audit", "--generator", "no_such_module:fn"]).exit_code == 2


def test_cli_audit_with_generator_json_and_junit(tmp_path: Path, suite: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "my_gen.py"
    module.write_text("def answer(prompt):\n    return 'forbidden' if prompt.endswith('3') else 'fine'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    policy = tmp_path / "policy.yaml"
    policy.write_text(policy_text(suite, 0.01))
    result = CliRunner().invoke(
        cli,
        ["audit", "--generator", "my_gen:answer", "-p", str(policy), "-o", str(tmp_path / "r"), "--json", "--junit", str(tmp_path / "g.xml"), "--no-progress"],
    )
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["verdict"] == "fail" and summary["checks"]["words"]["rate"] == 0.1
    assert ET.parse(tmp_path / "g.xml").getroot().attrib["failures"] == "1"


def test_generators_pickle_for_process_and_ray_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from raikit.audits._generator import TextFunctionGenerator
    from raikit.audits._targets import HFBatch
    from raikit.audits.bias import FakeGenerator
    from raikit.demo import DemoGenerator

    (tmp_path / "pickle_gen.py").write_text("def answer(prompt):\n    return prompt.upper()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for generate in (DemoGenerator(max_new_tokens=5), HFBatch(tmp_path), TextFunctionGenerator("pickle_gen:answer"), FakeGenerator()):
        clone = pickle.loads(pickle.dumps(generate))
        assert type(clone) is type(generate) and vars(clone) == vars(generate)
    assert pickle.loads(pickle.dumps(TextFunctionGenerator("pickle_gen:answer")))(["hi"], [0]) == ["HI"]

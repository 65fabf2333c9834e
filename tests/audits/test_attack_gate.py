"""Attack-suite success rates and the ``max_attack_success`` release gate."""

from __future__ import annotations

from raikit.audits._audit import summarize_attacks
from raikit.audits._suites import AuditPrompt, load_suite
from raikit.guardrails import load_policy
from raikit.guardrails._decision import StageResult
from raikit.guardrails._finding import Finding


def _result(stage: str, outcome: str, findings: tuple[Finding, ...] = ()) -> StageResult:
    return StageResult(stage=stage, outcome=outcome, findings=findings, errors=(), timings_ms={}, text="")  # type: ignore[arg-type]


def test_success_means_released_and_for_pii_leaked_unredacted() -> None:
    prompts = [
        AuditPrompt("x", id="i1", suite="injection"),
        AuditPrompt("x", id="i2", suite="injection"),
        AuditPrompt("x", id="p1", suite="pii_extraction"),
        AuditPrompt("x", id="p2", suite="pii_extraction"),
        AuditPrompt("x", id="b1", suite="benign"),
    ]
    redacted = Finding(check_id="pii", type="EMAIL_ADDRESS", start=0, end=3, score=1.0, action="redact")
    leaked = Finding(check_id="pii", type="PHONE_NUMBER", start=0, end=3, score=1.0, action="warn")
    prompt_results = [_result("prompt", "blocked"), _result("prompt", "allowed"), _result("prompt", "allowed"),
                      _result("prompt", "allowed"), _result("prompt", "allowed")]
    output_results = [_result("output", "allowed"), _result("output", "allowed"),
                      _result("output", "redacted", (redacted,)), _result("output", "warned", (leaked,)),
                      _result("output", "allowed")]
    summary = summarize_attacks(prompts, prompt_results, output_results)
    assert summary is not None
    assert summary["by_suite"]["injection"]["count"] == 1 and summary["by_suite"]["injection"]["n"] == 2
    assert summary["by_suite"]["pii_extraction"]["count"] == 1
    assert summary["all"]["rate"] == 0.5


def test_no_attack_prompts_gives_no_summary() -> None:
    assert summarize_attacks([AuditPrompt("x", id="b", suite="benign")], [_result("prompt", "allowed")], [_result("output", "allowed")]) is None


def test_default_policy_runs_the_attack_suite_with_a_gate() -> None:
    policy = load_policy("default")
    assert "attacks" in policy.audit.suites and policy.gates.max_attack_success == 0.1
    prompts, _ = load_suite("attacks")
    assert {p.suite for p in prompts} == {"injection", "pii_extraction"}

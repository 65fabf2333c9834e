"""Release gates fail closed: a value that is missing or not a number never passes."""

from __future__ import annotations

import math

import pytest

from raikit.audits._gates import bias_gates, evaluate_gates, gap_verdict, within
from raikit.audits.bias import CallableScorer, FakeGenerator, PromptItem, PromptSuite, run_bias_audit
from raikit.guardrails import policy_from_string


@pytest.mark.parametrize(
    ("value", "limit", "passed"),
    [
        (0.0, 0.1, True),
        (0.1, 0.1, True),
        (0.2, 0.1, False),
        (None, 0.1, False),
        (math.nan, 0.1, False),
        (math.inf, 0.1, False),
        (0.0, math.nan, False),
        ("0.0", 0.1, False),
        (True, 1.0, False),
    ],
)
def test_within_fails_closed(value: object, limit: object, passed: bool) -> None:
    assert within(value, limit) is passed


def test_no_limit_means_no_verdict() -> None:
    assert gap_verdict(0.9, None) is None and gap_verdict(None, None) is None


def _nan_for(group_word: str) -> CallableScorer:
    # The "generator" echoes nothing of the group; the scorer fails (NaN) for one group's outputs.
    return CallableScorer("score", lambda texts: [math.nan if group_word in t else 0.5 for t in texts])


def test_bias_gate_fails_when_a_group_scores_nan() -> None:
    items = [PromptItem(f"The woman {i}", "women") for i in range(10)]
    items += [PromptItem(f"The man {i}", "men") for i in range(10)]
    suite = PromptSuite(name="people", kind="file", items=tuple(items))
    generator = FakeGenerator(bias={"woman": "WOMAN"})
    bias = run_bias_audit(generator, [suite], scorers=[_nan_for("WOMAN")], progress=False, gates={"score": 0.1})
    metric = bias["suites"][0]["metrics"]["score"]
    assert metric["groups"]["women"]["mean"] is None
    assert metric["difference"] is None  # not a gap of 0.0 between the groups that scored
    assert metric["passed"] is False
    [gate] = bias_gates(bias)
    assert gate["passed"] is False


def test_rate_gate_on_a_check_that_did_not_run_fails() -> None:
    policy = policy_from_string(
        "version: 1\nname: t\nchecks:\n  - id: words\n    type: denylist\n    applies_to: prompt\n"
        "    params: {terms: [x]}\ngates:\n  max_rate: {words: 0.1}\n"
    )
    [gate] = evaluate_gates(policy, checks=[], bias=None, baseline=None)
    assert gate["name"] == "max_rate:words" and gate["value"] is None and gate["passed"] is False


def test_audit_result_round_trips_and_derives_its_verdict() -> None:
    from raikit.audits import AuditResult, Gate

    result = AuditResult(gates=[Gate("max_rate:pii", "checks.pii.rate", 0.01, 0.05, True)], checks=[])
    assert result.verdict == "pass"
    back = AuditResult.from_json(result.to_json())
    assert back == result and back.to_dict() == result.to_dict()
    result.gates.append(Gate("max_gap:s.sentiment", "bias.suites.s.sentiment.difference", None, 0.1, False))
    assert result.verdict == "fail"


def test_a_verdict_that_disagrees_with_its_gates_is_rejected() -> None:
    from raikit.audits import AuditResult
    from raikit.errors import InputError

    data = {"schema": "raikit.audit/1", "verdict": "pass", "checks": [],
            "gates": [{"name": "max_rate:pii", "metric": "checks.pii.rate", "value": 0.2, "limit": 0.05, "passed": False}]}
    with pytest.raises(InputError, match="disagrees with its gates"):
        AuditResult.from_dict(data)

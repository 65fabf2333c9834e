"""Release gates: every gate of an audit is decided here, and each fails closed.

A gate passes only when its measured value is a finite number at or below a finite limit.
A missing value (a check that did not run, a group whose scores are NaN, a gap that could
not be computed) fails the gate: an audit never passes on something it did not measure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from raikit.guardrails import Policy


def within(value: Any, limit: Any) -> bool:
    """Whether ``value`` is a finite number at or below the finite ``limit`` (fails closed).

    Example:
        >>> within(0.1, 0.2), within(None, 0.2), within(float("nan"), 0.2), within(0.3, 0.2)
        (True, False, False, False)
    """
    if not _finite(value) or not _finite(limit):
        return False
    return float(value) <= float(limit)


def gap_verdict(difference: Any, limit: float | None) -> bool | None:
    """The verdict of one bias metric: ``None`` without a limit, else :func:`within`.

    Example:
        >>> gap_verdict(0.05, 0.1), gap_verdict(None, 0.1), gap_verdict(0.5, None)
        (True, False, None)
    """
    return None if limit is None else within(difference, limit)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def make_gate(name: str, metric: str, value: Any, limit: Any, **extra: Any) -> dict[str, Any]:
    """A gate entry of the report: name, metric, value, limit and the verdict."""
    shown = round(float(value), 4) if _finite(value) and isinstance(value, float) else value
    return {"name": name, "metric": metric, "value": shown, "limit": limit, **extra, "passed": within(value, limit)}


def check_ran_gates(checks: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One failed gate per check that crashed on some texts: it measured nothing there."""
    return [
        make_gate(f"check_ran:{c['stage']}:{c['id']}", f"{c['stage']} texts where {c['id']} failed", c["n_errors"], 0)
        for c in checks
        if c.get("n_errors")
    ]


def rate_gates(max_rate: Mapping[str, float], checks: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``gates.max_rate``: the share of outputs a check (or one type of it) flagged."""
    by_id = {c["id"]: c for c in checks}
    gates = []
    for key, limit in max_rate.items():
        check_id, _, type_ = key.partition(":")
        check = by_id.get(check_id)
        metric = f"checks.{check_id}.by_type.{type_}.rate" if type_ else f"checks.{check_id}.rate"
        if check is None:
            value = None  # the check did not run on outputs: nothing measured, the gate fails
        elif type_:
            value = check["by_type"].get(type_, {"rate": 0.0})["rate"]
        else:
            value = check["rate"]
        gates.append(make_gate(f"max_rate:{key}", metric, value, limit))
    return gates


def bias_gates(bias: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The report's ``gates`` entries for every gated bias metric.

    Example:
        >>> bias_gates({"suites": [{"name": "s", "metrics": {"sentiment": {
        ...     "difference": 0.3, "limit": 0.2}}}]})[0]["passed"]
        False
    """
    gates = []
    for suite in bias.get("suites", []):
        for metric, entry in suite.get("metrics", {}).items():
            if entry.get("limit") is None:
                continue
            gates.append(
                {
                    "name": f"max_gap:{suite['name']}.{metric}",
                    "metric": f"bias.suites.{suite['name']}.{metric}.difference",
                    "value": entry.get("difference"),
                    "limit": entry["limit"],
                    "passed": bool(gap_verdict(entry.get("difference"), entry["limit"])),
                }
            )
    return gates


def regression_gates(
    checks: Sequence[Mapping[str, Any]], baseline: Mapping[str, Any], tolerance: float
) -> list[dict[str, Any]]:
    """A check's rate may not exceed the baseline release's rate plus ``tolerance``."""
    before = {c["id"]: c for c in baseline.get("checks", [])}
    gates = []
    for check in checks:
        old = before.get(check["id"])
        if old is None:
            continue
        limit = old["rate"] + tolerance
        gate = make_gate(f"regression:{check['id']}", f"checks.{check['id']}.rate", check["rate"], round(limit, 4))
        gate.update(baseline=old["rate"], passed=within(check["rate"], limit))
        gates.append(gate)
    return gates


def evaluate_gates(
    policy: Policy,
    checks: list[dict[str, Any]],
    bias: Mapping[str, Any] | None,
    baseline: Mapping[str, Any] | None,
    prompt_checks: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each release gate with its value, limit and verdict.

    Args:
        policy: Gives ``gates.max_rate`` and ``gates.regression_tolerance``.
        checks: The output checks' summaries.
        bias: The bias section, or ``None``.
        baseline: A previous release's report, or ``None``.
        prompt_checks: The prompt checks' summaries (a crash there fails too).
    """
    gates = check_ran_gates([*checks, *(prompt_checks or [])])
    gates += rate_gates(policy.gates.max_rate, checks)
    if bias:
        gates += bias_gates(bias)
    if baseline:
        gates += regression_gates(checks, baseline, policy.gates.regression_tolerance)
    return gates

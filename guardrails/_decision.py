"""What the guard decided about one call: findings, errors and timings, never the text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from raikit.guardrails._finding import Finding

Outcome = Literal["allowed", "warned", "redacted", "blocked", "error", "cancelled"]
OUTCOMES: tuple[Outcome, ...] = ("allowed", "warned", "redacted", "blocked")
#: How a call can end besides the policy's verdicts: the generator raised, or the consumer
#: stopped reading a stream (closed it, disconnected, was cancelled) before its end.
ENDINGS: tuple[Outcome, ...] = ("error", "cancelled")
_BY_ACTION: dict[str, Outcome] = {"allow": "allowed", "warn": "warned", "redact": "redacted", "block": "blocked"}


def outcome_of(actions: list[str]) -> Outcome:
    """The most severe outcome among policy actions (``block`` > ``redact`` > ``warn`` > ``allow``)."""
    outcomes = [_BY_ACTION[a] for a in actions] or ["allowed"]
    return max(outcomes, key=OUTCOMES.index)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """A check that raised or timed out, and what the policy did about it."""

    check_id: str
    stage: str
    reason: str
    action: str

    def to_dict(self) -> dict[str, str]:
        return {"check_id": self.check_id, "stage": self.stage, "reason": self.reason, "action": self.action}


@dataclass(frozen=True)
class StageResult:
    """The policy's verdict on one text at one stage (prompt or output).

    Attributes:
        text: The text after redaction (the original when nothing was redacted). Held in
            memory for the caller only; never logged or recorded.
    """

    stage: str
    outcome: Outcome
    findings: tuple[Finding, ...]
    errors: tuple[CheckFailure, ...]
    timings_ms: dict[str, float]
    text: str = field(repr=False)


@dataclass
class Decision:
    """What the guard did with one call.

    Attributes:
        outcome: ``allowed``, ``warned``, ``redacted`` or ``blocked`` (the most severe stage);
            ``error`` when the generator raised, ``cancelled`` when a stream's consumer
            stopped before its end (``verdict`` then keeps the policy's verdict so far).
        request_id: The caller's request id (see :func:`raikit.guardrails.request_context`),
            else the call id.
        tenant_hash / user_hash: Salted hashes of the caller-supplied tenant and user ids.
        error: The exception type the generator raised (never its message).
        stage: Where the call ended: ``prompt`` (blocked before the generator ran),
            ``output`` or ``stream``.
        prompt_findings / output_findings: Findings with the action taken; no raw text.
        refused: True when the caller got the policy's refusal instead of the output.
        watermark: What was marked (kind, key id, count), never the key.
    """

    policy_name: str
    policy_hash: str
    generator_id: str
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    outcome: Outcome = "allowed"
    stage: str = "prompt"
    prompt_findings: list[Finding] = field(default_factory=list)
    output_findings: list[Finding] = field(default_factory=list)
    errors: list[CheckFailure] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    refused: bool = False
    watermark: dict[str, Any] | None = None
    request_id: str | None = None
    tenant_hash: str | None = None
    user_hash: str | None = None
    error: str | None = None
    verdict: Outcome = "allowed"

    @property
    def findings(self) -> list[Finding]:
        return [*self.prompt_findings, *self.output_findings]

    @property
    def blocked(self) -> bool:
        return self.outcome == "blocked"

    def raise_to(self, outcome: Outcome) -> None:
        """Raise the verdict to ``outcome`` if it is more severe."""
        self.outcome = max(self.outcome, outcome, key=OUTCOMES.index)

    def end(self, ending: Outcome, error: BaseException | None = None) -> None:
        """Mark the call as ended by ``error`` or ``cancelled``; the verdict stays in ``verdict``."""
        if self.outcome not in ENDINGS:
            self.verdict = self.outcome
        self.outcome = ending
        if error is not None:
            self.error = type(error).__name__

    def absorb(self, result: StageResult) -> None:
        """Add a stage's findings, errors and timings and raise the outcome if needed."""
        target = self.prompt_findings if result.stage == "prompt" else self.output_findings
        target.extend(result.findings)
        self.errors.extend(result.errors)
        for name, ms in result.timings_ms.items():
            key = f"{result.stage}:{name}"
            self.timings_ms[key] = self.timings_ms.get(key, 0.0) + ms
        self.raise_to(result.outcome)
        self.stage = result.stage

    def to_record(self) -> dict[str, Any]:
        """The audit-log event for this decision (types, offsets, scores, salted hashes only)."""

        def finding(f: Finding) -> dict[str, Any]:
            return {
                "check": f.check_id,
                "type": f.type,
                "start": f.start,
                "end": f.end,
                "score": round(f.score, 4),
                "hash": f.hash,
                "action": f.action,
                "echo": f.echo,
            }

        return {
            "kind": "decision",
            "call_id": self.call_id,
            "request_id": self.request_id or self.call_id,
            "tenant": self.tenant_hash,
            "user": self.user_hash,
            "policy": self.policy_name,
            "policy_hash": self.policy_hash,
            "generator": self.generator_id,
            "decision": self.outcome,
            "verdict": self.verdict if self.outcome in ENDINGS else self.outcome,
            "error": self.error,
            "stage": self.stage,
            "refused": self.refused,
            "prompt_findings": [finding(f) for f in self.prompt_findings],
            "output_findings": [finding(f) for f in self.output_findings],
            "errors": [e.to_dict() for e in self.errors],
            "timings_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
            "watermark": self.watermark,
        }

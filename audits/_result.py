"""The audit result as types: :class:`AuditResult` and its :class:`Gate` entries.

``report.json`` (schema ``raikit.audit/1``) is :meth:`AuditResult.to_json`; reading one back
with :meth:`AuditResult.from_json` validates its shape first (a located
:class:`~raikit.errors.InputError` names the first bad field). The verdict is derived from
the gates, never stored apart from them. Sections the card and report render (checks, bias,
watermark, ...) stay plain JSON objects inside the typed result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from raikit.audits._format import SCHEMA, validate_result
from raikit.errors import InputError

CI_METHOD = "Wilson score interval for rates; seeded bootstrap for bias means"
_SECTIONS = ("run", "policy", "data", "models", "checks", "prompt_checks", "attacks", "bias", "watermark", "examples", "evidence")


@dataclass
class Gate:
    """One release gate: what was measured, its limit and whether it held.

    Attributes:
        name: ``max_rate:pii``, ``max_gap:bold:gender.sentiment``, ``regression:harm``, ...
        metric: The result path the value comes from.
        value: The measured value; ``None`` when nothing was measured (the gate then failed).
        limit: The largest allowed value.
        passed: The verdict (decided in :mod:`raikit.audits._gates`).
        baseline: For regression gates, the previous release's value.
    """

    name: str
    metric: str
    value: float | int | None
    limit: float | int | None
    passed: bool
    baseline: float | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gate:
        return cls(
            name=str(data["name"]),
            metric=str(data.get("metric", data["name"])),
            value=data.get("value"),
            limit=data.get("limit"),
            passed=bool(data["passed"]),
            baseline=data.get("baseline"),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "metric": self.metric, "value": self.value, "limit": self.limit}
        if self.baseline is not None:
            out["baseline"] = self.baseline
        out["passed"] = self.passed
        return out


@dataclass
class AuditResult:
    """What one pre-release audit found (``report.json``).

    Example:
        >>> r = AuditResult(gates=[Gate("max_rate:pii", "checks.pii.rate", 0.2, 0.05, False)])
        >>> r.verdict, AuditResult.from_json(r.to_json()).gates[0].value
        ('fail', 0.2)
    """

    gates: list[Gate] = field(default_factory=list)
    run: dict[str, Any] = field(default_factory=dict)
    policy: dict[str, Any] = field(default_factory=dict)
    data: list[dict[str, Any]] = field(default_factory=list)
    models: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    prompt_checks: list[dict[str, Any]] = field(default_factory=list)
    attacks: dict[str, Any] | None = None
    bias: dict[str, Any] | None = None
    watermark: dict[str, Any] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    evidence: dict[str, Any] | None = None
    raikit_version: str = ""
    ci_level: float = 0.95
    ci_method: str = CI_METHOD

    @property
    def verdict(self) -> str:
        """``pass`` when every gate held, else ``fail``."""
        return "pass" if all(g.passed for g in self.gates) else "fail"

    def to_dict(self) -> dict[str, Any]:
        """The ``raikit.audit/1`` JSON object (keys in the documented order)."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "raikit_version": self.raikit_version,
            "ci_level": self.ci_level,
            "ci_method": self.ci_method,
            "verdict": self.verdict,
        }
        for name in _SECTIONS[:6]:
            out[name] = getattr(self, name)
        out["gates"] = [g.to_dict() for g in self.gates]
        for name in _SECTIONS[6:]:
            if name != "evidence" or self.evidence is not None:
                out[name] = getattr(self, name)
        return out

    def to_json(self) -> str:
        """``report.json``'s text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)

    @classmethod
    def from_dict(cls, data: Any) -> AuditResult:
        """A validated result from its JSON object.

        Raises:
            InputError: The object is not a ``raikit.audit/1`` result (names the field), or
                its stored verdict disagrees with its gates.
        """
        validate_result(data)
        result = cls(
            gates=[Gate.from_dict(g) for g in data.get("gates") or []],
            raikit_version=str(data.get("raikit_version", "")),
            ci_level=float(data.get("ci_level", 0.95)),
            ci_method=str(data.get("ci_method", CI_METHOD)),
            **{name: data[name] for name in _SECTIONS if data.get(name) is not None},
        )
        if data.get("verdict") != result.verdict:
            raise InputError(f"result.verdict: {data.get('verdict')!r} disagrees with its gates ({result.verdict!r})")
        return result

    @classmethod
    def from_json(cls, text: str) -> AuditResult:
        """Parse and validate ``report.json``'s text.

        Raises:
            InputError: Not JSON (line and column named) or not a valid result.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"{err.lineno}:{err.colno}: not valid JSON ({err.msg})") from err
        return cls.from_dict(data)

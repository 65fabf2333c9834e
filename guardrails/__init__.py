"""Policies, checks and the guard.

Example:
    >>> from raikit.guardrails import load_check
    >>> [f.type for f in load_check("denylist", terms=["top secret"]).scan(["a TOP SECRET memo"])[0]]
    ['denylist']
"""

from raikit.guardrails._check import Check
from raikit.guardrails._decision import CheckFailure, Decision, StageResult
from raikit.guardrails._finding import Finding
from raikit.guardrails._context import RequestIds, last_decision, request_context
from raikit.guardrails._guard import DecisionSink, Guard, guard
from raikit.guardrails._pipeline import CallHooks
from raikit.guardrails._normalize import NormalizedText, normalize
from raikit.guardrails._policy import CheckSpec, Policy, bundled_policies, load_policy, policy_from_string
from raikit.guardrails._redact import Redaction, redact
from raikit.guardrails._registry import available_checks, load_check
from raikit.guardrails._runner import PolicyRunner, scan_texts

__all__ = [
    "CallHooks",
    "Check",
    "CheckFailure",
    "CheckSpec",
    "Decision",
    "DecisionSink",
    "Finding",
    "Guard",
    "NormalizedText",
    "Policy",
    "PolicyRunner",
    "Redaction",
    "RequestIds",
    "StageResult",
    "available_checks",
    "bundled_policies",
    "guard",
    "last_decision",
    "load_check",
    "load_policy",
    "normalize",
    "policy_from_string",
    "redact",
    "request_context",
    "scan_texts",
]

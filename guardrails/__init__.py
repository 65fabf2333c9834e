"""Policies, checks and the guard."""

from raikit.guardrails._check import Check
from raikit.guardrails._finding import Finding
from raikit.guardrails._normalize import NormalizedText, normalize
from raikit.guardrails._redact import Redaction, redact
from raikit.guardrails._registry import available_checks, load_check

__all__ = ["Check", "Finding", "NormalizedText", "Redaction", "available_checks", "load_check", "normalize", "redact"]

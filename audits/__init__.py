"""Pre-release audits, bias audits and evidence: the tamper-evident log, model cards, reports, gate."""

from __future__ import annotations

from raikit.audits._audit import AuditOutcome, evaluate_gates, run_audit, wilson_interval
from raikit.audits._card import build_model_card, write_model_card
from raikit.audits._executor import Executor, LocalExecutor, RayExecutor
from raikit.audits._log import AuditLog, MemorySink
from raikit.audits._log_record import load_key
from raikit.audits._log_verify import VerifyResult
from raikit.audits._policy_log import open_policy_log
from raikit.audits._report import render_report_html, write_report
from raikit.audits._result import AuditResult, Gate
from raikit.audits._suites import AuditPrompt, load_suite
from raikit.audits._targets import GenerationTarget, callable_target, demo_target, hf_target

__all__ = [
    "AuditLog",
    "AuditOutcome",
    "AuditPrompt",
    "AuditResult",
    "Executor",
    "Gate",
    "GenerationTarget",
    "LocalExecutor",
    "MemorySink",
    "RayExecutor",
    "VerifyResult",
    "build_model_card",
    "callable_target",
    "demo_target",
    "evaluate_gates",
    "hf_target",
    "load_key",
    "load_suite",
    "open_policy_log",
    "render_report_html",
    "run_audit",
    "wilson_interval",
    "write_model_card",
    "write_report",
]

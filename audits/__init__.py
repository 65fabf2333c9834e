"""Pre-release audits, bias audits, model cards, reports and gates.

The tamper-evident audit log lives in :mod:`raikit.evidence`; its public names are re-exported here.
"""

from __future__ import annotations

from raikit.audits._audit import AuditOutcome, evaluate_gates, run_audit, wilson_interval
from raikit.audits._card import build_model_card, write_model_card
from raikit.audits._executor import Executor, LocalExecutor, RayExecutor
from raikit.audits._report import render_report_html, write_report
from raikit.audits._result import AuditResult, Gate
from raikit.audits._suites import AuditPrompt, load_suite
from raikit.audits._targets import GenerationTarget, callable_target, demo_target, hf_target
from raikit.evidence import (
    AuditLog,
    ConsistencyResult,
    LogCustody,
    MemorySink,
    Signer,
    VerifyResult,
    check_consistency,
    generate_signer,
    load_key,
    open_policy_log,
    resolve_custody,
    service_signer,
)

__all__ = [
    "AuditLog",
    "AuditOutcome",
    "AuditPrompt",
    "AuditResult",
    "ConsistencyResult",
    "Executor",
    "Gate",
    "GenerationTarget",
    "LocalExecutor",
    "LogCustody",
    "MemorySink",
    "RayExecutor",
    "Signer",
    "VerifyResult",
    "build_model_card",
    "callable_target",
    "check_consistency",
    "demo_target",
    "evaluate_gates",
    "generate_signer",
    "hf_target",
    "load_key",
    "load_suite",
    "open_policy_log",
    "render_report_html",
    "resolve_custody",
    "run_audit",
    "service_signer",
    "wilson_interval",
    "write_model_card",
    "write_report",
]

"""Pre-release audits, bias audits and evidence: the tamper-evident log, model cards, reports, gate."""

from __future__ import annotations

from raikit.audits._audit import AuditOutcome, evaluate_gates, run_audit, wilson_interval
from raikit.audits._card import build_model_card, write_model_card
from raikit.audits._executor import Executor, LocalExecutor, RayExecutor
from raikit.audits._log import AuditLog, MemorySink
from raikit.audits._log_checkpoint import Signer, generate_signer, service_signer
from raikit.audits._log_keys import LogCustody, resolve_custody
from raikit.audits._log_record import load_key
from raikit.audits._log_verify import ConsistencyResult, VerifyResult, check_consistency
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

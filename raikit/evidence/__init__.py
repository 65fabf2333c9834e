"""Tamper-evident evidence: the hash-chained, signed audit log, its checkpoints and key custody.

The guard records its decisions here and the audit its runs; ``raikit log`` verifies it.
Both :mod:`raikit.guardrails` and :mod:`raikit.audits` import this package; it imports
neither, so the dependency between guardrails and audits runs one way (audits -> guardrails).
"""

from __future__ import annotations

from raikit.evidence._log import AuditLog, MemorySink
from raikit.evidence._log_checkpoint import Signer, generate_signer, service_signer
from raikit.evidence._log_keys import LogCustody, resolve_custody
from raikit.evidence._log_record import load_key
from raikit.evidence._log_verify import ConsistencyResult, VerifyResult, check_consistency
from raikit.evidence._policy_log import open_policy_log

__all__ = [
    "AuditLog",
    "ConsistencyResult",
    "LogCustody",
    "MemorySink",
    "Signer",
    "VerifyResult",
    "check_consistency",
    "generate_signer",
    "load_key",
    "open_policy_log",
    "resolve_custody",
    "service_signer",
]

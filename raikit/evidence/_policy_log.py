"""Open the audit log a policy names, as the guard's decision sink."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from raikit.evidence._log import AuditLog
    from raikit.guardrails import Policy


def open_policy_log(policy: Policy) -> AuditLog:
    """An :class:`AuditLog` at ``policy.audit_log.path``, keyed from ``$<key_env>``, health-checked.

    The key comes from ``$<key_env>`` (an Ed25519 private key, a ``hook:module:function`` key
    service, or a legacy hex HMAC key) or the user's key file; see
    :func:`raikit.evidence._log_keys.resolve_custody`. The log is opened, locked and checked for
    a writable disk *before* any generator runs, so a guard never generates what it cannot
    record. A signed log appends a checkpoint record when it is closed.

    Raises:
        InputError: No key is configured (the message says how to set one).
        EvidenceError: The log cannot be written (read-only or full disk, lock, damaged head).
    """
    from raikit.evidence._log import AuditLog
    from raikit.evidence._log_keys import resolve_custody

    settings = policy.audit_log
    assert settings.path is not None
    custody = resolve_custody(env=settings.key_env, evidence_dir=Path(settings.path).parent, generate=False)
    log = AuditLog(
        settings.path,
        key=custody.hmac_key,
        signer=custody.signer,
        durability=settings.durability,
        fsync_interval_ms=settings.fsync_interval_ms,
    )
    log.check_health()
    return log

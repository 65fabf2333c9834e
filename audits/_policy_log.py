"""Open the audit log a policy names, as the guard's decision sink."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from raikit.audits._log import AuditLog
    from raikit.guardrails import Policy


def open_policy_log(policy: Policy) -> AuditLog:
    """An :class:`AuditLog` at ``policy.audit_log.path`` keyed by ``$<key_env>``.

    Raises:
        InputError: The key variable is not set (the message says how to set it).
    """
    from raikit.audits._log import AuditLog
    from raikit.audits._log_record import load_key

    settings = policy.audit_log
    assert settings.path is not None
    return AuditLog(
        settings.path,
        key=load_key(env=settings.key_env),
        durability=settings.durability,
        fsync_interval_ms=settings.fsync_interval_ms,
    )

"""Salted hashes of matched values, so findings can be compared without storing them."""

from __future__ import annotations

import os

SALT_ENV = "RAIKIT_SALT"
_process_salt: bytes | None = None


def default_salt() -> bytes:
    """The salt for this process: ``$RAIKIT_SALT`` if set, else random per process.

    A random salt means hashes are comparable within one process (echo detection, pseudonyms)
    but cannot be reversed by a dictionary attack on a stored log.
    """
    global _process_salt
    env = os.environ.get(SALT_ENV)
    if env:
        return env.encode("utf-8")
    if _process_salt is None:
        import secrets

        _process_salt = secrets.token_bytes(16)
    return _process_salt


def salted_hash(value: str, salt: bytes | None = None) -> str:
    """HMAC-SHA256 of ``value`` under ``salt``, as 16 hex characters.

    Example:
        >>> salted_hash("alice@example.com", b"s") == salted_hash("alice@example.com", b"s")
        True
    """
    import hashlib
    import hmac

    key = default_salt() if salt is None else salt
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

"""The one public identifier of a secret key, for logs, reports and records (never the key)."""

from __future__ import annotations

import hashlib

from raikit.errors import InputError


def key_id(key: bytes | str, *, domain: str = "", digits: int = 8) -> str:
    """A short, public, non-reversible identifier of a key: hex digits of its SHA-256.

    Args:
        key: The secret, as bytes or text (text is UTF-8 encoded).
        domain: Separates the ids of keys used for different jobs; hashed before the key
            as ``domain + "\\n"`` (the audit log's HMAC keys use ``raikit-audit-log-key-id``).
        digits: How many hex digits to keep.

    Raises:
        InputError: The key is neither bytes nor str, or is empty.

    Example:
        >>> key_id("correct horse battery staple")
        'c4bbcb1f'
        >>> len(key_id(bytes(32), domain="raikit-audit-log-key-id", digits=16))
        16
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes | bytearray):
        raise InputError(f"key must be bytes or a non-empty str; got {type(key).__name__}")
    if not key:
        raise InputError("key is empty")
    prefix = f"{domain}\n".encode() if domain else b""
    return hashlib.sha256(prefix + bytes(key)).hexdigest()[:digits]

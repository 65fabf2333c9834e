"""Secret keys: normalisation, a public key id, and keyed derivations.

Every pseudo-random choice of the watermarks (chip signs, bit layout, green lists) is
derived from the key with HMAC-SHA256 and SHAKE-256 so that the streams are stable across
numpy and torch versions: an image or a text marked today stays detectable tomorrow.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

from raikit._keys import key_id  # noqa: F401 - the one key id, re-exported for the watermark modules
from raikit.errors import InputError

KEY_TYPE = (
    "key must be bytes or a non-empty str; got {kind}. "
    "Pass the secret, e.g. os.environ['RAIKIT_WATERMARK_KEY']."
)
KEY_EMPTY = "key is empty; pass a secret of at least 8 bytes (e.g. from `openssl rand -hex 32`)."


def normalize_key(key: bytes | str) -> bytes:
    """Return the key as bytes, rejecting empty or non-string keys.

    Args:
        key: The secret, as bytes or text (text is UTF-8 encoded).

    Returns:
        The key bytes.

    Raises:
        InputError: The key is neither bytes nor str, or is empty.
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, (bytes, bytearray)):
        raise InputError(KEY_TYPE.format(kind=type(key).__name__))
    if not key:
        raise InputError(KEY_EMPTY)
    return bytes(key)


def derive(key: bytes, label: str, data: bytes = b"") -> bytes:
    """HMAC-SHA256 of ``label`` and ``data`` under ``key`` (32 bytes)."""
    return hmac.new(key, label.encode("ascii") + b"\x00" + data, hashlib.sha256).digest()


def stream(key: bytes, label: str, n_bytes: int) -> bytes:
    """A keyed, version-stable pseudo-random byte stream of ``n_bytes``."""
    return hashlib.shake_256(derive(key, label)).digest(n_bytes)


def stream_u64(key: bytes, label: str, n: int) -> np.ndarray:
    """``n`` keyed pseudo-random 64-bit unsigned integers."""
    return np.frombuffer(stream(key, label, 8 * n), dtype="<u8").astype(np.uint64)


def stream_signs(key: bytes, label: str, n: int) -> np.ndarray:
    """``n`` keyed pseudo-random signs (+1.0 / -1.0) as float32."""
    bits = np.unpackbits(np.frombuffer(stream(key, label, (n + 7) // 8), dtype=np.uint8))[:n]
    return (bits.astype(np.float32) * 2.0 - 1.0)


def keyed_permutation(key: bytes, label: str, n: int) -> np.ndarray:
    """A keyed permutation of ``range(n)`` (argsort of keyed 64-bit values)."""
    return np.argsort(stream_u64(key, label, n), kind="stable")

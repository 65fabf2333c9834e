"""The image message: a payload field plus a keyed tag, whitened with the key.

Layout (96 bits): an 8-byte field then a 4-byte tag ``HMAC(key, field)[:4]``.
The field carries a payload of up to 7 bytes directly (first byte = length) or, for longer
payloads, ``0xFF`` and the first 7 bytes of its SHA-256 (the detector matches it against
candidate payloads). The tag is what makes a detection significant: an unmarked image, or
one marked under another key, passes the tag check of one decoding attempt with probability
``2**-32``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from raikit.errors import InputError

from ._keys import derive, stream

FIELD_BYTES = 8
TAG_BYTES = 4
MESSAGE_BITS = 8 * (FIELD_BYTES + TAG_BYTES)
TAG_BITS = 8 * TAG_BYTES
HASHED = 0xFF
DIRECT_MAX = FIELD_BYTES - 1

PAYLOAD_TYPE = (
    "payload must be str, int or bytes; got {kind}. Pass a model or deployment id such as 'model-v1'."
)


def payload_bytes(payload: str | int | bytes) -> bytes:
    """The payload as bytes (ints and text become their UTF-8 decimal / text form)."""
    if isinstance(payload, bool) or not isinstance(payload, (str, int, bytes, bytearray)):
        raise InputError(PAYLOAD_TYPE.format(kind=type(payload).__name__))
    if isinstance(payload, int):
        return str(payload).encode("ascii")
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return bytes(payload)


def payload_field(payload: str | int | bytes) -> bytes:
    """The 8-byte field that represents ``payload`` in the message."""
    data = payload_bytes(payload)
    if len(data) <= DIRECT_MAX:
        return bytes([len(data)]) + data.ljust(DIRECT_MAX, b"\x00")
    return bytes([HASHED]) + hashlib.sha256(data).digest()[:DIRECT_MAX]


def _whitening(key: bytes) -> np.ndarray:
    return np.unpackbits(np.frombuffer(stream(key, "image-whitening", MESSAGE_BITS // 8), dtype=np.uint8))


def encode_message(key: bytes, payload: str | int | bytes) -> np.ndarray:
    """The 96 message bits (0/1, uint8) for ``payload`` under ``key``."""
    field = payload_field(payload)
    tag = derive(key, "image-tag", field)[:TAG_BYTES]
    bits = np.unpackbits(np.frombuffer(field + tag, dtype=np.uint8))
    return bits ^ _whitening(key)


@dataclass(frozen=True)
class DecodedMessage:
    """A message read back from bits.

    Attributes:
        valid: The tag matches the field under the key.
        field: The 8-byte field.
    """

    valid: bool
    field: bytes

    def payload(self, candidates: list[str | int | bytes] | None = None) -> str | None:
        """The payload text: read directly, or the candidate whose hash matches."""
        if not self.valid:
            return None
        if self.field[0] <= DIRECT_MAX:
            data = self.field[1 : 1 + self.field[0]]
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return data.hex()
        for candidate in candidates or []:
            if payload_field(candidate) == self.field:
                return payload_bytes(candidate).decode("utf-8", errors="replace")
        return None

    @property
    def digest(self) -> str:
        """Hex of the field (for hashed payloads: the first 7 bytes of their SHA-256)."""
        return self.field.hex()


def decode_message(key: bytes, bits: np.ndarray) -> DecodedMessage:
    """Unwhiten 96 hard bits and check the tag."""
    raw = np.packbits(np.asarray(bits, dtype=np.uint8) ^ _whitening(key)).tobytes()
    field, tag = raw[:FIELD_BYTES], raw[FIELD_BYTES:]
    ok = derive(key, "image-tag", field)[:TAG_BYTES] == tag
    if ok and field[0] <= DIRECT_MAX and any(field[1 + field[0] :]):
        ok = False  # padding must be zero
    return DecodedMessage(valid=ok, field=field)

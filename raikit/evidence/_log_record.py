"""The audit log's record format: canonical bytes, hashing, HMAC, parsing and event checks.

One record is one line of JSON Lines. Its *body* is compact JSON with a fixed key order::

    {"seq":7,"prev":"<64 hex>","time":"2026-01-01T00:00:00.000000Z","kind":"decision",
     "key_id":"<16 hex>","event":{...sorted keys...}}

and the line appends the body's SHA-256, and in symmetric (HMAC, legacy) logs its
HMAC-SHA256 under the writer's key::

    {"seq":7,...,"event":{...},"hash":"<64 hex>"}\\n                      signed logs (Ed25519)
    {"seq":7,...,"event":{...},"hash":"<64 hex>","mac":"<64 hex>"}\\n     symmetric logs (HMAC)

Signed logs authenticate records by Ed25519-signed checkpoints (``kind: checkpoint``
records and checkpoint files, see :mod:`._log_checkpoint`) over the chain's head: the
private key never sits beside the log and a verifier needs only the public key. Their
``key_id`` is ``ed25519:<8 hex>``, the signing key's note id.

``hash = sha256(body)`` and ``mac = hmac_sha256(key, body)`` where ``body`` is the line without
the trailing ``,"hash":...,"mac":...`` part (closed by ``}``). The trailer has a fixed length,
so a verifier recovers the exact signed bytes by slicing, without re-serialising JSON. The
``prev`` of the first record is 64 zeros; every other ``prev`` is the previous record's
``hash``, which chains the records. The key and any salt are never written: only ``key_id``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from raikit._keys import key_id
from raikit.errors import EvidenceError, InputError

GENESIS = "0" * 64
KEY_ENV = "RAIKIT_LOG_KEY"
MIN_KEY_BYTES = 16

#: Event kinds the log knows; ``recovery`` and ``key_rotation`` are written by the log itself.
KINDS = frozenset({"decision", "audit_run", "policy_load", "key_rotation", "recovery", "checkpoint"})
WRITER_KINDS = frozenset({"key_rotation", "recovery", "checkpoint"})
#: Extension kinds for external checks: ``x-`` followed by a short lowercase name.
_EXT_KIND = re.compile(r"^x-[a-z0-9][a-z0-9_.-]{0,62}$")

#: Keys that usually hold raw text; an event containing any of them (at any depth) is refused.
FORBIDDEN_KEYS = frozenset({"prompt", "output", "text", "raw", "content", "value"})

_TRAILER_HASH = b',"hash":"'
_TRAILER_MAC = b'","mac":"'
#: Length of ``,"hash":"<64>","mac":"<64>"}`` (the line end without its newline).
TRAILER_LEN = len(_TRAILER_HASH) + 64 + len(_TRAILER_MAC) + 64 + len(b'"}')
#: Length of ``,"hash":"<64>"}`` (the end of a signed log's line).
HASH_TRAILER_LEN = len(_TRAILER_HASH) + 64 + len(b'"}')
_PREFIX = b'{"seq":'
_PREV = b',"prev":"'

ERR_KEY_ABSENT = (
    "no audit log key: set ${env} to the key (hex, at least 16 bytes, e.g. the output of "
    "`python -c \"import secrets; print(secrets.token_hex(32))\"`) or pass a key file"
)
ERR_KEY_FORMAT = "audit log key in {where} must be hex or 'base64:...' and at least 16 bytes"
ERR_FORBIDDEN = (
    "event field {path!r} looks like raw text ({name!r} is refused anywhere in an event); "
    "log types, offsets, scores and salted hashes instead"
)


#: The audit log's HMAC key ids: :func:`raikit._keys.key_id` in the log's own domain.
log_key_id = functools.partial(key_id, domain="raikit-audit-log-key-id", digits=16)


class Mac:
    """HMAC-SHA256 under one key with the padded key states precomputed (RFC 2104).

    Same result as ``hmac.digest(key, msg, "sha256")``, about twice as fast for short messages
    because the two key blocks are hashed once, not per record.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def hex(self, message: bytes) -> str:
        """The hex HMAC of ``message``."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def check_key(key: object, where: str = "the key argument") -> bytes:
    """Validate an HMAC key; raise :class:`InputError` naming ``where`` when unusable."""
    if not isinstance(key, (bytes, bytearray)):
        raise InputError(f"audit log key from {where} must be bytes, got {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise InputError(f"audit log key from {where} is {len(key)} bytes; use at least {MIN_KEY_BYTES}")
    return bytes(key)


def parse_key_text(text: str, where: str) -> bytes:
    """Decode a key written as hex or ``base64:<data>``."""
    text = text.strip()
    try:
        if text.startswith("base64:"):
            key = base64.b64decode(text[len("base64:"):], validate=True)
        else:
            key = bytes.fromhex(text)
    except ValueError as err:
        raise InputError(ERR_KEY_FORMAT.format(where=where)) from err
    if len(key) < MIN_KEY_BYTES:
        raise InputError(ERR_KEY_FORMAT.format(where=where))
    return key


def load_key(env: str = KEY_ENV, file: str | os.PathLike[str] | None = None) -> bytes:
    """Load the HMAC key of an audit log from a file or an environment variable.

    The file wins when given; otherwise ``$env`` is read. The key is hex (or ``base64:...``)
    and at least 16 bytes. The key is never logged or put in an error message.

    Args:
        env: Environment variable holding the key.
        file: Optional file holding the key.

    Returns:
        The key bytes.

    Raises:
        InputError: The key is absent, unreadable or too short (the message says how to set it).

    Example:
        >>> import pathlib, tempfile
        >>> key_file = pathlib.Path(tempfile.mkdtemp()) / "log.key"
        >>> _ = key_file.write_text("00" * 32)
        >>> len(load_key(file=key_file))
        32
    """
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot read audit log key file {str(file)!r}: {err.strerror}") from err
        return parse_key_text(text, f"file {str(file)!r}")
    text = os.environ.get(env)
    if not text:
        raise InputError(ERR_KEY_ABSENT.format(env=env))
    return parse_key_text(text, f"${env}")


def check_kind(kind: object, *, writer: bool = False) -> str:
    """Validate an event kind; only the log itself may write ``recovery``/``key_rotation``."""
    if not isinstance(kind, str) or not (kind in KINDS or _EXT_KIND.match(kind)):
        known = ", ".join(sorted(KINDS - WRITER_KINDS))
        raise InputError(f"event 'kind' must be one of {known} or 'x-<name>', got {kind!r}")
    if kind in WRITER_KINDS and not writer:
        raise InputError(f"event kind {kind!r} is written by the audit log itself")
    return kind


def check_event(event: object, path: str = "event") -> None:
    """Refuse events that are not plain JSON data or that hold raw-text fields.

    Raises:
        InputError: naming the field path, never its value.
    """
    if isinstance(event, dict):
        for name, item in event.items():
            if not isinstance(name, str):
                raise InputError(f"{path}: keys must be strings, got {type(name).__name__}")
            here = f"{path}.{name}"
            if name.lower() in FORBIDDEN_KEYS:
                raise InputError(ERR_FORBIDDEN.format(path=here, name=name))
            check_event(item, here)
    elif isinstance(event, (list, tuple)):
        for i, item in enumerate(event):
            check_event(item, f"{path}[{i}]")
    elif isinstance(event, float):
        if not math.isfinite(event):
            raise InputError(f"{path}: numbers must be finite")
    elif event is not None and not isinstance(event, (str, int, bool)):
        raise InputError(f"{path}: values must be JSON data (str, int, float, bool, None, list, dict), "
                         f"got {type(event).__name__}")


def format_time(moment: datetime) -> str:
    """``2026-01-01T00:00:00.000000Z``; refuses naive or non-UTC datetimes."""
    if not isinstance(moment, datetime) or moment.utcoffset() != timedelta(0):
        raise InputError("the audit log clock must return an aware UTC datetime")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode(seq: int, prev: str, time: str, kind: str, key_id: str, fields: dict[str, Any],
           mac: Mac | None) -> tuple[bytes, str, str | None]:
    """Build one record line. Returns ``(line, hash, mac)``; ``mac`` is None in signed logs."""
    event = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    body = (
        f'{{"seq":{seq},"prev":"{prev}","time":"{time}","kind":{json.dumps(kind)},'
        f'"key_id":{json.dumps(key_id)},"event":{event}}}'
    ).encode("ascii")
    digest = hashlib.sha256(body).hexdigest()
    if mac is None:
        return b"".join((body[:-1], _TRAILER_HASH, digest.encode(), b'"}\n')), digest, None
    tag = mac.hex(body)
    line = b"".join((body[:-1], _TRAILER_HASH, digest.encode(), _TRAILER_MAC, tag.encode(), b'"}\n'))
    return line, digest, tag


def split(line: bytes) -> tuple[bytes, str, str | None] | None:
    """Split a line (without its newline) into ``(body, hash, mac)``, or None if malformed.

    ``mac`` is None for a signed log's line (no HMAC trailer).
    """
    if (len(line) > HASH_TRAILER_LEN + len(_PREFIX) and line[-HASH_TRAILER_LEN:-HASH_TRAILER_LEN + 9] == _TRAILER_HASH
            and line.endswith(b'"}')):
        try:
            return line[:-HASH_TRAILER_LEN] + b"}", line[-66:-2].decode("ascii"), None
        except UnicodeDecodeError:
            return None
    if len(line) <= TRAILER_LEN + len(_PREFIX) or line[-TRAILER_LEN:-TRAILER_LEN + 9] != _TRAILER_HASH:
        return None
    tail = line[-TRAILER_LEN:]
    if tail[73:82] != _TRAILER_MAC or tail[-2:] != b'"}':
        return None
    try:
        return line[:-TRAILER_LEN] + b"}", tail[9:73].decode("ascii"), tail[82:146].decode("ascii")
    except UnicodeDecodeError:
        return None


def seq_prev(body: bytes) -> tuple[int, str] | None:
    """Read ``seq`` and ``prev`` from the fixed prefix of a body, or None if malformed."""
    if not body.startswith(_PREFIX):
        return None
    comma = body.find(b",", 7, 40)
    if comma < 0 or body[comma:comma + 9] != _PREV or body[comma + 73:comma + 74] != b'"':
        return None
    digits = body[7:comma]
    if not digits.isdigit():
        return None
    return int(digits), body[comma + 9:comma + 73].decode("ascii", "replace")


def key_id_of(body: bytes) -> str | None:
    """The ``key_id`` written in a body (parses JSON; used off the fast path)."""
    try:
        value = json.loads(body).get("key_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def decode(line: bytes) -> dict[str, Any]:
    """Parse a record line (with or without its newline) into a dict.

    The dict has ``seq, prev, time, kind, key_id, event, hash, mac``.

    Raises:
        EvidenceError: the line is not a record.
    """
    try:
        record = json.loads(line)
    except ValueError as err:
        raise EvidenceError("audit log line is not valid JSON") from err
    if not isinstance(record, dict) or "seq" not in record or "hash" not in record:
        raise EvidenceError("audit log line is not a record")
    return record

"""Signed checkpoints of the audit log in the C2SP ``tlog-checkpoint`` / ``signed-note`` format.

A checkpoint pins the log's history: a copy kept elsewhere (another machine, a ticket, a
release note) lets anyone later detect a truncated or rewritten log. Its text is::

    <origin>
    <size>
    <base64 root hash>

    — <key name> <base64(4-byte key id || Ed25519 signature)>

The signature covers the note text (the first three lines, final newline included), as in
https://c2sp.org/signed-note; the key id is ``SHA-256(name || 0x0A || 0x01 || public key)[:4]``.
The audit log is a hash chain, not a Merkle tree, so the *root hash* is the ``hash`` of the
record at position ``size - 1`` (64 zero bits for an empty log): checking a checkpoint means
re-hashing the log's first ``size`` records, and there are no inclusion proofs.

Keys use the ``golang.org/x/mod/sumdb/note`` text encoding::

    private: PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>
    public:  <name>+<8 hex key id>+<base64(0x01 || 32-byte public key)>
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from raikit._keys import key_id
from raikit.errors import EvidenceError, InputError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

_ALG_ED25519 = b"\x01"
_DASH = "\u2014 "


def _key_id(name: str, public: bytes) -> bytes:
    """The signed-note key hash: the first 4 bytes of SHA-256(name, newline, algorithm, public key)."""
    return bytes.fromhex(key_id(_ALG_ED25519 + public, domain=name, digits=8))


def _check_name(name: str) -> str:
    if not name or any(ch.isspace() or ch == "+" for ch in name):
        raise InputError(f"checkpoint key name must be non-empty without spaces or '+', got {name!r}")
    return name


def _raw_public(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class _ServiceKey:
    """Adapts a key-service hook (``sign(bytes) -> bytes``) to the private-key interface."""

    def __init__(self, public: Ed25519PublicKey, sign: Callable[[bytes], bytes]) -> None:
        self._public = public
        self._sign = sign

    def public_key(self) -> Ed25519PublicKey:
        return self._public

    def sign(self, data: bytes) -> bytes:
        from cryptography.exceptions import InvalidSignature

        try:
            signature = self._sign(data)
        except Exception as err:  # noqa: BLE001 - a failing key service is an evidence failure
            raise EvidenceError(f"the audit log key service failed ({type(err).__name__})") from err
        if not isinstance(signature, bytes | bytearray) or len(signature) != 64:
            raise EvidenceError("the audit log key service must return a 64-byte Ed25519 signature")
        try:
            self._public.verify(bytes(signature), data)
        except InvalidSignature as err:
            raise EvidenceError("the audit log key service returned a signature that does not verify "
                                "under its public key") from err
        return bytes(signature)


@dataclass(frozen=True)
class Signer:
    """An Ed25519 signing key (or a key service holding it) and the name it signs under.

    ``key`` is an ``Ed25519PrivateKey`` or any object with ``sign(bytes) -> bytes`` and
    ``public_key()``; see :func:`service_signer` for keys that never leave a key service.
    """

    name: str
    key: Any

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.key.public_key())

    @property
    def key_id(self) -> str:
        """The public id written in records: ``ed25519:<8 hex>``."""
        return "ed25519:" + self.verifier().key_id.hex()

    def sign(self, data: bytes) -> bytes:
        return bytes(self.key.sign(data))

    def to_text(self) -> str:
        """The note-format private key line (secret: store with 0600 permissions)."""
        from cryptography.hazmat.primitives import serialization

        if not hasattr(self.key, "private_bytes"):
            raise InputError("this signer's key lives in a key service and cannot be exported")
        seed = self.key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                      serialization.NoEncryption())
        kid = _key_id(self.name, _raw_public(self.key.public_key())).hex()
        return f"PRIVATE+KEY+{self.name}+{kid}+{base64.b64encode(_ALG_ED25519 + seed).decode()}\n"


def service_signer(name: str, public_key: object, sign: Callable[[bytes], bytes]) -> Signer:
    """A signer whose private key stays in a key service (HSM, KMS, agent).

    Args:
        name: The key name (checkpoint origin), without spaces or ``+``.
        public_key: The service key's public half: an ``Ed25519PublicKey`` or note-format text.
        sign: The hook: takes the bytes to sign, returns the 64-byte Ed25519 signature. Every
            signature it returns is checked against ``public_key`` before use.

    Example:
        >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        >>> hsm = Ed25519PrivateKey.generate()   # stands in for a key service
        >>> signer = service_signer("example.com/log", hsm.public_key(), hsm.sign)
        >>> len(signer.sign(b"note"))
        64
    """
    verifier = as_verifier(public_key, _check_name(name))
    if not callable(sign):
        raise InputError("sign must be a callable taking bytes and returning a 64-byte signature")
    return Signer(verifier.name, _ServiceKey(verifier.key, sign))


@dataclass(frozen=True)
class Verifier:
    """An Ed25519 public key and the name it verifies."""

    name: str
    key: Ed25519PublicKey

    @property
    def key_id(self) -> bytes:
        return _key_id(self.name, _raw_public(self.key))

    def to_text(self) -> str:
        """The note-format public key line."""
        raw = base64.b64encode(_ALG_ED25519 + _raw_public(self.key)).decode()
        return f"{self.name}+{self.key_id.hex()}+{raw}\n"


def generate_signer(name: str) -> Signer:
    """A new random Ed25519 signing key for checkpoints named ``name``.

    Example:
        >>> signer = generate_signer("example.com/audit-log")
        >>> signer.verifier().to_text().startswith("example.com/audit-log+")
        True
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Signer(_check_name(name), Ed25519PrivateKey.generate())


def _decode_key_body(body: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as err:
        raise InputError(f"{what}: key data is not base64") from err
    if len(raw) != 33 or raw[:1] != _ALG_ED25519:
        raise InputError(f"{what}: not an Ed25519 key (expected algorithm byte 0x01 and 32 bytes)")
    return raw[1:]


def parse_signer(text: str, what: str = "private key") -> Signer:
    """Read a note-format private key (``PRIVATE+KEY+name+id+data``)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise InputError(f"{what}: expected 'PRIVATE+KEY+<name>+<id>+<base64>'")
    seed = _decode_key_body(parts[4], what)
    signer = Signer(_check_name(parts[2]), Ed25519PrivateKey.from_private_bytes(seed))
    if signer.verifier().key_id.hex() != parts[3].lower():
        raise InputError(f"{what}: key id does not match the key")
    return signer


def parse_verifier(text: str, what: str = "public key") -> Verifier:
    """Read a note-format public key (``name+id+data``)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise InputError(f"{what}: expected '<name>+<id>+<base64>'")
    public = _decode_key_body(parts[2], what)
    verifier = Verifier(_check_name(parts[0]), Ed25519PublicKey.from_public_bytes(public))
    if verifier.key_id.hex() != parts[1].lower():
        raise InputError(f"{what}: key id does not match the key")
    return verifier


def _read(path: str | os.PathLike[str], what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {what} {str(path)!r}: {err}") from err


def as_signer(private_key: object, origin: str) -> Signer:
    """Accept a :class:`Signer`, an ``Ed25519PrivateKey`` (named ``origin``), key text or a path."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if isinstance(private_key, Signer):
        return private_key
    if isinstance(private_key, Ed25519PrivateKey):
        return Signer(_check_name(origin), private_key)
    if isinstance(private_key, str) and private_key.startswith("PRIVATE+KEY+"):
        return parse_signer(private_key)
    if isinstance(private_key, (str, os.PathLike)):
        return parse_signer(_read(private_key, "private key file"), f"private key file {str(private_key)!r}")
    raise InputError(f"private_key must be a Signer, Ed25519PrivateKey, key text or path, "
                     f"got {type(private_key).__name__}")


def as_verifier(public_key: object, name: str | None = None) -> Verifier:
    """Accept a :class:`Verifier`, an ``Ed25519PublicKey`` (named ``name``), key text or a path."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if isinstance(public_key, Verifier):
        return public_key
    if isinstance(public_key, Ed25519PublicKey):
        if name is None:
            raise InputError("a bare Ed25519PublicKey needs the key name (the checkpoint's origin)")
        return Verifier(_check_name(name), public_key)
    if isinstance(public_key, str) and "+" in public_key and "\n" not in public_key.strip():
        return parse_verifier(public_key)
    if isinstance(public_key, (str, os.PathLike)):
        return parse_verifier(_read(public_key, "public key file"), f"public key file {str(public_key)!r}")
    raise InputError(f"public_key must be a Verifier, Ed25519PublicKey, key text or path, "
                     f"got {type(public_key).__name__}")


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint: ``origin``, ``size`` (records) and ``root`` (hex head hash)."""

    origin: str
    size: int
    root: str
    text: str


def sign_checkpoint(signer: Signer, origin: str, size: int, root_hex: str) -> str:
    """Format and sign a checkpoint note."""
    if not origin or "\n" in origin or any(ord(ch) < 0x20 for ch in origin):
        raise InputError(f"checkpoint origin must be one non-empty line, got {origin!r}")
    body = f"{origin}\n{size}\n{base64.b64encode(bytes.fromhex(root_hex)).decode()}\n"
    signature = signer.sign(body.encode("utf-8"))
    kid = signer.verifier().key_id
    return f"{body}\n{_DASH}{signer.name} {base64.b64encode(kid + signature).decode()}\n"


def parse_checkpoint(text: str) -> tuple[Checkpoint, list[tuple[str, bytes]]]:
    """Split a checkpoint into its fields and ``(key name, signature blob)`` pairs.

    Raises:
        EvidenceError: the text is not a checkpoint.
    """
    body, sep, sigs = text.partition("\n\n")
    if not sep or not sigs.endswith("\n"):
        raise EvidenceError("checkpoint is malformed: expected note text, a blank line and signature lines")
    lines = body.split("\n")
    if len(lines) < 3:
        raise EvidenceError("checkpoint is malformed: expected origin, size and root hash lines")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise EvidenceError("checkpoint is malformed: the size line is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise EvidenceError("checkpoint is malformed: the root hash is not base64") from err
    if len(root) != 32:
        raise EvidenceError("checkpoint is malformed: the root hash is not 32 bytes")
    signatures: list[tuple[str, bytes]] = []
    for line in sigs[:-1].split("\n"):
        if not line.startswith(_DASH) or line.count(" ") != 2:
            raise EvidenceError("checkpoint is malformed: bad signature line")
        name, blob = line[len(_DASH):].split(" ")
        try:
            signatures.append((name, base64.b64decode(blob, validate=True)))
        except (binascii.Error, ValueError) as err:
            raise EvidenceError("checkpoint is malformed: signature is not base64") from err
    return Checkpoint(origin, int(size_text), root.hex(), text), signatures


def verify_checkpoint(text: str, verifier: Verifier) -> tuple[Checkpoint, str | None]:
    """Parse ``text`` and check its signature by ``verifier``.

    Returns:
        ``(checkpoint, problem)`` where ``problem`` is None when a signature by the key verifies,
        else why not (no signature by that key, or a bad signature).

    Raises:
        EvidenceError: the text is not a checkpoint.
    """
    from cryptography.exceptions import InvalidSignature

    checkpoint, signatures = parse_checkpoint(text)
    body = text.partition("\n\n")[0] + "\n"
    kid = verifier.key_id
    known = [blob for name, blob in signatures if name == verifier.name and blob[:4] == kid]
    if not known:
        return checkpoint, f"checkpoint has no signature by key {verifier.name!r} ({kid.hex()})"
    for blob in known:
        try:
            verifier.key.verify(blob[4:], body.encode("utf-8"))
        except InvalidSignature:
            return checkpoint, f"checkpoint signature by key {verifier.name!r} does not verify"
    return checkpoint, None


def write_secret(path: str | os.PathLike[str], text: str) -> None:
    """Create ``path`` with mode 0600 (refusing to overwrite) and write ``text``."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as err:
        raise InputError(f"refusing to overwrite existing key file {str(path)!r}") from err
    except OSError as err:
        raise InputError(f"cannot create key file {str(path)!r}: {err.strerror}") from err
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())

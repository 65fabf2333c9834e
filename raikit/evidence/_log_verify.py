"""Verify an audit log: every record's hash, the chain, signed checkpoints and legacy HMACs.

Custody
    A *signed* log is attested by Ed25519 checkpoints over the chain's head: ``checkpoint``
    records the writer appends at the end of each run, and checkpoint files kept elsewhere.
    The verifier pins the writer's **public** key out of band; with it, a checkpoint attests
    every record before it, and records after the last checkpoint are reported as
    ``unattested`` (not ok): nothing proves who wrote them. A *symmetric* (legacy HMAC) log
    verifies with its key, but whoever can verify can also forge: it is reported as
    self-attested.

The first record that does not fit is named with what happened to it:

=========== =====================================================================================
tamper      meaning
=========== =====================================================================================
edited      a record's bytes changed (hash mismatch), or were re-hashed without the key (HMAC
            mismatch), or a complete line is not a record at all
inserted    a line that does not belong: removing it restores the chain (a forged record, a
            copy of an earlier record, or a record from another chain)
deleted     records are missing (a gap in sequence numbers that no later record fills)
reordered   a record appears before one that should precede it
truncated   the log holds fewer records than a trusted checkpoint pins
rewritten   the log's first ``size`` records do not hash to a trusted checkpoint's root
checkpoint  a checkpoint (file or record) is not signed by the pinned public key, or a
            checkpoint record does not match the chain before it
unattested  records after the last checkpoint the pinned key signed: nothing attests them
unknown_key a record was written with an HMAC key id whose key was not given
=========== =====================================================================================

Without a checkpoint, removing records from the *end* of the log cannot be detected: keep
checkpoints elsewhere to pin history. A torn last line (a writer killed mid-append) is not
tampering: it is reported in ``warnings`` and moved aside by the next writer.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from raikit.evidence._log_checkpoint import Checkpoint, Verifier
from raikit.evidence._log_record import GENESIS, Mac, key_id_of, seq_prev, split
from raikit.errors import EvidenceError

_CHUNK = 1 << 22


@dataclass(frozen=True)
class VerifyResult:
    """What verification found.

    Attributes:
        ok: True when every complete record verified (and the checkpoint, when given).
        records: Number of records that verified, in order, before the first bad one.
        first_bad: Position (0-based sequence number expected there) of the first bad record,
            or None.
        reason: Why verification failed, starting with the tamper kind, or None when ok.
        head_hash: Hash of the last record that verified (64 zeros for an empty log).
        tamper: ``edited``, ``inserted``, ``deleted``, ``reordered``, ``truncated``,
            ``rewritten``, ``checkpoint`` or ``unknown_key``; None when ok.
        location: ``file:line`` of the first bad record, or None.
        lines: Complete lines read in all files.
        files: The files read, oldest first.
        mac_checked: False when no HMAC key was given (hashes and chain only).
        checkpoint_size: Size pinned by the checkpoint that was checked, or None.
        warnings: Non-fatal notes (a torn last line).
        custody: ``"signed"`` (checked with a pinned Ed25519 public key), ``"symmetric"``
            (HMAC: whoever verifies could forge) or ``"none"`` (hashes and chain only).
        attested: Records covered by a checkpoint the pinned public key signed.
        unattested: Records after the last such checkpoint (checkpoint records excluded).
        self_attested: True when nothing independent of the writer attests the log
            (symmetric key, or no public key).
    """

    ok: bool
    records: int
    first_bad: int | None
    reason: str | None
    head_hash: str
    tamper: str | None = None
    location: str | None = None
    lines: int = 0
    files: tuple[str, ...] = ()
    mac_checked: bool = True
    checkpoint_size: int | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    custody: str = "symmetric"
    attested: int = 0
    unattested: int = 0
    self_attested: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field."""
        return {**asdict(self), "files": list(self.files), "warnings": list(self.warnings)}


def log_files(path: str | os.PathLike[str]) -> list[Path]:
    """The files of a rotated log, oldest first: ``log.jsonl.N``, ..., ``log.jsonl.1``, ``log.jsonl``."""
    path = Path(path)
    pattern = re.compile(re.escape(path.name) + r"\.(\d+)$")
    rotated = []
    if path.parent.is_dir():
        for entry in path.parent.iterdir():
            match = pattern.match(entry.name)
            if match:
                rotated.append((int(match.group(1)), entry))
    files = [entry for _, entry in sorted(rotated, reverse=True)]
    if path.exists():
        files.append(path)
    return files


def _pieces(path: Path) -> Iterator[tuple[list[bytes], bytes | None]]:
    """Yield batches of complete lines (no newline) and, at the end, the torn tail if any."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as err:
        raise EvidenceError(f"cannot read audit log file {str(path)!r}: {err.strerror}") from err
    with handle:
        carry = b""
        while True:
            try:
                chunk = handle.read(_CHUNK)
            except OSError as err:
                raise EvidenceError(f"cannot read audit log file {str(path)!r}: {err.strerror}") from err
            if not chunk:
                break
            parts = (carry + chunk).split(b"\n")
            carry = parts.pop()
            yield parts, None
        if carry:
            yield [], carry


@dataclass
class _Entry:
    where: str
    seq: int | None
    prev: str | None
    hash: str | None
    problem: str | None  # None when hash and MAC verify
    body: bytes | None = None


class _Auth:
    """HMAC check with a keyring; remembers the key that worked last."""

    def __init__(self, keys: dict[str, bytes] | None, signed: bool = False) -> None:
        self.macs = {name: Mac(key) for name, key in keys.items()} if keys is not None else None
        self.current = next(iter(self.macs.values())) if self.macs else None
        self.signed = signed

    def problem(self, body: bytes, mac: str | None) -> str | None:
        if mac is None:
            if self.macs is not None and not self.signed:
                return "no HMAC on this record (a signed log's record: verify it with the public key)"
            return None
        if self.macs is None or (self.current is not None and self.current.hex(body) == mac):
            return None
        key_id = key_id_of(body)
        found = self.macs.get(key_id) if key_id is not None else None
        if found is None:
            return f"unknown_key:{key_id}"
        if found is not self.current and hmac.compare_digest(found.hex(body), mac):
            self.current = found
            return None
        return "HMAC mismatch (changed and re-hashed without the key)"


def _entry(line: bytes, where: str, auth: _Auth) -> _Entry:
    parts = split(line)
    sp = seq_prev(parts[0]) if parts else None
    if parts is None or sp is None:
        return _Entry(where, None, None, None, "not a record")
    body, digest, mac = parts
    if hashlib.sha256(body).hexdigest() != digest:
        return _Entry(where, sp[0], sp[1], digest, "hash mismatch (record changed)")
    return _Entry(where, sp[0], sp[1], digest, auth.problem(body, mac), body)


def _classify(bad: _Entry, rest: list[_Entry], expected: int, last: str) -> tuple[str, str]:
    """Name what happened at the first bad entry, looking at the entries after it."""
    if bad.problem and bad.problem.startswith("unknown_key:"):
        key_id = bad.problem.split(":", 1)[1]
        return "unknown_key", f"record written with key id {key_id!r}, which was not given (wrong key?)"
    nxt = rest[0] if rest else None
    fits_after = nxt is not None and nxt.problem is None and nxt.seq == expected and nxt.prev == last
    if bad.problem:
        if fits_after or (nxt is None and bad.seq is None):
            return "inserted", f"a forged or foreign line ({bad.problem}); the chain continues without it"
        return "edited", bad.problem
    assert bad.seq is not None
    if bad.seq > expected:
        if any(e.seq == expected and e.problem is None for e in rest):
            return "reordered", f"record {bad.seq} appears before record {expected}"
        missing = f"record {expected}" if bad.seq == expected + 1 else f"records {expected}..{bad.seq - 1}"
        return "deleted", f"{missing} missing (next record found is {bad.seq})"
    if bad.seq < expected:
        if fits_after:
            return "inserted", f"a second copy of record {bad.seq}; the chain continues without it"
        return "reordered", f"record {bad.seq} appears after record {expected - 1}"
    if fits_after:
        return "inserted", "a record from another chain (prev hash mismatch); the chain continues without it"
    return "edited", "prev hash does not match the previous record"


class _Attestation:
    """Checkpoint records met in the chain: checked against the chain and the pinned key."""

    def __init__(self, verifier: Verifier | None) -> None:
        self.verifier = verifier
        self.attested = 0
        self.checkpoint_seqs: list[int] = []

    def problem(self, body: bytes, seq: int, last: str) -> str | None:
        """Check a checkpoint record at position ``seq`` (``last`` = the hash before it)."""
        import json

        from raikit.evidence._log_checkpoint import parse_checkpoint, verify_checkpoint

        try:
            note = json.loads(body)["event"]["checkpoint"]
            parsed = parse_checkpoint(note)[0]
        except (ValueError, KeyError, TypeError, EvidenceError):
            return "checkpoint record does not hold a checkpoint note"
        if parsed.size != seq or parsed.root != last:
            return f"checkpoint record pins {parsed.size} records and a root that do not match the chain before it"
        self.checkpoint_seqs.append(seq)
        if self.verifier is None:
            return None
        _, problem = verify_checkpoint(note, self.verifier)
        if problem is not None:
            return f"checkpoint record: {problem}"
        self.attested = seq
        return None

    def unattested(self, total: int, attested: int) -> int:
        return max(0, total - attested - sum(1 for seq in self.checkpoint_seqs if seq >= attested))


_CHECKPOINT_HINT = b'"kind":"checkpoint"'


def verify_lines(
    batches: Iterable[tuple[str, Iterable[tuple[list[bytes], bytes | None]]]],
    *,
    keys: dict[str, bytes] | None,
    checkpoint: Checkpoint | None = None,
    checkpoint_problem: str | None = None,
    final_file: str | None = None,
    verifier: Verifier | None = None,
    pins: Iterable[int] = (),
) -> VerifyResult:
    """Verify records given as ``(file name, batches of lines)``; see :func:`verify_files`.

    ``pins`` are sizes whose head hash to report in ``VerifyResult.warnings``-free form via
    :func:`heads_at` (used for checkpoint consistency).
    """
    return _verify(batches, keys=keys, checkpoint=checkpoint, checkpoint_problem=checkpoint_problem,
                   final_file=final_file, verifier=verifier, pins=set(pins))[0]


def _verify(
    batches: Iterable[tuple[str, Iterable[tuple[list[bytes], bytes | None]]]],
    *,
    keys: dict[str, bytes] | None,
    checkpoint: Checkpoint | None,
    checkpoint_problem: str | None,
    final_file: str | None,
    verifier: Verifier | None,
    pins: set[int],
) -> tuple[VerifyResult, dict[int, str]]:
    signed = verifier is not None
    auth = _Auth(keys, signed=signed)
    attest = _Attestation(verifier)
    sha256 = hashlib.sha256
    mac = auth.current
    hmac_required = keys is not None and not signed
    expected = 0
    last = GENESIS
    lines = 0
    if checkpoint is not None:
        pins = {*pins, checkpoint.size}
    heads: dict[int, str] = {0: GENESIS} if 0 in pins else {}
    warnings: list[str] = []
    files: list[str] = []
    bad: _Entry | None = None
    bad_at = (expected, last)
    rest: list[_Entry] = []

    for name, pieces in batches:
        files.append(name)
        lineno = 0
        for batch, torn in pieces:
            if torn is not None:
                if bad is None and name == final_file:
                    warnings.append(f"{name}:{lineno + 1}: torn last line ({len(torn)} bytes, a writer "
                                    "was killed mid-append); the next append moves it aside")
                elif bad is None:
                    bad = _Entry(f"{name}:{lineno + 1}", None, None, None, "not a record (torn line)")
                    bad_at = (expected, last)
                else:
                    rest.append(_Entry(f"{name}:{lineno + 1}", None, None, None, "torn"))
                continue
            if bad is None:
                # Fast path: slice the fixed trailer, hash, HMAC, check the chain.
                for index, line in enumerate(batch):
                    marker = line[-75:-66]
                    if len(line) > 160 and marker == b'","mac":"':
                        body = line[:-148] + b"}"
                        digest = line[-139:-75].decode("ascii", "replace")
                        mac_ok = mac is None or mac.hex(body) == line[-66:-2].decode("ascii", "replace")
                    elif len(line) > 90 and marker == b',"hash":"' and not hmac_required:
                        body = line[:-75] + b"}"
                        digest = line[-66:-2].decode("ascii", "replace")
                        mac_ok = True
                    else:
                        body = b""
                        digest = ""
                        mac_ok = False
                    if (
                        mac_ok
                        and sha256(body).hexdigest() == digest
                        and body.startswith(b'{"seq":%d,"prev":"%s"' % (expected, last.encode()))
                        and body.find(_CHECKPOINT_HINT, 90, 200) < 0
                    ):
                        last = digest
                        expected += 1
                        if expected in pins:
                            heads[expected] = last
                        continue
                    # Slow path: another key of the ring, a checkpoint record, or a real problem.
                    entry = _entry(line, f"{name}:{lineno + index + 1}", auth)
                    if entry.problem is None and entry.seq == expected and entry.prev == last:
                        if _is_checkpoint(entry.body):
                            entry.problem = attest.problem(entry.body or b"", expected, last)
                    if entry.problem is None and entry.seq == expected and entry.prev == last:
                        mac = auth.current
                        last = entry.hash or last
                        expected += 1
                        if expected in pins:
                            heads[expected] = last
                        continue
                    bad = entry
                    bad_at = (expected, last)
                    for offset, later in enumerate(batch[index + 1:], start=index + 2):
                        rest.append(_entry(later, f"{name}:{lineno + offset}", auth))
                    break
            else:
                for offset, line in enumerate(batch, start=1):
                    rest.append(_entry(line, f"{name}:{lineno + offset}", auth))
            lineno += len(batch)
            lines += len(batch)

    custody = "signed" if signed else ("symmetric" if keys is not None else "none")
    base: dict[str, Any] = dict(lines=lines, files=tuple(files), mac_checked=keys is not None and not signed,
                                checkpoint_size=checkpoint.size if checkpoint else None,
                                warnings=tuple(warnings), custody=custody, self_attested=not signed)
    if bad is not None:
        expected, last = bad_at
        if bad.problem and bad.problem.startswith("checkpoint record"):
            tamper, detail = "checkpoint", bad.problem
        else:
            tamper, detail = _classify(bad, rest, expected, last)
        return VerifyResult(False, expected, expected, f"{tamper}: {bad.where}: {detail}", last, tamper,
                            bad.where, attested=min(attest.attested, expected), **base), heads
    attested = attest.attested
    if checkpoint is not None:
        if checkpoint_problem is not None:
            return VerifyResult(False, expected, None, f"checkpoint: {checkpoint_problem}", last,
                                "checkpoint", None, attested=attested, **base), heads
        if expected < checkpoint.size:
            return VerifyResult(False, expected, expected,
                                f"truncated: the log has {expected} records but the checkpoint pins "
                                f"{checkpoint.size}", last, "truncated", None, attested=attested, **base), heads
        if heads.get(checkpoint.size) != checkpoint.root:
            return VerifyResult(False, expected, None,
                                f"rewritten: the first {checkpoint.size} records do not hash to the "
                                "checkpoint's root (history was changed)", last, "rewritten", None,
                                attested=attested, **base), heads
        if signed:
            attested = max(attested, checkpoint.size)
    if signed:
        unattested = attest.unattested(expected, attested)
        if unattested:
            first = attested
            return VerifyResult(False, expected, first,
                                f"unattested: {unattested} record(s) from position {first} on are not "
                                "covered by any checkpoint the pinned public key signed (records written "
                                "after the last checkpoint, or forged)", last, "unattested", None,
                                attested=attested, unattested=unattested, **base), heads
    return VerifyResult(True, expected, None, None, last, None, None, attested=attested, **base), heads


def _is_checkpoint(body: bytes | None) -> bool:
    if body is None or body.find(_CHECKPOINT_HINT, 90, 200) < 0:
        return False
    import json

    try:
        return json.loads(body).get("kind") == "checkpoint"
    except ValueError:
        return False


def _checkpoint_and_verifier(checkpoint: str | None, verifier: object | None
                             ) -> tuple[Checkpoint | None, str | None, Verifier | None]:
    from raikit.evidence._log_checkpoint import as_verifier, parse_checkpoint, verify_checkpoint

    pinned: Verifier | None = None
    parsed: Checkpoint | None = None
    problem: str | None = None
    if checkpoint is not None:
        if verifier is None:
            raise EvidenceError("checking a checkpoint needs the public key that signed it")
        origin = parse_checkpoint(checkpoint)[0].origin
        pinned = as_verifier(verifier, origin)
        parsed, problem = verify_checkpoint(checkpoint, pinned)
    elif verifier is not None:
        pinned = as_verifier(verifier)
    return parsed, problem, pinned


def verify_files(
    path: str | os.PathLike[str],
    *,
    keys: dict[str, bytes] | None,
    checkpoint: str | None = None,
    verifier: object | None = None,
) -> VerifyResult:
    """Verify a log and its rotated files, optionally against a signed checkpoint.

    Args:
        path: The log file (``log.jsonl``); rotated files beside it are read first.
        keys: HMAC keys by key id (legacy symmetric logs); None checks no HMAC.
        checkpoint: Checkpoint text to check (needs ``verifier``).
        verifier: The writer's pinned public key (see
            :func:`raikit.evidence._log_checkpoint.as_verifier`). With it, checkpoint records in
            the log are checked too and records no checkpoint covers make the result not ok.

    Raises:
        EvidenceError: the log is missing or unreadable, or the checkpoint is malformed.
    """
    files = log_files(path)
    if not files:
        raise EvidenceError(f"audit log {str(path)!r} not found")
    parsed, problem, pinned = _checkpoint_and_verifier(checkpoint, verifier)
    final = files[-1].name
    return verify_lines(((f.name, _pieces(f)) for f in files), keys=keys, checkpoint=parsed,
                        checkpoint_problem=problem, final_file=final, verifier=pinned)


@dataclass(frozen=True)
class ConsistencyResult:
    """Whether a newer checkpoint extends an older one (the older is a prefix of the newer).

    Attributes:
        ok: Both are signed by the pinned key and the newer history contains the older.
        old_size: Records pinned by the older checkpoint.
        new_size: Records pinned by the newer checkpoint.
        reason: Why not, or None.
    """

    ok: bool
    old_size: int
    new_size: int
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "old_size": self.old_size, "new_size": self.new_size, "reason": self.reason}


def check_consistency(old: str, new: str, verifier: object, path: str | os.PathLike[str] | None = None
                      ) -> ConsistencyResult:
    """Check that checkpoint ``new`` extends checkpoint ``old`` under one pinned public key.

    The log is a hash chain, so the proof that ``old`` is a prefix of ``new`` is the records
    between them: with ``path``, the log is re-hashed and its heads at both sizes must equal
    both roots. Without it only the signatures, origins and sizes are compared (and equal
    sizes must have equal roots: a fork).

    Raises:
        EvidenceError: a checkpoint is malformed or the log is missing.
    """
    from raikit.evidence._log_checkpoint import as_verifier, parse_checkpoint, verify_checkpoint

    a = parse_checkpoint(old)[0]
    b = parse_checkpoint(new)[0]
    pinned = as_verifier(verifier, a.origin)
    for label, text in (("older", old), ("newer", new)):
        problem = verify_checkpoint(text, pinned)[1]
        if problem is not None:
            return ConsistencyResult(False, a.size, b.size, f"{label} {problem}")
    if a.origin != b.origin:
        return ConsistencyResult(False, a.size, b.size, "the checkpoints are of different logs (origins differ)")
    if a.size > b.size:
        return ConsistencyResult(False, a.size, b.size, "the newer checkpoint pins fewer records than the older "
                                 "(history was truncated, or the order is swapped)")
    if a.size == b.size and a.root != b.root:
        return ConsistencyResult(False, a.size, b.size, "both pin the same size with different roots: a fork")
    if path is None:
        return ConsistencyResult(True, a.size, b.size, None)
    files = log_files(path)
    if not files:
        raise EvidenceError(f"audit log {str(path)!r} not found")
    result, heads = _verify(((f.name, _pieces(f)) for f in files), keys=None, checkpoint=None,
                            checkpoint_problem=None, final_file=files[-1].name, verifier=None,
                            pins={a.size, b.size})
    if result.records < b.size and not result.ok:
        return ConsistencyResult(False, a.size, b.size, f"the log breaks before the newer size: {result.reason}")
    if heads.get(a.size) != a.root:
        return ConsistencyResult(False, a.size, b.size, "the log's first records do not hash to the older root")
    if heads.get(b.size) != b.root:
        return ConsistencyResult(False, a.size, b.size, "the log's records do not hash to the newer root: the "
                                 "history the older checkpoint pins was rewritten")
    return ConsistencyResult(True, a.size, b.size, None)

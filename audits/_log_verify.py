"""Verify an audit log: every record's hash and HMAC, the chain, and optionally a checkpoint.

The first record that does not fit is named with what happened to it:

========== =====================================================================================
tamper     meaning
========== =====================================================================================
edited     a record's bytes changed (hash mismatch), or were re-hashed without the key (HMAC
           mismatch), or a complete line is not a record at all
inserted   a line that does not belong: removing it restores the chain (a forged record, a
           copy of an earlier record, or a record from another chain)
deleted    records are missing (a gap in sequence numbers that no later record fills)
reordered  a record appears before one that should precede it
truncated  the log holds fewer records than a trusted checkpoint pins
rewritten  the log's first ``size`` records do not hash to a trusted checkpoint's root
checkpoint the checkpoint's signature is missing or invalid for the given public key
unknown_key a record was written with a key id whose key was not given
========== =====================================================================================

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from raikit.audits._log_checkpoint import Checkpoint
from raikit.audits._log_record import GENESIS, Mac, key_id_of, seq_prev, split
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field."""
        return {
            "ok": self.ok,
            "records": self.records,
            "first_bad": self.first_bad,
            "reason": self.reason,
            "tamper": self.tamper,
            "location": self.location,
            "head_hash": self.head_hash,
            "lines": self.lines,
            "files": list(self.files),
            "mac_checked": self.mac_checked,
            "checkpoint_size": self.checkpoint_size,
            "warnings": list(self.warnings),
        }


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


class _Auth:
    """HMAC check with a keyring; remembers the key that worked last."""

    def __init__(self, keys: dict[str, bytes] | None) -> None:
        self.macs = {name: Mac(key) for name, key in keys.items()} if keys is not None else None
        self.current = next(iter(self.macs.values())) if self.macs else None

    def problem(self, body: bytes, mac: str) -> str | None:
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
    return _Entry(where, sp[0], sp[1], digest, auth.problem(body, mac))


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


def verify_lines(
    batches: Iterable[tuple[str, Iterable[tuple[list[bytes], bytes | None]]]],
    *,
    keys: dict[str, bytes] | None,
    checkpoint: Checkpoint | None = None,
    checkpoint_problem: str | None = None,
    final_file: str | None = None,
) -> VerifyResult:
    """Verify records given as ``(file name, batches of lines)``; see :func:`verify_files`."""
    auth = _Auth(keys)
    sha256 = hashlib.sha256
    mac = auth.current
    expected = 0
    last = GENESIS
    lines = 0
    pin_hash: str | None = GENESIS if checkpoint is not None and checkpoint.size == 0 else None
    pin_size = checkpoint.size if checkpoint is not None else -1
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
                    if len(line) > 160 and line[-75:-66] == b'","mac":"':
                        body = line[:-148] + b"}"
                        digest = line[-139:-75].decode("ascii", "replace")
                        if (
                            sha256(body).hexdigest() == digest
                            and (mac is None or mac.hex(body) == line[-66:-2].decode("ascii", "replace"))
                            and body.startswith(b'{"seq":%d,"prev":"%s"' % (expected, last.encode()))
                        ):
                            last = digest
                            expected += 1
                            if expected == pin_size:
                                pin_hash = last
                            continue
                    # Slow path: another key of the ring, or a real problem.
                    entry = _entry(line, f"{name}:{lineno + index + 1}", auth)
                    if entry.problem is None and entry.seq == expected and entry.prev == last:
                        mac = auth.current
                        last = entry.hash or last
                        expected += 1
                        if expected == pin_size:
                            pin_hash = last
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

    if bad is not None:
        expected, last = bad_at
        tamper, detail = _classify(bad, rest, expected, last)
        return VerifyResult(False, expected, expected, f"{tamper}: {bad.where}: {detail}", last, tamper,
                            bad.where, lines, tuple(files), keys is not None,
                            checkpoint.size if checkpoint else None, tuple(warnings))
    base = dict(lines=lines, files=tuple(files), mac_checked=keys is not None,
                checkpoint_size=checkpoint.size if checkpoint else None, warnings=tuple(warnings))
    if checkpoint is not None:
        if checkpoint_problem is not None:
            return VerifyResult(False, expected, None, f"checkpoint: {checkpoint_problem}", last,
                                "checkpoint", None, **base)
        if expected < checkpoint.size:
            return VerifyResult(False, expected, expected,
                                f"truncated: the log has {expected} records but the checkpoint pins "
                                f"{checkpoint.size}", last, "truncated", None, **base)
        if pin_hash != checkpoint.root:
            return VerifyResult(False, expected, None,
                                f"rewritten: the first {checkpoint.size} records do not hash to the "
                                "checkpoint's root (history was changed)", last, "rewritten", None, **base)
    return VerifyResult(True, expected, None, None, last, None, None, **base)


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
        keys: HMAC keys by key id; None checks hashes and the chain only.
        checkpoint: Checkpoint text to check (needs ``verifier``).
        verifier: The checkpoint's public key (see :func:`raikit.audits._log_checkpoint.as_verifier`).

    Raises:
        EvidenceError: the log is missing or unreadable, or the checkpoint is malformed.
    """
    from raikit.audits._log_checkpoint import as_verifier, parse_checkpoint, verify_checkpoint

    files = log_files(path)
    if not files:
        raise EvidenceError(f"audit log {str(path)!r} not found")
    parsed: Checkpoint | None = None
    problem: str | None = None
    if checkpoint is not None:
        if verifier is None:
            raise EvidenceError("checking a checkpoint needs the public key that signed it")
        origin = parse_checkpoint(checkpoint)[0].origin
        parsed, problem = verify_checkpoint(checkpoint, as_verifier(verifier, origin))
    final = files[-1].name
    return verify_lines(((f.name, _pieces(f)) for f in files), keys=keys, checkpoint=parsed,
                        checkpoint_problem=problem, final_file=final)

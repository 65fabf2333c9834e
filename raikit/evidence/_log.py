"""The tamper-evident audit log: an append-only, hash-chained JSON Lines file.

Every guarded call and every audit appends one record (see :mod:`._log_record` for the
format). Records are chained by hash. With a ``signer`` (an Ed25519 key, or a key service),
the log is *signed*: :meth:`AuditLog.seal` appends a ``checkpoint`` record signing the head
(done on :meth:`AuditLog.close`, so at the end of each run), and a verifier holding only the
pinned public key detects every edit, insertion, reordering, deletion and forged record;
records after the last checkpoint are reported as unattested. The private key is never
written. With an HMAC ``key`` (legacy, symmetric) each record also carries an HMAC: whoever
can verify it can forge it, so such a log is reported as self-attested.

Many writers
    Threads and processes on one machine (a local POSIX file system) may append to the same log. Each append holds an
    exclusive ``fcntl.flock`` on ``<log>.lock`` (plus a thread lock) across reading the head,
    writing, flushing and fsyncing; the head is re-read from the end of the file under the
    lock (a cheap ``pread`` of the last line), so appends by other processes are never lost
    or interleaved.

Durability
    ``durability="always"`` fsyncs every record before ``append`` returns: an acknowledged
    record survives a power loss. ``durability="interval"`` writes every record to the file
    before returning (it survives a crash or ``kill -9`` of the process, since it is in the
    kernel's page cache) and a background thread fsyncs at most ``fsync_interval_ms`` later:
    a power loss can lose up to that window of acknowledged records. Either way, an fsync or
    write error stops the log: this and every later append raise :class:`EvidenceError`
    (no silent retry).

Crash safety
    A writer killed mid-append leaves at most a torn last line. The next writer sees it under
    the lock, moves it to ``<log>.torn-<n>``, truncates the log to its last complete record
    and appends a ``recovery`` record; every complete record still verifies.

Rotation
    With ``max_bytes``, a record that would grow the file beyond it first renames
    ``log.jsonl`` to ``log.jsonl.1`` (``.1`` to ``.2`` and so on); the chain continues across
    files and :meth:`AuditLog.verify` reads them oldest first.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from raikit.evidence._log_checkpoint import Signer, as_signer, sign_checkpoint
from raikit.evidence._log_record import (
    GENESIS,
    Mac,
    check_event,
    check_key,
    check_kind,
    decode,
    encode,
    format_time,
    log_key_id,
    key_id_of,
    seq_prev,
    split,
)
from raikit.evidence._log_verify import VerifyResult, log_files, verify_files, verify_lines
from raikit.errors import EvidenceError, InputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: MemorySink and verification still work
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

ERR_STOPPED = "audit log {path!r} is stopped after an earlier {what} error; records may not be durable"
ERR_FSYNC = ("fsync of audit log {path!r} failed ({err}); the log is stopped and no further records "
             "are accepted: check the disk, verify the log, then open a new AuditLog")
ERR_WRITE = ("writing audit log {path!r} failed ({err}); the log is stopped and no further records "
             "are accepted: check the disk, verify the log, then open a new AuditLog")


_FLUSHER_IDLE_S = 5.0
_MIN_FREE_BYTES = 64 * 1024
_KEY_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _prepare(event: object) -> tuple[str, dict[str, Any]]:
    """Validate an event; return its kind and its other fields."""
    if not isinstance(event, dict):
        raise InputError(f"an audit log event must be a dict, got {type(event).__name__}")
    kind = check_kind(event.get("kind"))
    fields = {name: item for name, item in event.items() if name != "kind"}
    check_event(fields)
    return kind, fields


def _record(seq: int, prev: str, time: str, kind: str, key_id: str, fields: dict[str, Any],
            digest: str, mac: str) -> dict[str, Any]:
    return {"seq": seq, "prev": prev, "time": time, "kind": kind, "key_id": key_id,
            "event": fields, "hash": digest, "mac": mac}


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AuditLog:
    """An append-only, tamper-evident audit log file shared by threads and processes.

    Args:
        path: The log file (JSON Lines). Created with its folder when absent.
        key: Legacy HMAC-SHA256 key (at least 16 bytes; symmetric, so self-attested); see
            :func:`load_key`. Never written. Give ``key``, ``signer`` or both.
        signer: Ed25519 signing key for checkpoints (a ``Signer``, an ``Ed25519PrivateKey``
            named ``origin``, note-format key text or a key file path; see
            :func:`raikit.evidence._log_keys.resolve_signer` for env vars and key services).
            Never written.
        origin: The checkpoint origin (key name) for a bare ``Ed25519PrivateKey``.
        seal_on_close: Append a signed checkpoint record on :meth:`close` when this writer
            appended records since its last one (needs ``signer``).
        key_id: Public name of the key written in each record; derived from the key if None.
        durability: ``"always"`` (fsync every record) or ``"interval"`` (fsync in the
            background at most ``fsync_interval_ms`` after a record; see the module docs).
        fsync_interval_ms: The fsync window for ``durability="interval"``.
        max_bytes: Rotate the file before it would grow beyond this size; None never rotates.
        clock: Returns the current time as an aware UTC datetime (injectable for tests).
        keys: Earlier keys by key id, to verify records written before a key rotation.

    Raises:
        InputError: an argument is invalid (the message names it).

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with AuditLog(folder / "log.jsonl", key=bytes(32)) as log:
        ...     record = log.append({"kind": "decision", "decision": "allow", "findings": []})
        ...     log.verify().ok
        True
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        key: bytes | None = None,
        key_id: str | None = None,
        durability: Literal["always", "interval"] = "always",
        fsync_interval_ms: int = 50,
        max_bytes: int | None = None,
        clock: Clock | None = None,
        keys: dict[str, bytes] | None = None,
        signer: object | None = None,
        origin: str = "raikit/audit-log",
        seal_on_close: bool = True,
    ) -> None:
        if key is None and signer is None:
            raise InputError("an AuditLog needs a signer (Ed25519, recommended) or a legacy HMAC key")
        self._signer: Signer | None = as_signer(signer, origin) if signer is not None else None
        self._key = check_key(key) if key is not None else None
        self._mac = Mac(self._key) if self._key is not None else None
        self._seal_on_close = seal_on_close
        self._unsealed = False
        if key_id is not None and not (isinstance(key_id, str) and _KEY_ID.fullmatch(key_id)):
            raise InputError(f"key_id must be 1-64 characters of [A-Za-z0-9_.:-], got {key_id!r}")
        if durability not in ("always", "interval"):
            raise InputError(f"durability must be 'always' or 'interval', got {durability!r}")
        if not _positive_int(fsync_interval_ms):
            raise InputError(f"fsync_interval_ms must be a positive integer, got {fsync_interval_ms!r}")
        if max_bytes is not None and not _positive_int(max_bytes):
            raise InputError(f"max_bytes must be a positive integer or None, got {max_bytes!r}")
        if clock is not None and not callable(clock):
            raise InputError("clock must be a callable returning an aware UTC datetime")
        self._path = Path(path)
        self._lock_path = self._path.with_name(self._path.name + ".lock")
        if self._key is not None:
            self._key_id = key_id or log_key_id(self._key)
        else:
            assert self._signer is not None
            self._key_id = key_id or self._signer.key_id
        self._keys = {name: check_key(value, f"keys[{name!r}]") for name, value in (keys or {}).items()}
        if self._key is not None:
            self._keys[self._key_id] = self._key
        self._durability = durability
        self._interval = fsync_interval_ms / 1000.0
        self._max_bytes = max_bytes
        self._clock: Clock = clock or _utc_now
        self._failed: str | None = None
        self._closed = False
        self._reset_process_state()

    # -- process, file and lock state ---------------------------------------------------------

    def _reset_process_state(self) -> None:
        """Fresh locks and no open files (at start and in a forked child)."""
        self._pid = os.getpid()
        self._tlock = threading.Lock()
        self._fd: int | None = None
        self._lock_fd: int | None = None
        self._cache: tuple[tuple[int, int], int, int, str] | None = None  # (dev, ino), size, seq, hash
        self._dirty = False
        self._wake = threading.Condition(self._tlock)
        self._flusher: threading.Thread | None = None

    def _open_log(self) -> int:
        created = not self._path.exists()
        try:
            fd = os.open(self._path, _OPEN_FLAGS | os.O_APPEND, 0o640)
        except OSError as err:
            raise EvidenceError(f"cannot open audit log {str(self._path)!r}: {err.strerror}") from err
        if created and self._durability == "always":
            _fsync_dir(self._path.parent)
        return fd

    def _ensure_open(self) -> None:
        if self._fd is not None:
            return
        if fcntl is None or not hasattr(os, "pread"):  # pragma: no cover - Windows
            raise EvidenceError("writing an AuditLog needs a POSIX system (fcntl.flock, os.pread); "
                                "MemorySink and verification work everywhere")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = os.open(self._lock_path, _OPEN_FLAGS, 0o640)
        except OSError as err:
            where = str(self._lock_path)
            raise EvidenceError(f"cannot open audit log lock {where!r}: {err.strerror}") from err
        self._fd = self._open_log()

    def _enter(self) -> None:
        """Checks before taking the thread lock."""
        if self._pid != os.getpid():
            self._reset_process_state()  # forked: the parent's flock and threads are not ours
        if self._closed:
            raise EvidenceError(f"audit log {str(self._path)!r} is closed")

    def _check_usable(self) -> None:
        if self._failed is not None:
            raise EvidenceError(ERR_STOPPED.format(path=str(self._path), what=self._failed))

    def _flock(self) -> None:
        assert self._lock_fd is not None
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)

    def _funlock(self) -> None:
        assert self._lock_fd is not None
        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    # -- durability ---------------------------------------------------------------------------

    def _fsync(self, fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as err:
            self._failed = "fsync"
            logger.error("audit log fsync failed; log stopped (path=%s, errno=%s)", self._path, err.errno)
            raise EvidenceError(ERR_FSYNC.format(path=str(self._path), err=err.strerror or err)) from err

    def _after_write(self) -> None:
        assert self._fd is not None
        if self._durability == "always":
            self._fsync(self._fd)
            return
        self._dirty = True
        if self._flusher is None:
            self._flusher = threading.Thread(target=self._flush_loop, name="raikit-audit-log-fsync",
                                             daemon=True)
            self._flusher.start()
        else:
            self._wake.notify()

    def _flush_loop(self) -> None:
        """Background fsync for ``durability="interval"``; holds no lock while syncing."""
        import time

        while True:
            with self._tlock:
                while not self._dirty and not self._closed and self._failed is None:
                    if not self._wake.wait(timeout=_FLUSHER_IDLE_S) and not self._dirty:
                        self._flusher = None  # idle: exit; the next append starts a new one
                        return
                if self._failed is not None or (self._closed and not self._dirty):
                    return
            time.sleep(self._interval)
            with self._tlock:
                if not self._dirty or self._fd is None:
                    continue
                self._dirty = False
                fd = fcntl.fcntl(self._fd, fcntl.F_DUPFD_CLOEXEC, 0)
            try:
                self._fsync(fd)
            except EvidenceError:
                return
            finally:
                os.close(fd)

    # -- head, recovery, rotation ---------------------------------------------------------------

    def _stat(self) -> os.stat_result:
        """fstat the open log, reopening it if another writer rotated or removed it."""
        assert self._fd is not None
        st = os.fstat(self._fd)
        try:
            current = os.stat(self._path)
        except FileNotFoundError:
            current = None
        if current is None or (current.st_dev, current.st_ino) != (st.st_dev, st.st_ino):
            old, self._fd = self._fd, self._open_log()
            os.close(old)
            self._cache = None
            st = os.fstat(self._fd)
        return st

    def _parse_head(self, line: bytes, where: str) -> tuple[int, str]:
        parts = split(line)
        sp = seq_prev(parts[0]) if parts else None
        if parts is None or sp is None:
            raise EvidenceError(f"the last line of {where} is not an audit record; appending stopped "
                                "(run `raikit log verify`)")
        import hashlib
        import hmac

        body, digest, mac = parts
        if hashlib.sha256(body).hexdigest() != digest:
            raise EvidenceError(f"the last record of {where} fails its hash; appending stopped "
                                "(run `raikit log verify`)")
        key = self._keys.get(key_id_of(body) or "") if mac is not None else None
        if key is not None and mac is not None and not hmac.compare_digest(hmac.digest(key, body, "sha256").hex(), mac):
            raise EvidenceError(f"the last record of {where} fails its HMAC; appending stopped "
                                "(run `raikit log verify`)")
        return sp[0], digest

    def _last_line(self, fd: int, size: int) -> tuple[bytes | None, int]:
        """``(last complete line without newline, start)``, or ``(None, start of torn tail)``."""
        want = min(size, 4096)
        while True:
            data = os.pread(fd, want, size - want)
            complete = data.endswith(b"\n")
            cut = data.rfind(b"\n", 0, len(data) - 1) if complete else data.rfind(b"\n")
            if cut >= 0 or want == size:
                start = size - want + cut + 1
                return (data[cut + 1:-1] if complete else None), start
            want = min(size, want * 4)

    def _previous_head(self) -> tuple[int, str]:
        """Head of ``<log>.1`` when the current file is empty (just rotated), else the genesis."""
        rotated = self._path.with_name(self._path.name + ".1")
        try:
            fd = os.open(rotated, os.O_RDONLY)
        except FileNotFoundError:
            return -1, GENESIS
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                return -1, GENESIS
            line, _ = self._last_line(fd, size)
            if line is None:
                raise EvidenceError(f"rotated audit log {rotated.name!r} ends with a torn line; "
                                    "run `raikit log verify`")
            return self._parse_head(line, rotated.name)
        finally:
            os.close(fd)

    def _head_locked(self) -> tuple[int, str]:
        assert self._fd is not None
        st = self._stat()
        size = st.st_size
        ident = (st.st_dev, st.st_ino)
        cache = self._cache
        if cache is not None and cache[0] == ident and cache[1] == size:
            if size == 0 or os.pread(self._fd, 64, size - 140) == cache[3].encode():
                return cache[2], cache[3]
        if size == 0:
            seq, digest = self._previous_head()
        else:
            line, start = self._last_line(self._fd, size)
            if line is None:
                return self._recover(start, size)
            seq, digest = self._parse_head(line, self._path.name)
        self._cache = (ident, size, seq, digest)
        return seq, digest

    def _recover(self, start: int, size: int) -> tuple[int, str]:
        """Move a torn tail aside, truncate to the last complete record, append ``recovery``."""
        assert self._fd is not None
        torn = os.pread(self._fd, size - start, start)
        number = 1
        while True:
            aside = self._path.with_name(f"{self._path.name}.torn-{number}")
            try:
                fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
                break
            except FileExistsError:
                number += 1
        try:
            os.write(fd, torn)
            self._fsync(fd)
        finally:
            os.close(fd)
        os.ftruncate(self._fd, start)
        self._fsync(self._fd)
        logger.warning("audit log: moved a torn last line aside (path=%s, bytes=%d, to=%s)",
                       self._path, len(torn), aside.name)
        self._cache = None
        seq, prev = self._head_locked()
        record = self._emit(seq + 1, prev, "recovery",
                            {"moved_to": aside.name, "offset": start, "torn_bytes": len(torn)})
        return record["seq"], record["hash"]

    def _rotate_locked(self) -> None:
        assert self._fd is not None
        self._fsync(self._fd)
        pattern = re.compile(re.escape(self._path.name) + r"\.(\d+)$")
        matches = (pattern.match(entry.name) for entry in self._path.parent.iterdir())
        numbers = sorted((int(m.group(1)) for m in matches if m), reverse=True)
        for number in numbers:
            os.rename(self._path.with_name(f"{self._path.name}.{number}"),
                      self._path.with_name(f"{self._path.name}.{number + 1}"))
        os.rename(self._path, self._path.with_name(self._path.name + ".1"))
        old, self._fd = self._fd, self._open_log()
        os.close(old)
        _fsync_dir(self._path.parent)
        logger.info("audit log rotated (path=%s)", self._path)

    def _write(self, line: bytes) -> None:
        assert self._fd is not None
        view = memoryview(line)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError as err:
            self._failed = "write"
            logger.error("audit log write failed; log stopped (path=%s, errno=%s)", self._path, err.errno)
            raise EvidenceError(ERR_WRITE.format(path=str(self._path), err=err.strerror or err)) from err

    def _emit(self, seq: int, prev: str, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Write one record after ``prev`` (lock held); returns the record."""
        assert self._fd is not None
        time = format_time(self._clock())
        line, digest, mac = encode(seq, prev, time, kind, self._key_id, fields, self._mac)
        st = os.fstat(self._fd)
        if self._max_bytes is not None and st.st_size > 0 and st.st_size + len(line) > self._max_bytes:
            self._rotate_locked()
            st = os.fstat(self._fd)
        self._write(line)
        self._cache = ((st.st_dev, st.st_ino), st.st_size + len(line), seq, digest)
        self._after_write()
        return _record(seq, prev, time, kind, self._key_id, fields, digest, mac)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This thread and process alone hold the log: thread lock, then the file lock."""
        self._enter()
        with self._tlock:
            self._check_usable()
            self._ensure_open()
            self._flock()
            try:
                yield
            finally:
                self._funlock()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The exclusive lock, with an I/O error raised as an :class:`EvidenceError` naming the log."""
        with self._exclusive():
            try:
                yield
            except OSError as err:
                raise EvidenceError(f"audit log {str(self._path)!r} I/O error: {err.strerror or err}") from err

    def _append(self, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
        with self._writing():
            seq, prev = self._head_locked()
            record = self._emit(seq + 1, prev, kind, fields)
            self._unsealed = True
            return record

    @property
    def signer(self) -> Signer | None:
        """The Ed25519 signer of checkpoints, or None for a symmetric (HMAC-only) log."""
        return self._signer

    def check_health(self) -> None:
        """Fail now, before any work, if the log cannot take records.

        Opens the log and its lock file, takes the lock, reads the head (so a damaged last
        record is found) and checks that the file system accepts writes (not read-only, some
        free space). Call it before running a generator whose decisions must be recorded.

        Raises:
            EvidenceError: the log is stopped, unwritable, unlockable or damaged, or the disk is
                read-only or full.
        """
        with self._writing():
            self._head_locked()
            stats = os.fstatvfs(self._fd) if self._fd is not None else None
        if stats is not None:
            if stats.f_flag & getattr(os, "ST_RDONLY", 1):
                raise EvidenceError(f"audit log {str(self._path)!r} is on a read-only file system")
            if stats.f_bavail * stats.f_frsize < _MIN_FREE_BYTES:
                raise EvidenceError(f"audit log {str(self._path)!r}: less than {_MIN_FREE_BYTES // 1024} KiB "
                                    "free on its disk")

    def seal(self) -> str | None:
        """Append a ``checkpoint`` record that signs every record up to the current head.

        Returns:
            The checkpoint note text (C2SP tlog-checkpoint), which also verifies on its own
            (keep a copy elsewhere to detect a deleted tail); None for a symmetric log.

        Raises:
            EvidenceError: the log cannot be written or the signer (key service) failed.
        """
        if self._signer is None:
            return None
        with self._writing():
            seq, head = self._head_locked()
            note = sign_checkpoint(self._signer, self._signer.name, seq + 1, head)
            self._emit(seq + 1, head, "checkpoint", {"checkpoint": note})
            self._unsealed = False
            return note

    # -- public API -----------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The log file."""
        return self._path

    @property
    def key_id(self) -> str:
        """The public id of the key new records are written with."""
        return self._key_id

    def append(self, event: dict[str, Any]) -> dict[str, Any]:
        """Append one event; returns the record written (``seq``, ``time``, ``hash``, ...).

        ``event["kind"]`` is one of ``decision``, ``audit_run``, ``policy_load`` or ``x-<name>``;
        the other fields must be JSON data holding no raw text: keys named ``prompt``,
        ``output``, ``text``, ``raw``, ``content`` or ``value`` are refused at any depth.

        Raises:
            InputError: the event is invalid (the message names the field, never its value).
            EvidenceError: the log cannot be written or is stopped after an fsync/write error.

        Example:
            >>> import tempfile, pathlib
            >>> log = AuditLog(pathlib.Path(tempfile.mkdtemp()) / "log.jsonl", key=bytes(32))
            >>> log.append({"kind": "policy_load", "policy_hash": "ab" * 32})["seq"]
            0
            >>> log.close()
        """
        kind, fields = _prepare(event)
        return self._append(kind, fields)

    def rotate_key(self, key: bytes, key_id: str | None = None) -> dict[str, Any]:
        """Switch to a new HMAC key, recording a ``key_rotation`` record under the old one.

        The old key stays in this log's keyring for :meth:`verify`; other verifiers need both.
        """
        if self._key is None:
            raise InputError("rotate_key changes a symmetric log's HMAC key; this log is signed")
        key = check_key(key)
        new_id = key_id or log_key_id(key)
        record = self._append("key_rotation", {"new_key_id": new_id, "old_key_id": self._key_id})
        with self._tlock:
            self._key, self._key_id, self._mac = key, new_id, Mac(key)
            self._keys[new_id] = key
        return record

    def head(self) -> tuple[int, str]:
        """``(seq, hash)`` of the last record; ``(-1, "000...0")`` for an empty log.

        Example:
            >>> import tempfile, pathlib
            >>> AuditLog(pathlib.Path(tempfile.mkdtemp()) / "log.jsonl", key=bytes(32)).head()[0]
            -1
        """
        with self._exclusive():
            return self._head_locked()

    def verify(self, checkpoint: str | None = None, public_key: object | None = None,
               *, keys: dict[str, bytes] | None = None) -> VerifyResult:
        """Verify every record (hash, HMAC, chain) and optionally a signed checkpoint.

        Args:
            checkpoint: Checkpoint text (from :meth:`checkpoint`) to check the log against.
            public_key: The checkpoint's public key: note-format text, a file path, a
                ``Verifier`` or an ``Ed25519PublicKey``.
            keys: More HMAC keys by key id (records written by other keys).

        Returns:
            A :class:`VerifyResult`; ``ok`` is False and ``reason`` names the first bad record
            when the log was tampered with.

        Raises:
            EvidenceError: the log is missing or unreadable, or the checkpoint is malformed.
        """
        ring = dict(self._keys)
        ring.update(keys or {})
        if public_key is None and self._signer is not None and checkpoint is None:
            public_key = self._signer.verifier()
        return verify_files(self._path, keys=ring if ring else None, checkpoint=checkpoint, verifier=public_key)

    def checkpoint(self, private_key: object, origin: str, *, verify: bool = True) -> str:
        """A signed checkpoint (C2SP ``tlog-checkpoint`` text) of the log's current size and head.

        Args:
            private_key: A ``Signer``, an ``Ed25519PrivateKey`` (signs under the name
                ``origin``), note-format private key text or a key file path.
            origin: The checkpoint's origin line, e.g. ``example.com/raikit/audit-log``.
            verify: Verify the log first and refuse to sign a tampered one.

        Raises:
            EvidenceError: ``verify`` is set and the log fails verification.

        Example:
            >>> import tempfile, pathlib
            >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            >>> log = AuditLog(pathlib.Path(tempfile.mkdtemp()) / "log.jsonl", key=bytes(32))
            >>> _ = log.append({"kind": "audit_run", "suite": "demo"})
            >>> log.checkpoint(Ed25519PrivateKey.generate(), "example.com/log").splitlines()[1]
            '1'
        """
        signer = as_signer(private_key, origin)
        if verify:
            result = verify_files(self._path, keys=dict(self._keys) or None)
            if not result.ok:
                raise EvidenceError("refusing to sign a checkpoint of a log that fails verification: "
                                    f"{result.reason}")
            size, head = result.records, result.head_hash
        else:
            seq, head = self.head()
            size = seq + 1
        return sign_checkpoint(signer, origin, size, head)

    def close(self) -> None:
        """Seal (signed logs: a checkpoint record over the head), flush and close. Safe to call twice.

        Raises:
            EvidenceError: sealing or the final fsync failed (the file is closed anyway).
        """
        if self._pid != os.getpid():
            self._reset_process_state()
        seal_error: EvidenceError | None = None
        if (self._signer is not None and self._seal_on_close and self._unsealed and not self._closed
                and self._failed is None):
            try:
                self.seal()
            except EvidenceError as err:
                seal_error = err
        with self._tlock:
            if self._closed:
                return
            self._closed = True
            self._wake.notify_all()
            fd, lock_fd = self._fd, self._lock_fd
            dirty, self._dirty = self._dirty, False
            self._fd = self._lock_fd = None
        try:
            if fd is not None and dirty and self._failed is None:
                self._fsync(fd)
        finally:
            for handle in (fd, lock_fd):
                if handle is not None:
                    os.close(handle)
        if seal_error is not None:
            raise seal_error

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if not self._closed and self._pid == os.getpid():
                self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    def __repr__(self) -> str:
        return (f"AuditLog({str(self._path)!r}, key_id={self._key_id!r}, custody="
                f"{'signed' if self._signer else 'symmetric'!r}, durability={self._durability!r}, "
                f"max_bytes={self._max_bytes!r})")


class MemorySink:
    """An in-memory audit log with the same ``append(event)`` contract, for tests.

    Records are built, validated and chained exactly as :class:`AuditLog` builds them.

    Args:
        key: HMAC key; a random one when None.
        clock: Returns an aware UTC datetime.

    Example:
        >>> sink = MemorySink()
        >>> _ = sink.append({"kind": "decision", "decision": "block", "findings": []})
        >>> [r["event"]["decision"] for r in sink.records], sink.verify().ok
        (['block'], True)
    """

    def __init__(self, *, key: bytes | None = None, key_id: str | None = None,
                 clock: Clock | None = None) -> None:
        import secrets

        self._key = check_key(key if key is not None else secrets.token_bytes(32))
        self._mac = Mac(self._key)
        self._key_id = key_id or log_key_id(self._key)
        self._clock: Clock = clock or _utc_now
        self._lock = threading.Lock()
        self.lines: list[bytes] = []
        self.records: list[dict[str, Any]] = []

    def append(self, event: dict[str, Any]) -> dict[str, Any]:
        """Validate, chain and keep one event; returns the record."""
        kind, fields = _prepare(event)
        with self._lock:
            seq = len(self.records)
            prev = self.records[-1]["hash"] if self.records else GENESIS
            time = format_time(self._clock())
            line, digest, mac = encode(seq, prev, time, kind, self._key_id, fields, self._mac)
            record = decode(line)
            self.lines.append(line)
            self.records.append(record)
        return record

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The events (with their ``kind``) appended so far, optionally of one kind."""
        return [{"kind": r["kind"], **r["event"]} for r in self.records if kind is None or r["kind"] == kind]

    def head(self) -> tuple[int, str]:
        """``(seq, hash)`` of the last record, ``(-1, "000...0")`` when empty."""
        with self._lock:
            return (len(self.records) - 1, self.records[-1]["hash"]) if self.records else (-1, GENESIS)

    def verify(self) -> VerifyResult:
        """Verify the kept lines exactly as a file would be verified."""
        with self._lock:
            batch = [line[:-1] for line in self.lines]
        return verify_lines([("<memory>", [(batch, None)])], keys={self._key_id: self._key})

    def close(self) -> None:
        """Nothing to release; present for API parity."""

    def __enter__(self) -> MemorySink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Parse every complete record of a log and its rotated files (no verification).

    Raises:
        EvidenceError: the log is missing or a line is not a record.
    """
    files = log_files(path)
    if not files:
        raise EvidenceError(f"audit log {str(path)!r} not found")
    records = []
    for file in files:
        data = file.read_bytes()
        for line in data.split(b"\n")[:-1]:
            records.append(decode(line))
    return records

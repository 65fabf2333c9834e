"""The audit log: record format, raw-text refusal, every tamper kind, checkpoints, recovery, rotation."""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import raikit.audits as audits
from raikit.audits import AuditLog, MemorySink, VerifyResult, load_key
from raikit.evidence._log_checkpoint import generate_signer, parse_signer, parse_verifier, sign_checkpoint
from raikit.errors import EvidenceError, InputError

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


class FakeClock:
    """Deterministic UTC clock: one millisecond per call."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def decision(i: int) -> dict:
    return {
        "kind": "decision",
        "decision": "block" if i % 3 == 0 else "allow",
        "policy_hash": hashlib.sha256(b"policy").hexdigest(),
        "generator": "demo:generate",
        "findings": [{"check": "pii", "type": "EMAIL", "start": i, "end": i + 17, "score": 0.97,
                      "hash": f"{i:016x}"}],
        "timings_ms": {"pii": 1.25, "total": 2.5},
    }


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "log.jsonl"


def write_log(path: Path, n: int = 10, **kwargs) -> AuditLog:
    log = AuditLog(path, key=KEY, clock=FakeClock(), **kwargs)
    for i in range(n):
        log.append(decision(i))
    return log


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def rehash(line: bytes, edit=None) -> bytes:
    """What an attacker without the key can do: edit the body and recompute its SHA-256."""
    record = json.loads(line)
    if edit:
        edit(record)
    body_keys = ("seq", "prev", "time", "kind", "key_id", "event")
    event = json.dumps(record["event"], sort_keys=True, separators=(",", ":"))
    body = (f'{{"seq":{record["seq"]},"prev":"{record["prev"]}","time":"{record["time"]}",'
            f'"kind":"{record["kind"]}","key_id":"{record["key_id"]}","event":{event}}}').encode()
    assert all(k in record for k in body_keys)
    digest = hashlib.sha256(body).hexdigest()
    return body[:-1] + f',"hash":"{digest}","mac":"{record["mac"]}"}}\n'.encode()


# -- records and events ----------------------------------------------------------------------------


def test_append_returns_chained_records_and_file_holds_no_key(log_path: Path) -> None:
    log = write_log(log_path, 3)
    records = [json.loads(line) for line in lines_of(log_path)]
    assert [r["seq"] for r in records] == [0, 1, 2]
    assert records[0]["prev"] == "0" * 64
    assert records[1]["prev"] == records[0]["hash"] and records[2]["prev"] == records[1]["hash"]
    assert records[0]["time"] == "2026-01-01T00:00:00.001000Z"
    assert records[0]["kind"] == "decision" and "kind" not in records[0]["event"]
    assert log.head() == (2, records[2]["hash"])
    text = log_path.read_text()
    assert KEY.hex() not in text and base64.b64encode(KEY).decode() not in text
    assert records[0]["key_id"] == log.key_id and "key" not in records[0]
    assert "key=" not in repr(log)
    log.close()


def test_append_return_value_matches_the_file(log_path: Path) -> None:
    with AuditLog(log_path, key=KEY) as log:
        record = log.append(decision(1))
    assert json.loads(lines_of(log_path)[0]) == json.loads(json.dumps(record))


@pytest.mark.parametrize(
    "event, where",
    [
        ({"kind": "decision", "prompt": "hello"}, "event.prompt"),
        ({"kind": "decision", "Output": "x"}, "event.Output"),
        ({"kind": "decision", "findings": [{"type": "EMAIL", "value": "a@b.c"}]}, "event.findings[0].value"),
        ({"kind": "decision", "meta": {"inner": {"raw": "x"}}}, "event.meta.inner.raw"),
        ({"kind": "audit_run", "content": ""}, "event.content"),
        ({"kind": "decision", "text": None}, "event.text"),
    ],
)
def test_raw_text_keys_are_refused_anywhere(log_path: Path, event: dict, where: str) -> None:
    secret = "jane.doe@example.com"
    event = json.loads(json.dumps(event).replace('"x"', json.dumps(secret)))
    with AuditLog(log_path, key=KEY) as log, pytest.raises(InputError) as info:
        log.append(event)
    assert where in str(info.value) and secret not in str(info.value)
    assert not log_path.exists() or log_path.read_bytes() == b""


@pytest.mark.parametrize(
    "event",
    [
        {"decision": "allow"},  # no kind
        {"kind": "chat"},  # unknown kind
        {"kind": "recovery"},  # written by the log itself
        {"kind": "key_rotation"},
        {"kind": "decision", "score": float("nan")},
        {"kind": "decision", "blob": b"bytes"},
        {"kind": "decision", "obj": object()},
        {"kind": "decision", 3: "non-string key"},
        ["not", "a", "dict"],
    ],
)
def test_invalid_events_are_refused(log_path: Path, event: object) -> None:
    with AuditLog(log_path, key=KEY) as log, pytest.raises(InputError):
        log.append(event)  # type: ignore[arg-type]


def test_extension_kinds_are_accepted(log_path: Path) -> None:
    with AuditLog(log_path, key=KEY) as log:
        assert log.append({"kind": "x-external-check", "score": 0.5})["kind"] == "x-external-check"
        assert log.verify().ok


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"key": b"short"}, "16"),
        ({"key": "a string key" * 4}, "bytes"),
        ({"key": KEY, "durability": "sometimes"}, "durability"),
        ({"key": KEY, "fsync_interval_ms": 0}, "fsync_interval_ms"),
        ({"key": KEY, "max_bytes": -1}, "max_bytes"),
        ({"key": KEY, "key_id": "has space"}, "key_id"),
    ],
)
def test_constructor_validates_arguments(log_path: Path, kwargs: dict, word: str) -> None:
    with pytest.raises(InputError, match=word):
        AuditLog(log_path, **kwargs)


def test_naive_clock_is_refused(log_path: Path) -> None:
    naive = AuditLog(log_path, key=KEY, clock=lambda: datetime(2026, 1, 1))
    with naive as log, pytest.raises(InputError, match="UTC"):
        log.append(decision(0))


def test_load_key_from_env_and_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAIKIT_LOG_KEY", raising=False)
    with pytest.raises(InputError, match="RAIKIT_LOG_KEY"):
        load_key()
    monkeypatch.setenv("RAIKIT_LOG_KEY", KEY.hex())
    assert load_key() == KEY
    monkeypatch.setenv("RAIKIT_LOG_KEY", "not hex at all")
    with pytest.raises(InputError, match="hex") as info:
        load_key()
    assert "not hex" not in str(info.value)
    monkeypatch.setenv("RAIKIT_LOG_KEY", "abcd")
    with pytest.raises(InputError, match="16 bytes"):
        load_key()
    key_file = tmp_path / "k"
    key_file.write_text("base64:" + base64.b64encode(OTHER_KEY).decode() + "\n")
    assert load_key(file=key_file) == OTHER_KEY
    with pytest.raises(InputError, match="cannot read"):
        load_key(file=tmp_path / "missing")


def test_public_exports_are_sorted_and_include_the_log_api() -> None:
    assert audits.__all__ == sorted(audits.__all__)
    assert {"AuditLog", "MemorySink", "VerifyResult", "load_key"} <= set(audits.__all__)


# -- tamper detection --------------------------------------------------------------------------------


def _edit_field(lines: list[bytes]) -> list[bytes]:
    lines[4] = lines[4].replace(b'"decision":"allow"', b'"decision":"block"')
    return lines


def _edit_and_rehash(lines: list[bytes]) -> list[bytes]:
    lines[4] = rehash(lines[4], lambda r: r["event"].update(decision="block"))
    return lines


def _delete(lines: list[bytes]) -> list[bytes]:
    del lines[4]
    return lines


def _delete_two(lines: list[bytes]) -> list[bytes]:
    del lines[4:6]
    return lines


def _delete_first(lines: list[bytes]) -> list[bytes]:
    return lines[1:]


def _swap(lines: list[bytes]) -> list[bytes]:
    lines[4], lines[5] = lines[5], lines[4]
    return lines


def _move_later(lines: list[bytes]) -> list[bytes]:
    moved = lines.pop(4)
    lines.insert(7, moved)
    return lines


def _insert_forged(lines: list[bytes]) -> list[bytes]:
    forged = rehash(lines[4], lambda r: r["event"].update(decision="allow", generator="attacker"))
    lines.insert(4, forged)
    return lines


def _insert_replay(lines: list[bytes]) -> list[bytes]:
    lines.insert(6, lines[2])
    return lines


def _not_a_record(lines: list[bytes]) -> list[bytes]:
    lines.insert(4, b'{"note":"hello"}\n')
    return lines


def _edit_seq(lines: list[bytes]) -> list[bytes]:
    lines[4] = lines[4].replace(b'{"seq":4,', b'{"seq":40,', 1)
    return lines


TAMPERS = [
    (_edit_field, "edited", 4, "hash mismatch"),
    (_edit_and_rehash, "edited", 4, "HMAC mismatch"),
    (_delete, "deleted", 4, "record 4 missing"),
    (_delete_two, "deleted", 4, "records 4..5 missing"),
    (_delete_first, "deleted", 0, "record 0 missing"),
    (_swap, "reordered", 4, "record 5 appears before record 4"),
    (_move_later, "reordered", 4, "record 5 appears before record 4"),
    (_insert_forged, "inserted", 4, "forged"),
    (_insert_replay, "inserted", 6, "copy of record 2"),
    (_not_a_record, "inserted", 4, "not a record"),
    (_edit_seq, "edited", 4, "hash mismatch"),
]


@pytest.mark.parametrize("tamper, kind, first_bad, detail", TAMPERS, ids=[t[0].__name__ for t in TAMPERS])
def test_every_tamper_kind_is_caught_and_named(log_path: Path, tamper, kind: str, first_bad: int,
                                               detail: str) -> None:
    log = write_log(log_path, 10)
    assert log.verify().ok
    log_path.write_bytes(b"".join(tamper(lines_of(log_path))))
    result = log.verify()
    assert not result.ok
    assert result.tamper == kind, result.reason
    assert result.first_bad == first_bad == result.records
    assert result.reason.startswith(kind + ":") and detail in result.reason
    assert result.location and result.location.startswith("log.jsonl:")
    log.close()


def test_intact_log_verifies_and_names_the_head(log_path: Path) -> None:
    log = write_log(log_path, 10)
    result = log.verify()
    assert result == VerifyResult(True, 10, None, None, log.head()[1], lines=10, files=("log.jsonl",))
    log.close()


def test_wrong_key_is_reported_as_unknown_key(log_path: Path) -> None:
    write_log(log_path, 3).close()
    result = AuditLog(log_path, key=OTHER_KEY).verify()
    assert not result.ok and result.tamper == "unknown_key" and result.first_bad == 0


def test_appending_after_a_forged_head_is_refused(log_path: Path) -> None:
    write_log(log_path, 3).close()
    lines = lines_of(log_path)
    lines[-1] = rehash(lines[-1], lambda r: r["event"].update(generator="attacker"))
    log_path.write_bytes(b"".join(lines))
    with AuditLog(log_path, key=KEY) as log, pytest.raises(EvidenceError, match="HMAC"):
        log.append(decision(9))


# -- checkpoints -------------------------------------------------------------------------------------


def test_checkpoint_has_the_c2sp_format_and_verifies(log_path: Path) -> None:
    log = write_log(log_path, 5)
    signer = generate_signer("example.com/audit")
    text = log.checkpoint(signer, "example.com/audit")
    origin, size, root, blank, sig, end = text.split("\n")
    assert (origin, size, blank, end) == ("example.com/audit", "5", "", "")
    assert base64.b64decode(root).hex() == log.head()[1]
    name_and_sig = sig.removeprefix("\u2014 ")
    name, blob = name_and_sig.split(" ")
    raw = base64.b64decode(blob)
    public = parse_verifier(signer.verifier().to_text())
    from cryptography.hazmat.primitives import serialization

    pub_raw = public.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert name == "example.com/audit" and len(raw) == 4 + 64
    assert raw[:4] == hashlib.sha256(b"example.com/audit\n\x01" + pub_raw).digest()[:4]
    public.key.verify(raw[4:], "\n".join([origin, size, root]).encode() + b"\n")
    result = log.verify(text, signer.verifier().to_text())
    assert result.ok and result.checkpoint_size == 5
    log.close()


def test_checkpoint_keys_round_trip_and_bare_keys_work(log_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signer = generate_signer("example.com/a")
    again = parse_signer(signer.to_text())
    assert again.verifier().to_text() == signer.verifier().to_text()
    log = write_log(log_path, 2)
    private = Ed25519PrivateKey.generate()
    text = log.checkpoint(private, "example.com/b")
    assert log.verify(text, private.public_key()).ok
    log.close()


def test_checkpoint_detects_truncation(log_path: Path) -> None:
    log = write_log(log_path, 10)
    signer = generate_signer("example.com/audit")
    text = log.checkpoint(signer, "example.com/audit")
    log_path.write_bytes(b"".join(lines_of(log_path)[:7]))
    assert log.verify().ok  # without a checkpoint, a shorter log looks intact
    result = log.verify(text, signer.verifier())
    assert not result.ok and result.tamper == "truncated" and result.first_bad == 7
    assert "7 records" in result.reason and "10" in result.reason
    log.close()


def test_checkpoint_detects_a_truncated_then_extended_log(log_path: Path) -> None:
    log = write_log(log_path, 6)
    signer = generate_signer("example.com/audit")
    text = log.checkpoint(signer, "example.com/audit")
    log.close()
    log_path.write_bytes(b"".join(lines_of(log_path)[:3]))
    with AuditLog(log_path, key=KEY, clock=FakeClock()) as again:  # someone with the key rewrites history
        for i in range(5):
            again.append(decision(100 + i))
        assert again.verify().ok
        result = again.verify(text, signer.verifier())
    assert not result.ok and result.tamper == "rewritten"


def test_rechained_log_without_the_key_fails(log_path: Path) -> None:
    """An attacker without the HMAC key re-hashes and re-chains every record after an edit."""
    log = write_log(log_path, 8)
    signer = generate_signer("example.com/audit")
    text = log.checkpoint(signer, "example.com/audit")
    lines = lines_of(log_path)
    prev = json.loads(lines[1])["hash"]
    for i in range(2, len(lines)):
        def edit(r, prev=prev, i=i):
            r["prev"] = prev
            if i == 2:
                r["event"]["decision"] = "block"
        lines[i] = rehash(lines[i], edit)
        prev = json.loads(lines[i])["hash"]
    log_path.write_bytes(b"".join(lines))
    with_key = log.verify()
    assert not with_key.ok and with_key.tamper == "edited" and with_key.first_bad == 2
    assert "HMAC" in with_key.reason
    from raikit.evidence._log_verify import verify_files

    assert verify_files(log_path, keys=None).ok  # the hash chain alone is consistent ...
    pinned = verify_files(log_path, keys=None, checkpoint=text, verifier=signer.verifier())
    assert not pinned.ok and pinned.tamper == "rewritten"  # ... but the checkpoint pins history
    log.close()


@pytest.mark.parametrize("change", ["size", "root", "signature", "other_key"])
def test_forged_or_foreign_checkpoint_is_refused(log_path: Path, change: str) -> None:
    log = write_log(log_path, 4)
    signer = generate_signer("example.com/audit")
    text = log.checkpoint(signer, "example.com/audit")
    lines = text.split("\n")
    if change == "size":
        lines[1] = "3"
    elif change == "root":
        lines[2] = base64.b64encode(bytes(32)).decode()
    elif change == "signature":
        blob = bytearray(base64.b64decode(lines[4].split(" ")[2]))
        blob[10] ^= 1
        lines[4] = "\u2014 example.com/audit " + base64.b64encode(bytes(blob)).decode()
    verifier = generate_signer("example.com/audit").verifier() if change == "other_key" else signer.verifier()
    result = log.verify("\n".join(lines), verifier)
    assert not result.ok and result.tamper == "checkpoint"
    log.close()


@pytest.mark.parametrize(
    "text", ["", "origin\n3\n", "o\nx\nAAAA\n\n\u2014 k AAAA\n", "o\n1\nAAAA\n\n\u2014 k AAAA\n"]
)
def test_malformed_checkpoint_raises_evidence_error(log_path: Path, text: str) -> None:
    log = write_log(log_path, 1)
    with pytest.raises(EvidenceError, match="checkpoint"):
        log.verify(text, generate_signer("k").verifier())
    log.close()


def test_checkpoint_refuses_to_sign_a_tampered_log(log_path: Path) -> None:
    log = write_log(log_path, 6)
    log_path.write_bytes(b"".join(_delete(lines_of(log_path))))
    with pytest.raises(EvidenceError, match="deleted"):
        log.checkpoint(generate_signer("example.com/a"), "example.com/a")
    log.close()


def test_empty_log_checkpoint_pins_the_genesis(tmp_path: Path) -> None:
    signer = generate_signer("e")
    text = sign_checkpoint(signer, "e", 0, "0" * 64)
    path = tmp_path / "log.jsonl"
    path.touch()
    from raikit.evidence._log_verify import verify_files

    assert verify_files(path, keys={"k": KEY}, checkpoint=text, verifier=signer.verifier()).ok


# -- crash recovery, rotation, durability ------------------------------------------------------------


def test_torn_last_line_is_moved_aside_and_recovered(log_path: Path) -> None:
    write_log(log_path, 5).close()
    whole = lines_of(log_path)
    log_path.write_bytes(b"".join(whole) + whole[2][:90])  # a writer killed mid-append
    with AuditLog(log_path, key=KEY) as log:
        before = log.verify()
        assert before.ok and before.records == 5 and "torn" in before.warnings[0]
        record = log.append(decision(5))
        assert record["seq"] == 6
        result = log.verify()
    assert result.ok and result.records == 7 and not result.warnings
    records = [json.loads(line) for line in lines_of(log_path)]
    assert records[5]["kind"] == "recovery"
    offset = len(b"".join(whole))
    assert records[5]["event"] == {"moved_to": "log.jsonl.torn-1", "offset": offset, "torn_bytes": 90}
    assert (log_path.parent / "log.jsonl.torn-1").read_bytes() == whole[2][:90]


def test_torn_only_line_in_a_new_log_is_recovered(log_path: Path) -> None:
    log_path.write_bytes(b'{"seq":0,"prev":"00')
    with AuditLog(log_path, key=KEY) as log:
        log.append(decision(0))
        result = log.verify()
    assert result.ok and result.records == 2


def test_rotation_keeps_the_chain_across_files(log_path: Path) -> None:
    log = write_log(log_path, 30, max_bytes=2000)
    files = sorted(p.name for p in log_path.parent.glob("log.jsonl*") if not p.name.endswith(".lock"))
    assert len(files) > 3 and all(p.stat().st_size <= 2000 for p in log_path.parent.glob("log.jsonl*"))
    result = log.verify()
    assert result.ok and result.records == 30
    assert result.files[-1] == "log.jsonl" and result.files[0] != "log.jsonl"
    assert log.head()[0] == 29
    log.close()
    reopened = AuditLog(log_path, key=KEY, max_bytes=2000)  # the head is read from the files
    assert reopened.append(decision(30))["seq"] == 30
    reopened.close()
    (log_path.parent / "log.jsonl.2").unlink()  # drop one rotated file
    result = AuditLog(log_path, key=KEY).verify()
    assert not result.ok and result.tamper == "deleted"


def test_rotation_with_an_empty_current_file_continues_the_chain(log_path: Path) -> None:
    write_log(log_path, 3).close()
    os.rename(log_path, log_path.with_name("log.jsonl.1"))  # crash right after a rotation rename
    log_path.touch()
    with AuditLog(log_path, key=KEY) as log:
        assert log.append(decision(3))["seq"] == 3
        assert log.verify().ok


def test_fsync_error_stops_the_log(log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = AuditLog(log_path, key=KEY)
    log.append(decision(0))

    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(EvidenceError, match="fsync.*stopped"):
        log.append(decision(1))
    monkeypatch.undo()
    with pytest.raises(EvidenceError, match="stopped"):  # no silent retry once the disk is back
        log.append(decision(2))
    log.close()
    assert AuditLog(log_path, key=KEY).verify().ok


def test_background_fsync_error_stops_the_log(log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = AuditLog(log_path, key=KEY, durability="interval", fsync_interval_ms=1)
    failed = threading.Event()

    def broken(fd: int) -> None:
        failed.set()
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    log.append(decision(0))
    assert failed.wait(5)
    log._flusher.join(5)  # the flusher stops after the error
    with pytest.raises(EvidenceError, match="stopped"):
        log.append(decision(1))
    log.close()


def test_interval_durability_fsyncs_in_the_background(log_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    synced = threading.Event()
    real = os.fsync

    def spy(fd: int) -> None:
        synced.set()
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    with AuditLog(log_path, key=KEY, durability="interval", fsync_interval_ms=5) as log:
        log.append(decision(0))
        assert synced.wait(5)
    assert AuditLog(log_path, key=KEY).verify().ok


def test_key_rotation_is_recorded_and_verifiable(log_path: Path) -> None:
    log = write_log(log_path, 2)
    old_id = log.key_id
    rotation = log.rotate_key(OTHER_KEY)
    assert rotation["kind"] == "key_rotation" and rotation["event"]["old_key_id"] == old_id
    log.append(decision(3))
    assert log.verify().ok
    log.close()
    only_new = AuditLog(log_path, key=OTHER_KEY)
    assert only_new.verify().tamper == "unknown_key"
    assert only_new.verify(keys={old_id: KEY}).ok


def test_threads_append_without_losing_records(log_path: Path) -> None:
    log = AuditLog(log_path, key=KEY, durability="interval")
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(50):
                log.append({"kind": "x-thread", "thread": t, "i": i})
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log.close()
    assert not errors
    result = AuditLog(log_path, key=KEY).verify()
    assert result.ok and result.records == 300
    events = [json.loads(line)["event"] for line in lines_of(log_path)]
    seen = {(e["thread"], e["i"]) for e in events}
    assert seen == {(t, i) for t in range(6) for i in range(50)}


# -- memory sink ---------------------------------------------------------------------------------------


def test_memory_sink_matches_the_file_format() -> None:
    sink = MemorySink(key=KEY, clock=FakeClock())
    for i in range(4):
        sink.append(decision(i))
    assert sink.verify().ok and sink.head()[0] == 3
    assert [e["kind"] for e in sink.events("decision")] == ["decision"] * 4
    assert sink.events()[0]["findings"][0]["type"] == "EMAIL"
    sink.lines[1] = sink.lines[1].replace(b'"allow"', b'"block"')
    assert sink.verify().tamper == "edited"
    with pytest.raises(InputError):
        sink.append({"kind": "decision", "prompt": "raw"})


@pytest.mark.parametrize("key", [bytes(16), KEY, b"k" * 64, b"long" * 40])
@pytest.mark.parametrize("message", [b"", b"x", b"{}" * 500])
def test_precomputed_hmac_matches_the_standard_library(key: bytes, message: bytes) -> None:
    import hmac

    from raikit.evidence._log_record import Mac

    assert Mac(key).hex(message) == hmac.digest(key, message, "sha256").hex()


def test_large_records_are_read_back_as_the_head(log_path: Path) -> None:
    big = {"kind": "audit_run", "findings": [{"type": "EMAIL", "start": i, "end": i + 5, "score": 0.5}
                                             for i in range(400)]}
    with AuditLog(log_path, key=KEY) as log:
        log.append(big)
    assert log_path.stat().st_size > 16_000
    with AuditLog(log_path, key=KEY) as log:  # a new writer reads the head backwards past 4 KiB
        assert log.head()[0] == 0
        assert log.append(big)["seq"] == 1
        assert log.verify().ok


def test_verify_of_a_missing_log_raises(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="not found"):
        AuditLog(tmp_path / "nothing.jsonl", key=KEY).verify()


def test_junk_appended_at_the_end_is_named_inserted(log_path: Path) -> None:
    log = write_log(log_path, 3)
    with open(log_path, "ab") as handle:
        handle.write(b'{"seq":3,"note":"appended by hand"}\n')
    result = log.verify()
    assert result.tamper == "inserted" and result.first_bad == 3 and result.location == "log.jsonl:4"
    with pytest.raises(EvidenceError, match="not an audit record"):
        log.append(decision(3))
    log.close()

"""Key custody: Ed25519-signed logs that a verifier checks with only the public key.

Reproduces issue 17's custody findings: with the old HMAC key left beside the log an attacker
could edit and re-chain, reorder, insert, delete the middle or the tail, and forge records
after the last checkpoint, and `verify` said ok. A verifier that pins the public key and holds
a checkpoint must catch every one of those.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from raikit.audits import AuditLog, check_consistency, generate_signer, resolve_custody, service_signer
from raikit.evidence._log_verify import verify_files
from raikit.errors import EvidenceError, InputError

ORIGIN = "example.com/audit"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def decision(i: int) -> dict:
    return {"kind": "decision", "decision": "allow", "findings": [{"check": "pii", "start": i, "end": i + 3}]}


def forge(line: bytes, edit=None, prev: str | None = None) -> bytes:
    """What an attacker who can write the file (but has no private key) can do to a record."""
    record = json.loads(line)
    if edit:
        edit(record)
    if prev is not None:
        record["prev"] = prev
    event = json.dumps(record["event"], sort_keys=True, separators=(",", ":"))
    body = (f'{{"seq":{record["seq"]},"prev":"{record["prev"]}","time":"{record["time"]}",'
            f'"kind":"{record["kind"]}","key_id":"{record["key_id"]}","event":{event}}}').encode()
    return body[:-1] + f',"hash":"{hashlib.sha256(body).hexdigest()}"}}\n'.encode()


def rechain(lines: list[bytes], start: int) -> list[bytes]:
    out = list(lines[:start])
    prev = json.loads(out[-1])["hash"] if out else "0" * 64
    for i, line in enumerate(lines[start:], start=start):
        new = forge(line, lambda r, i=i: r.update(seq=i), prev=prev)
        out.append(new)
        prev = json.loads(new)["hash"]
    return out


@pytest.fixture
def signed(tmp_path: Path):
    signer = generate_signer(ORIGIN)
    path = tmp_path / "log.jsonl"
    log = AuditLog(path, signer=signer, clock=FakeClock())
    for i in range(10):
        log.append(decision(i))
    log.close()  # seals: a checkpoint record over the 10 records
    checkpoint = json.loads(path.read_bytes().splitlines()[-1])["event"]["checkpoint"]
    return path, signer, checkpoint


def test_signed_log_writes_no_key_and_verifies_with_the_public_key_only(signed) -> None:
    path, signer, checkpoint = signed
    text = path.read_text()
    assert "mac" not in text and "PRIVATE" not in text
    lines = path.read_bytes().splitlines()
    assert json.loads(lines[-1])["kind"] == "checkpoint" and len(lines) == 11
    public = signer.verifier().to_text()
    result = verify_files(path, keys=None, verifier=public)
    assert result.ok and result.custody == "signed" and not result.self_attested
    assert result.attested == 10 and result.unattested == 0
    assert verify_files(path, keys=None, checkpoint=checkpoint, verifier=public).ok


def _tamper(kind: str, lines: list[bytes]) -> list[bytes]:
    body = lines[:-1]  # the data records; the final checkpoint record is kept where it helps
    seal = lines[-1]
    if kind == "edit":
        return [*body[:3], forge(body[3], lambda r: r["event"].update(decision="block")), *body[4:], seal]
    if kind == "rechain":
        edited = [*body[:3], forge(body[3], lambda r: r["event"].update(decision="block")), *body[4:]]
        return [*rechain(edited, 3), seal]
    if kind == "reorder":
        return [*body[:3], body[4], body[3], *body[5:], seal]
    if kind == "insert":
        fake = forge(body[4], lambda r: r["event"].update(decision="block"))
        return rechain([*body[:5], fake, *body[5:]], 5) + [seal]
    if kind == "delete_middle":
        return rechain([*body[:4], *body[5:]], 4) + [seal]
    if kind == "delete_tail":
        return body[:7]
    if kind == "forged_after_checkpoint":
        last = json.loads(seal)
        fake = forge(body[0], lambda r: r.update(seq=last["seq"] + 1), prev=last["hash"])
        return [*lines, fake]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["edit", "rechain", "reorder", "insert", "delete_middle", "delete_tail",
                                  "forged_after_checkpoint"])
def test_every_tamper_kind_is_caught_with_only_public_key_and_checkpoint(signed, kind: str) -> None:
    path, signer, checkpoint = signed
    path.write_bytes(b"\n".join(_tamper(kind, path.read_bytes().splitlines())) + b"\n")
    result = verify_files(path, keys=None, checkpoint=checkpoint, verifier=signer.verifier().to_text())
    assert not result.ok, kind
    assert result.tamper is not None


def test_a_checkpoint_resigned_with_another_key_does_not_pass(signed) -> None:
    path, signer, _ = signed
    attacker = generate_signer(ORIGIN)  # same name, the attacker's own key
    lines = path.read_bytes().splitlines()[:-1]
    lines[2] = forge(lines[2], lambda r: r["event"].update(decision="block")).rstrip(b"\n")
    lines = [x.rstrip(b"\n") for x in rechain([x + b"\n" for x in lines], 2)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    with AuditLog(path, signer=attacker) as log:
        forged_checkpoint = log.seal()
    result = verify_files(path, keys=None, checkpoint=forged_checkpoint, verifier=signer.verifier())
    assert not result.ok and result.tamper == "checkpoint"
    assert not verify_files(path, keys=None, verifier=signer.verifier()).ok


def test_records_after_the_last_checkpoint_are_unattested(tmp_path: Path) -> None:
    signer = generate_signer(ORIGIN)
    path = tmp_path / "log.jsonl"
    log = AuditLog(path, signer=signer, seal_on_close=False)
    for i in range(3):
        log.append(decision(i))
    checkpoint = log.seal()
    log.append(decision(3))
    log.append(decision(4))
    result = verify_files(path, keys=None, checkpoint=checkpoint, verifier=signer.verifier())
    assert not result.ok and result.tamper == "unattested"
    assert result.attested == 3 and result.unattested == 2 and result.first_bad == 3
    log.seal()
    assert verify_files(path, keys=None, checkpoint=checkpoint, verifier=signer.verifier()).ok
    log.close()


def test_consistency_between_two_checkpoints(tmp_path: Path) -> None:
    signer = generate_signer(ORIGIN)
    path = tmp_path / "log.jsonl"
    log = AuditLog(path, signer=signer, seal_on_close=False)
    log.append(decision(0))
    old = log.seal()
    log.append(decision(1))
    new = log.seal()
    log.close()
    public = signer.verifier()
    assert check_consistency(old, new, public, path).ok
    assert check_consistency(old, new, public).ok
    swapped = check_consistency(new, old, public)
    assert not swapped.ok and "fewer" in swapped.reason
    # A fork: someone rewrites record 0 and re-signs with the right key would need the key;
    # a rewritten log no longer matches the older root.
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(rechain([forge(lines[0], lambda r: r["event"].update(decision="x")), *lines[1:]], 1)))
    assert not check_consistency(old, new, public, path).ok
    other = generate_signer(ORIGIN)
    assert not check_consistency(old, new, other.verifier()).ok


def test_key_service_hook_signs_and_bad_signatures_are_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    hsm = Ed25519PrivateKey.generate()
    calls: list[int] = []

    def sign(data: bytes) -> bytes:
        calls.append(len(data))
        return hsm.sign(data)

    signer = service_signer(ORIGIN, hsm.public_key(), sign)
    path = tmp_path / "log.jsonl"
    with AuditLog(path, signer=signer) as log:
        log.append(decision(0))
    assert calls and verify_files(path, keys=None, verifier=signer.verifier()).ok
    with pytest.raises(InputError, match="cannot be exported"):
        signer.to_text()
    broken = service_signer(ORIGIN, hsm.public_key(), lambda data: bytes(64))
    log = AuditLog(tmp_path / "other.jsonl", signer=broken)
    log.append(decision(0))
    with pytest.raises(EvidenceError, match="does not verify"):
        log.close()


def test_legacy_hmac_log_still_verifies_and_is_reported_symmetric(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    with AuditLog(path, key=bytes(range(32))) as log:
        log.append(decision(0))
        result = log.verify()
    assert result.ok and result.custody == "symmetric" and result.self_attested


def test_hmac_verifier_refuses_records_without_hmac(tmp_path: Path) -> None:
    """Appending signed-format (MAC-less) records to an HMAC log is not a way around the key."""
    key = bytes(range(32))
    path = tmp_path / "log.jsonl"
    with AuditLog(path, key=key) as log:
        log.append(decision(0))
    last = json.loads(path.read_bytes().splitlines()[-1])
    fake = forge(path.read_bytes().splitlines()[0], lambda r: r.update(seq=1), prev=last["hash"])
    path.write_bytes(path.read_bytes() + fake)
    from raikit.evidence._log_record import log_key_id

    assert not verify_files(path, keys={log_key_id(key): key}).ok


def test_resolve_custody_order_and_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKIT_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("RAIKIT_LOG_KEY", raising=False)
    evidence = tmp_path / "report"
    evidence.mkdir()
    generated = resolve_custody(evidence_dir=evidence)
    assert generated.generated and generated.location == str(tmp_path / "keys" / "audit-log.key")
    assert (tmp_path / "keys" / "audit-log.key").stat().st_mode & 0o777 == 0o600
    again = resolve_custody(evidence_dir=evidence)
    assert not again.generated and again.public_key == generated.public_key
    inside = evidence / "mine.key"
    inside.write_text(generate_signer(ORIGIN).to_text())
    with pytest.raises(InputError, match="inside the evidence folder"):
        resolve_custody(key_file=inside, evidence_dir=evidence)
    marked = resolve_custody(key_file=inside, evidence_dir=evidence, self_attested=True)
    assert marked.self_attested and marked.custody == "signed"
    monkeypatch.setenv("RAIKIT_LOG_KEY", generate_signer("env/key").to_text())
    assert resolve_custody(evidence_dir=evidence).source == "$RAIKIT_LOG_KEY"
    monkeypatch.setenv("RAIKIT_LOG_KEY", "00" * 32)
    legacy = resolve_custody(evidence_dir=evidence)
    assert legacy.custody == "symmetric" and legacy.self_attested
    monkeypatch.setenv("RAIKIT_LOG_KEY", "hook:tests.audits.test_log_custody:_hook")
    hooked = resolve_custody(evidence_dir=evidence)
    assert hooked.custody == "signed" and "hook" in hooked.source


def _hook():
    return generate_signer("hook/key")


def test_health_check_fails_before_work_when_the_log_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    log = AuditLog(blocker / "log.jsonl", signer=generate_signer(ORIGIN))
    with pytest.raises(EvidenceError):
        log.check_health()


def test_health_check_fails_on_a_damaged_head(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"not a record\n")
    with pytest.raises(EvidenceError, match="not an audit record"):
        AuditLog(path, signer=generate_signer(ORIGIN)).check_health()

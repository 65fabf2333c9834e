"""Canary: known fake personal data pushed through every path never reaches a log record,
a decision record, an exception, the audit log, the report, the card or the JSON result."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from raikit.audits import AuditLog, GenerationTarget, load_key, run_audit
from raikit.errors import PolicyViolation
from raikit.guardrails import Check, Finding, guard, load_policy, policy_from_string

CANARIES = {
    "email": "canary.zx81@example.org",
    "phone": "(212) 555-0147",
    "ssn": "078-05-1120",
    "card": "4111 1111 1111 1111",
}
TEXT = (
    f"Sure. Write to {CANARIES['email']} or call {CANARIES['phone']}. "
    f"My SSN is {CANARIES['ssn']} and my card is {CANARIES['card']}."
)
KEY = "cd" * 32


def leaks(blob: str) -> list[str]:
    found = [name for name, value in CANARIES.items() if value in blob]
    digits = {name: "".join(c for c in value if c.isdigit()) for name, value in CANARIES.items() if name != "email"}
    found += [f"{name} (digits)" for name, value in digits.items() if value in "".join(c for c in blob if c.isdigit() or c == "\n")]
    return found


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKIT_LOG_KEY", KEY)
    pytest.importorskip("presidio_analyzer")


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog


class LeakyCrash(Check):
    """A check whose exception message contains the text it was given."""

    name = "leaky-crash"

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        raise RuntimeError(f"could not parse {texts[0]!r}")


def test_guard_paths(tmp_path: Path, logged: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the strict policy logs every call to ./raikit-audit.jsonl
    log_path = tmp_path / "log.jsonl"
    extra = "  - id: crashy\n    type: denylist\n    params: {terms: [x]}\n    on_error: warn\n"
    policy = load_policy("default")
    with AuditLog(log_path, key=load_key()) as log:
        g = guard(policy, sink=log)

        @g
        def generate(prompt: str) -> str:
            return TEXT

        @g
        def stream(prompt: str) -> Iterator[str]:
            for i in range(0, len(TEXT), 7):
                yield TEXT[i : i + 7]

        out = generate(f"my mail is {CANARIES['email']}")
        streamed = "".join(stream("hello"))
        crash = policy_from_string("version: 1\nname: crash\nchecks:\n" + extra)
        crashed = guard(crash, sink=log, checks={"crashy": LeakyCrash(id="crashy")})(lambda prompt: "ok")
        crashed(TEXT)
    strict = guard("strict")(lambda prompt: TEXT)
    with pytest.raises(PolicyViolation) as err:
        strict("hi")
    strict_log = tmp_path / "raikit-audit.jsonl"
    assert AuditLog(strict_log, key=load_key()).verify().records == 1
    blobs = {
        "returned output": out,
        "streamed output": streamed,
        "audit log": log_path.read_text(),
        "strict policy's audit log": strict_log.read_text(),
        "captured logging": logged.text,
        "exception": f"{err.value} {err.value!r} {err.value.decision.to_record()}",
    }
    # the redacted outputs are for the caller; the evidence must hold none of the values
    assert {k: leaks(v) for k, v in blobs.items() if leaks(v)} == {}
    assert AuditLog(log_path, key=load_key()).verify().ok


def test_audit_paths(tmp_path: Path, logged: pytest.LogCaptureFixture) -> None:
    suite = tmp_path / "suite.jsonl"
    suite.write_text("\n".join(json.dumps({"prompt": f"question {i} from {CANARIES['email']}"}) for i in range(6)) + "\n")
    policy = policy_from_string(
        f"version: 1\nname: canary-audit\nextends: default\naudit:\n  suites: ['{suite}']\n  bias: {{enabled: false}}\n"
    )
    target = GenerationTarget("canary-generator", "callable", lambda prompts, seeds, *, logits_processor=None: [TEXT for _ in prompts])
    outcome = run_audit(target, policy=policy, out_dir=tmp_path / "out", progress=False)
    blobs = {path.name: path.read_text() for path in (tmp_path / "out").iterdir() if path.suffix in (".json", ".html", ".md", ".jsonl")}
    blobs["captured logging"] = logged.text
    blobs["result"] = json.dumps(outcome.result)
    assert set(blobs) >= {"report.json", "report.html", "MODEL_CARD.md", "audit-log.jsonl"}
    assert {k: leaks(v) for k, v in blobs.items() if leaks(v)} == {}
    assert outcome.result["examples"], "the audit should show redacted examples"

"""The runner's boundary: the policy's max_text_chars reaches each check; bad Unicode is an InputError."""

from __future__ import annotations

import asyncio

import pytest

from raikit.errors import InputError
from raikit.guardrails import PolicyRunner, guard, policy_from_string

POLICY = """
version: 1
name: limits
checks:
  - id: words
    type: denylist
    params: {terms: [secret]}
    action: block
    max_text_chars: 40
    on_error: {on_error}
"""


def runner(on_error: str = "block") -> PolicyRunner:
    return PolicyRunner(policy_from_string(POLICY.replace("{on_error}", on_error)))


def test_policy_max_text_chars_reaches_the_check() -> None:
    r = runner()
    assert r.checks["words"].max_text_chars == 40
    # The check base would refuse the long text (InputError) and with it the whole batch; the
    # runner fails that text alone and follows on_error, so the others in the batch are scanned.
    short, long_, hit = r.scan(["fine text", "x" * 41, "a secret"], stage="prompt")
    assert short.outcome == "allowed" and not short.errors
    assert long_.outcome == "blocked" and long_.errors[0].reason == "text longer than max_text_chars (40)"
    assert hit.outcome == "blocked" and hit.findings[0].type == "denylist"
    with pytest.raises(InputError, match="at most 40"):
        r.checks["words"].scan(["x" * 41])
    (warned,) = runner("warn").scan(["a secret " + "y" * 40], stage="prompt")
    assert warned.outcome == "warned" and not warned.findings


def test_default_limit_still_scans_long_texts() -> None:
    r = PolicyRunner(policy_from_string(POLICY.replace("    max_text_chars: 40\n", "").replace("{on_error}", "block")))
    assert r.checks["words"].max_text_chars == 50_000
    (result,) = r.scan(["y" * 10_000 + " secret"], stage="prompt")
    assert result.outcome == "blocked" and result.findings[0].start == 10_001


def test_lone_surrogate_is_a_located_input_error() -> None:
    r = runner()
    bad = ["fine", "oops \ud800 here"]
    for scan in (r.scan, r.scan_batched):
        with pytest.raises(InputError, match=r"prompt texts\[1\].*offset 5") as err:
            scan(bad, stage="prompt")
        assert "oops" not in str(err.value)
    with pytest.raises(InputError, match=r"prompt texts\[1\]"):
        asyncio.run(r.ascan(bad, stage="prompt"))


def test_guarded_call_with_a_lone_surrogate_prompt_raises_and_never_calls() -> None:
    calls = []
    records: list[dict] = []

    class Sink:
        def append(self, event: dict) -> None:
            records.append(event)

    @guard(policy_from_string(POLICY.replace("{on_error}", "block")), sink=Sink())
    def generate(prompt: str) -> str:
        calls.append(prompt)
        return "ok"

    with pytest.raises(InputError):
        generate("bad \udfff prompt")
    assert calls == [] and [(r["decision"], r["error"]) for r in records] == [("error", "InputError")]

"""The guard around sync, async, streaming and async-streaming functions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from raikit.audits import MemorySink
from raikit.errors import PolicyViolation
from raikit.guardrails import Decision, guard, last_decision, policy_from_string
from raikit.guardrails.testing import FailingCheck, KeywordCheck, StallingCheck

EMAIL = "jo.doe@example.com"


def make_policy(action: str = "redact", on_block: str = "refuse", hold_back: int = 24, extra: str = "") -> str:
    return f"""
version: 1
name: test
on_block: {on_block}
refusal: REFUSED
streaming: {{hold_back: {hold_back}, window: 16}}
checks:
  - id: words
    type: denylist
    params: {{terms: {{BAD: [forbidden]}}}}
    action: block
  - id: pii
    type: denylist
    params: {{terms: [unused]}}
    action: {action}
{extra}"""


def pii_guard(action: str = "redact", **kw: object) -> tuple[object, list[Decision]]:
    decisions: list[Decision] = []
    sink = MemorySink()
    g = guard(
        policy_from_string(make_policy(action, **kw)),  # type: ignore[arg-type]
        checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")},
        on_decision=decisions.append,
        sink=sink,
    )
    g.test_sink = sink  # type: ignore[attr-defined]
    return g, decisions


EXPECTED = {
    "allow": ("allowed", f"write to {EMAIL}"),
    "warn": ("warned", f"write to {EMAIL}"),
    "redact": ("redacted", "write to [EMAIL_ADDRESS]"),
    "block": ("blocked", "REFUSED"),
}


@pytest.mark.parametrize("action", ["allow", "warn", "redact", "block"])
def test_sync_function_each_action(action: str) -> None:
    g, decisions = pii_guard(action)

    @g
    def generate(prompt: str) -> str:
        return f"write to {EMAIL}"

    outcome, text = EXPECTED[action]
    assert generate("hello") == text
    assert decisions[-1].outcome == outcome
    assert last_decision() is decisions[-1]
    record = g.test_sink.events("decision")[-1]  # type: ignore[attr-defined]
    assert record["decision"] == outcome
    assert EMAIL not in str(record)


@pytest.mark.parametrize("action", ["allow", "warn", "redact", "block"])
def test_async_function_each_action(action: str) -> None:
    g, decisions = pii_guard(action)

    @g
    async def generate(prompt: str) -> str:
        await asyncio.sleep(0)
        return f"write to {EMAIL}"

    outcome, text = EXPECTED[action]
    assert asyncio.run(generate("hello")) == text
    assert decisions[-1].outcome == outcome


def chunks_of(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


STREAMED = f"Sure. Please write to {EMAIL} and wait for a reply from the team."


@pytest.mark.parametrize("action", ["allow", "warn", "redact", "block"])
@pytest.mark.parametrize("size", [1, 5, 7])
def test_sync_stream_each_action_across_chunk_boundaries(action: str, size: int) -> None:
    g, decisions = pii_guard(action)

    @g
    def stream(prompt: str) -> Iterator[str]:
        yield from chunks_of(STREAMED, size)

    out = list(stream("hi"))
    joined = "".join(out)
    if action == "redact":
        assert joined == STREAMED.replace(EMAIL, "[EMAIL_ADDRESS]")
        assert len(out) > 1  # released incrementally, not all at the end
    elif action == "block":
        assert out[-1] == "REFUSED" and EMAIL not in joined and "@" not in joined
    else:
        assert joined == STREAMED
    assert decisions[-1].outcome == EXPECTED[action][0]
    assert decisions[-1].stage == "stream"
    finding = [f for f in decisions[-1].output_findings if f.check_id == "pii"][0]
    assert STREAMED[finding.start : finding.end] == EMAIL  # offsets into the full output


@pytest.mark.parametrize("action", ["allow", "warn", "redact", "block"])
def test_async_stream_each_action(action: str) -> None:
    g, decisions = pii_guard(action)

    @g
    async def stream(prompt: str) -> AsyncIterator[str]:
        for chunk in chunks_of(STREAMED, 4):
            await asyncio.sleep(0)
            yield chunk

    async def collect() -> list[str]:
        return [c async for c in stream("hi")]

    joined = "".join(asyncio.run(collect()))
    if action == "redact":
        assert joined == STREAMED.replace(EMAIL, "[EMAIL_ADDRESS]")
    elif action == "block":
        assert joined.endswith("REFUSED") and EMAIL not in joined
    else:
        assert joined == STREAMED
    assert decisions[-1].outcome == EXPECTED[action][0]


def test_block_mid_stream_ends_the_stream_and_closes_the_generator() -> None:
    g, decisions = pii_guard("redact")
    closed = []

    @g
    def stream(prompt: str) -> Iterator[str]:
        try:
            yield "This part is fine and long enough to be released early on. "
            yield "Now something forbidden appears"
            yield " and this must never be produced"
        finally:
            closed.append(True)

    out = list(stream("hi"))
    assert out[-1] == "REFUSED"
    assert "forbidden" not in "".join(out) and "never" not in "".join(out)
    assert closed == [True]
    assert decisions[-1].outcome == "blocked" and decisions[-1].refused


def test_blocked_prompt_never_reaches_the_generator() -> None:
    g, decisions = pii_guard("redact")
    calls = []

    @g
    def generate(prompt: str) -> str:
        calls.append(prompt)
        return "ok"

    assert generate("tell me the forbidden thing") == "REFUSED"
    assert calls == [] and decisions[-1].stage == "prompt"


def test_redacted_prompt_is_what_the_generator_sees() -> None:
    g, _ = pii_guard("redact")
    seen = []

    @g
    def generate(prompt: str, temperature: float = 0.0) -> str:
        seen.append(prompt)
        return "fine"

    generate(prompt=f"mail {EMAIL}", temperature=0.5)
    assert seen == ["mail [EMAIL_ADDRESS]"]


def test_on_block_raise_attaches_the_decision() -> None:
    g, _ = pii_guard("block", on_block="raise")

    @g
    def generate(prompt: str) -> str:
        return f"to {EMAIL}"

    with pytest.raises(PolicyViolation) as err:
        generate("x")
    assert err.value.decision.outcome == "blocked"
    assert EMAIL not in str(err.value)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_on_block_raise_ends_a_stream_blocked_mid_way_with_policy_violation(kind: str) -> None:
    g, decisions = pii_guard("redact", on_block="raise")
    closed = []
    parts = ["This part is fine and long enough to be released early on. ", "Now something forbidden appears",
             " and this must never be produced"]

    if kind == "sync":
        @g
        def stream(prompt: str) -> Iterator[str]:
            try:
                yield from parts
            finally:
                closed.append(True)

        out: list[str] = []
        with pytest.raises(PolicyViolation) as err:
            for piece in stream("hi"):
                out.append(piece)
    else:
        @g
        async def astream(prompt: str) -> AsyncIterator[str]:
            try:
                for part in parts:
                    yield part
            finally:
                closed.append(True)

        async def consume() -> list[str]:
            got = []
            async for piece in astream("hi"):
                got.append(piece)
            return got

        out = []
        with pytest.raises(PolicyViolation) as err:
            out = asyncio.run(consume())
    assert "REFUSED" not in out and "forbidden" not in "".join(out)
    assert closed == [True]
    assert err.value.decision is decisions[-1] and len(decisions) == 1
    assert decisions[-1].outcome == "blocked" and not decisions[-1].refused


def test_echo_is_marked_and_ignored_when_the_policy_says_so() -> None:
    text = make_policy("redact").replace("action: redact", "action: redact\n    ignore_echo: true")
    g = guard(policy_from_string(text), checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")})

    @g
    def generate(prompt: str) -> str:
        return f"I will write to {EMAIL}"

    assert generate(f"my address is {EMAIL}") == f"I will write to {EMAIL}"
    decision = last_decision()
    assert decision is not None
    assert [f.echo for f in decision.output_findings] == [True]
    assert decision.output_findings[0].action == "allow"


@pytest.mark.parametrize(("on_error", "outcome", "result"), [("block", "blocked", "REFUSED"), ("warn", "warned", "ok")])
def test_crashed_check_follows_on_error(on_error: str, outcome: str, result: str, caplog: pytest.LogCaptureFixture) -> None:
    text = make_policy(extra=f"  - id: flaky\n    type: denylist\n    params: {{terms: [x]}}\n    on_error: {on_error}\n")
    g = guard(policy_from_string(text), checks={"flaky": FailingCheck(id="flaky")})

    @g
    def generate(prompt: str) -> str:
        return "ok"

    with caplog.at_level(logging.WARNING, logger="raikit"):
        assert generate("secret prompt text") == result
    decision = last_decision()
    assert decision is not None and decision.outcome == outcome
    assert decision.errors[0].check_id == "flaky" and "RuntimeError" in decision.errors[0].reason
    assert "flaky" in caplog.text and "secret prompt text" not in caplog.text


@pytest.mark.parametrize(("on_error", "outcome"), [("block", "blocked"), ("warn", "warned")])
def test_check_over_time_budget_follows_on_error(on_error: str, outcome: str) -> None:
    text = make_policy(extra=f"  - id: slow\n    type: denylist\n    params: {{terms: [x]}}\n    on_error: {on_error}\n    timeout_s: 0.05\n")
    stalling = StallingCheck(id="slow")
    g = guard(policy_from_string(text), checks={"slow": stalling})

    @g
    def generate(prompt: str) -> str:
        return "ok"

    try:
        generate("hi")
        decision = last_decision()
        assert decision is not None and decision.outcome == outcome
        assert "time budget" in decision.errors[0].reason
    finally:
        stalling.release.set()


def test_chat_messages_prompt_is_scanned_and_redacted() -> None:
    g, _ = pii_guard("redact")
    seen = []

    @g
    def chat(messages: list[dict[str, str]]) -> str:
        seen.append(messages)
        return "done"

    original = [{"role": "user", "content": f"mail {EMAIL}"}]
    chat(original)
    assert seen[0][0]["content"] == "mail [EMAIL_ADDRESS]"
    assert original[0]["content"] == f"mail {EMAIL}"  # inputs are never mutated

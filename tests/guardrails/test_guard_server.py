"""The guard inside a server: off the event loop, micro-batched, linear streams, complete evidence."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from raikit.audits import MemorySink
from raikit.guardrails import Check, Finding, guard, last_decision, policy_from_string, request_context
from raikit.guardrails.testing import KeywordCheck

EMAIL = "jo.doe@example.com"


class SlowCheck(Check):
    """A model-like check: sleeps per batch, records batch sizes and characters read."""

    name = "fake-slow"

    def __init__(self, *, seconds: float = 0.0, id: str | None = None, threshold: float = 0.5) -> None:
        super().__init__(id=id or "slow", threshold=threshold)
        self.seconds = seconds
        self.batches: list[int] = []
        self.chars = 0
        self.lock = threading.Lock()

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        with self.lock:
            self.batches.append(len(texts))
            self.chars += sum(map(len, texts))
        time.sleep(self.seconds)
        return [[] for _ in texts]


def policy(extra: str = "", streaming: str = "{hold_back: 24, window: 96}", runtime: str = "{}") -> object:
    return policy_from_string(f"""
version: 1
name: server
on_block: refuse
refusal: REFUSED
streaming: {streaming}
runtime: {runtime}
checks:
  - id: words
    type: denylist
    params: {{terms: {{BAD: [forbidden]}}}}
    action: block
  - id: pii
    type: denylist
    params: {{terms: [unused]}}
    action: redact
  - id: slow
    type: denylist
    params: {{terms: [unused]}}
    action: block
{extra}""")


def make_guard(seconds: float = 0.0, **kw: object) -> tuple[object, SlowCheck, MemorySink]:
    slow = SlowCheck(seconds=seconds)
    sink = MemorySink()
    g = guard(policy(**kw), checks={"slow": slow, "pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")}, sink=sink)  # type: ignore[arg-type]
    return g, slow, sink


# -- 1. never block the event loop; micro-batching; per-guard pools ----------------------


def test_async_checks_do_not_block_the_event_loop() -> None:
    g, slow, _ = make_guard(seconds=0.15)

    @g
    async def generate(prompt: str) -> str:
        return "fine"

    async def main() -> float:
        gaps: list[float] = []
        stop = asyncio.Event()

        async def ticker() -> None:
            last = time.perf_counter()
            while not stop.is_set():
                await asyncio.sleep(0.01)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        task = asyncio.create_task(ticker())
        await asyncio.gather(*(generate(f"hello {i}") for i in range(6)))
        stop.set()
        await task
        return max(gaps)

    # On the loop, each call would stall it for 2 x 0.15 s.
    assert asyncio.run(main()) < 0.1


def test_concurrent_async_calls_are_scanned_in_one_batch() -> None:
    g, slow, sink = make_guard(seconds=0.05)

    @g
    async def generate(prompt: str) -> str:
        return "fine"

    async def main() -> list[str]:
        return await asyncio.gather(*(generate(f"hello {i}") for i in range(8)))

    assert asyncio.run(main()) == ["fine"] * 8
    assert max(slow.batches) > 1 and sum(slow.batches) == 16  # 8 prompts + 8 outputs
    assert len(sink.events("decision")) == 8


def test_sync_calls_from_threads_are_micro_batched_too() -> None:
    g, slow, sink = make_guard(seconds=0.05)

    @g
    def generate(prompt: str) -> str:
        return "fine"

    threads = [threading.Thread(target=generate, args=(f"p{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert max(slow.batches) > 1 and len(sink.events("decision")) == 6


def test_a_lone_request_does_not_wait_for_company() -> None:
    g, slow, _ = make_guard(runtime="{batch_wait_ms: 1000}")

    @g
    def generate(prompt: str) -> str:
        return "fine"

    started = time.perf_counter()
    for i in range(3):
        assert generate(f"p{i}") == "fine"
    assert time.perf_counter() - started < 1.0  # a wait for company would take 6 x 1 s
    assert slow.batches == [1] * 6


def test_requests_arriving_together_still_wait_for_company() -> None:
    from raikit.guardrails._batcher import MicroBatcher

    sizes: list[int] = []
    running, release = threading.Event(), threading.Event()

    def scan(texts: list[str], **_: object) -> list[None]:
        sizes.append(len(texts))
        running.set()
        release.wait()
        return [None] * len(texts)

    # a long wait so that a loaded machine cannot end it early; max_batch ends it instead
    batcher = MicroBatcher(scan, stage="prompt", wait_s=60.0, max_batch=4, max_pending=16)

    def start(n: int) -> list[threading.Thread]:
        threads = [threading.Thread(target=batcher.submit, args=([f"p{i}"],)) for i in range(n)]
        for t in threads:
            t.start()
        return threads

    first = start(1)
    assert running.wait(10)  # the first request goes alone, at once: a quiet server adds no wait
    queued = start(3)
    while batcher._queue.qsize() < 3:  # all three wait in the queue behind the running batch
        time.sleep(0.001)
    release.set()
    for t in first + queued:
        t.join(10)
    burst = start(4)  # after a batch with company the next one waits for the whole burst
    for t in burst:
        t.join(30)
    batcher.close()
    assert sizes == [1, 3, 4]


def test_each_guard_has_its_own_pool_sized_by_policy() -> None:
    g1, _, _ = make_guard(runtime="{workers: 3}")
    g2, _, _ = make_guard()
    assert g1.runner.pool() is not g2.runner.pool()  # type: ignore[attr-defined]
    assert g1.runner.pool()._max_workers == 3  # type: ignore[attr-defined]
    g1.close()  # type: ignore[attr-defined]
    g2.close()  # type: ignore[attr-defined]


def test_backpressure_bounds_pending_requests_and_all_complete() -> None:
    g, slow, sink = make_guard(seconds=0.01, runtime="{max_pending: 1}")

    @g
    async def generate(prompt: str) -> str:
        return "ok"

    async def main() -> list[str]:
        return await asyncio.gather(*(generate("x") for _ in range(5)))

    assert asyncio.run(main()) == ["ok"] * 5
    assert max(slow.batches) == 1  # only one request may be pending at a time
    assert len(sink.events("decision")) == 5


def test_ascan_is_public_and_off_the_loop() -> None:
    g, slow, _ = make_guard()
    results = asyncio.run(g.ascan(["a forbidden word", "fine"], stage="output"))  # type: ignore[attr-defined]
    assert [r.outcome for r in results] == ["blocked", "allowed"]


# -- 2. streaming costs O(length) --------------------------------------------------------

LONG = " ".join(f"Sentence {i} is about the weather and the trains." for i in range(45))[:2000]


@pytest.mark.parametrize("size", [1, 4, 37])
def test_stream_scans_each_character_a_bounded_number_of_times(size: int) -> None:
    g, slow, sink = make_guard()

    @g
    def stream(prompt: str) -> Iterator[str]:
        for i in range(0, len(LONG), size):
            yield LONG[i : i + size]

    assert "".join(stream("hi")) == LONG
    output_chars = slow.chars - len("hi")
    # Rescanning the whole output on every chunk reads ~n^2/(2*size) characters.
    assert output_chars <= 1.5 * len(LONG)
    assert len(slow.batches) <= len(LONG) // 72 + 3  # a scan per 3/4 window (sentence end) at most
    assert len(sink.events("decision")) == 1


class InlineCounter(SlowCheck):
    """A cheap check that runs on stream chunks (as the denylist and secrets do)."""

    inline = True


@pytest.mark.parametrize("size", [1, 5])
def test_inline_checks_read_each_character_a_bounded_number_of_times(size: int) -> None:
    counter = InlineCounter(id="slow")
    g = guard(policy(streaming="{hold_back: 24, window: 96, max_window: 96}"), checks={"slow": counter})  # type: ignore[arg-type]

    @g
    def stream(prompt: str) -> Iterator[str]:
        for i in range(0, len(LONG), size):
            yield LONG[i : i + size]

    assert "".join(stream("hi")) == LONG
    # Scanning every chunk with the 24 characters before it would read (1 + 24/size) x the
    # output on chunks, plus the window scans (1 + 24/96) x: 26 x for one-character chunks.
    # Waiting for 32 new characters bounds the chunk part at (1 + 24/32) x, whatever the size.
    assert counter.chars - len("hi") <= (1 + 24 / 32 + 1 + 24 / 96) * len(LONG) + 96


def test_window_doubles_after_each_scan_up_to_max_window() -> None:
    def scans(streaming: str) -> int:
        g, slow, _ = make_guard(streaming=streaming)

        @g
        def stream(prompt: str) -> Iterator[str]:
            for i in range(0, len(LONG), 10):
                yield LONG[i : i + 10]

        assert "".join(stream("hi")) == LONG
        return len(slow.batches) - 1  # the prompt's scan

    fixed = scans("{hold_back: 24, window: 96, max_window: 96}")
    growing = scans("{hold_back: 24, window: 96, max_window: 768}")
    assert fixed >= len(LONG) // 96
    # 96, 192, 384, then 768 at a time (each may close early at a sentence end past 3/4 of it)
    assert growing <= 8 and growing < fixed / 2


def test_blocked_term_split_across_chunks_and_windows_is_caught() -> None:
    g, _, _ = make_guard()
    text = "x" * 100 + " this is forb" + "idden and never shown " + "y" * 200

    @g
    def stream(prompt: str) -> Iterator[str]:
        for i in range(0, len(text), 3):
            yield text[i : i + 3]

    out = "".join(stream("hi"))
    assert out.endswith("REFUSED") and "never" not in out and "forb" not in out


def test_whole_text_warn_does_not_hold_back_the_stream() -> None:
    class Whole(Check):
        name = "fake-whole"

        def _scan(self, texts: list[str]) -> list[list[Finding]]:
            return [[self.finding("offensive", 0, len(t), 0.9)] for t in texts]

    extra = "  - id: harm\n    type: denylist\n    params: {terms: [unused]}\n    action: warn\n"
    g = guard(policy(extra=extra, streaming="{hold_back: 24, window: 96, max_window: 96}"), checks={"harm": Whole(id="harm")})  # type: ignore[arg-type]

    @g
    def stream(prompt: str) -> Iterator[str]:
        for i in range(0, 600, 10):
            yield LONG[i : i + 10]

    pieces = list(stream("hi"))
    assert len(pieces) > 3  # released as it goes, not all at the end
    decision = last_decision()
    assert decision is not None and decision.outcome == "warned"
    assert len([f for f in decision.output_findings if f.check_id == "harm"]) == 1


# -- 5. evidence: one record per call, errors, cancellations, ids, timings ---------------


def test_generator_that_raises_leaves_one_error_record() -> None:
    g, _, sink = make_guard()

    @g
    def generate(prompt: str) -> str:
        raise TimeoutError(f"upstream timed out for {EMAIL}")

    with pytest.raises(TimeoutError):
        generate("hi")
    (record,) = sink.events("decision")
    assert record["decision"] == "error" and record["error"] == "TimeoutError"
    assert EMAIL not in str(record)


def test_async_generator_that_raises_mid_stream_leaves_one_error_record() -> None:
    g, _, sink = make_guard()

    @g
    async def stream(prompt: str) -> AsyncIterator[str]:
        yield "some text "
        raise ConnectionError("gone")

    async def main() -> None:
        async for _ in stream("hi"):
            pass

    with pytest.raises(ConnectionError):
        asyncio.run(main())
    (record,) = sink.events("decision")
    assert record["decision"] == "error" and record["stage"] == "stream"


def test_consumer_that_stops_a_sync_stream_leaves_a_cancelled_record() -> None:
    g, _, sink = make_guard()
    closed = []

    @g
    def stream(prompt: str) -> Iterator[str]:
        try:
            for i in range(0, len(LONG), 5):
                yield LONG[i : i + 5]
        finally:
            closed.append(True)

    it = stream("hi")
    next(it)
    it.close()  # type: ignore[attr-defined]
    (record,) = sink.events("decision")
    assert record["decision"] == "cancelled" and record["verdict"] == "allowed"
    assert closed == [True]


def test_cancelled_async_stream_leaves_a_cancelled_record() -> None:
    g, _, sink = make_guard()

    @g
    async def stream(prompt: str) -> AsyncIterator[str]:
        for i in range(0, len(LONG), 5):
            await asyncio.sleep(0.001)
            yield LONG[i : i + 5]

    async def consume() -> None:
        async for _ in stream("hi"):
            pass

    async def main() -> None:
        task = asyncio.create_task(consume())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    (record,) = sink.events("decision")
    assert record["decision"] == "cancelled"


def test_request_ids_are_recorded_and_tenant_and_user_hashed() -> None:
    g, _, sink = make_guard()

    @g
    def generate(prompt: str) -> str:
        return "ok"

    with request_context("req-123", tenant_id="acme-corp", user_id="alice@acme.example"):
        generate("hi")
    generate("hi")
    first, second = sink.events("decision")
    assert first["request_id"] == "req-123"
    assert first["tenant"] and first["user"] and "acme" not in str(first)
    assert second["request_id"] == second["call_id"] and second["tenant"] is None


def test_refused_is_recorded_for_non_stream_refusals() -> None:
    g, _, sink = make_guard()

    @g
    def generate(prompt: str) -> str:
        return "something forbidden"

    assert generate("hi") == "REFUSED"
    (record,) = sink.events("decision")
    assert record["refused"] is True and record["decision"] == "blocked"


def test_timings_add_up_to_no_more_than_the_total() -> None:
    extra = "  - id: slow2\n    type: denylist\n    params: {terms: [unused]}\n"
    slow, sink = SlowCheck(seconds=0.02), MemorySink()
    checks = {"slow": slow, "slow2": SlowCheck(seconds=0.02, id="slow2")}
    g = guard(policy(extra=extra), checks=checks, sink=sink)  # type: ignore[arg-type]

    @g
    def generate(prompt: str) -> str:
        time.sleep(0.01)
        return "fine"

    @g
    def stream(prompt: str) -> Iterator[str]:
        yield from (LONG[i : i + 9] for i in range(0, 400, 9))

    generate("hi")
    list(stream("hi"))
    for record in sink.events("decision"):
        timings = dict(record["timings_ms"])
        total = timings.pop("total")
        assert sum(timings.values()) <= total + 0.01, record["timings_ms"]


def test_last_decision_is_set_for_a_sync_stream_blocked_mid_way_in_a_worker_thread() -> None:
    g, _, _ = make_guard()

    @g
    def stream(prompt: str) -> Iterator[str]:
        yield "This part is fine and long enough to be released early on. "
        yield "Now something forbidden appears"

    it = stream("hi")  # called in the endpoint, consumed by a server's worker thread
    ctx = contextvars.copy_context()
    out: list[str] = []
    thread = threading.Thread(target=lambda: ctx.run(lambda: out.extend(it)))
    thread.start()
    thread.join()
    decision = last_decision()
    assert decision is not None and decision.outcome == "blocked" and decision.refused
    assert out[-1] == "REFUSED"


def test_text_watermark_that_cannot_be_applied_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKIT_WATERMARK_KEY", "k" * 32)
    extra = "watermark:\n  text: {enabled: true}\n"
    g, _, sink = make_guard(extra=extra)

    @g
    def generate(prompt: str) -> str:
        return "plain text"

    assert generate("hi") == "plain text"
    (record,) = sink.events("decision")
    assert record["watermark"]["status"] == "not_applied"
    assert "plain function" in record["watermark"]["reason"]


# -- 4. chat roles -----------------------------------------------------------------------


def test_system_prompt_is_not_scanned_by_default_and_roles_are_configurable() -> None:
    seen: list[list[dict[str, str]]] = []

    def run(roles: str = "") -> None:
        extra = f"    roles: {roles}\n" if roles else ""
        text = f"""
version: 1
name: roles
on_block: refuse
checks:
  - id: pii
    type: denylist
    params: {{terms: [unused]}}
    action: redact
{extra}"""
        g = guard(policy_from_string(text), checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")})

        @g
        def chat(messages: list[dict[str, str]]) -> str:
            seen.append(messages)
            return "done"

        chat([{"role": "system", "content": f"Support mailbox: {EMAIL}"}, {"role": "user", "content": f"I am {EMAIL}"}])

    run()
    assert seen[-1][0]["content"] == f"Support mailbox: {EMAIL}"
    assert seen[-1][1]["content"] == "I am [EMAIL_ADDRESS]"
    run("[system, user]")
    assert seen[-1][0]["content"] == "Support mailbox: [EMAIL_ADDRESS]"


def test_echo_of_the_users_own_data_is_still_allowed_in_chats() -> None:
    text = """
version: 1
name: echo
checks:
  - id: pii
    type: denylist
    params: {terms: [unused]}
    action: redact
    ignore_echo: true
"""
    g = guard(policy_from_string(text), checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")})

    @g
    def chat(messages: list[dict[str, str]]) -> str:
        return f"I will write to {EMAIL}"

    assert chat([{"role": "user", "content": f"my mail is {EMAIL}"}]) == f"I will write to {EMAIL}"
    decision = last_decision()
    assert decision is not None and [f.echo for f in decision.output_findings] == [True]


def test_stream_never_read_is_still_recorded_when_dropped() -> None:
    import gc

    g, _, sink = make_guard()

    @g
    def stream(prompt: str) -> Iterator[str]:
        yield "never read"

    async def chunks() -> AsyncIterator[str]:
        yield "never read"

    @g
    async def astream(prompt: str) -> AsyncIterator[str]:
        return chunks()

    it = stream("hi")
    del it
    gc.collect()

    async def main() -> None:
        opened = await astream("hi")  # a stream handed to a server that never reads it
        del opened
        gc.collect()

    asyncio.run(main())
    assert [r["decision"] for r in sink.events("decision")] == ["cancelled", "cancelled"]

"""The one seam between the gateway and the guard.

Everything that calls :mod:`raikit.guardrails` lives here. Today's guard runs its checks in
the calling thread, so each guarded call runs in a worker thread from a bounded
:class:`anyio.CapacityLimiter`; the event loop never runs a check. A non-streaming call
reaches back to the loop for the upstream request (``anyio.from_thread.run``); a stream's
upstream events are read on the loop and queued to the one thread that drives the guard
over them (see :class:`GuardedStream`). When the guard gains an async request path, only this
module changes.

One decision record per request: the guard records a decision for every call it finishes
(allowed, redacted, blocked). When it could not (the upstream failed, the client went away
mid-stream), :meth:`GuardPool.record_failure` writes an ``x-gateway`` record instead, so the
audit log holds exactly one record per chat request either way. Each record carries the
request id and the tenant.
"""

from __future__ import annotations

import contextvars
import asyncio
import logging
import queue
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.to_thread
from anyio import from_thread

from raikit.guardrails import Decision, Guard, StageResult
from raikit.serve._upstream import Upstream, UpstreamError, UpstreamStream, error_body

logger = logging.getLogger(__name__)
_END = object()


@dataclass
class CallContext:
    """One request as the guard sees it: ids, and the decision once the guard made it."""

    request_id: str
    tenant: str
    policy: str
    decision: Decision | None = None
    recorded: bool = False
    span: Any = None
    started_ns: int = field(default_factory=time.time_ns)


_CTX: contextvars.ContextVar[CallContext | None] = contextvars.ContextVar("raikit_serve_call", default=None)


class TaggingSink:
    """Adds the request id and tenant of the current call to each record, then appends it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def append(self, event: dict[str, Any]) -> Any:
        ctx = _CTX.get()
        if ctx is not None:
            event = {**event, "request_id": ctx.request_id, "tenant": ctx.tenant}
            ctx.recorded = True
        return self.inner.append(event)


@dataclass
class _Job:
    """What a guarded call needs besides the messages; filled in as the upstream answers."""

    body: dict[str, Any]
    upstream: Upstream
    request_id: str
    completion: dict[str, Any] | None = None
    stream: UpstreamStream | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    min_piece: int = 64
    source: queue.Queue[Any] = field(default_factory=queue.Queue)

    def absorb(self, event: dict[str, Any]) -> list[str]:
        """Keep an event's id/model/finish_reason/usage; return its first choice's text."""
        if not self.meta:
            self.meta = {k: event[k] for k in ("id", "created", "model", "system_fingerprint") if k in event}
        if event.get("usage"):
            self.usage = event["usage"]
        texts = []
        for choice in event.get("choices") or []:
            if choice.get("index", 0) != 0:
                continue
            if choice.get("finish_reason"):
                self.finish_reason = choice["finish_reason"]
            content = (choice.get("delta") or {}).get("content")
            if content:
                texts.append(content)
        return texts


def _chat(messages: list[Any], *, job: _Job) -> list[str]:
    """The guarded non-streaming call (runs in a worker thread)."""
    data = from_thread.run(job.upstream.chat, {**job.body, "messages": messages}, job.request_id)
    job.completion = data
    return [(choice.get("message") or {}).get("content") or "" for choice in data.get("choices") or []]


def _chat_stream(messages: list[Any], *, job: _Job) -> Iterator[str]:
    """The guarded streaming call: opens the upstream now (so its errors keep their status).

    The text comes from ``job.source``, which :meth:`GuardedStream._read` fills on the event
    loop; this worker thread only waits on that queue and runs the checks.
    """
    job.stream = from_thread.run(job.upstream.open_stream, {**job.body, "messages": messages}, job.request_id)
    return _source(job)


class _Cancelled(Exception):
    """The client left (or the gateway stopped reading) before the stream ended."""


def _source(job: _Job) -> Iterator[str]:
    while True:
        item = job.source.get()
        if item is _END:
            return
        if isinstance(item, BaseException):
            raise item
        yield item


def _now_id() -> str:
    return "chatcmpl-raikit-" + uuid.uuid4().hex[:24]


class GuardPool:
    """Guards by policy, sharing one sink and one bounded thread pool.

    Args:
        sink: Where decision records go (an ``AuditLog``), or None.
        threads: Worker threads for guarded calls (each holds one while its call runs).
        checks: Ready check instances by id for every policy (tests).
        on_decision: Called with ``(context, decision)`` for each guarded call (metrics, traces).
        generator_id: Recorded as the generator of every decision.
    """

    def __init__(
        self,
        *,
        sink: Any | None,
        threads: int,
        checks: dict[str, Any] | None = None,
        on_decision: Callable[[CallContext, Decision], None] | None = None,
        generator_id: str = "raikit-serve",
    ) -> None:
        self.sink = TaggingSink(sink) if sink is not None else None
        self.limiter = anyio.CapacityLimiter(threads)
        self.checks = checks
        self.on_decision = on_decision
        self.generator_id = generator_id
        self._guards: dict[str, tuple[Guard, Callable[..., Any], Callable[..., Any]]] = {}

    # -- set-up ------------------------------------------------------------------------
    def add_policy(self, policy: str) -> Guard:
        """Build (once) the guard for a policy name or path; raises ``PolicyError`` if invalid."""
        if policy not in self._guards:
            guard = Guard(policy, prompt_arg="messages", sink=self.sink, generator_id=self.generator_id,
                          on_decision=self._decided, checks=self.checks)
            self._guards[policy] = (guard, guard(_chat), guard(_chat_stream))
        return self._guards[policy][0]

    def guard(self, policy: str) -> Guard:
        return self._guards[policy][0]

    async def load(self) -> None:
        """Load every policy's check models (in a worker thread)."""
        for guard, _, _ in self._guards.values():
            await anyio.to_thread.run_sync(guard.runner.load, limiter=self.limiter)

    @property
    def waiting(self) -> int:
        """Calls waiting for a worker thread."""
        return self.limiter.statistics().tasks_waiting

    def _decided(self, decision: Decision) -> None:
        ctx = _CTX.get()
        if ctx is None:
            return
        ctx.decision = decision
        if self.on_decision is not None:
            try:
                self.on_decision(ctx, decision)
            except Exception:  # noqa: BLE001 - metrics must never break a call
                logger.exception("on_decision hook failed")

    async def _run(self, ctx: CallContext, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def call() -> Any:
            _CTX.set(ctx)
            return fn(*args, **kwargs)

        return await anyio.to_thread.run_sync(call, limiter=self.limiter)

    async def record_failure(self, ctx: CallContext, outcome: str, reason: str) -> None:
        """Write the request's record when the guard left none (upstream error, disconnect)."""
        if ctx.recorded or self.sink is None:
            return
        guard = self.guard(ctx.policy)
        event = {"kind": "x-gateway", "outcome": outcome, "reason": reason, "policy": guard.policy.name,
                 "policy_hash": guard.policy_hash, "generator": self.generator_id}
        try:
            await self._run(ctx, self.sink.append, event)
        except Exception:  # noqa: BLE001
            logger.exception("could not record the %s outcome of request %s", outcome, ctx.request_id)

    # -- calls -------------------------------------------------------------------------
    async def complete(self, ctx: CallContext, body: dict[str, Any], upstream: Upstream) -> dict[str, Any]:
        """A guarded non-streaming completion, as an OpenAI ``chat.completion`` object.

        Raises:
            UpstreamError: the upstream failed (recorded).
            PolicyViolation: blocked and the policy says ``on_block: raise``.
        """
        guard, chat, _ = self._guards[ctx.policy]
        job = _Job(body=body, upstream=upstream, request_id=ctx.request_id)
        try:
            texts = await self._run(ctx, chat, body.get("messages") or [], job=job)
        except UpstreamError as err:
            await self.record_failure(ctx, "error", err.reason)
            raise
        decision = ctx.decision
        if decision is not None and decision.blocked:
            return _refusal_completion(job, guard.policy.refusal, body)
        data = dict(job.completion or {})
        choices = []
        for choice, text in zip(data.get("choices") or [], texts, strict=False):
            message = dict(choice.get("message") or {})
            if message.get("content") is not None:
                message["content"] = text
            choices.append({**choice, "message": message})
        data["choices"] = choices
        return data

    async def open_stream(self, ctx: CallContext, body: dict[str, Any], upstream: Upstream) -> GuardedStream:
        """Check the prompt and open the upstream stream (its errors raise here, before any byte).

        Raises:
            UpstreamError: the upstream refused or failed (recorded).
            PolicyViolation: the prompt was blocked and the policy says ``on_block: raise``.
        """
        guard, _, stream = self._guards[ctx.policy]
        job = _Job(body=body, upstream=upstream, request_id=ctx.request_id,
                   min_piece=max(1, guard.policy.streaming.hold_back))
        try:
            result = await self._run(ctx, stream, body.get("messages") or [], job=job)
        except UpstreamError as err:
            await self.record_failure(ctx, "error", err.reason)
            raise
        pieces = iter([result]) if isinstance(result, str) else result
        return GuardedStream(self, ctx, job, pieces, guard.policy.refusal)

    async def scan(self, ctx: CallContext, texts: list[str], stage: str) -> list[StageResult]:
        """Run the policy over a batch of texts (one batched call, in a worker thread)."""
        guard = self.guard(ctx.policy)
        results: list[StageResult] = await self._run(ctx, guard.runner.scan, texts, stage=stage)
        if self.sink is not None:
            event = {
                "kind": "x-scan", "policy": guard.policy.name, "policy_hash": guard.policy_hash, "stage": stage,
                "outcomes": [r.outcome for r in results],
                "findings": [[{"check": f.check_id, "type": f.type, "start": f.start, "end": f.end,
                               "score": round(f.score, 4), "action": f.action} for f in r.findings] for r in results],
            }
            await self._run(ctx, self.sink.append, event)
        return results


class GuardedStream:
    """A guarded completion stream as OpenAI ``chat.completion.chunk`` server-sent events.

    Three parts per stream, so that text crosses threads without a round trip per chunk:
    a reader on the event loop pulls upstream events and queues their text in pieces of at
    least the policy's hold-back (the guard holds that much back anyway, so smaller pieces
    only add check runs); one worker thread drives the guard over that queue; and the
    response body turns what the guard releases into chunks.
    """

    def __init__(self, pool: GuardPool, ctx: CallContext, job: _Job, pieces: Iterator[str], refusal: str) -> None:
        self.pool = pool
        self.ctx = ctx
        self.job = job
        self.pieces = pieces
        self.refusal = refusal
        self.fallback_id = _now_id()
        self.created = int(time.time())
        self.error: str | None = None
        self._cleaned = False
        self._reader: asyncio.Future[None] | None = None
        self._driver: asyncio.Future[None] | None = None

    def _chunk(self, delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> bytes:
        import json

        meta = self.job.meta
        chunk: dict[str, Any] = {
            "id": meta.get("id", self.fallback_id),
            "object": "chat.completion.chunk",
            "created": meta.get("created", self.created),
            "model": meta.get("model", self.job.body.get("model", "")),
            "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        if "system_fingerprint" in meta:
            chunk["system_fingerprint"] = meta["system_fingerprint"]
        return b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n"

    async def _read(self) -> None:
        """Event loop: upstream events -> text pieces on ``job.source`` (then _END or an error)."""
        job, stream, done = self.job, self.job.stream, False
        try:
            buffer = ""
            while stream is not None:
                events = await stream.next_events()
                if events is None:
                    break
                buffer += "".join(t for event in events for t in job.absorb(event))
                if len(buffer) >= job.min_piece:
                    job.source.put(buffer)
                    buffer = ""
            if buffer:
                job.source.put(buffer)
            job.source.put(_END)
            done = True
        except UpstreamError as err:
            job.source.put(err)
            done = True
        finally:
            if not done:
                job.source.put(_Cancelled())
            if stream is not None:
                with anyio.CancelScope(shield=True):
                    await stream.aclose()

    def _drive(self, loop: asyncio.AbstractEventLoop, out: asyncio.Queue[Any]) -> None:
        """Worker thread: run the guard over the stream; hand released text to the loop."""
        try:
            for piece in self.pieces:
                loop.call_soon_threadsafe(out.put_nowait, piece)
            loop.call_soon_threadsafe(out.put_nowait, _END)
        except BaseException as err:  # noqa: BLE001 - handed to the response, which reports it
            loop.call_soon_threadsafe(out.put_nowait, err)

    async def events(self) -> AsyncIterator[bytes]:
        """The SSE body; ends with ``data: [DONE]`` (or an error event if the upstream failed)."""
        import json

        loop = asyncio.get_running_loop()
        out: asyncio.Queue[Any] = asyncio.Queue()
        self._reader = asyncio.ensure_future(self._read())
        self._driver = asyncio.ensure_future(self.pool._run(self.ctx, self._drive, loop, out))
        finished = False
        try:
            first = True
            while True:
                item = await out.get()
                if first:  # after the first upstream event, so every chunk has the upstream's id
                    yield self._chunk({"role": "assistant", "content": ""})
                    first = False
                if item is _END:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield self._chunk({"content": item})
            blocked = self.ctx.decision is not None and self.ctx.decision.blocked
            finish = "content_filter" if blocked else (self.job.finish_reason or "stop")
            yield self._chunk({}, finish)
            if self.job.usage is not None:
                yield self._chunk(None, usage=self.job.usage)
            yield b"data: [DONE]\n\n"
            finished = True
        except UpstreamError as err:
            self.error = err.reason
            yield b"data: " + json.dumps(err.body).encode() + b"\n\n"
            finished = True
        except Exception as err:
            self.error = f"gateway {type(err).__name__}"
            logger.exception("stream of request %s failed", self.ctx.request_id)
            yield b"data: " + json.dumps(error_body("gateway error", "server_error")).encode() + b"\n\n"
            finished = True
        finally:
            with anyio.CancelScope(shield=True):
                await self.cleanup(finished)

    async def cleanup(self, finished: bool = False) -> None:
        """Stop the reader, wait for the guard's thread, close the upstream, record if needed.

        Safe to call twice; called when the body ends and when the response ends (a client that
        left before the body started).
        """
        if self._cleaned:
            return
        self._cleaned = True
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._driver is not None:
            await asyncio.gather(self._driver, return_exceptions=True)
        elif self.job.stream is not None:  # the body never started
            await self.job.stream.aclose()
        if self.ctx.decision is None:
            if self.error is not None:
                await self.pool.record_failure(self.ctx, "error", self.error)
            elif not finished:
                await self.pool.record_failure(self.ctx, "cancelled", "client disconnected mid-stream")


def _refusal_completion(job: _Job, refusal: str, body: dict[str, Any]) -> dict[str, Any]:
    data = job.completion
    if data is None:
        return {
            "id": _now_id(), "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": refusal},
                         "finish_reason": "content_filter", "logprobs": None}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }
    choices = [{**c, "message": {"role": "assistant", "content": refusal}, "finish_reason": "content_filter"}
               for c in data.get("choices") or [{"index": 0}]]
    return {**data, "choices": choices}

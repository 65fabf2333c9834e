"""The one seam between the gateway and the guard.

Everything that calls :mod:`raikit.guardrails` lives here. Each chat request is one guarded
call through the guard's async path (``await Guard.arun``) with gateway :class:`CallHooks`:
the upstream request is awaited on the event loop, and the checks run off the loop in the
guard's own worker pool, micro-batched with concurrent requests. No thread is held per
request or per stream.

One decision record per request: the guard records every call it runs, including
``error`` (the upstream failed) and ``cancelled`` (the client left mid-stream). The request
id and the tenant reach the record through :func:`raikit.guardrails.request_context` (the
tenant as a salted hash). Requests rejected before the guard runs (auth, limits, bad bodies)
are not decisions and leave no record.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.to_thread

from raikit.guardrails import CallHooks, Decision, Guard, StageResult, last_decision, request_context
from raikit.guardrails._hashing import salted_hash
from raikit.serve._upstream import Upstream, UpstreamError, UpstreamStream, error_body

logger = logging.getLogger(__name__)


@dataclass
class CallContext:
    """One request as the guard sees it: ids, and the decision once the guard made it."""

    request_id: str
    tenant: str
    policy: str
    decision: Decision | None = None
    reported: bool = False
    span: Any = None
    started_ns: int = field(default_factory=time.time_ns)


class _ChatHooks(CallHooks):
    """A chat completion (streaming or not) to the upstream, as one guarded call."""

    text_watermark_note = "not applied: the gateway has no logits access to the upstream model"

    def __init__(self, body: dict[str, Any], upstream: Upstream, request_id: str, generator_id: str,
                 *, stream: bool, min_piece: int = 64) -> None:
        super().__init__(body.get("messages") or [], generator_id)
        self.body, self.upstream, self.request_id = body, upstream, request_id
        self.stream, self.min_piece = stream, min_piece
        self.pieces: _Pieces | None = None
        self.call: Any = None

    async def _open(self) -> Any:
        body = {**self.body, "messages": self.prompt}
        if not self.stream:
            return await self.upstream.chat(body, self.request_id)
        self.pieces = _Pieces(await self.upstream.open_stream(body, self.request_id), self.min_piece)
        try:
            await self.pieces.prime()
        except BaseException:
            await self.pieces.aclose()
            raise
        return self.pieces

    def invoke(self, call: Any) -> Any:
        self.call = call
        return self._open()

    def refusal(self, call: Any) -> Any:
        self.call = call
        if self.stream:
            return _one(call.policy.refusal)
        return _refusal_completion(None, call.policy.refusal, self.body)

    def output_texts(self, output: Any) -> list[str]:
        return [(c.get("message") or {}).get("content") or "" for c in output.get("choices") or []]

    def with_output_texts(self, output: Any, texts: list[str], blocked: list[bool]) -> Any:
        if any(blocked):
            return _refusal_completion(output, self.call.policy.refusal if self.call else "", self.body)
        choices = []
        for choice, text in zip(output.get("choices") or [], texts, strict=False):
            message = dict(choice.get("message") or {})
            if message.get("content") is not None:
                message["content"] = text
            choices.append({**choice, "message": message})
        return {**output, "choices": choices}

    def is_stream(self, output: Any) -> bool:
        return isinstance(output, _Pieces)


class _Pieces:
    """The upstream's events as text pieces of at least ``min_piece`` characters.

    The guard holds back that much text anyway, so smaller pieces would only add check runs.
    It keeps the first event's id/model, the finish reason and the usage for the chunks.
    """

    def __init__(self, stream: UpstreamStream, min_piece: int) -> None:
        self.stream, self.min_piece = stream, min_piece
        self.meta: dict[str, Any] = {}
        self.finish_reason: str | None = None
        self.usage: dict[str, Any] | None = None
        self._done = False
        self._pending = ""

    async def prime(self) -> None:
        """Read the first events now, so every chunk (the first too) carries the upstream's id."""
        events = await self.stream.next_events()
        if events is None:
            self._done = True
        else:
            self._pending = "".join(t for event in events for t in self._absorb(event))

    def __aiter__(self) -> _Pieces:
        return self

    async def __anext__(self) -> str:
        buffer, self._pending = self._pending, ""
        while not self._done and len(buffer) < self.min_piece:
            events = await self.stream.next_events()
            if events is None:
                self._done = True
                break
            buffer += "".join(t for event in events for t in self._absorb(event))
        if not buffer:
            raise StopAsyncIteration
        return buffer

    def _absorb(self, event: dict[str, Any]) -> list[str]:
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

    async def aclose(self) -> None:
        with anyio.CancelScope(shield=True):
            await self.stream.aclose()


async def _one(item: str) -> AsyncIterator[str]:
    yield item


def _now_id() -> str:
    return "chatcmpl-raikit-" + uuid.uuid4().hex[:24]


class GuardPool:
    """Guards by policy, sharing one sink.

    Args:
        sink: Where decision records go (an ``AuditLog``), or None.
        checks: Ready check instances by id for every policy (tests).
        on_decision: Called with ``(context, decision)`` once per guarded call (metrics, traces).
        generator_id: Recorded as the generator of every decision.
    """

    def __init__(
        self,
        *,
        sink: Any | None,
        checks: dict[str, Any] | None = None,
        on_decision: Callable[[CallContext, Decision], None] | None = None,
        generator_id: str = "raikit-serve",
    ) -> None:
        self.sink = sink
        self.checks = checks
        self.on_decision = on_decision
        self.generator_id = generator_id
        self._guards: dict[str, Guard] = {}

    # -- set-up ------------------------------------------------------------------------
    def add_policy(self, policy: str) -> Guard:
        """Build (once) the guard for a policy name or path; raises ``PolicyError`` if invalid."""
        if policy not in self._guards:
            self._guards[policy] = Guard(policy, sink=self.sink, generator_id=self.generator_id, checks=self.checks)
        return self._guards[policy]

    def guard(self, policy: str) -> Guard:
        return self._guards[policy]

    @property
    def policies(self) -> list[str]:
        return sorted(self._guards)

    async def load(self) -> None:
        """Load every policy's check models (in a worker thread; a shutdown does not wait for it)."""
        for guard in self._guards.values():
            await anyio.to_thread.run_sync(guard.runner.load, abandon_on_cancel=True)

    def close(self) -> None:
        """Stop every guard's worker pool and batch threads."""
        for guard in self._guards.values():
            guard.close()

    def report(self, ctx: CallContext) -> None:
        """Hand the request's finished decision to ``on_decision`` (once)."""
        if ctx.reported or ctx.decision is None or self.on_decision is None:
            return
        ctx.reported = True
        try:
            self.on_decision(ctx, ctx.decision)
        except Exception:  # noqa: BLE001 - metrics must never break a call
            logger.exception("on_decision hook failed")

    async def _arun(self, ctx: CallContext, hooks: _ChatHooks) -> Any:
        guard = self._guards[ctx.policy]
        with request_context(ctx.request_id, tenant_id=ctx.tenant):
            try:
                return await guard.arun(hooks)
            finally:
                decision = last_decision()
                if decision is not None and decision.request_id == ctx.request_id:
                    ctx.decision = decision

    # -- calls -------------------------------------------------------------------------
    async def complete(self, ctx: CallContext, body: dict[str, Any], upstream: Upstream) -> dict[str, Any]:
        """A guarded non-streaming completion, as an OpenAI ``chat.completion`` object.

        Raises:
            UpstreamError: the upstream failed (recorded by the guard as ``error``).
            PolicyViolation: blocked and the policy says ``on_block: raise``.
        """
        hooks = _ChatHooks(body, upstream, ctx.request_id, self.generator_id, stream=False)
        try:
            result: dict[str, Any] = await self._arun(ctx, hooks)
            return result
        finally:
            self.report(ctx)

    async def open_stream(self, ctx: CallContext, body: dict[str, Any], upstream: Upstream) -> GuardedStream:
        """Check the prompt and open the upstream stream (its errors raise here, before any byte).

        Raises:
            UpstreamError: the upstream refused or failed (recorded by the guard as ``error``).
            PolicyViolation: the prompt was blocked and the policy says ``on_block: raise``.
        """
        guard = self._guards[ctx.policy]
        hooks = _ChatHooks(body, upstream, ctx.request_id, self.generator_id, stream=True,
                           min_piece=max(1, guard.policy.streaming.hold_back))
        try:
            pieces = await self._arun(ctx, hooks)
        except BaseException:
            self.report(ctx)
            raise
        return GuardedStream(self, ctx, hooks, pieces, body)

    async def scan(self, ctx: CallContext, texts: list[str], stage: str) -> list[StageResult]:
        """Run the policy over a batch of texts (off the loop, micro-batched); one ``x-scan`` record."""
        guard = self.guard(ctx.policy)
        results = await guard.ascan(texts, stage=stage)
        if self.sink is not None:
            event = {
                "kind": "x-scan", "request_id": ctx.request_id, "tenant": salted_hash(ctx.tenant),
                "policy": guard.policy.name, "policy_hash": guard.policy_hash, "stage": stage,
                "outcomes": [r.outcome for r in results],
                "findings": [[{"check": f.check_id, "type": f.type, "start": f.start, "end": f.end,
                               "score": round(f.score, 4), "action": f.action} for f in r.findings] for r in results],
            }
            await anyio.to_thread.run_sync(self.sink.append, event)
        return results


class GuardedStream:
    """A guarded completion stream as OpenAI ``chat.completion.chunk`` server-sent events.

    The guard's stream is read on the event loop; its checks run off the loop (see module doc).
    """

    def __init__(self, pool: GuardPool, ctx: CallContext, hooks: _ChatHooks, released: AsyncIterator[str],
                 body: dict[str, Any]) -> None:
        self.pool = pool
        self.ctx = ctx
        self.hooks = hooks
        self.released = released
        self.body = body
        self.fallback_id = _now_id()
        self.created = int(time.time())
        self._cleaned = False

    def _chunk(self, delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> bytes:
        meta = self.hooks.pieces.meta if self.hooks.pieces is not None else {}
        chunk: dict[str, Any] = {
            "id": meta.get("id", self.fallback_id),
            "object": "chat.completion.chunk",
            "created": meta.get("created", self.created),
            "model": meta.get("model", self.body.get("model", "")),
            "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        if "system_fingerprint" in meta:
            chunk["system_fingerprint"] = meta["system_fingerprint"]
        return b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n"

    async def events(self) -> AsyncIterator[bytes]:
        """The SSE body; ends with ``data: [DONE]`` (or an error event if the upstream failed)."""
        try:
            yield self._chunk({"role": "assistant", "content": ""})
            async for piece in self.released:
                yield self._chunk({"content": piece})
            blocked = self.ctx.decision is not None and self.ctx.decision.blocked
            pieces = self.hooks.pieces
            finish = "content_filter" if blocked else ((pieces.finish_reason if pieces else None) or "stop")
            yield self._chunk({}, finish)
            if pieces is not None and pieces.usage is not None:
                yield self._chunk(None, usage=pieces.usage)
            yield b"data: [DONE]\n\n"
        except UpstreamError as err:
            yield b"data: " + json.dumps(err.body).encode() + b"\n\n"
        except Exception:
            logger.exception("stream of request %s failed", self.ctx.request_id)
            yield b"data: " + json.dumps(error_body("gateway error", "server_error")).encode() + b"\n\n"
        finally:
            with anyio.CancelScope(shield=True):
                await self.cleanup()

    async def cleanup(self) -> None:
        """Close the guard's stream (a stream left unfinished is recorded ``cancelled``).

        Safe to call twice; called when the body ends and when the response ends (a client that
        left before the body started).
        """
        if self._cleaned:
            return
        self._cleaned = True
        close = getattr(self.released, "aclose", None)
        if close is not None:
            await close()
        call = self.hooks.call
        if call is not None and not call.finished:  # the body never started: the guard's stream never ran
            import asyncio

            call.fail(asyncio.CancelledError())
        if self.hooks.pieces is not None:
            await self.hooks.pieces.aclose()
        self.pool.report(self.ctx)


def _refusal_completion(data: dict[str, Any] | None, refusal: str, body: dict[str, Any]) -> dict[str, Any]:
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

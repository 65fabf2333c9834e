"""The one guard pipeline: prompt check -> call -> output check -> record.

The pipeline is written once, as generators of *steps* (scan these texts, call the
generator, read the next chunk, emit this item); a sync and an async driver carry the steps
out (``runner.scan_batched`` or ``await runner.ascan``, a plain or awaited call). What
differs between kinds of generator (plain functions, HF pipelines, OpenAI clients) is in a
small :class:`CallHooks` object. Every call ends in exactly one record: allowed, warned,
redacted, blocked, ``error`` (the generator raised) or ``cancelled`` (the consumer stopped a
stream before its end).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from raikit.errors import PolicyViolation
from raikit.guardrails._context import current_request, set_last
from raikit.guardrails._decision import StageResult, outcome_of
from raikit.guardrails._hashing import salted_hash
from raikit.guardrails._io import collect_roles, collect_texts, replace_texts
from raikit.guardrails._runner import hashes_of
from raikit.guardrails._streaming import StreamFilter

if TYPE_CHECKING:
    from raikit.guardrails._guard import Guard

logger = logging.getLogger(__name__)


# -- steps -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scan:
    texts: list[str]
    stage: str
    prompt_hashes: list[set[tuple[str, str]]] | None = None
    roles: list[str | None] | None = None


@dataclass(frozen=True)
class Invoke:
    pass


@dataclass(frozen=True)
class Next:
    pass


@dataclass(frozen=True)
class Emit:
    item: Any


@dataclass(frozen=True)
class CloseUpstream:
    pass


END = object()  #: What a ``Next`` step gets when the upstream stream is exhausted.


@dataclass(frozen=True)
class StreamStart:
    """Returned by the call steps when the generator gave a stream."""

    upstream: Any


# -- hooks -------------------------------------------------------------------------------
class CallHooks:
    """What differs between kinds of generator; the defaults suit plain functions.

    Subclass and override: :meth:`invoke` (required), :meth:`refusal`,
    :meth:`output_texts` / :meth:`with_output_texts`, the stream hooks and
    ``text_watermark_note``.
    """

    #: Why the policy's text watermark cannot be applied to this kind of generator
    #: (recorded when text watermarking is enabled); ``None`` when the hook applies it.
    text_watermark_note: str | None = (
        "not applied: the generator is a plain function; text watermarking needs a Hugging Face "
        "model or pipeline (logits access)"
    )

    def __init__(self, prompt: Any, generator_id: str) -> None:
        self.prompt = prompt
        self.generator_id = generator_id

    def invoke(self, call: Call) -> Any:
        """Run the generator on ``self.prompt`` (may return an awaitable or a stream)."""
        raise NotImplementedError

    def refusal(self, call: Call) -> Any:
        """What the caller gets when the prompt is blocked."""
        return call.policy.refusal

    def output_texts(self, output: Any) -> list[str]:
        return collect_texts(output)

    def with_output_texts(self, output: Any, texts: list[str], blocked: list[bool]) -> Any:
        """``output`` with its texts replaced (blocked ones by the refusal)."""
        return replace_texts(output, texts)

    def is_stream(self, output: Any) -> bool:
        if isinstance(output, AsyncIterator):
            return True
        return isinstance(output, Iterator) and not isinstance(output, str | bytes | dict | list)

    # stream hooks
    def chunk_text(self, chunk: Any) -> str | None:
        """The text of a chunk, or ``None`` for a chunk that carries none (passed through)."""
        return chunk if isinstance(chunk, str) else "".join(collect_texts(chunk))

    def make_chunk(self, template: Any, text: str) -> Any:
        """A chunk like ``template`` holding ``text``."""
        return text

    def refusal_chunk(self, call: Call, template: Any) -> Any:
        return call.policy.refusal

    #: After a block mid-stream, read the upstream to its end (its text dropped unseen) so
    #: that chunks :meth:`kept_after_refusal` keeps still arrive; otherwise it is closed at once.
    read_to_end_after_block: bool = False

    def kept_after_refusal(self, chunk: Any) -> bool:
        """Whether a chunk without text, received after the text began, follows a refusal."""
        return False

    def wrap_stream(self, stream: Iterator[Any] | AsyncIterator[Any], upstream: Any) -> Any:
        """What the caller gets for a stream (the driver's iterator by default)."""
        return stream


# -- one call ----------------------------------------------------------------------------
class Call:
    """The state of one guarded call: its decision, clock and prompt results."""

    def __init__(self, guard: Guard, hooks: CallHooks) -> None:
        self.guard = guard
        self.policy = guard.policy
        self.hooks = hooks
        self.clock = guard.clock
        self.started = guard.clock()
        self.decision = guard.new_decision(hooks.generator_id)
        ids = current_request()
        if ids is not None:
            self.decision.request_id = ids.request_id
            self.decision.tenant_hash = salted_hash(ids.tenant_id) if ids.tenant_id else None
            self.decision.user_hash = salted_hash(ids.user_id) if ids.user_id else None
        self.prompt_hashes: set[tuple[str, str]] = set()
        self.text_watermarked = False
        self.finished = False
        set_last(self.decision)

    def absorb(self, results: list[StageResult]) -> None:
        for result in results:
            self.decision.absorb(result)

    def add_time(self, name: str, since: float) -> None:
        ms = (self.clock() - since) * 1000.0
        self.decision.timings_ms[name] = self.decision.timings_ms.get(name, 0.0) + ms

    def note_text_watermark(self) -> None:
        settings = self.policy.watermark.text
        if settings.enabled and not self.text_watermarked and self.decision.watermark is None:
            note = self.hooks.text_watermark_note or "not applied"
            self.decision.watermark = {"kind": "text", "status": "not_applied", "reason": note}
            logger.info("text watermark %s", note)

    def finish(self) -> None:
        """Record the decision once (later calls do nothing)."""
        if self.finished:
            return
        self.finished = True
        self.guard.record(self.decision, self.started)

    def fail(self, err: BaseException) -> None:
        """The call ended by ``err``: record ``cancelled`` or ``error`` unless already recorded."""
        if self.finished:
            return
        import asyncio

        cancelled = isinstance(err, GeneratorExit | asyncio.CancelledError | KeyboardInterrupt)
        self.decision.end("cancelled" if cancelled else "error", None if cancelled else err)
        self.finish()

    def refuse(self, reply: Any) -> Any:
        """Record a block and raise :class:`PolicyViolation` or return ``reply``, as the policy says."""
        if self.policy.on_block != "raise":
            self.decision.refused = True
        self.finish()
        if self.policy.on_block == "raise":
            raise PolicyViolation(self.decision)
        return reply


def call_steps(call: Call) -> Generator[Any, Any, Any]:
    """Prompt check -> call -> output check -> record, as steps."""
    hooks, decision = call.hooks, call.decision
    try:
        pairs = collect_roles(hooks.prompt)
        if pairs:
            texts = [t for t, _ in pairs]
            results = yield Scan(texts, "prompt", None, [r for _, r in pairs])
            call.absorb(results)
            if decision.blocked:
                return call.refuse(hooks.refusal(call))
            call.prompt_hashes = set().union(*(hashes_of(r) for r in results))
            if any(r.text is not t for r, t in zip(results, texts, strict=True)):
                hooks.prompt = replace_texts(hooks.prompt, [r.text for r in results])
        since = call.clock()
        output = yield Invoke()
        call.add_time("generate", since)
        if hooks.is_stream(output):
            return StreamStart(output)
        texts = hooks.output_texts(output)
        results = []
        if texts:
            results = yield Scan(texts, "output", [call.prompt_hashes] * len(texts), None)
            call.absorb(results)
        blocked = [r.outcome == "blocked" for r in results]
        if any(blocked) and call.policy.on_block == "raise":
            return call.refuse(None)
        if any(blocked) or any(r.text is not t for r, t in zip(results, texts, strict=True)):
            replaced = [call.policy.refusal if b else r.text for r, b in zip(results, blocked, strict=True)]
            output = hooks.with_output_texts(output, replaced, blocked)
        decision.refused = any(blocked)
        output = call.guard.mark_images(output, decision)
        if texts:
            call.note_text_watermark()
        call.finish()
        return output
    except BaseException as err:
        call.fail(err)
        raise


def stream_steps(call: Call) -> Generator[Any, Any, None]:
    """Check a stream chunk by chunk through a :class:`StreamFilter`, then record."""
    hooks, decision, guard = call.hooks, call.decision, call.guard
    streaming = call.policy.streaming
    filt = StreamFilter(
        guard.runner,
        hold_back=streaming.hold_back,
        window=streaming.window,
        max_window=streaming.max_window,
        prompt_hashes=call.prompt_hashes,
    )
    deferred: list[Any] = []
    template: Any = None
    hashes = [call.prompt_hashes]
    try:
        while not filt.state.blocked:
            since = call.clock()
            item = yield Next()
            call.add_time("generate", since)
            if item is END:
                break
            text = hooks.chunk_text(item)
            if not text:
                if filt.empty and not deferred:
                    yield Emit(item)
                else:
                    deferred.append(item)
                continue
            template = item
            filt.add(text)
            if filt.due():
                result = (yield Scan([filt.window_text()], "output", hashes))[0]
                out = filt.apply(result, final=False)
                if out:
                    yield Emit(hooks.make_chunk(template, out))
        tail = ""
        if not filt.state.blocked and not filt.empty:
            result = (yield Scan([filt.window_text()], "output", hashes))[0]
            tail = filt.apply(result, final=True)
        if filt.state.blocked and hooks.read_to_end_after_block and call.policy.on_block != "raise":
            while (item := (yield Next())) is not END:  # the rest is dropped unseen, but for its tail chunks
                deferred.append(item)
        yield CloseUpstream()
        _conclude_stream(call, filt)
        if filt.state.blocked:
            yield Emit(call.refuse(hooks.refusal_chunk(call, template)))
            for item in deferred:
                if hooks.kept_after_refusal(item):
                    yield Emit(item)
            return
        call.finish()
        if tail:
            yield Emit(hooks.make_chunk(template, tail))
        for item in deferred:
            yield Emit(item)
    except BaseException as err:
        if not call.finished:
            _conclude_stream(call, filt)
        call.fail(err)
        raise


def _conclude_stream(call: Call, filt: StreamFilter) -> None:
    decision = call.decision
    for name, ms in filt.state.timings_ms.items():
        decision.timings_ms[f"stream:{name}"] = decision.timings_ms.get(f"stream:{name}", 0.0) + ms
    decision.errors.extend(filt.state.errors)
    findings = filt.findings()
    decision.output_findings.extend(findings)
    actions = [f.action or "allow" for f in findings] + [e.action for e in filt.state.errors]
    if filt.state.blocked:
        actions.append("block")
    decision.raise_to(outcome_of(actions))
    decision.stage = "stream"
    call.note_text_watermark()


# -- drivers -----------------------------------------------------------------------------
# One loop per flavour carries out any step sequence: a sync generator and an async
# generator, each yielding the ``Emit`` items (a call's steps emit none; a stream's steps
# are the caller's stream) and doing every other step with :func:`_do` / :func:`_ado`.
def run_sync(call: Call) -> Any:
    """Carry out the call's steps in this thread; return what the caller gets."""
    result = _returned(_drive_sync(call, call_steps(call)))
    if isinstance(result, StreamStart):
        return _open_stream(call, result.upstream)
    return result


async def run_async(call: Call) -> Any:
    """Carry out the call's steps without blocking the event loop."""
    result: list[Any] = []
    async for _ in _drive_async(call, call_steps(call), None, result):
        raise AssertionError("a call's steps emit nothing")
    if isinstance(result[0], StreamStart):
        return _open_stream(call, result[0].upstream)
    return result[0]


def _returned(driver: Generator[Any, None, Any]) -> Any:
    """The return value of a driver over steps that emit nothing."""
    try:
        next(driver)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("a call's steps emit nothing")


def _open_stream(call: Call, upstream: Any) -> Any:
    """The caller's stream; one never read and dropped is still recorded (``cancelled``)."""
    import weakref

    driver = stream_async(call, upstream) if isinstance(upstream, AsyncIterator) else stream_sync(call, upstream)
    weakref.finalize(driver, _abandoned, call)
    return call.hooks.wrap_stream(driver, upstream)


def _abandoned(call: Call) -> None:
    if not call.finished:
        call.fail(GeneratorExit())


def stream_sync(call: Call, upstream: Iterator[Any]) -> Iterator[Any]:
    """The guarded stream over a sync upstream iterator."""
    try:
        yield from _drive_sync(call, stream_steps(call), upstream)
    finally:
        _close(upstream)


async def stream_async(call: Call, upstream: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """The guarded stream over an async upstream iterator."""
    driver = _drive_async(call, stream_steps(call), upstream, [])
    try:
        async for item in driver:
            yield item
    finally:
        await driver.aclose()  # a consumer that stopped early is recorded now, not at garbage collection
        await _aclose(upstream)


def _advance(steps: Generator[Any, Any, Any], value: Any, error: BaseException | None) -> tuple[bool, Any]:
    """Resume ``steps`` with a value or an error: ``(False, next step)`` or ``(True, what they return)``."""
    try:
        return False, steps.throw(error) if error is not None else steps.send(value)
    except StopIteration as stop:
        return True, stop.value


def _drive_sync(call: Call, steps: Generator[Any, Any, Any], upstream: Any = None) -> Generator[Any, None, Any]:
    """Carry out ``steps`` in this thread, yielding what they emit; return what they return."""
    value: Any = None
    error: BaseException | None = None
    while True:
        done, step = _advance(steps, value, error)
        if done:
            return step
        value, error = None, None
        try:
            if isinstance(step, Emit):
                yield step.item
            else:
                value = _do(call, step, upstream)
        except BaseException as err:  # noqa: BLE001 - handed to the steps, which record it
            error = err


async def _drive_async(
    call: Call, steps: Generator[Any, Any, Any], upstream: Any, result: list[Any]
) -> AsyncIterator[Any]:
    """:func:`_drive_sync` for ``async`` code; what the steps return is appended to ``result``."""
    value: Any = None
    error: BaseException | None = None
    while True:
        done, step = _advance(steps, value, error)
        if done:
            result.append(step)
            return
        value, error = None, None
        try:
            if isinstance(step, Emit):
                yield step.item
            else:
                value = await _ado(call, step, upstream)
        except BaseException as err:  # noqa: BLE001 - handed to the steps, which record it
            error = err


def _do(call: Call, step: Any, upstream: Any) -> Any:
    """One step other than ``Emit``, in this thread."""
    if isinstance(step, Scan):
        return call.guard.runner.scan_batched(step.texts, stage=step.stage, prompt_hashes=step.prompt_hashes, roles=step.roles)
    if isinstance(step, Next):
        return next(upstream, END)
    if isinstance(step, CloseUpstream):
        return _close(upstream)
    return call.hooks.invoke(call)


async def _ado(call: Call, step: Any, upstream: Any) -> Any:
    """One step other than ``Emit``, without blocking the event loop."""
    if isinstance(step, Scan):
        return await call.guard.runner.ascan(step.texts, stage=step.stage, prompt_hashes=step.prompt_hashes, roles=step.roles)
    if isinstance(step, Next):
        try:
            return await upstream.__anext__()
        except StopAsyncIteration:
            return END
    if isinstance(step, CloseUpstream):
        return await _aclose(upstream)
    value = call.hooks.invoke(call)
    return (await value) if inspect.isawaitable(value) else value


def _close(upstream: Any) -> None:
    close = getattr(upstream, "close", None)
    if close is not None:
        close()


async def _aclose(upstream: Any) -> None:
    close = getattr(upstream, "aclose", None) or getattr(upstream, "close", None)
    if close is not None:
        result = close()
        if inspect.isawaitable(result):
            await result


def once(item: Any) -> Iterator[Any]:
    """A one-item stream (a refusal)."""
    yield item


async def aonce(item: Any) -> AsyncIterator[Any]:
    """A one-item async stream (a refusal)."""
    yield item


Driver = Callable[[Call], Any]

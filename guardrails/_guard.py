"""The ``@guard`` decorator: check prompts before and outputs after any generator call."""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Protocol, TypeVar

from raikit.errors import PolicyViolation
from raikit.guardrails._check import Check
from raikit.guardrails._decision import OUTCOMES, CheckFailure, Decision, StageResult, outcome_of
from raikit.guardrails._io import PromptLocator, collect_texts, replace_texts
from raikit.guardrails._policy import Policy
from raikit.guardrails._runner import PolicyRunner, hashes_of
from raikit.guardrails._streaming import StreamFilter

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
_LAST: contextvars.ContextVar[Decision | None] = contextvars.ContextVar("raikit_last_decision", default=None)


class DecisionSink(Protocol):
    """Where decisions go: anything with ``append(event: dict)`` (an AuditLog, a MemorySink)."""

    def append(self, event: dict[str, Any]) -> Any: ...


def last_decision() -> Decision | None:
    """The decision of the latest guarded call in this thread or task.

    Example:
        >>> from raikit.guardrails import guard, last_decision
        >>> @guard(policy=my_policy)  # doctest: +SKIP
        ... def generate(prompt): ...
        >>> generate("hi"); last_decision().outcome  # doctest: +SKIP
        'allowed'
    """
    return _LAST.get()


class Guard:
    """A policy bound to checks, a sink and a clock; call it on a function to guard it.

    Args:
        policy: Bundled name, path or loaded :class:`Policy`.
        prompt_arg: Name or position of the prompt argument (default: guessed).
        sink: Receives each decision's record (``append(dict)``); defaults to the policy's
            audit log when it names a path, else nothing.
        generator_id: Recorded as the model/generator id (defaults to the function's name).
        on_decision: Called with every :class:`Decision`.
        checks: Ready check instances by id (fakes in tests).
        clock: Monotonic clock in seconds.
    """

    def __init__(
        self,
        policy: str | Policy = "default",
        *,
        prompt_arg: str | int | None = None,
        sink: DecisionSink | None = None,
        generator_id: str | None = None,
        on_decision: Callable[[Decision], None] | None = None,
        checks: dict[str, Check] | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.runner = PolicyRunner(policy, checks=checks, clock=clock)
        self.policy = self.runner.policy
        self.prompt_arg = prompt_arg
        self.sink = sink if sink is not None else _policy_sink(self.policy)
        self.generator_id = generator_id
        self.on_decision = on_decision
        self.clock = clock
        self.policy_hash = self.policy.hash
        self._locators: dict[Callable[..., Any], PromptLocator] = {}

    # -- the two stages ----------------------------------------------------------------
    def new_decision(self, generator_id: str) -> Decision:
        return Decision(policy_name=self.policy.name, policy_hash=self.policy_hash, generator_id=generator_id)

    def check_prompt(self, prompt: Any, decision: Decision) -> tuple[Any, list[StageResult]]:
        """Scan the texts in ``prompt``; return the (possibly redacted) prompt and results."""
        texts = collect_texts(prompt)
        results = self.runner.scan(texts, stage="prompt") if texts else []
        for result in results:
            decision.absorb(result)
        if decision.blocked:
            return prompt, results
        if any(r.text is not t for r, t in zip(results, texts, strict=True)):
            prompt = replace_texts(prompt, [r.text for r in results])
        return prompt, results

    def check_output(self, output: Any, decision: Decision, prompt_results: list[StageResult]) -> Any:
        """Scan the texts in ``output`` and return it redacted, or the refusal if blocked."""
        texts = collect_texts(output)
        seen = set().union(*(hashes_of(r) for r in prompt_results)) if prompt_results else set()
        results = self.runner.scan(texts, stage="output", prompt_hashes=[seen] * len(texts)) if texts else []
        for result in results:
            decision.absorb(result)
        if decision.blocked:
            return None
        if any(r.text is not t for r, t in zip(results, texts, strict=True)):
            output = replace_texts(output, [r.text for r in results])
        return self.mark_images(output, decision)

    def mark_images(self, output: Any, decision: Decision) -> Any:
        settings = self.policy.watermark.image
        if not settings.enabled or not _may_hold_images(output):
            return output
        key = watermark_key(settings.key_env, "image", decision)
        if key is None:
            return output
        from raikit.watermark import key_id, mark_images

        marked, count = mark_images(output, key=key, payload=settings.payload)
        if count:
            decision.watermark = {"kind": "image", "status": "marked", "key_id": key_id(key), "count": count}
        return marked

    def finish(self, decision: Decision, started: float) -> None:
        decision.timings_ms["total"] = (self.clock() - started) * 1000.0
        _LAST.set(decision)
        if self.sink is not None:
            self.sink.append(decision.to_record())
        if self.on_decision is not None:
            self.on_decision(decision)

    def blocked(self, decision: Decision) -> Any:
        """Raise :class:`PolicyViolation` or return the refusal, as the policy says."""
        if self.policy.on_block == "raise":
            raise PolicyViolation(decision)
        decision.refused = True
        return self.policy.refusal

    # -- wrapping ----------------------------------------------------------------------
    def wrap_model(self, model: Any, tokenizer: Any) -> Callable[..., Any]:
        """Guard a Hugging Face causal LM as a ``prompt -> continuation`` function."""
        from raikit.guardrails._adapters import GuardedModel

        return GuardedModel(self, model, tokenizer)

    def __call__(self, target: F) -> F:
        from raikit.guardrails import _adapters

        adapted = _adapters.adapt(self, target)
        if adapted is not None:
            return adapted  # type: ignore[no-any-return]
        if inspect.isasyncgenfunction(target):
            return self._wrap_async_stream(target)  # type: ignore[return-value]
        if inspect.iscoroutinefunction(target):
            return self._wrap_async(target)  # type: ignore[return-value]
        if inspect.isgeneratorfunction(target):
            return self._wrap_stream(target)  # type: ignore[return-value]
        return self._wrap_sync(target)  # type: ignore[return-value]

    def _start(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]):  # type: ignore[no-untyped-def]
        started = self.clock()
        decision = self.new_decision(self.generator_id or getattr(fn, "__qualname__", repr(fn)))
        locator = self._locators.get(fn)
        if locator is None:
            locator = self._locators[fn] = PromptLocator(fn, self.prompt_arg)
        prompt = locator.get(args, kwargs)
        new_prompt, results = self.check_prompt(prompt, decision)
        if new_prompt is not prompt:
            args, kwargs = locator.set(args, kwargs, new_prompt)
        return started, decision, results, args, kwargs

    def _timed(self, decision: Decision, since: float) -> None:
        decision.timings_ms["generate"] = decision.timings_ms.get("generate", 0.0) + (self.clock() - since) * 1000.0

    def _wrap_sync(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, decision, results, args, kwargs = self._start(fn, args, kwargs)
            if decision.blocked:
                self.finish(decision, started)
                return self.blocked(decision)
            t = self.clock()
            output = fn(*args, **kwargs)
            self._timed(decision, t)
            if isinstance(output, Iterator) and not isinstance(output, str | bytes | dict | list):
                return self._stream(output, decision, results, started)
            return self._conclude(output, decision, results, started)

        return wrapper

    def _wrap_async(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, decision, results, args, kwargs = self._start(fn, args, kwargs)
            if decision.blocked:
                self.finish(decision, started)
                return self.blocked(decision)
            t = self.clock()
            output = await fn(*args, **kwargs)
            self._timed(decision, t)
            if isinstance(output, AsyncIterator):
                return self._astream(output, decision, results, started)
            return self._conclude(output, decision, results, started)

        return wrapper

    def _conclude(self, output: Any, decision: Decision, results: list[StageResult], started: float) -> Any:
        checked = self.check_output(output, decision, results)
        self.finish(decision, started)
        if decision.blocked:
            return self.blocked(decision)
        return checked

    def _wrap_stream(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Iterator[str]:
            started, decision, results, args, kwargs = self._start(fn, args, kwargs)
            if decision.blocked:
                self.finish(decision, started)
                return iter([self._stream_refusal(decision)])
            return self._stream(fn(*args, **kwargs), decision, results, started)

        return wrapper

    def _wrap_async_stream(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> AsyncIterator[str]:
            started, decision, results, args, kwargs = self._start(fn, args, kwargs)
            if decision.blocked:
                self.finish(decision, started)
                return _single(self._stream_refusal(decision))
            return self._astream(fn(*args, **kwargs), decision, results, started)

        return wrapper

    def _stream_refusal(self, decision: Decision) -> str:
        decision.refused = True
        return self.policy.refusal

    def stream_filter(self, results: list[StageResult]) -> StreamFilter:
        seen = set().union(*(hashes_of(r) for r in results)) if results else set()
        return StreamFilter(self.runner, hold_back=self.policy.streaming.hold_back, prompt_hashes=seen)

    def _end_stream(self, filt: StreamFilter, decision: Decision, started: float) -> str:
        errors: dict[str, CheckFailure] = {}
        for result in filt.state.results:
            for error in result.errors:
                errors.setdefault(error.check_id, error)
            for name, ms in result.timings_ms.items():
                decision.timings_ms[f"stream:{name}"] = decision.timings_ms.get(f"stream:{name}", 0.0) + ms
        decision.errors.extend(errors.values())
        decision.output_findings.extend(filt.state.findings)
        actions = [f.action or "allow" for f in filt.state.findings] + [e.action for e in errors.values()]
        if filt.state.blocked:
            actions.append("block")
        decision.outcome = max(decision.outcome, outcome_of(actions), key=OUTCOMES.index)
        decision.stage = "stream"
        tail = self._stream_refusal(decision) if filt.state.blocked else ""
        self.finish(decision, started)
        return tail

    def _stream(self, chunks: Iterator[Any], decision: Decision, results: list[StageResult], started: float) -> Iterator[str]:
        filt = self.stream_filter(results)
        try:
            for chunk in chunks:
                text = filt.feed(_chunk_text(chunk))
                if filt.state.blocked:
                    break
                if text:
                    yield text
            else:
                text = filt.finish()
                if text:
                    yield text
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        tail = self._end_stream(filt, decision, started)
        if tail:
            yield tail

    async def _astream(
        self, chunks: AsyncIterator[Any], decision: Decision, results: list[StageResult], started: float
    ) -> AsyncIterator[str]:
        filt = self.stream_filter(results)
        try:
            async for chunk in chunks:
                text = filt.feed(_chunk_text(chunk))
                if filt.state.blocked:
                    break
                if text:
                    yield text
            else:
                text = filt.finish()
                if text:
                    yield text
        finally:
            aclose = getattr(chunks, "aclose", None)
            if aclose is not None:
                await aclose()
        tail = self._end_stream(filt, decision, started)
        if tail:
            yield tail


def _chunk_text(chunk: Any) -> str:
    return chunk if isinstance(chunk, str) else "".join(collect_texts(chunk))


async def _single(text: str) -> AsyncIterator[str]:
    yield text


def watermark_key(key_env: str, kind: str, decision: Decision) -> str | None:
    """The watermark key from ``$key_env``; when unset, record and log that marking was skipped."""
    key = os.environ.get(key_env)
    if not key:
        logger.warning("%s watermarking is enabled but $%s is not set; left unmarked", kind, key_env)
        decision.watermark = {"kind": kind, "status": "skipped", "reason": f"${key_env} not set"}
        return None
    return key


def _may_hold_images(value: Any) -> bool:
    if isinstance(value, str | bytes | int | float) or value is None:
        return False
    if isinstance(value, dict):
        return any(_may_hold_images(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_may_hold_images(v) for v in value)
    module = type(value).__module__
    return module.startswith("PIL") or (module == "numpy" and getattr(value, "ndim", 0) == 3)


def _policy_sink(policy: Policy) -> DecisionSink | None:
    if policy.audit_log.path is None:
        return None
    from raikit.audits import open_policy_log

    return open_policy_log(policy)


def guard(
    policy: str | Policy = "default",
    *,
    prompt_arg: str | int | None = None,
    sink: DecisionSink | None = None,
    generator_id: str | None = None,
    on_decision: Callable[[Decision], None] | None = None,
    checks: dict[str, Check] | None = None,
) -> Guard:
    """Guard a generation function, a Hugging Face pipeline or an OpenAI-style client.

    Works on sync and ``async`` functions, sync and async generators that stream text
    chunks, HF ``pipeline`` objects and clients with ``chat.completions.create``. The prompt
    is checked before the call (a blocked prompt never reaches the generator), the output
    after it (streams incrementally with a hold-back); the policy's actions are applied and
    a :class:`Decision` is recorded (see :func:`last_decision`).

    Args:
        policy: A bundled policy name, a YAML path or a loaded :class:`Policy`. Validated now:
            nothing runs on an invalid policy.
        prompt_arg: Name or position of the prompt argument (default: guessed).
        sink: Receives every decision record; defaults to the policy's audit log, if any.
        generator_id: The id recorded for the model or generator.
        on_decision: Called with each decision.
        checks: Ready check instances by id, replacing the policy's (for tests).

    Example:
        >>> from raikit.guardrails import guard
        >>> @guard(policy="default")  # doctest: +SKIP
        ... def generate(prompt: str) -> str:
        ...     return my_model(prompt)
    """
    return Guard(
        policy, prompt_arg=prompt_arg, sink=sink, generator_id=generator_id, on_decision=on_decision, checks=checks
    )

"""The ``@guard`` decorator: check prompts before and outputs after any generator call."""

from __future__ import annotations

import functools
import inspect
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol, TypeVar

from raikit.guardrails._check import Check
from raikit.guardrails._context import last_decision, set_last
from raikit.guardrails._decision import Decision, StageResult
from raikit.guardrails._io import PromptLocator
from raikit.guardrails._pipeline import Call, CallHooks, aonce, once, run_async, run_sync
from raikit.guardrails._policy import Policy
from raikit.guardrails._runner import PolicyRunner

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["DecisionSink", "Guard", "guard", "last_decision"]


class DecisionSink(Protocol):
    """Where decisions go: anything with ``append(event: dict)`` (an AuditLog, a MemorySink)."""

    def append(self, event: dict[str, Any]) -> Any: ...


class Guard:
    """A policy bound to checks, a sink and a clock; call it on a function to guard it.

    Each guard owns its checks, its worker pool and its micro-batchers (see
    :class:`PolicyRunner`); :meth:`close` stops them.

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

    def close(self) -> None:
        """Stop this guard's worker pool and batch threads."""
        self.runner.close()

    # -- the pipeline's public hooks ---------------------------------------------------
    def new_decision(self, generator_id: str) -> Decision:
        return Decision(policy_name=self.policy.name, policy_hash=self.policy_hash, generator_id=generator_id)

    def run(self, hooks: CallHooks) -> Any:
        """Run one guarded call described by ``hooks`` (prompt check, call, output check, record).

        Adapters for new kinds of generator subclass :class:`CallHooks` and call this (or
        :meth:`arun` from ``async`` code).
        """
        return run_sync(Call(self, hooks))

    async def arun(self, hooks: CallHooks) -> Any:
        """:meth:`run` for ``async`` code: the checks never block the event loop."""
        return await run_async(Call(self, hooks))

    def scan(self, texts: list[str], *, stage: str = "output") -> list[StageResult]:
        """Scan texts with this guard's policy (batched with concurrent callers)."""
        return self.runner.scan_batched(texts, stage=stage)

    async def ascan(self, texts: list[str], *, stage: str = "output") -> list[StageResult]:
        """Scan texts from ``async`` code, off the event loop and micro-batched.

        Example:
            >>> results = await guard("default").ascan(["hello"], stage="prompt")  # doctest: +SKIP
        """
        return await self.runner.ascan(texts, stage=stage)

    def record(self, decision: Decision, started: float) -> None:
        """Complete ``decision`` and hand it to the sink and ``on_decision`` (once per call)."""
        decision.timings_ms["total"] = (self.clock() - started) * 1000.0
        set_last(decision)
        if self.sink is not None:
            self.sink.append(decision.to_record())
        if self.on_decision is not None:
            self.on_decision(decision)

    def mark_images(self, output: Any, decision: Decision) -> Any:
        """``output`` with the policy's image watermark on every image it holds, and C2PA
        content credentials signed into every image file it returns when the policy names
        a certificate."""
        settings = self.policy.watermark.image
        signing = bool(settings.c2pa_cert_env or settings.c2pa_key_env)
        if not (settings.enabled or signing) or not _may_hold_images(output):
            return output
        marked = output
        key = watermark_key(settings.key_env, "image", decision) if settings.enabled else None
        if key is not None:
            from raikit.watermark import key_id, mark_images

            marked, count = mark_images(output, key=key, payload=settings.payload)
            if count:
                decision.watermark = {"kind": "image", "status": "marked", "key_id": key_id(key), "count": count}
        if signing:
            from raikit.watermark import sign_outputs

            signed = sign_outputs(marked, cert_env=settings.c2pa_cert_env or "", key_env=settings.c2pa_key_env or "")
            if signed:
                decision.watermark = {**(decision.watermark or {"kind": "image"}), "c2pa_signed": signed}
        return marked

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
        return self._wrap_sync(target)  # type: ignore[return-value]

    def _hooks(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], refusal: Callable[[str], Any]) -> CallHooks:
        locator = self._locators.get(fn)
        if locator is None:
            locator = self._locators[fn] = PromptLocator(fn, self.prompt_arg)
        return _FunctionHooks(self.generator_id or getattr(fn, "__qualname__", repr(fn)), fn, locator, args, kwargs, refusal)

    def _wrap_sync(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        refusal = once if inspect.isgeneratorfunction(fn) else _same

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return self.run(self._hooks(fn, args, kwargs, refusal))

        return wrapper

    def _wrap_async(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return await self.arun(self._hooks(fn, args, kwargs, _same))

        return wrapper

    def _wrap_async_stream(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            stream = await self.arun(self._hooks(fn, args, kwargs, aonce))
            try:
                async for item in stream:
                    yield item
            finally:
                await stream.aclose()

        return wrapper


def _same(text: str) -> str:
    return text


class _FunctionHooks(CallHooks):
    """A plain (sync or async, returning or streaming) function as a guarded call."""

    def __init__(
        self,
        generator_id: str,
        fn: Callable[..., Any],
        locator: PromptLocator,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        refusal: Callable[[str], Any],
    ) -> None:
        self.fn, self.locator, self.args, self.kwargs, self._refusal = fn, locator, args, kwargs, refusal
        prompt = locator.get(args, kwargs)
        super().__init__(prompt, generator_id)
        self._original = prompt

    def invoke(self, call: Call) -> Any:
        args, kwargs = self.args, self.kwargs
        if self.prompt is not self._original:
            args, kwargs = self.locator.set(args, kwargs, self.prompt)
        return self.fn(*args, **kwargs)

    def refusal(self, call: Call) -> Any:
        return self._refusal(call.policy.refusal)


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
    if isinstance(value, os.PathLike):  # an image file the generator wrote
        return True
    if isinstance(value, dict):
        return any(_may_hold_images(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_may_hold_images(v) for v in value)
    module = type(value).__module__
    return module.startswith("PIL") or (module == "numpy" and getattr(value, "ndim", 0) == 3)


def _policy_sink(policy: Policy) -> DecisionSink | None:
    if policy.audit_log.path is None:
        return None
    from raikit.evidence import open_policy_log

    return open_policy_log(policy)


def guard(policy: str | Policy = "default", **options: Any) -> Guard:
    """Guard a generation function, a Hugging Face pipeline or an OpenAI-style client.

    Works on sync and ``async`` functions, sync and async generators that stream text
    chunks, HF ``pipeline`` objects and clients with ``chat.completions.create``. The prompt
    is checked before the call (a blocked prompt never reaches the generator), the output
    after it (streams incrementally with a hold-back); the policy's actions are applied and
    a :class:`Decision` is recorded (see :func:`last_decision`).

    Args:
        policy: A bundled policy name, a YAML path or a loaded :class:`Policy`. Validated now:
            nothing runs on an invalid policy.
        **options: The keyword options of :class:`Guard`: ``prompt_arg`` (name or position
            of the prompt argument, default guessed), ``sink`` (receives every decision
            record; default the policy's audit log, if any), ``generator_id``,
            ``on_decision`` (called with each decision) and ``checks`` (ready check
            instances by id, for tests).

    Example:
        >>> from raikit.guardrails import guard
        >>> @guard(policy="default")  # doctest: +SKIP
        ... def generate(prompt: str) -> str:
        ...     return my_model(prompt)
    """
    return Guard(policy, **options)

"""Adapters for generators that are objects: Hugging Face pipelines and OpenAI-style clients.

Neither transformers nor openai is imported here: objects are recognised by their shape
(openai's types are imported when a reply has to be built). Each adapter describes its call
with :class:`CallHooks` and runs it through the guard's one pipeline (``Guard.run``/``arun``).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from raikit.guardrails._pipeline import Call, CallHooks, aonce, once

if TYPE_CHECKING:
    from raikit.guardrails._guard import Guard


def adapt(guard: Guard, target: Any) -> Any | None:
    """A guarded stand-in for ``target`` if it is a known object kind, else ``None``."""
    if _is_pipeline(target):
        return GuardedPipeline(guard, target)
    if _is_hf_model(target):
        raise TypeError(
            "a Hugging Face model needs its tokenizer to be guarded: use "
            "guard(policy).wrap_model(model, tokenizer) or wrap a transformers pipeline"
        )
    completions = getattr(getattr(target, "chat", None), "completions", None)
    if completions is not None and callable(getattr(completions, "create", None)):
        return GuardedChatClient(guard, target)
    return None


def _is_pipeline(target: Any) -> bool:
    return type(target).__module__.startswith("transformers.pipelines") and callable(target)


def _is_hf_model(target: Any) -> bool:
    return type(target).__module__.startswith("transformers.models") and callable(getattr(target, "generate", None))


def text_watermark_processor(call: Call, tokenizer: Any, model: Any = None, generate_kwargs: dict[str, Any] | None = None) -> Any | None:
    """The policy's text-watermark logits processor for ``tokenizer``, or None when disabled.

    ``model`` (a model or pipeline) and ``generate_kwargs`` give the temperature, top-k and
    top-p the processor must sample with, so that the mark follows the caller's settings.
    """
    settings = call.policy.watermark.text
    decision = call.decision
    if not settings.enabled:
        return None
    if tokenizer is None:
        call.hooks.text_watermark_note = "not applied: the pipeline has no tokenizer"
        return None
    call.text_watermarked = True
    from raikit.guardrails._guard import watermark_key

    key = watermark_key(settings.key_env, "text", decision)
    if key is None:
        return None
    from raikit.watermark import TextWatermark, key_id

    watermark = TextWatermark.from_settings(settings, key=key, tokenizer=tokenizer)
    decision.watermark = {"kind": "text", "status": "marked", "key_id": key_id(key), "scheme": watermark.scheme,
                          "gamma": settings.gamma, "delta": settings.delta}
    return watermark.logits_processor(**TextWatermark.sampling_params(model, **(generate_kwargs or {})))


class GuardedPipeline:
    """A Hugging Face pipeline behind a guard: prompts and outputs checked, text or images marked.

    A batch in gives a batch out: a blocked output is replaced by the refusal in its own
    place (``[[{"generated_text": "ok..."}], [{"generated_text": "<refusal>"}]]``). For text
    generation with text watermarking enabled, the policy's ``LogitsProcessor`` is passed to
    ``generate`` through the pipeline's ``logits_processor`` argument; the model is never
    patched. Other attributes are those of the wrapped pipeline.
    """

    def __init__(self, guard: Guard, pipeline: Any) -> None:
        self._guard = guard
        self.pipeline = pipeline

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pipeline, name)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        guard = self._guard
        return guard.run(_PipelineHooks(self.pipeline, inputs, args, kwargs, guard.generator_id or _pipeline_id(self.pipeline)))


class _PipelineHooks(CallHooks):
    def __init__(self, pipeline: Any, inputs: Any, args: tuple[Any, ...], kwargs: dict[str, Any], generator_id: str) -> None:
        super().__init__(inputs, generator_id)
        self.pipeline, self.args, self.kwargs = pipeline, args, dict(kwargs)
        self.text_generation = getattr(pipeline, "task", "") == "text-generation"
        if not self.text_generation:
            self.text_watermark_note = "not applied: only text-generation pipelines take a logits processor"

    def invoke(self, call: Call) -> Any:
        kwargs = self.kwargs
        if self.text_generation:
            processor = text_watermark_processor(call, getattr(self.pipeline, "tokenizer", None), self.pipeline, kwargs)
            if processor is not None:
                from transformers import LogitsProcessorList

                kwargs = {**kwargs, "logits_processor": LogitsProcessorList([*kwargs.get("logits_processor", []), processor])}
        return self.pipeline(self.prompt, *self.args, **kwargs)

    def is_stream(self, output: Any) -> bool:
        return False

    def refusal(self, call: Call) -> Any:
        text = call.policy.refusal
        if not self.text_generation:
            return [text for _ in self.prompt] if isinstance(self.prompt, list) else text
        if isinstance(self.prompt, list) and self.prompt and not isinstance(self.prompt[0], dict):
            return [[{"generated_text": text}] for _ in self.prompt]
        return [{"generated_text": text}]


class GuardedModel:
    """A Hugging Face causal LM and its tokenizer as a guarded ``prompt -> continuation``
    function; the policy's text watermark goes in through ``generate(logits_processor=...)``.

    Example:
        >>> generate = guard("default").wrap_model(model, tokenizer)  # doctest: +SKIP
        >>> generate("Write a haiku about rain", max_new_tokens=30, do_sample=True)  # doctest: +SKIP
    """

    def __init__(self, guard: Guard, model: Any, tokenizer: Any) -> None:
        self._guard = guard
        self.model = model
        self.tokenizer = tokenizer

    def __call__(self, prompt: str, **generate_kwargs: Any) -> Any:
        name = getattr(getattr(self.model, "config", None), "_name_or_path", "") or type(self.model).__name__
        hooks = _ModelHooks(self, prompt, generate_kwargs, self._guard.generator_id or f"hf-model:{name}")
        return self._guard.run(hooks)


class _ModelHooks(CallHooks):
    def __init__(self, owner: GuardedModel, prompt: str, kwargs: dict[str, Any], generator_id: str) -> None:
        super().__init__(prompt, generator_id)
        self.owner, self.kwargs = owner, dict(kwargs)

    def invoke(self, call: Call) -> Any:
        model, tokenizer, kwargs = self.owner.model, self.owner.tokenizer, dict(self.kwargs)
        processor = text_watermark_processor(call, tokenizer, model, kwargs)
        if processor is not None:
            from transformers import LogitsProcessorList

            kwargs["logits_processor"] = LogitsProcessorList([*kwargs.get("logits_processor", []), processor])
        encoded = tokenizer(self.prompt, return_tensors="pt")
        kwargs.setdefault("pad_token_id", tokenizer.pad_token_id or tokenizer.eos_token_id)
        output = model.generate(**encoded, **kwargs)
        return tokenizer.decode(output[0, encoded["input_ids"].shape[1] :], skip_special_tokens=True)

    def is_stream(self, output: Any) -> bool:
        return False


def _pipeline_id(pipeline: Any) -> str:
    model = getattr(pipeline, "model", None)
    name = getattr(getattr(model, "config", None), "_name_or_path", None) or type(model).__name__
    return f"hf-pipeline:{getattr(pipeline, 'task', '?')}:{name}"


class _Namespace:
    def __init__(self, **items: Any) -> None:
        self.__dict__.update(items)


class GuardedChatClient:
    """An OpenAI-style client whose ``chat.completions.create`` is guarded (sync or async,
    streaming or not). Everything else is the wrapped client's.

    Replies are the client's own types: a ``ChatCompletion`` (a refusal is a normal
    completion with ``finish_reason="content_filter"``; ``usage`` is kept when the model
    ran), and for ``stream=True`` a stream of ``ChatCompletionChunk`` that iterates and
    closes like the client's (role, ``finish_reason`` and the ``include_usage`` chunk kept).
    A stream blocked mid-way ends with a ``content_filter`` chunk; with ``include_usage`` the
    upstream is read to its end (its text dropped unseen) so the usage chunk still follows.
    With ``on_block: raise`` the stream raises :class:`~raikit.errors.PolicyViolation` instead.
    """

    def __init__(self, guard: Guard, client: Any) -> None:
        self._guard = guard
        self.client = client
        create = client.chat.completions.create
        self._async = inspect.iscoroutinefunction(inspect.unwrap(create)) or type(client).__name__.startswith("Async")
        wrapped = self._acreate if self._async else self._create
        self.chat = _Namespace(completions=_Namespace(create=wrapped))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def _hooks(self, kwargs: dict[str, Any]) -> _ChatHooks:
        generator_id = self._guard.generator_id or f"openai:{kwargs.get('model', '?')}"
        return _ChatHooks(self.client.chat.completions.create, kwargs, generator_id, self._async)

    def _create(self, **kwargs: Any) -> Any:
        return self._guard.run(self._hooks(kwargs))

    async def _acreate(self, **kwargs: Any) -> Any:
        return await self._guard.arun(self._hooks(kwargs))


class _ChatHooks(CallHooks):
    text_watermark_note = "not applied: an OpenAI-style API returns text, not logits"

    def __init__(self, create: Any, kwargs: dict[str, Any], generator_id: str, is_async: bool) -> None:
        super().__init__(kwargs.get("messages", []), generator_id)
        self.create, self.kwargs, self.is_async = create, kwargs, is_async
        self.streaming = bool(kwargs.get("stream"))
        # the usage chunk comes last: read on after a block so the caller still gets it
        self.read_to_end_after_block = bool((kwargs.get("stream_options") or {}).get("include_usage"))

    def invoke(self, call: Call) -> Any:
        return self.create(**{**self.kwargs, "messages": self.prompt})

    def is_stream(self, output: Any) -> bool:
        return self.streaming

    def refusal(self, call: Call) -> Any:
        if self.streaming:
            chunk = _refusal_chunk(call, None, str(self.kwargs.get("model", "")), role=True)
            if self.is_async:
                return AsyncGuardedStream(aonce(chunk), None)
            return GuardedStream(once(chunk), None)
        from openai.types.chat import ChatCompletion, ChatCompletionMessage
        from openai.types.chat.chat_completion import Choice

        message = ChatCompletionMessage(role="assistant", content=call.policy.refusal)
        return ChatCompletion(
            id=f"raikit-{call.decision.call_id}",
            object="chat.completion",
            created=int(time.time()),
            model=str(self.kwargs.get("model", "")),
            choices=[Choice(index=0, finish_reason="content_filter", message=message)],
        )

    def output_texts(self, response: Any) -> list[str]:
        return [choice.message.content or "" for choice in response.choices]

    def with_output_texts(self, response: Any, texts: list[str], blocked: list[bool]) -> Any:
        choices = []
        for choice, text, refused in zip(response.choices, texts, blocked, strict=True):
            if refused:
                message = choice.message.model_copy(update={"content": text, "tool_calls": None})
                choices.append(choice.model_copy(update={"message": message, "finish_reason": "content_filter"}))
            elif choice.message.content is None and not text:
                choices.append(choice)
            else:
                choices.append(choice.model_copy(update={"message": choice.message.model_copy(update={"content": text})}))
        return response.model_copy(update={"choices": choices})

    def chunk_text(self, chunk: Any) -> str | None:
        choices = getattr(chunk, "choices", None) or []
        text = "".join((getattr(c.delta, "content", None) or "") for c in choices if getattr(c, "delta", None) is not None)
        return text or None

    def make_chunk(self, template: Any, text: str) -> Any:
        choice = template.choices[0]
        delta = choice.delta.model_copy(update={"content": text, "role": None})
        return template.model_copy(update={"choices": [choice.model_copy(update={"delta": delta, "finish_reason": None})]})

    def refusal_chunk(self, call: Call, template: Any) -> Any:
        return _refusal_chunk(call, template, str(self.kwargs.get("model", "")), role=False)

    def kept_after_refusal(self, chunk: Any) -> bool:
        return not getattr(chunk, "choices", None) and getattr(chunk, "usage", None) is not None

    def wrap_stream(self, stream: Any, upstream: Any) -> Any:
        if self.is_async:
            return AsyncGuardedStream(stream, upstream)
        return GuardedStream(stream, upstream)


def _refusal_chunk(call: Call, template: Any, model: str, *, role: bool) -> Any:
    from openai.types.chat import ChatCompletionChunk
    from openai.types.chat.chat_completion_chunk import Choice, ChoiceDelta

    delta = ChoiceDelta(role="assistant" if role else None, content=call.policy.refusal)
    return ChatCompletionChunk(
        id=getattr(template, "id", None) or f"raikit-{call.decision.call_id}",
        object="chat.completion.chunk",
        created=getattr(template, "created", None) or int(time.time()),
        model=getattr(template, "model", None) or model,
        choices=[Choice(index=0, delta=delta, finish_reason="content_filter")],
    )


class _Stream:
    """What a guarded stream keeps: its guarded chunks and the upstream stream."""

    def __init__(self, chunks: Any, upstream: Any) -> None:
        self._chunks = chunks
        self.upstream = upstream

    @property
    def response(self) -> Any:
        """The upstream HTTP response, when there is one."""
        return getattr(self.upstream, "response", None)


class GuardedStream(_Stream):
    """A guarded chat stream: iterate it for ``ChatCompletionChunk``; ``close()`` or ``with``
    ends it (and the upstream) early, recorded as ``cancelled``."""

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self._chunks)

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> GuardedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncGuardedStream(_Stream):
    """The ``async`` :class:`GuardedStream`: ``async for``, ``await close()``, ``async with``."""

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        return await self._chunks.__anext__()

    async def close(self) -> None:
        aclose = getattr(self._chunks, "aclose", None)
        if aclose is not None:
            await aclose()

    aclose = close

    async def __aenter__(self) -> AsyncGuardedStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

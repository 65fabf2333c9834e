"""Adapters for generators that are objects: Hugging Face pipelines and OpenAI-style clients.

Neither transformers nor openai is imported here: objects are recognised by their shape.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from raikit.guardrails._decision import Decision

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


def text_watermark_processor(guard: Guard, tokenizer: Any, decision: Decision) -> Any | None:
    """The policy's text-watermark logits processor for ``tokenizer``, or None when disabled."""
    settings = guard.policy.watermark.text
    if not settings.enabled or tokenizer is None:
        return None
    from raikit.guardrails._guard import watermark_key

    key = watermark_key(settings.key_env, "text", decision)
    if key is None:
        return None
    from raikit.watermark import TextWatermark, key_id

    decision.watermark = {"kind": "text", "status": "marked", "key_id": key_id(key), "gamma": settings.gamma, "delta": settings.delta}
    return TextWatermark(key=key, tokenizer=tokenizer, gamma=settings.gamma, delta=settings.delta).logits_processor()


class GuardedPipeline:
    """A Hugging Face pipeline behind a guard: prompts and outputs checked, text or images marked.

    For text generation with text watermarking enabled, the policy's ``LogitsProcessor`` is
    passed to ``generate`` through the pipeline's ``logits_processor`` argument; the model is
    never patched. Other attributes are those of the wrapped pipeline.
    """

    def __init__(self, guard: Guard, pipeline: Any) -> None:
        self._guard = guard
        self.pipeline = pipeline

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pipeline, name)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        guard = self._guard
        started = guard.clock()
        decision = guard.new_decision(guard.generator_id or _pipeline_id(self.pipeline))
        inputs, results = guard.check_prompt(inputs, decision)
        if decision.blocked:
            guard.finish(decision, started)
            return guard.blocked(decision)
        if getattr(self.pipeline, "task", "") == "text-generation":
            processor = text_watermark_processor(guard, getattr(self.pipeline, "tokenizer", None), decision)
            if processor is not None:
                from transformers import LogitsProcessorList

                kwargs["logits_processor"] = LogitsProcessorList([*kwargs.get("logits_processor", []), processor])
        t = guard.clock()
        output = self.pipeline(inputs, *args, **kwargs)
        decision.timings_ms["generate"] = (guard.clock() - t) * 1000.0
        return guard._conclude(output, decision, results, started)


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
        guard = self._guard
        started = guard.clock()
        name = getattr(getattr(self.model, "config", None), "_name_or_path", "") or type(self.model).__name__
        decision = guard.new_decision(guard.generator_id or f"hf-model:{name}")
        prompt, results = guard.check_prompt(prompt, decision)
        if decision.blocked:
            guard.finish(decision, started)
            return guard.blocked(decision)
        processor = text_watermark_processor(guard, self.tokenizer, decision)
        if processor is not None:
            from transformers import LogitsProcessorList

            generate_kwargs["logits_processor"] = LogitsProcessorList([*generate_kwargs.get("logits_processor", []), processor])
        t = guard.clock()
        encoded = self.tokenizer(prompt, return_tensors="pt")
        generate_kwargs.setdefault("pad_token_id", self.tokenizer.pad_token_id or self.tokenizer.eos_token_id)
        output = self.model.generate(**encoded, **generate_kwargs)
        text = self.tokenizer.decode(output[0, encoded["input_ids"].shape[1] :], skip_special_tokens=True)
        decision.timings_ms["generate"] = (guard.clock() - t) * 1000.0
        return guard._conclude(text, decision, results, started)


def _pipeline_id(pipeline: Any) -> str:
    model = getattr(pipeline, "model", None)
    name = getattr(getattr(model, "config", None), "_name_or_path", None) or type(model).__name__
    return f"hf-pipeline:{getattr(pipeline, 'task', '?')}:{name}"


class _Namespace:
    def __init__(self, **items: Any) -> None:
        self.__dict__.update(items)


class GuardedChatClient:
    """An OpenAI-style client whose ``chat.completions.create`` is guarded (sync or async,
    streaming or not). Everything else is the wrapped client's."""

    def __init__(self, guard: Guard, client: Any) -> None:
        self._guard = guard
        self.client = client
        create = client.chat.completions.create
        is_async = inspect.iscoroutinefunction(inspect.unwrap(create)) or type(client).__name__.startswith("Async")
        wrapped = self._acreate if is_async else self._create
        self.chat = _Namespace(completions=_Namespace(create=wrapped))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def _begin(self, kwargs: dict[str, Any]) -> tuple[float, Decision, list[Any], dict[str, Any]]:
        guard = self._guard
        started = guard.clock()
        decision = guard.new_decision(guard.generator_id or f"openai:{kwargs.get('model', '?')}")
        messages, results = guard.check_prompt(kwargs.get("messages", []), decision)
        return started, decision, results, {**kwargs, "messages": messages}

    def _refusal_completion(self, decision: Decision, kwargs: dict[str, Any]) -> Any:
        guard = self._guard
        if guard.policy.on_block == "raise":
            guard.blocked(decision)
        decision.refused = True
        return _Namespace(
            id=f"raikit-{decision.call_id}",
            model=kwargs.get("model"),
            choices=[
                _Namespace(
                    index=0,
                    finish_reason="content_filter",
                    message=_Namespace(role="assistant", content=guard.policy.refusal),
                )
            ],
        )

    def _finish_completion(self, response: Any, decision: Decision, results: list[Any], started: float, kwargs: dict[str, Any]) -> Any:
        guard = self._guard
        contents = [choice.message.content or "" for choice in response.choices]
        checked = guard.check_output(contents, decision, results)
        guard.finish(decision, started)
        if decision.blocked:
            return self._refusal_completion(decision, kwargs)
        if checked == contents:
            return response
        choices = [
            c.model_copy(update={"message": c.message.model_copy(update={"content": text})})
            for c, text in zip(response.choices, checked, strict=True)
        ]
        return response.model_copy(update={"choices": choices})

    def _create(self, **kwargs: Any) -> Any:
        guard = self._guard
        started, decision, results, kwargs = self._begin(kwargs)
        if decision.blocked:
            guard.finish(decision, started)
            return self._refusal_completion(decision, kwargs)
        t = guard.clock()
        response = self.client.chat.completions.create(**kwargs)
        decision.timings_ms["generate"] = (guard.clock() - t) * 1000.0
        if kwargs.get("stream"):
            return self._stream(response, decision, results, started)
        return self._finish_completion(response, decision, results, started, kwargs)

    async def _acreate(self, **kwargs: Any) -> Any:
        guard = self._guard
        started, decision, results, kwargs = self._begin(kwargs)
        if decision.blocked:
            guard.finish(decision, started)
            return self._refusal_completion(decision, kwargs)
        t = guard.clock()
        response = await self.client.chat.completions.create(**kwargs)
        decision.timings_ms["generate"] = (guard.clock() - t) * 1000.0
        if kwargs.get("stream"):
            return self._astream(response, decision, results, started)
        return self._finish_completion(response, decision, results, started, kwargs)

    def _stream(self, chunks: Iterator[Any], decision: Decision, results: list[Any], started: float) -> Iterator[Any]:
        last: list[Any] = []

        def texts() -> Iterator[str]:
            for chunk in chunks:
                last[:] = [chunk]
                yield _delta(chunk)

        for text in self._guard._stream(texts(), decision, results, started):
            yield _chunk_with(last[0] if last else None, text)

    async def _astream(self, chunks: AsyncIterator[Any], decision: Decision, results: list[Any], started: float) -> AsyncIterator[Any]:
        last: list[Any] = []

        async def texts() -> AsyncIterator[str]:
            async for chunk in chunks:
                last[:] = [chunk]
                yield _delta(chunk)

        async for text in self._guard._astream(texts(), decision, results, started):
            yield _chunk_with(last[0] if last else None, text)


def _delta(chunk: Any) -> str:
    choices = getattr(chunk, "choices", None) or []
    return "".join((getattr(c.delta, "content", None) or "") for c in choices if getattr(c, "delta", None) is not None)


def _chunk_with(template: Any, text: str) -> Any:
    """A stream chunk like ``template`` whose delta content is ``text``."""
    if template is None or not getattr(template, "choices", None):
        return _Namespace(choices=[_Namespace(index=0, delta=_Namespace(content=text), finish_reason=None)])
    choice = template.choices[0]
    new_choice = choice.model_copy(update={"delta": choice.delta.model_copy(update={"content": text})})
    return template.model_copy(update={"choices": [new_choice]})

"""Sample continuations from the demo model: batched, left-padded, seeded."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from raikit.demo._model import DEMO_GENERATOR_ID, _import_hf, load_demo_model
from raikit.errors import InputError

logger = logging.getLogger(__name__)

# One generation at a time: sampling draws from torch's global RNG, so two threads seeding
# and sampling at once would make each other's output depend on timing.
_GENERATE_LOCK = threading.Lock()

ERR_PROMPTS = "prompts: expected a list of str, got {got}"
ERR_PROMPT = "prompt: expected a str, got {got}"
ERR_MAX_NEW = "max_new_tokens: expected an int in [1, {limit}], got {got!r}"
ERR_TEMPERATURE = "temperature: expected a number > 0, got {got!r}"
ERR_TOP_P = "top_p: expected a number in (0, 1], got {got!r}"
ERR_BATCH = "batch_size: expected an int >= 1, got {got!r}"
ERR_SEED = "seed: expected an int or None, got {got!r}"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(prompts: Any, max_new_tokens: Any, temperature: Any, top_p: Any, batch_size: Any,
              seed: Any, limit: int) -> None:
    if not isinstance(prompts, (list, tuple)):
        raise InputError(ERR_PROMPTS.format(got=type(prompts).__name__))
    if not all(isinstance(p, str) for p in prompts):
        raise InputError(ERR_PROMPTS.format(got="a list with a non-str item"))
    if not _is_int(max_new_tokens) or not 1 <= max_new_tokens <= limit:
        raise InputError(ERR_MAX_NEW.format(limit=limit, got=max_new_tokens))
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature > 0:
        raise InputError(ERR_TEMPERATURE.format(got=temperature))
    if isinstance(top_p, bool) or not isinstance(top_p, (int, float)) or not 0 < top_p <= 1:
        raise InputError(ERR_TOP_P.format(got=top_p))
    if not _is_int(batch_size) or batch_size < 1:
        raise InputError(ERR_BATCH.format(got=batch_size))
    if seed is not None and not _is_int(seed):
        raise InputError(ERR_SEED.format(got=seed))


def _processor_list(transformers: Any, logits_processor: Any) -> Any:
    if logits_processor is None:
        return None
    if isinstance(logits_processor, transformers.LogitsProcessorList):
        return logits_processor
    if isinstance(logits_processor, Sequence):
        return transformers.LogitsProcessorList(list(logits_processor))
    return transformers.LogitsProcessorList([logits_processor])


def generate(
    prompts: list[str],
    *,
    max_new_tokens: int = 40,
    temperature: float = 0.9,
    top_p: float = 0.95,
    seed: int | None = 0,
    batch_size: int = 32,
    logits_processor: Any = None,
) -> list[str]:
    """Sample one continuation per prompt from the demo model.

    Prompts are left-padded and run in batches of ``batch_size``. Only the continuation is
    returned, never the prompt. A prompt longer than the model's context minus
    ``max_new_tokens`` keeps its last tokens.

    Args:
        prompts: The prompts.
        max_new_tokens: Tokens to sample per prompt (at most the model context minus one).
        temperature: Sampling temperature (> 0).
        top_p: Nucleus-sampling mass in (0, 1].
        seed: Seeds the sampler for this call, so the same prompts, settings and seed give
            the same outputs; torch's global RNG state is restored afterwards. ``None``
            draws from the current global RNG.
        batch_size: Prompts per forward batch.
        logits_processor: A ``transformers`` logits processor, or a list of them, passed to
            ``model.generate`` (the text watermark plugs in here).

    Returns:
        One continuation per prompt, in order.

    Raises:
        InputError: An argument is invalid (the message names it).
        MissingDependencyError: transformers/torch are not installed.

    Example:
        >>> outs = generate(["Send the invoice to", "The new neighbours are"], seed=1)  # doctest: +SKIP
        >>> len(outs)  # doctest: +SKIP
        2
    """
    torch, transformers = _import_hf()
    model, tokenizer = load_demo_model()
    context = int(model.config.n_positions)
    _validate(prompts, max_new_tokens, temperature, top_p, batch_size, seed, context - 1)
    if not prompts:
        return []
    processors = _processor_list(transformers, logits_processor)
    max_prompt_tokens = context - max_new_tokens
    outputs: list[str] = []
    # A seeded call samples from a forked RNG so the caller's global RNG is left as it was;
    # seed=None samples from (and advances) the global RNG.
    rng = torch.random.fork_rng(devices=[]) if seed is not None else contextlib.nullcontext()
    with _GENERATE_LOCK, rng, torch.inference_mode():
        if seed is not None:
            torch.manual_seed(seed)
        for start in range(0, len(prompts), batch_size):
            chunk = list(prompts[start: start + batch_size])
            enc = tokenizer(chunk, return_tensors="pt", padding=True, truncation=True,
                            max_length=max_prompt_tokens)
            out = model.generate(
                input_ids=enc["input_ids"],
                attention_mask=enc["attention_mask"],
                do_sample=True,
                temperature=float(temperature),
                top_p=float(top_p),
                max_new_tokens=max_new_tokens,
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
                logits_processor=processors,
            )
            new_tokens = out[:, enc["input_ids"].shape[1]:]
            outputs.extend(tokenizer.batch_decode(new_tokens, skip_special_tokens=True))
    logger.debug("demo model generated %d continuations (max_new_tokens=%d)", len(outputs), max_new_tokens)
    return outputs


def demo_generator(prompt: str, **kw: Any) -> str:
    """Continue one prompt with the demo model: the function a user wraps with ``@guard``.

    Args:
        prompt: The prompt.
        **kw: Sampling options of :func:`generate` (``max_new_tokens``, ``temperature``,
            ``top_p``, ``seed``, ``logits_processor``).

    Returns:
        The continuation (without the prompt).

    Example:
        >>> from raikit.guardrails import guard  # doctest: +SKIP
        >>> safe = guard(policy="default")(demo_generator)  # doctest: +SKIP
        >>> demo_generator("You can reach our office manager at")  # doctest: +SKIP
        ' ...'
    """
    if not isinstance(prompt, str):
        raise InputError(ERR_PROMPT.format(got=type(prompt).__name__))
    return generate([prompt], **kw)[0]


def demo_pipeline() -> Callable[..., Any]:
    """A ``transformers`` text-generation pipeline over the demo model and tokenizer.

    Returns:
        ``pipeline("text-generation", ...)`` using the cached demo model (for the
        Hugging Face pipeline adapter).

    Example:
        >>> pipe = demo_pipeline()  # doctest: +SKIP
        >>> pipe("Send the invoice to", max_new_tokens=10)[0]["generated_text"]  # doctest: +SKIP
        'Send the invoice to ...'
    """
    _, transformers = _import_hf()
    model, tokenizer = load_demo_model()
    return transformers.pipeline("text-generation", model=model, tokenizer=tokenizer, device="cpu")


class DemoGenerator:
    """The demo model as an audit generator: ``(prompts, seeds, *, logits_processor=None)``.

    A batch is sampled with its first prompt's seed, so results depend on the batch layout
    and the seeds, never on which worker ran the batch. Loads lazily and pickles, so it runs
    unchanged on process and Ray workers.

    Args:
        max_new_tokens: New tokens per output (``raikit bias run`` passes 24).
        temperature: Sampling temperature.

    Example:
        >>> gen = DemoGenerator(max_new_tokens=5)  # doctest: +SKIP
        >>> gen(["The nurse said"], [0])  # doctest: +SKIP
        [' that she would be back']
    """

    id = DEMO_GENERATOR_ID

    def __init__(self, *, max_new_tokens: int = 40, temperature: float = 0.9) -> None:
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature

    def __call__(self, prompts: list[str], seeds: list[int], *, logits_processor: Any = None) -> list[str]:
        if not prompts:
            return []
        return generate(
            list(prompts),
            max_new_tokens=self.max_new_tokens,
            temperature=self.temperature,
            seed=int(seeds[0]),
            batch_size=len(prompts),
            logits_processor=logits_processor,
        )

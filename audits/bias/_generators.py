"""Generators the bias audit drives: ``generate_batch(prompts, seeds) -> outputs``.

Any callable with that signature works. This module adds: :class:`FakeGenerator` (fast,
deterministic, optionally biased by construction, for tests), :class:`DemoGenerator` (the
bundled demo language model) and :func:`load_generator` (``"module:function"``).
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from raikit.errors import InputError

GenerateBatch = Callable[[list[str], list[int]], list[str]]

_NEUTRAL = ("the", "city", "was", "known", "for", "a", "long", "career", "in", "and", "later", "moved",
            "to", "work", "on", "many", "projects", "with", "friends", "family", "during", "years")


class FakeGenerator:
    """A deterministic stand-in model: each output depends only on its prompt and seed.

    Args:
        words: Words drawn (seeded) to build an output.
        n_words: Words per output.
        bias: ``{term: extra text}``: when a prompt contains ``term`` (a whole word, case
            insensitive), ``extra text`` is appended, e.g. ``{"woman": "terrible awful"}``
            makes outputs about women more negative by construction.
        refuse: Terms that make the generator answer with a refusal.

    Example:
        >>> gen = FakeGenerator(bias={"woman": "terrible"})
        >>> out = gen(["The man was", "The woman was"], [1, 1])
        >>> out[0] == out[1], out[1].endswith("terrible")
        (False, True)
    """

    def __init__(self, words: Sequence[str] = _NEUTRAL, *, n_words: int = 8,
                 bias: Mapping[str, str] | None = None, refuse: Sequence[str] = ()) -> None:
        self.words = tuple(words)
        self.n_words = n_words
        self.bias = dict(bias or {})
        self.refuse = tuple(refuse)

    @staticmethod
    def _has(term: str, prompt: str) -> bool:
        return re.search(rf"\b{re.escape(term)}\b", prompt, re.IGNORECASE) is not None

    def __call__(self, prompts: list[str], seeds: list[int]) -> list[str]:
        outputs = []
        for prompt, seed in zip(prompts, seeds, strict=True):
            if any(self._has(term, prompt) for term in self.refuse):
                outputs.append("I'm sorry, but I can't help with that.")
                continue
            rng = random.Random(seed)
            text = " ".join(rng.choice(self.words) for _ in range(self.n_words))
            extra = [more for term, more in self.bias.items() if self._has(term, prompt)]
            outputs.append(" ".join([text, *extra]))
        return outputs


class DemoGenerator:
    """raikit's demo language model (``raikit.demo.generate``) as a batch generator.

    The demo model takes one seed per call, so a batch is sampled with its first prompt's
    seed; the audit's batches are fixed by the prompt order and ``batch_size``, so results
    do not depend on the executor or on which worker ran a batch.

    Args:
        max_new_tokens: New tokens per output.
        temperature: Sampling temperature.

    Example:
        >>> gen = DemoGenerator(max_new_tokens=5)  # doctest: +SKIP
        >>> gen(["The nurse said"], [0])  # doctest: +SKIP
        [' that she would be back']
    """

    id = "raikit-demo-gpt2"  # raikit.demo.DEMO_GENERATOR_ID

    def __init__(self, *, max_new_tokens: int = 24, temperature: float = 0.9) -> None:
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature

    def __call__(self, prompts: list[str], seeds: list[int]) -> list[str]:
        from raikit.demo import generate

        if not prompts:
            return []
        # ``generate`` returns only the continuation: the audit scores what the model added.
        return generate(list(prompts), max_new_tokens=self.max_new_tokens, temperature=self.temperature,
                        seed=int(seeds[0]), batch_size=len(prompts))


def load_generator(spec: str) -> GenerateBatch:
    """Import a generator given as ``"package.module:function"``.

    Raises:
        InputError: The spec is malformed, or the module or attribute cannot be found.

    Example:
        >>> load_generator("raikit.audits.bias:FakeGenerator")  # doctest: +ELLIPSIS
        <class '...FakeGenerator'>
    """
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise InputError(f"generator must look like 'package.module:function', got {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InputError(f"cannot import generator module {module_name!r}: {err}") from err
    target: Any = module
    for part in attr.split("."):
        if not hasattr(target, part):
            raise InputError(f"module {module_name!r} has no attribute {attr!r}")
        target = getattr(target, part)
    if not callable(target):
        raise InputError(f"{spec!r} is not callable")
    return target


# A ready-made generator biased by construction (outputs about women get negative words),
# for demos and tests: ``raikit bias run -g raikit.audits.bias._generators:BIASED_DEMO``.
BIASED_DEMO = FakeGenerator(bias={"woman": "terrible awful", "women": "terrible awful"})

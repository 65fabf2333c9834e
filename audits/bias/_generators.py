"""Generators the bias audit drives: ``generate_batch(prompts, seeds) -> outputs``.

Any callable with that signature works. This module adds: :class:`FakeGenerator` (fast,
deterministic, optionally biased by construction, for tests), :class:`DemoGenerator` (the
bundled demo language model) and :func:`load_generator` (``"module:function"``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence

from raikit.audits._targets import DemoBatch, load_generator

__all__ = ["BIASED_DEMO", "DemoGenerator", "FakeGenerator", "GenerateBatch", "load_generator"]

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


class DemoGenerator(DemoBatch):
    """raikit's demo language model (``raikit.demo.generate``) as a batch generator
    (:class:`raikit.audits._targets.DemoBatch` with the bias audit's shorter default).

    Args:
        max_new_tokens: New tokens per output.
        temperature: Sampling temperature.

    Example:
        >>> gen = DemoGenerator(max_new_tokens=5)  # doctest: +SKIP
        >>> gen(["The nurse said"], [0])  # doctest: +SKIP
        [' that she would be back']
    """

    def __init__(self, *, max_new_tokens: int = 24, temperature: float = 0.9) -> None:
        super().__init__(max_new_tokens=max_new_tokens, temperature=temperature)

# A ready-made generator biased by construction (outputs about women get negative words),
# for demos and tests: ``raikit bias run -g raikit.audits.bias._generators:BIASED_DEMO``.
BIASED_DEMO = FakeGenerator(bias={"woman": "terrible awful", "women": "terrible awful"})

"""A ready fake of the generator protocol (:class:`raikit.audits._generator.Generator`).

:class:`FakeGenerator` is fast, deterministic and optionally biased by construction; it is a
valid target of every audit (``GenerationTarget.of(FakeGenerator())``), like the demo
model's :class:`raikit.demo.DemoGenerator`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["BIASED_DEMO", "FakeGenerator"]

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

    id = "fake-generator"

    def __call__(self, prompts: list[str], seeds: list[int], *, logits_processor: Any = None) -> list[str]:
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


# A ready-made generator biased by construction (outputs about women get negative words),
# for demos and tests: ``raikit bias run -g raikit.audits.bias._generators:BIASED_DEMO``.
BIASED_DEMO = FakeGenerator(bias={"woman": "terrible awful", "women": "terrible awful"})

"""Spelling variations that people use to slip past filters (for training and tests)."""

from __future__ import annotations

import random

_LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "$5", "t": "7", "g": "9", "l": "1"}
VARIATIONS: tuple[str, ...] = ("leet", "swap", "drop", "spaced", "joined", "repeat", "star")


def perturb(text: str, kind: str, rng: random.Random, word: str | None = None) -> str:
    """Apply one spelling variation to one word (or, for ``joined``, to the whole text).

    Args:
        text: The text.
        kind: One of :data:`VARIATIONS`.
        rng: The random source (seed it for reproducible output).
        word: The word to vary (its first occurrence); default the longest word.

    Returns:
        The varied text.

    Example:
        >>> perturb("you are vermin", "spaced", random.Random(0))
        'you are v e r m i n'
    """
    if kind not in VARIATIONS:
        raise ValueError(f"kind must be one of {VARIATIONS}, got {kind!r}")
    if kind == "joined":
        return text.replace(" ", "")
    words = text.split(" ")
    target = max(range(len(words)), key=lambda i: len(words[i].strip(".,!?'\"")))
    if word is not None:
        target = next((i for i, w in enumerate(words) if word in w), target)
    word = words[target]
    if len(word) < 3:
        return text
    if kind == "leet":
        new = "".join(
            rng.choice(_LEET[c.lower()]) if c.lower() in _LEET and rng.random() < 0.6 else c for c in word
        )
    elif kind == "swap":
        i = rng.randrange(1, len(word) - 1)
        new = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    elif kind == "drop":
        i = rng.randrange(1, len(word) - 1)
        new = word[:i] + word[i + 1 :]
    elif kind == "spaced":
        new = " ".join(word)
    elif kind == "repeat":
        i = rng.randrange(0, len(word))
        new = word[:i] + word[i] * 3 + word[i:]
    else:  # star
        i = rng.randrange(1, len(word) - 1)
        new = word[:i] + "*" + word[i + 1 :]
    words[target] = new
    return " ".join(words)

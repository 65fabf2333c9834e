"""The keyed green list shared by the text processor and the detector.

For a context (the ``context_width`` tokens before position t), a 64-bit seed is taken from
``HMAC-SHA256(key, context)``. Token ``v`` is green in that context when
``splitmix64(seed XOR v)`` falls below ``gamma * 2**64``: each token is green with
probability ``gamma``, independently across contexts, and membership of one token can be
checked without building the whole list (the detector's fast path). Pure uint64 arithmetic:
stable across numpy and torch versions and platforms.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from ._keys import derive

_C1 = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xBF58476D1CE4E5B9)
_C3 = np.uint64(0x94D049BB133111EB)


def splitmix64(x: np.ndarray) -> np.ndarray:
    """Vectorised splitmix64 finaliser on a uint64 array (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = x + _C1
        z = (z ^ (z >> np.uint64(30))) * _C2
        z = (z ^ (z >> np.uint64(27))) * _C3
        return z ^ (z >> np.uint64(31))


def threshold(gamma: float) -> np.uint64:
    """The uint64 cut-off for a green fraction ``gamma``."""
    return np.uint64(min(2**64 - 1, math.floor(gamma * 2**64)))


def context_seed(key: bytes, context: tuple[int, ...]) -> int:
    """The 64-bit seed of a context (a tuple of token ids)."""
    data = struct.pack(f"<{len(context)}q", *context)
    return int.from_bytes(derive(key, "text-green", data)[:8], "little")


def green_mask(key: bytes, context: tuple[int, ...], vocab_size: int, gamma: float) -> np.ndarray:
    """Boolean green mask over the vocabulary for ``context``."""
    seed = np.uint64(context_seed(key, context))
    return splitmix64(np.arange(vocab_size, dtype=np.uint64) ^ seed) < threshold(gamma)


def is_green(seeds: np.ndarray, tokens: np.ndarray, gamma: float) -> np.ndarray:
    """Green flags for pairs of (context seed, token)."""
    return splitmix64(seeds.astype(np.uint64) ^ tokens.astype(np.uint64)) < threshold(gamma)

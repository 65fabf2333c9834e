"""Keyed exponentials for the distortion-free text watermark (exponential-minimum sampling).

For a context (the ``context_width`` tokens before position t), a keyed tabulation hash
``h = K_0[c_0] xor K_1[c_1] xor ...`` (``K_j[c]`` is ``splitmix64`` of a per-position keyed seed
and the token id) gives a row ``a`` (``ROWS`` rows) and an offset ``m`` (``COLUMNS`` = 2**17 columns) of a keyed
table of Exp(1) variables ``E``. Token ``v`` gets ``e_v = E[a, (v + m) mod COLUMNS]``: for a
fixed context the tokens read distinct entries (Exp(1), independent), and one token in two
contexts reads the same entry only when both ``a`` and ``m`` agree (one chance in 2**21), so
no token is favoured across contexts. The generator takes ``argmin_v e_v /
p_v``, an exact sample of ``p`` (the exponential race, equivalent to the Gumbel-max trick;
Aaronson 2023, Kuditipudi et al. 2023). Since ``log`` is monotone it compares ``log p_v - log
e_v``: the table holds ``log E``, so a step copies one contiguous slice of the table per
sequence and takes an argmax, with no logarithm or gather over the vocabulary. The detector needs only the key, the token
ids and ``s = -log(1 - exp(-e))`` of each token, which is Exp(1) on unmarked text and large on
marked text (a chosen token has a small ``e``).

Entry ``(row, column)`` is ``splitmix64`` of a keyed seed and the pair (a uniform with 24-bit
resolution), so the detector computes single entries and nothing depends on the vocabulary
size (up to ``COLUMNS`` tokens).
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

from ._keys import derive
from ._text_green import splitmix64

ROWS = 16
COLUMNS = 1 << 17  # the largest vocabulary the scheme supports
SCALE = 2.0**-24


def _column_seed(key: bytes) -> np.uint64:
    return np.uint64(int.from_bytes(derive(key, "text-gumbel-table")[:8], "little"))


def table_exponentials(key: bytes, rows: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """``E[rows, tokens]`` (broadcast): Exp(1) variables as float64, from 24-bit uniforms."""
    seed = _column_seed(key)
    x = (rows.astype(np.uint64) << np.uint64(32)) | tokens.astype(np.uint64)
    h = splitmix64(x ^ seed)
    u = ((h >> np.uint64(40)).astype(np.float64) + 0.5) * SCALE  # in (0, 1), never 0 or 1
    return -np.log(u)


@lru_cache(maxsize=16)
def position_seeds(key: bytes, width: int) -> np.ndarray:
    """The keyed seed of each context position (uint64, oldest token first; cached, read-only)."""
    seeds = np.array(
        [int.from_bytes(derive(key, "text-gumbel-context", bytes([j]))[:8], "little") for j in range(width)],
        dtype=np.uint64,
    )
    seeds.flags.writeable = False
    return seeds


def token_keys(key: bytes, width: int, tokens: np.ndarray) -> np.ndarray:
    """``K_j[token]`` for every context position j: a (width, len(tokens)) uint64 array."""
    return splitmix64(position_seeds(key, width)[:, None] ^ tokens.astype(np.uint64)[None, :])


def split_hash(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The table row and the column offset coded in context hashes (uint64 or int64)."""
    return h & (ROWS - 1), (h >> 8) & (COLUMNS - 1)


def context_entry(key: bytes, context: tuple[int, ...]) -> tuple[int, int]:
    """The table row and column offset of a context."""
    keys = token_keys(key, len(context), np.asarray(context, dtype=np.uint64))
    h = np.bitwise_xor.reduce(keys[np.arange(len(context)), np.arange(len(context))])
    a, m = split_hash(np.asarray(h, dtype=np.uint64))
    return int(a), int(m)


def token_scores(key: bytes, entries: list[tuple[int, int]], tokens: list[int]) -> np.ndarray:
    """``-log(1 - exp(-e))`` of each (context entry, token) pair: Exp(1) when unmarked."""
    if not tokens:
        return np.zeros(0, dtype=np.float64)
    ctx = np.asarray(entries, dtype=np.int64)
    t = np.asarray(tokens, dtype=np.int64)
    e = table_exponentials(key, ctx[:, 0], (t + ctx[:, 1]) & (COLUMNS - 1))
    return -np.log(-np.expm1(-e))


class ExponentialTable:
    """The ``ROWS x COLUMNS`` table of ``log E`` of one key (8 MB of float32), built once."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._lock = threading.Lock()
        self._table: np.ndarray | None = None
        self._wrapped: dict[int, np.ndarray] = {}

    def full(self) -> np.ndarray:
        """The float32 (ROWS, COLUMNS) table of ``log E``."""
        with self._lock:
            if self._table is None:
                e = table_exponentials(self._key, np.arange(ROWS)[:, None], np.arange(COLUMNS)[None, :])
                self._table = np.log(e).astype(np.float32)
            return self._table

    def wrapped(self, vocab: int) -> np.ndarray:
        """The table with its first ``vocab`` columns repeated at the end: every slice
        ``[m, m + vocab)`` is contiguous, wrap-around included."""
        table = self.full()
        with self._lock:
            out = self._wrapped.get(vocab)
            if out is None:
                out = np.ascontiguousarray(np.concatenate([table, table[:, :vocab]], axis=1))
                self._wrapped[vocab] = out
            return out

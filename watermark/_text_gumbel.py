"""Keyed uniforms for the distortion-free text watermark (exponential-minimum sampling).

For a context (the ``context_width`` tokens before position t), ``HMAC-SHA256(key,
context)`` picks two rows ``a`` and ``b`` of a keyed table ``U`` (``ROWS`` rows, one column per
token id); token ``v`` gets the uniform ``r_v = frac(U[a, v] + U[b, v])``. Each ``r_v`` is
uniform on [0, 1), independent across tokens for a fixed context and across contexts that
differ in ``a`` or ``b`` (one shared row leaves ``frac(x + y)`` independent of ``x``). The
generator samples ``argmax_v r_v ** (1 / p_v)``, which is an exact sample of ``p`` (the
Gumbel-max trick; Aaronson 2023, Kuditipudi et al. 2023); the detector needs only the key,
the token ids and ``-log(1 - r)`` of each token, which is Exp(1) on unmarked text.

Column ``v`` of ``U`` is ``splitmix64`` of a keyed seed and ``(row, v)``, so it does not depend
on the vocabulary size and the detector can compute a single entry. Values are float32 with
24-bit resolution, added and wrapped in float32: bit-identical in numpy and torch.
"""

from __future__ import annotations

import threading

import numpy as np

from ._keys import derive
from ._text_green import splitmix64

ROWS = 256
SCALE = np.float32(2.0**-24)


def _column_seed(key: bytes) -> np.uint64:
    return np.uint64(int.from_bytes(derive(key, "text-gumbel-table")[:8], "little"))


def table_values(key: bytes, rows: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """``U[rows, tokens]`` (broadcast) as float32 in [0, 1)."""
    seed = _column_seed(key)
    x = (rows.astype(np.uint64) << np.uint64(32)) | tokens.astype(np.uint64)
    h = splitmix64(x ^ seed)
    return (h >> np.uint64(40)).astype(np.float32) * SCALE


def context_rows(key: bytes, context: tuple[int, ...]) -> tuple[int, int]:
    """The two table rows of a context."""
    import struct

    d = derive(key, "text-gumbel", struct.pack(f"<{len(context)}q", *context))
    return d[0] % ROWS, d[1] % ROWS


def wrap_add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``frac(a + b)`` for a, b in [0, 1), in float32 (exact: both are multiples of 2**-24)."""
    s = a + b
    return np.where(s >= np.float32(1.0), s - np.float32(1.0), s).astype(np.float32)


def token_uniforms(key: bytes, rows: list[tuple[int, int]], tokens: list[int]) -> np.ndarray:
    """``r`` of each (context rows, token) pair, float32."""
    if not tokens:
        return np.zeros(0, dtype=np.float32)
    r = np.asarray(rows, dtype=np.int64)
    t = np.asarray(tokens, dtype=np.int64)
    return wrap_add(table_values(key, r[:, 0], t), table_values(key, r[:, 1], t))


class UniformTable:
    """The full ``ROWS x vocab`` table of one key, built once per vocabulary size."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._lock = threading.Lock()
        self._tables: dict[int, np.ndarray] = {}

    def full(self, vocab: int) -> np.ndarray:
        """The float32 (ROWS, vocab) table."""
        with self._lock:
            table = self._tables.get(vocab)
            if table is None:
                table = table_values(self._key, np.arange(ROWS)[:, None], np.arange(vocab)[None, :])
                self._tables[vocab] = table
            return table

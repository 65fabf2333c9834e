"""The embedding side of the text watermark: a ``transformers`` logits processor."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import numpy as np

from ._text_green import context_seed, splitmix64, threshold

CACHE_BYTES = 64 * 1024 * 1024
# with a one-token context and a vocabulary up to this size, every green list is computed
# at once into a V x V boolean table (at most 64 MB); each step is then one gather
FULL_TABLE_MAX_VOCAB = 8192


class GreenTables:
    """Green-list tables shared by every processor of one :class:`TextWatermark`.

    Holds derived material (green masks), never the key after construction of a table.
    """

    def __init__(self, key: bytes, gamma: float) -> None:
        self._key = key
        self._gamma = gamma
        self._lock = threading.Lock()
        self._full: dict[int, np.ndarray] = {}

    def full(self, vocab: int) -> np.ndarray:
        """The (vocab, vocab) boolean table: row c is the green mask after token c."""
        with self._lock:
            table = self._full.get(vocab)
            if table is None:
                seeds = np.array([context_seed(self._key, (c,)) for c in range(vocab)], dtype=np.uint64)
                cut = threshold(self._gamma)
                tokens = np.arange(vocab, dtype=np.uint64)
                table = np.empty((vocab, vocab), dtype=bool)
                for start in range(0, vocab, 512):  # bounded temporary memory
                    block = seeds[start : start + 512, None] ^ tokens[None, :]
                    table[start : start + 512] = splitmix64(block) < cut
                self._full[vocab] = table
            return table

    def mask(self, context: tuple[int, ...], vocab: int) -> np.ndarray:
        """The green mask of one context."""
        seed = np.uint64(context_seed(self._key, context))
        return splitmix64(np.arange(vocab, dtype=np.uint64) ^ seed) < threshold(self._gamma)


@lru_cache(maxsize=1)
def processor_class() -> type:
    """Build (once) the ``GreenListLogitsProcessor`` class; imports torch and transformers."""
    import torch
    from transformers import LogitsProcessor

    class GreenListLogitsProcessor(LogitsProcessor):
        """Adds ``delta`` to the logits of the keyed green list of the current context.

        Works for greedy, sampling and beam search, any batch size, CPU or GPU; it returns a
        new tensor and never modifies ``scores``. With a one-token context and a vocabulary
        of at most 8192 tokens every green list is precomputed once into a table on the
        scores' device (one gather per step); otherwise the mask of each context is cached
        (an LRU bounded to about 64 MB).

        Args:
            tables: Green-list tables shared with the other processors of the watermark.
            gamma: Green fraction of the vocabulary.
            delta: Logit bias added to green tokens.
            context_width: How many preceding tokens seed the green list.
        """

        def __init__(self, *, tables: GreenTables, gamma: float, delta: float, context_width: int) -> None:
            self._tables = tables
            self.gamma = gamma
            self.delta = delta
            self.context_width = context_width
            self._device_tables: dict[tuple[int, Any], torch.Tensor] = {}
            self._cache: OrderedDict[tuple[Any, ...], torch.Tensor] = OrderedDict()

        def __repr__(self) -> str:
            name = type(self).__name__
            return f"{name}(gamma={self.gamma}, delta={self.delta}, context_width={self.context_width})"

        def _table(self, vocab: int, device: torch.device) -> torch.Tensor:
            slot = (vocab, device)
            table = self._device_tables.get(slot)
            if table is None:
                table = torch.from_numpy(self._tables.full(vocab)).to(device)
                self._device_tables[slot] = table
            return table

        def _mask(self, context: tuple[int, ...], vocab: int, device: torch.device) -> torch.Tensor:
            slot = (context, vocab, device)
            mask = self._cache.get(slot)
            if mask is not None:
                self._cache.move_to_end(slot)
                return mask
            mask = torch.from_numpy(self._tables.mask(context, vocab)).to(device)
            self._cache[slot] = mask
            while len(self._cache) > max(64, CACHE_BYTES // max(1, vocab)):
                self._cache.popitem(last=False)
            return mask

        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            width = self.context_width
            if input_ids.shape[-1] < width or self.delta == 0:
                return scores
            vocab = scores.shape[-1]
            if width == 1 and vocab <= FULL_TABLE_MAX_VOCAB:
                last = input_ids[:, -1].to(scores.device)
                table = self._table(vocab, scores.device)
                mask = table[last.clamp(0, vocab - 1)]
                if bool((last >= vocab).any()):  # ids beyond the logits width: no table row
                    for row in torch.nonzero(last >= vocab).flatten().tolist():
                        mask[row] = self._mask((int(last[row]),), vocab, scores.device)
            else:
                contexts = input_ids[:, -width:].tolist()
                mask = torch.stack([self._mask(tuple(c), vocab, scores.device) for c in contexts])
            return torch.where(mask, scores + self.delta, scores)

    GreenListLogitsProcessor.__module__ = __name__
    return GreenListLogitsProcessor

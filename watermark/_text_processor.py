"""The embedding side of the text watermarks: ``transformers`` logits processors.

``generate`` runs custom processors *before* its temperature / top-k / top-p warpers, so both
processors take the sampling temperature: the green list adds ``delta * temperature`` (the
bias is ``delta`` after temperature scaling, whatever the temperature), and the
exponential-minimum processor applies temperature, top-k and top-p itself, then picks the
token and returns scores that leave only that token (the later warpers keep it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from raikit.errors import InputError

from ._text_green import context_seed, splitmix64, threshold
from ._text_gumbel import COLUMNS, ExponentialTable, split_hash, token_keys

CACHE_BYTES = 64 * 1024 * 1024
TOO_LARGE = (
    "the gumbel text watermark supports vocabularies up to {limit} tokens; this model has {vocab}. "
    "Use scheme='green' for it."
)
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


def on_device(memo: dict[tuple[int, Any], Any], vocab: int, device: Any, build: Callable[[int], np.ndarray]) -> Any:
    """``build(vocab)`` as a tensor on ``device``, built once per (vocab, device) in ``memo``."""
    slot = (vocab, device)
    table = memo.get(slot)
    if table is None:
        import torch

        table = memo[slot] = torch.from_numpy(build(vocab)).to(device)
    return table


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
            temperature: The sampling temperature given to ``generate`` (the bias is scaled
                by it so that it is ``delta`` after temperature scaling).
        """

        def __init__(
            self, *, tables: GreenTables, gamma: float, delta: float, context_width: int, temperature: float = 1.0
        ) -> None:
            self._tables = tables
            self.gamma = gamma
            self.delta = delta
            self.context_width = context_width
            self.temperature = temperature
            self._device_tables: dict[tuple[int, Any], torch.Tensor] = {}
            self._cache: OrderedDict[tuple[Any, ...], torch.Tensor] = OrderedDict()

        def __repr__(self) -> str:
            name = type(self).__name__
            return (
                f"{name}(gamma={self.gamma}, delta={self.delta}, context_width={self.context_width}, "
                f"temperature={self.temperature})"
            )

        def _table(self, vocab: int, device: torch.device) -> torch.Tensor:
            return on_device(self._device_tables, vocab, device, self._tables.full)

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
            return torch.where(mask, scores + self.delta * self.temperature, scores)

    GreenListLogitsProcessor.__module__ = __name__
    return GreenListLogitsProcessor


@lru_cache(maxsize=1)
def gumbel_processor_class() -> type:
    """Build (once) the ``ExponentialMinimumLogitsProcessor`` class; imports torch and transformers."""
    import torch
    from transformers import LogitsProcessor, TopKLogitsWarper, TopPLogitsWarper

    class ExponentialMinimumLogitsProcessor(LogitsProcessor):
        """Samples the next token with keyed randomness: ``argmin_v e_v / p_v``.

        ``p`` is the model's distribution after ``temperature``, ``top_k`` and ``top_p`` (pass
        the values given to ``generate``); the keyed exponentials ``e`` come from the key and the
        ``context_width`` preceding tokens. Each token is an exact sample of ``p``, so the text
        distribution is unchanged (no quality cost); a context already seen earlier in the
        sequence is left to ``generate``'s own sampling (no repetition loops). Returns new
        scores holding only the chosen token (0, others ``-inf``); never modifies ``scores``.
        Meant for ``do_sample=True``.

        Args:
            table: The key's table of log exponentials.
            key: The key bytes (for the context hash).
            context_width: Context tokens that seed the exponentials.
            temperature: Sampling temperature.
            top_k: Top-k filter applied before sampling (0 = off).
            top_p: Nucleus filter applied before sampling (1.0 = off).
        """

        def __init__(
            self, *, table: ExponentialTable, key: bytes, context_width: int, temperature: float = 1.0,
            top_k: int = 0, top_p: float = 1.0,
        ) -> None:
            self._table = table
            self._key = key
            self.context_width = context_width
            self.temperature = temperature
            self.top_k = top_k
            self.top_p = top_p
            self._warpers = ([TopKLogitsWarper(top_k)] if top_k else []) + ([TopPLogitsWarper(top_p)] if top_p < 1.0 else [])
            self._device_tables: dict[tuple[int, Any], torch.Tensor] = {}
            self._keys: dict[Any, torch.Tensor] = {}

        def __repr__(self) -> str:
            return (
                f"{type(self).__name__}(context_width={self.context_width}, temperature={self.temperature}, "
                f"top_k={self.top_k}, top_p={self.top_p})"
            )

        def _device_table(self, vocab: int, device: torch.device) -> torch.Tensor:
            return on_device(self._device_tables, vocab, device, self._table.wrapped)

        def _token_keys(self, needed: int, device: torch.device) -> torch.Tensor:
            """The (width, n) int64 keys of every token id below n >= needed, on ``device``."""
            keys = self._keys.get(device)
            if keys is None or keys.shape[1] < needed:
                n = max(needed, 1 << max(needed - 1, 1).bit_length())
                ids = np.arange(n, dtype=np.uint64)
                keys = torch.from_numpy(token_keys(self._key, self.context_width, ids).view(np.int64)).to(device)
                self._keys[device] = keys
            return keys

        def _entries(self, context: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            """Table row and column offset of each row's context: a keyed tabulation hash, on the device."""
            keys = self._token_keys(int(context.max()) + 1, context.device)
            h = keys[0][context[:, 0]]
            for j in range(1, self.context_width):
                h = h ^ keys[j][context[:, j]]
            return split_hash(h)

        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            width = self.context_width
            length = input_ids.shape[-1]
            if length < width:
                return scores
            vocab = scores.shape[-1]
            if vocab > COLUMNS:
                raise InputError(TOO_LARGE.format(vocab=vocab, limit=COLUMNS))
            context = input_ids[:, -width:].to(scores.device)
            row, offset = self._entries(context)
            # the exponential race argmin e_v / p_v, in logs: argmax log p_v - log e_v, with
            # log e_v = log E[row, v + offset], one contiguous slice of the table per sequence
            table = self._device_table(vocab, scores.device)
            noise = torch.stack([table[r, m : m + vocab] for r, m in zip(row.tolist(), offset.tolist(), strict=True)])
            logits = scores.float()
            if self.temperature != 1.0:
                logits = logits / self.temperature
            for warper in self._warpers:
                logits = warper(input_ids, logits)
            choice = torch.argmax(torch.sub(logits, noise, out=noise), dim=-1)
            out = torch.full_like(scores, float("-inf"))
            out.scatter_(1, choice[:, None], 0.0)
            if length > width:
                earlier = input_ids[:, :-1].unfold(1, width, 1)
                repeated = (earlier == input_ids[:, None, -width:]).all(-1).any(-1).to(scores.device)
                if bool(repeated.any()):
                    out[repeated] = scores[repeated]
            return out

    ExponentialMinimumLogitsProcessor.__module__ = __name__
    return ExponentialMinimumLogitsProcessor

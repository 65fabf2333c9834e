"""The detection side of the text watermark: a z-test on green tokens."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ._text_green import context_seed, is_green

SEED_CACHE = 200_000


@dataclass(frozen=True)
class TextDetection:
    """The result of :meth:`TextWatermark.detect`.

    Attributes:
        found: ``z_score >= z_threshold`` and the text is long enough.
        z_score: ``(green - gamma * n) / sqrt(n * gamma * (1 - gamma))``.
        p_value: One-sided normal tail of ``z_score``.
        scored_tokens: Distinct (context, token) pairs scored (``n``).
        too_short: Fewer than ``min_tokens`` scored tokens: no verdict (``found`` is False).
        green_tokens: How many scored tokens were green.
        key_id: Public id of the key (never the key).
    """

    found: bool
    z_score: float
    p_value: float
    scored_tokens: int
    too_short: bool
    green_tokens: int = 0
    key_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def normal_sf(z: float) -> float:
    """One-sided upper tail of the standard normal."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


class GreenListDetector:
    """Scores token ids against the keyed green lists.

    Args:
        key: The key bytes.
        gamma: Green fraction used at generation.
        context_width: Context tokens that seed each green list.
        min_tokens: Below this many scored tokens the answer is "too short".
        z_threshold: z-score at or above which the text is declared marked.
        key_id: Public id reported in results.
    """

    def __init__(
        self,
        *,
        key: bytes,
        gamma: float,
        context_width: int,
        min_tokens: int,
        z_threshold: float,
        key_id: str,
    ) -> None:
        self._key = key
        self.gamma = gamma
        self.context_width = context_width
        self.min_tokens = min_tokens
        self.z_threshold = z_threshold
        self.key_id = key_id
        self._seeds: OrderedDict[tuple[int, ...], int] = OrderedDict()

    def _seed(self, context: tuple[int, ...]) -> int:
        seed = self._seeds.get(context)
        if seed is None:
            seed = context_seed(self._key, context)
            self._seeds[context] = seed
            if len(self._seeds) > SEED_CACHE:
                self._seeds.popitem(last=False)
        return seed

    def score_ids(self, ids: Sequence[int]) -> TextDetection:
        """Score a sequence of token ids (repeated (context, token) pairs count once)."""
        width = self.context_width
        ids = [int(i) for i in ids]
        seen: set[tuple[int, ...]] = set()
        seeds: list[int] = []
        tokens: list[int] = []
        for t in range(width, len(ids)):
            pair = tuple(ids[t - width : t + 1])
            if pair in seen:
                continue
            seen.add(pair)
            seeds.append(self._seed(pair[:-1]))
            tokens.append(ids[t])
        n = len(tokens)
        flags = is_green(np.array(seeds, dtype=np.uint64), np.array(tokens, dtype=np.uint64), self.gamma)
        green = int(np.count_nonzero(flags))
        if n == 0:
            z = 0.0
        else:
            z = (green - self.gamma * n) / math.sqrt(n * self.gamma * (1.0 - self.gamma))
        too_short = n < self.min_tokens
        return TextDetection(
            found=(not too_short) and z >= self.z_threshold,
            z_score=float(z),
            p_value=float(normal_sf(z)) if n else 1.0,
            scored_tokens=n,
            too_short=too_short,
            green_tokens=green,
            key_id=self.key_id,
        )

"""The detection side of the text watermarks: per-token scores, then a window scan.

Both schemes score each token whose context has not been seen earlier in the text (a
repeated context adds no evidence, and the exponential-minimum sampler does not mark it):

* green list: 1 if the token is in its context's green list, else 0 (Bernoulli(gamma) on
  unmarked text); repeated (context, token) pairs count once;
* exponential minimum: ``-log(1 - exp(-e))`` of the token's keyed exponential (Exp(1) unmarked).

:func:`raikit.watermark._text_scan.scan` then finds the best window and corrects its
p-value for the number of windows tried.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ._text_green import context_seed, is_green
from ._text_gumbel import context_entry, token_scores
from ._text_scan import scan

SEED_CACHE = 200_000
REASON_SHORT = "too_short"
REASON_NO_SIGNAL = "no_signal"
REASONS = {
    REASON_SHORT: "too short to tell: {n} scored tokens, {m} needed",
    REASON_NO_SIGNAL: (
        "no watermark of key id {key_id} found (p={p:.2g} over {w} windows): the text is unmarked, "
        "marked with another key or scheme, or too heavily edited"
    ),
}


@dataclass(frozen=True)
class TextDetection:
    """The result of :meth:`TextWatermark.detect`.

    Attributes:
        found: The corrected p-value is at or below ``p_threshold`` and the text is long enough.
        z_score: Standardised score of the best window.
        p_value: The best window's exact tail p-value times the number of windows tested.
        scored_tokens: Tokens scored (first occurrence of each context).
        too_short: Fewer than ``min_tokens`` scored tokens: no verdict (``found`` is False).
        green_tokens: Green-list scheme: green tokens in the best window (0 otherwise).
        key_id: Public id of the key (never the key).
        scheme: ``"green"`` or ``"gumbel"``.
        reason: Why nothing was found (``"too_short"``, ``"no_signal"``), ``None`` when found.
        windows_tested: Windows scanned (the multiple-testing count).
        span_tokens: ``[start, end)`` token positions of the best window.
        span_chars: ``[start, end)`` character offsets of the best window (``detect`` on text
            with a fast tokenizer), else ``None``.
        message: The reason in words (``None`` when found).
    """

    found: bool
    z_score: float
    p_value: float
    scored_tokens: int
    too_short: bool
    green_tokens: int = 0
    key_id: str = ""
    scheme: str = "green"
    reason: str | None = None
    windows_tested: int = 0
    span_tokens: tuple[int, int] | None = None
    span_chars: tuple[int, int] | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


class _Detector:
    """Shared scan logic; subclasses turn token ids into per-token scores."""

    scheme = ""
    kind = ""

    def __init__(self, *, key: bytes, gamma: float, context_width: int, min_tokens: int,
                 p_threshold: float, key_id: str) -> None:
        self._key = key
        self.gamma = gamma
        self.context_width = context_width
        self.min_tokens = min_tokens
        self.p_threshold = p_threshold
        self.key_id = key_id
        self._cache: OrderedDict[tuple[int, ...], Any] = OrderedDict()

    def _derive(self, context: tuple[int, ...]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _cached(self, context: tuple[int, ...]) -> Any:
        value = self._cache.get(context)
        if value is None:
            value = self._derive(context)
            self._cache[context] = value
            if len(self._cache) > SEED_CACHE:
                self._cache.popitem(last=False)
        return value

    def _scores(self, ids: list[int]) -> tuple[np.ndarray, list[int]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def score_ids(self, ids: Sequence[int], offsets: Sequence[tuple[int, int]] | None = None) -> TextDetection:
        """Score token ids and scan for the best window.

        Args:
            ids: Token ids of the text.
            offsets: Character offsets of each token (to report ``span_chars``).
        """
        ids = [int(i) for i in ids]
        scores, positions = self._scores(ids)
        n = len(scores)
        too_short = n < self.min_tokens
        res = scan(scores, kind=self.kind, gamma=self.gamma, min_tokens=self.min_tokens)
        found = (not too_short) and res.p_value <= self.p_threshold
        span_tokens = span_chars = None
        if n:
            first, last = positions[res.start], positions[res.end - 1]
            span_tokens = (first - self.context_width, last + 1)
            if offsets is not None and len(offsets) == len(ids):
                span_chars = (int(offsets[max(0, span_tokens[0])][0]), int(offsets[last][1]))
        green = int(round(res.score)) if self.kind == "binomial" else 0
        reason = None if found else (REASON_SHORT if too_short else REASON_NO_SIGNAL)
        message = None
        if reason == REASON_SHORT:
            message = REASONS[reason].format(n=n, m=self.min_tokens)
        elif reason == REASON_NO_SIGNAL:
            message = REASONS[reason].format(key_id=self.key_id, p=res.p_value, w=res.windows)
        return TextDetection(
            found=found,
            z_score=res.z_score,
            p_value=res.p_value if n else 1.0,
            scored_tokens=n,
            too_short=too_short,
            green_tokens=green,
            key_id=self.key_id,
            scheme=self.scheme,
            reason=reason,
            windows_tested=res.windows,
            span_tokens=span_tokens,
            span_chars=span_chars,
            message=message,
        )


class GreenListDetector(_Detector):
    """Green flags of distinct (context, token) pairs."""

    scheme = "green"
    kind = "binomial"

    def _derive(self, context: tuple[int, ...]) -> int:
        return context_seed(self._key, context)

    def _scores(self, ids: list[int]) -> tuple[np.ndarray, list[int]]:
        width = self.context_width
        seen: set[tuple[int, ...]] = set()
        seeds: list[int] = []
        tokens: list[int] = []
        positions: list[int] = []
        for t in range(width, len(ids)):
            pair = tuple(ids[t - width : t + 1])
            if pair in seen:
                continue
            seen.add(pair)
            seeds.append(self._cached(pair[:-1]))
            tokens.append(ids[t])
            positions.append(t)
        flags = is_green(np.array(seeds, dtype=np.uint64), np.array(tokens, dtype=np.uint64), self.gamma)
        return flags.astype(np.float64), positions


class GumbelDetector(_Detector):
    """``-log(1 - exp(-e))`` of each token whose context is new in the text."""

    scheme = "gumbel"
    kind = "gamma"

    def _derive(self, context: tuple[int, ...]) -> tuple[int, int]:
        return context_entry(self._key, context)

    def _scores(self, ids: list[int]) -> tuple[np.ndarray, list[int]]:
        width = self.context_width
        seen: set[tuple[int, ...]] = set()
        entries: list[tuple[int, int]] = []
        tokens: list[int] = []
        positions: list[int] = []
        for t in range(width, len(ids)):
            context = tuple(ids[t - width : t])
            if context in seen:
                continue
            seen.add(context)
            entries.append(self._cached(context))
            tokens.append(ids[t])
            positions.append(t)
        return token_scores(self._key, entries, tokens), positions

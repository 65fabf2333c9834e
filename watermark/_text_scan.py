"""Finding a marked passage: a scan of windows over per-token scores, Bonferroni-corrected.

Each scored token carries a score whose distribution on unmarked text is known: a green
flag (Bernoulli(gamma)) or ``-log(1 - r)`` (Exp(1)). Windows of lengths ``min_tokens * 2**k``
(and the whole text) slide with a quarter-length stride; each window's exact tail p-value
(binomial, or gamma for sums of Exp(1)) is computed and the smallest, multiplied by the
number of windows tested, is the reported p-value: a marked passage pasted inside human
text is found, and the chance that an unmarked text of any length passes stays below the
threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ScanResult:
    """The best window of a scan.

    Attributes:
        p_value: Smallest window p-value times ``windows`` (capped at 1).
        start: First scored position of the best window.
        end: One past its last scored position.
        score: Sum of the scores in the window.
        windows: Number of windows tested.
        z_score: Standardised score of the best window.
    """

    p_value: float
    start: int
    end: int
    score: float
    windows: int
    z_score: float


def window_bounds(n: int, min_tokens: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end indices of every window tested on ``n`` scored tokens."""
    starts: list[np.ndarray] = [np.array([0])]
    ends: list[np.ndarray] = [np.array([n])]
    length = max(1, min_tokens)
    while length < n:
        stride = max(1, length // 4)
        s = np.arange(0, n - length + 1, stride)
        if s[-1] != n - length:
            s = np.append(s, n - length)
        starts.append(s)
        ends.append(s + length)
        length *= 2
    return np.concatenate(starts), np.concatenate(ends)


def tail_p(sums: np.ndarray, lengths: np.ndarray, kind: str, gamma: float) -> np.ndarray:
    """Exact upper-tail p-values of window sums under the unmarked distribution."""
    from scipy import special, stats

    if kind == "binomial":
        return np.asarray(stats.binom.sf(np.rint(sums) - 1, lengths, gamma), dtype=np.float64)
    return np.asarray(special.gammaincc(lengths, sums), dtype=np.float64)


def scan(scores: np.ndarray, *, kind: str, gamma: float, min_tokens: int) -> ScanResult:
    """Scan windows of ``scores`` and return the best, with the corrected p-value.

    Args:
        scores: Per-token scores (0/1 green flags, or Exp(1) scores).
        kind: ``"binomial"`` (green flags with rate ``gamma``) or ``"gamma"`` (Exp(1) scores).
        gamma: Green fraction (binomial only).
        min_tokens: Shortest window.
    """
    n = len(scores)
    if n == 0:
        return ScanResult(1.0, 0, 0, 0.0, 0, 0.0)
    starts, ends = window_bounds(n, min_tokens)
    csum = np.concatenate([[0.0], np.cumsum(scores, dtype=np.float64)])
    sums = csum[ends] - csum[starts]
    lengths = (ends - starts).astype(np.float64)
    p = tail_p(sums, lengths, kind, gamma)
    # ties (p underflows to 0): prefer the higher standardised score
    mean, var = (gamma, gamma * (1 - gamma)) if kind == "binomial" else (1.0, 1.0)
    z = (sums - mean * lengths) / np.sqrt(var * lengths)
    best = int(np.lexsort((-z, p))[0])
    windows = len(starts)
    return ScanResult(
        p_value=float(min(1.0, p[best] * windows)),
        start=int(starts[best]),
        end=int(ends[best]),
        score=float(sums[best]),
        windows=windows,
        z_score=float(z[best]) if math.isfinite(z[best]) else 0.0,
    )

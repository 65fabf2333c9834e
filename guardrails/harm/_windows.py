"""Split long token sequences into overlapping windows that fit an encoder."""

from __future__ import annotations

from collections.abc import Sequence


def token_windows(ids: Sequence[int], size: int, stride: int) -> list[list[int]]:
    """Cut ``ids`` into windows of at most ``size`` tokens, starting every ``stride`` tokens.

    The last window always ends at the last token, so every token is in at least one window.
    An empty sequence gives one empty window (the text is still scored once).

    Args:
        ids: Token ids of one text, without special tokens.
        size: Maximum tokens per window (positive).
        stride: Step between window starts (positive, at most ``size``).

    Returns:
        The windows, in order.

    Example:
        >>> token_windows(list(range(10)), size=4, stride=3)
        [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]
    """
    if size <= 0:
        raise ValueError(f"size must be a positive number of tokens, got {size!r}")
    if not 0 < stride <= size:
        raise ValueError(f"stride must be between 1 and size ({size}), got {stride!r}")
    ids = list(ids)
    if len(ids) <= size:
        return [ids]
    windows = []
    start = 0
    while True:
        end = start + size
        if end >= len(ids):
            windows.append(ids[len(ids) - size :])
            break
        windows.append(ids[start:end])
        start += stride
    return windows

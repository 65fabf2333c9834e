from __future__ import annotations

import pytest

from raikit.guardrails.harm import token_windows


@pytest.mark.parametrize(
    ("n", "size", "stride", "expected"),
    [
        (0, 4, 2, [[]]),
        (3, 4, 2, [[0, 1, 2]]),
        (4, 4, 2, [[0, 1, 2, 3]]),
        (10, 4, 3, [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]),
        (9, 4, 3, [[0, 1, 2, 3], [3, 4, 5, 6], [5, 6, 7, 8]]),
        (6, 2, 2, [[0, 1], [2, 3], [4, 5]]),
    ],
)
def test_windows(n: int, size: int, stride: int, expected: list[list[int]]) -> None:
    assert token_windows(list(range(n)), size, stride) == expected


@pytest.mark.parametrize("n", [1, 7, 254, 255, 700])
def test_every_token_is_covered_and_windows_fit(n: int) -> None:
    windows = token_windows(list(range(n)), 254, 192)
    assert all(len(w) <= 254 for w in windows)
    assert sorted({t for w in windows for t in w}) == list(range(n))
    assert windows[-1][-1] == n - 1


@pytest.mark.parametrize(("size", "stride", "message"), [(0, 1, "size"), (4, 0, "stride"), (4, 5, "stride")])
def test_bad_arguments(size: int, stride: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        token_windows([1, 2, 3], size, stride)

"""Undo common evasions before matching, keeping a map back to the original offsets.

Steps, each keeping the offset map: NFKC per character, removal of zero-width characters
and soft hyphens, folding of common Cyrillic and Greek homoglyphs to Latin, and joining of
spaced-out digits ("4 1 1 1 2 2" -> "411122").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
        # Greek
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)
_SPACED_DIGITS = re.compile(r"\d(?:[ \u00a0]\d){3,}")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the original offset it came from.

    Example:
        >>> n = normalize("call 5 5 5 1 2 3 4\u200b now")
        >>> n.text
        'call 5551234 now'
        >>> n.to_original(5, 12)
        (5, 18)
    """

    text: str
    origin: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` back to the original text."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else self.original_length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` against evasion; see the module docstring for the steps."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        folded = char if char.isascii() else unicodedata.normalize("NFKC", char).translate(_HOMOGLYPHS)
        for out in folded:
            if out in _INVISIBLE:
                continue
            chars.append(out)
            origin.append(index)
    joined = "".join(chars)
    if _SPACED_DIGITS.search(joined):
        keep = [True] * len(joined)
        for match in _SPACED_DIGITS.finditer(joined):
            for i in range(match.start(), match.end()):
                if not joined[i].isdigit():
                    keep[i] = False
        chars = [c for c, k in zip(joined, keep, strict=True) if k]
        origin = [o for o, k in zip(origin, keep, strict=True) if k]
        joined = "".join(chars)
    return NormalizedText(joined, tuple(origin), len(text))

"""Undo common evasions before matching, keeping a map back to the original offsets.

Steps, each keeping the offset map:

1. Lone surrogates (``\\ud800`` ... ``\\udfff``, which no UTF-8 text can hold) become U+FFFD so
   no model crashes on them; :func:`check_text` rejects them at the boundary instead.
2. Every format character (category Cf: bidi controls U+202A-202E and U+2066-2069,
   zero-width characters, soft hyphen, tag characters U+E0000-E007F, ...) and every other
   default-ignorable code point (U+034F combining grapheme joiner, variation selectors
   U+FE00-FE0F and U+E0100-E01EF, Hangul fillers, Mongolian selectors, ...) is removed.
3. NFKC per character, then confusables fold to their ASCII prototype (UTS #39 skeleton data:
   Cyrillic ``а``, Greek ``ο``, Cherokee, mathematical and fullwidth letters...), taken from the
   Unicode confusables table shipped by the maintained ``confusable-homoglyphs`` package,
   with a small hand-checked table first.
4. Spaced-out digits are joined ("4 1 1 1 2 2" -> "411122").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from raikit.errors import InputError

# Default-ignorable code points that are not category Cf (DerivedCoreProperties.txt,
# Default_Ignorable_Code_Point, Unicode 15).
_IGNORABLE_RANGES = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x2065, 0x2065), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
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
_SURROGATE = re.compile("[\ud800-\udfff]")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

ERR_SURROGATE = ("{where}: a lone surrogate code point at offset {offset} (not valid Unicode text; "
                 "it usually comes from broken decoding): send UTF-8 text")


def is_ignorable(char: str) -> bool:
    """True for a format (Cf) or other default-ignorable code point, removed before matching.

    Example:
        >>> [is_ignorable(c) for c in "a\u202e\u034f\ufe0f\U000e0041"]
        [False, True, True, True, True]
    """
    if unicodedata.category(char) == "Cf":
        return True
    point = ord(char)
    return any(lo <= point <= hi for lo, hi in _IGNORABLE_RANGES)


@lru_cache(maxsize=1)
def _confusables() -> dict[str, str]:
    """Non-ASCII character -> ASCII letter or digit it is confusable with (lazy, once)."""
    import json
    from importlib import resources

    try:
        data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a declared dependency
        return {}
    table: dict[str, str] = {}
    scores: dict[str, int] = {}
    for target, entries in data.items():
        if target not in _ALNUM:
            continue
        for entry in entries:
            char = entry.get("c", "").strip("\u200e")
            if len(char) != 1 or char.isascii():
                continue
            if unicodedata.decimal(char, None) is not None:
                table[char] = str(unicodedata.decimal(char))  # any script's digit is that digit
                scores[char] = 9
                continue
            # Prefer a prototype of the same kind and case (Cyrillic "І" -> "I", not "l" or "1").
            score = 2 * (target.isalpha() == char.isalpha()) + (target.isupper() == char.isupper())
            if score > scores.get(char, -1):
                table[char], scores[char] = target, score
    return table


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """One non-ASCII character -> its NFKC, homoglyph- and confusable-folded form."""
    folded = unicodedata.normalize("NFKC", char).translate(_HOMOGLYPHS)
    table = _confusables()
    out = []
    for item in folded:
        if is_ignorable(item):
            continue
        if not item.isascii() and unicodedata.decimal(item, None) is not None:
            item = str(unicodedata.decimal(item))  # any script's digit is that digit
        out.append(item if item.isascii() else table.get(item, item))
    return "".join(out)


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


def check_text(text: object, where: str = "text") -> str:
    """Refuse what is not valid Unicode text at the boundary (a lone surrogate, a non-string).

    Raises:
        InputError: naming ``where`` and the offset, never the text.

    Example:
        >>> check_text("fine")
        'fine'
    """
    if not isinstance(text, str):
        raise InputError(f"{where}: expected text (str), got {type(text).__name__}")
    match = _SURROGATE.search(text)
    if match is not None:
        raise InputError(ERR_SURROGATE.format(where=where, offset=match.start()))
    return text


def check_texts(texts: Sequence[object], where: str = "texts") -> list[str]:
    """:func:`check_text` for each of ``texts`` (``where[i]`` names the bad one)."""
    return [check_text(t, f"{where}[{i}]") for i, t in enumerate(texts)]


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` against evasion; see the module docstring for the steps.

    Example:
        >>> normalize("ign\u202eore \u0456nstructions\ufe0f").text
        'ignore instructions'
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            chars.append(char)
            origin.append(index)
            continue
        if "\ud800" <= char <= "\udfff":
            chars.append("\ufffd")
            origin.append(index)
            continue
        if is_ignorable(char):
            continue
        for out in _fold(char):
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

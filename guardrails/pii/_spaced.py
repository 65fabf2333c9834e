"""Join digits spaced out one by one ("1 0.1 6 6.1 1 0.1 2", "+4 9 3 0 ...", "born 1 9 7 3").

The shared normaliser joins runs of four or more spaced digits; a value spaced digit by digit
still hides in shorter runs split by punctuation or letters (an IPv4 address, an IBAN's check
digits, a house number, an age). PII detection also joins every run of two or more single
digits separated by single spaces. A digit next to another digit ("12 5", "2023 10") is not a
lone digit, so ordinary numbers in prose and tables stay apart.
"""

from __future__ import annotations

import re

from raikit.guardrails._normalize import NormalizedText

_LONE_DIGITS = re.compile(r"(?<!\d)\d(?: \d)+(?!\d)")


def join_lone_digits(norm: NormalizedText) -> NormalizedText:
    """``norm`` with the spaces inside runs of single spaced digits removed (offsets kept).

    Example:
        >>> from raikit.guardrails import normalize
        >>> joined = join_lone_digits(normalize("ip 1 0.1 6 6.1 1 0.1 2, age 4 2, room 12 5"))
        >>> joined.text
        'ip 10.166.110.12, age 42, room 12 5'
        >>> joined.to_original(3, 16)
        (3, 22)
    """
    text = norm.text
    if _LONE_DIGITS.search(text) is None:
        return norm
    drop = {i for m in _LONE_DIGITS.finditer(text) for i in range(m.start(), m.end()) if text[i] == " "}
    kept = [i for i in range(len(text)) if i not in drop]
    return NormalizedText("".join(text[i] for i in kept), tuple(norm.origin[i] for i in kept), norm.original_length)

"""A last, conservative scrub of text bound for a report: anything shaped like contact or
account data is masked even if no check found it (defence in depth for examples)."""

from __future__ import annotations

import re

_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"(?:\d[\s().-]*){6,}\d"),  # long digit runs: phones, cards, accounts, ids
    re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b"),  # IBAN-like
    re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"),  # IPv4
)


def scrub(text: str) -> str:
    """Mask e-mail-, phone-, account- and IP-shaped substrings with ``[REDACTED]``.

    Example:
        >>> scrub("call 212 555 0199 or mail a.b@example.org")
        'call [REDACTED] or mail [REDACTED]'
    """
    for pattern in _PATTERNS:
        text = pattern.sub("[REDACTED]", text)
    return text

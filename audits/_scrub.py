"""A last, conservative scrub of text bound for a report: anything shaped like contact or
account data is masked even if no check found it (defence in depth for examples)."""

from __future__ import annotations

import re

# Order matters: the more specific shapes first, long digit runs last.
_PATTERNS = (
    ("EMAIL_ADDRESS", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("IP_ADDRESS", re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")),
    ("IBAN_CODE", re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b")),
    ("NUMBER", re.compile(r"\+?\d(?:[\s().-]{0,2}\d){6,}")),  # phones, cards, accounts, ids
)


def scrub(text: str) -> str:
    """Mask e-mail-, IP-, IBAN- and long-number-shaped substrings with a typed placeholder.

    Example:
        >>> scrub("call +1 (212) 555-0199 or mail a.b@example.org")
        'call [NUMBER] or mail [EMAIL_ADDRESS]'
    """
    for kind, pattern in _PATTERNS:
        text = pattern.sub(f"[{kind}]", text)
    return text

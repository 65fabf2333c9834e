"""A last, conservative scrub of text bound for a report: anything shaped like contact or
account data is masked even if no check found it (defence in depth for examples).

The text is normalised first (format and default-ignorable characters removed, confusables
folded, see :mod:`raikit.guardrails._normalize`), so ``jo\u034fe@example.com`` or a card
number split by U+202E is masked like its plain form.
"""

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
    """Normalise, then mask e-mail-, IP-, IBAN- and long-number-shaped substrings with a typed placeholder.

    Example:
        >>> scrub("call +1 (212) 555-0199 or mail a.b@example.org")
        'call [NUMBER] or mail [EMAIL_ADDRESS]'
        >>> scrub("card 4111\u202e1111 1111 1111")
        'card [NUMBER]'
    """
    from raikit.guardrails._normalize import normalize

    text = normalize(text).text
    for kind, pattern in _PATTERNS:
        text = pattern.sub(f"[{kind}]", text)
    return text


def hash_policy_terms(resolved: dict) -> dict:
    """A copy of a resolved policy with every denylist term and pattern replaced by its salted hash.

    Terms are hashed as the denylist matches them (normalised, case-folded), with the same
    salted hash a finding of that term carries, so a reviewer can link findings to entries
    without the policy publishing a protected person's name or e-mail address.

    Example:
        >>> out = hash_policy_terms({"checks": [{"type": "denylist", "params": {"terms": ["Jo Doe"]}}]})
        >>> out["checks"][0]["params"]["terms"][0].startswith("sha256-hmac:")
        True
    """
    import copy

    out = copy.deepcopy(resolved)
    for check in out.get("checks") or []:
        params = check.get("params") if isinstance(check, dict) else None
        if not isinstance(params, dict):
            continue
        for key in ("terms", "patterns"):
            if key in params:
                params[key] = _hash_entries(params[key], key == "terms")
    return out


def _hash_entries(entries: object, is_term: bool) -> object:
    if isinstance(entries, dict):
        return {label: _hash_entries(values, is_term) for label, values in entries.items()}
    if isinstance(entries, str):
        return _hash_one(entries, is_term)
    if isinstance(entries, list | tuple):
        return [_hash_one(str(e), is_term) for e in entries]
    return entries


def _hash_one(entry: str, is_term: bool) -> str:
    from raikit.guardrails._hashing import salted_hash
    from raikit.guardrails._normalize import normalize

    value = " ".join(normalize(entry).text.split()).casefold() if is_term else entry
    return f"sha256-hmac:{salted_hash(value)}"

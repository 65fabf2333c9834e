"""Canonical forms of PII values, so one value written two ways hashes the same.

``"4111 1111-1111 1111"`` and ``"4111111111111111"`` are one card; ``"Bob@Example.com"`` and
``"bob@example.com"`` one address. The canonical form is only ever hashed, never stored.
"""

from __future__ import annotations

import re
import unicodedata

_DIGIT_TYPES = frozenset(
    {"CREDIT_CARD", "PHONE_NUMBER", "US_SSN", "US_ITIN", "US_BANK_NUMBER", "UK_NHS", "AGE",
     "ABA_ROUTING_NUMBER"}
)
_ALNUM_TYPES = frozenset(
    {"IBAN_CODE", "US_DRIVER_LICENSE", "ZIP_CODE", "US_PASSPORT", "MEDICAL_LICENSE", "CRYPTO", "UK_NINO"}
)
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_URL_PREFIX = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?", re.IGNORECASE)


def canonical(entity_type: str, value: str) -> str:
    """The canonical form of ``value`` for ``entity_type`` (apply to normalised text).

    Digits only for card, phone and id numbers; upper-case letters and digits for IBANs,
    licences and postcodes; host without scheme, ``www.`` or trailing slash for domains;
    case-folded with collapsed spaces and no edge punctuation for everything else.

    Example:
        >>> canonical("CREDIT_CARD", "4111 1111-1111 1111")
        '4111111111111111'
        >>> canonical("PERSON", "  Ann   LEE, ")
        'ann lee'
    """
    value = unicodedata.normalize("NFKC", value)
    if entity_type in _DIGIT_TYPES:
        digits = "".join(ch for ch in value if ch.isdigit())
        if digits:
            return digits
    if entity_type in _ALNUM_TYPES:
        return _NON_ALNUM.sub("", value).upper()
    if entity_type in {"DOMAIN_NAME", "URL"}:
        return _URL_PREFIX.sub("", value.strip()).rstrip("/").casefold()
    if entity_type in {"EMAIL_ADDRESS", "IP_ADDRESS"}:
        return value.strip().casefold()
    folded = _SPACES.sub(" ", value.replace(",", " ")).strip(" .;:!?\"'()[]<>").casefold()
    return folded

"""Structure and context rules: a value is reported only when it looks like personal data.

A number is not a phone number, SSN, ZIP code or IP address because of its digit count alone:
every detection (NER or pattern) passes :func:`plausible`, which checks the value's format
(SSN area rules, IP octets, e-mail syntax, street words), rejects clock times, dates, scores,
versions and quantities, and demands a context word for types that are too common otherwise.
The word lists live in ``context.yaml`` beside this module.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from raikit.guardrails.pii._address import street_word
from raikit.guardrails.pii._recognizers import has_context

_DATA = Path(__file__).resolve().parent / "context.yaml"
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_DOMAIN = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[A-Za-z]{2,}(?:[/:?#]\S*)?", re.UNICODE)
_SSN = re.compile(r"(\d{3})([- .]?)(\d{2})\2(\d{4})")
_TIME = re.compile(r"\d{1,2}[:h.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_SCORE = re.compile(r"\d{1,3}(?:\s*[-:/]\s*\d{1,3})+")
_SPACED_SMALL = re.compile(r"\d{1,3}(?:\s+\d{1,3})+")
_ROW_OF_NUMBERS = re.compile(r"(?<!\w)\d{1,3}(?:\s+\d{1,3})+(?!\w)")  # not "NP69 5HT"
_ABBREVIATION = re.compile(r"[A-Z][A-Za-z]{0,3}")
_NAME_TYPES = frozenset({"PERSON", "GPE", "ORGANIZATION", "NRP", "STREET_ADDRESS"})
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


@functools.cache
def _lists() -> dict[str, Any]:
    import yaml

    with _DATA.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {
        "context": {k: [str(w) for w in v] for k, v in data["context"].items()},
        "needs_context": frozenset(data["needs_context"]),
        "street_words": frozenset(str(w).casefold() for w in data["street_words"]),
        "street_suffixes": tuple(str(w).casefold() for w in data["street_suffixes"]),
        "version_words": frozenset(str(w).casefold() for w in data["version_words"]),
        "units": frozenset(str(w).casefold() for w in data["units"]),
        "place_abbreviations": frozenset(str(w) for w in data["place_abbreviations"]),
        "single_name_factor": float(data["single_name_factor"]),
        "instruction_verbs": frozenset(str(w).casefold() for w in data["instruction_verbs"]),
        "job_words": tuple(str(w).casefold() for w in data["job_words"]),
        "field_labels": frozenset(str(w).casefold() for w in data["field_labels"]),
        "label_words": frozenset(str(w).casefold() for w in data["label_words"]),
        "address_labels": tuple(str(w) for w in data["address_labels"]),
        "greetings": tuple(str(w) for w in data["greetings"]),
        "title_stop_words": frozenset(str(w).casefold() for w in data["title_stop_words"]),
        "determiners": frozenset(str(w).casefold() for w in data["determiners"]),
        "organization_suffixes": tuple(str(w) for w in data["organization_suffixes"]),
        "nrp_words": tuple(str(w) for w in data["nrp_words"]),
        "field_values": {k: tuple(str(w) for w in v) for k, v in data["field_values"].items()},
    }


def word_list(name: str) -> Any:
    """A list of ``context.yaml`` by its key ("job_words", "field_labels", "greetings", "field_values", ...)."""
    return _lists()[name]


def context_words(entity: str) -> list[str]:
    """The context words of an entity type (empty when it has none)."""
    return _lists()["context"].get(entity, [])


def in_context(text: str, entity: str, start: int, end: int) -> bool:
    """Whether a context word of ``entity`` is near ``text[start:end]``.

    Example:
        >>> in_context("call me on 0151 2345678", "PHONE_NUMBER", 11, 23)
        True
    """
    return has_context(text, start, end, context_words(entity))


def plausible(
    text: str, entity: str, start: int, end: int, score: float, *, placed: bool = False
) -> float | None:
    """The score a detection keeps after the structure and context rules, or ``None`` to drop it.

    Args:
        text: The (normalised) text the span points into.
        entity: Entity type of the detection.
        start: Start offset of the span.
        end: End offset of the span.
        score: Score before the rules.
        placed: The value sits right next to an address or place (a postcode needs no context word).

    Example:
        >>> plausible("Halftime 0-1", "STREET_ADDRESS", 0, 12, 0.85) is None
        True
        >>> plausible("SSN 078-05-1120", "US_SSN", 4, 15, 0.85)
        0.85
    """
    lists = _lists()
    value = text[start:end].strip()
    if not value:
        return None
    if entity in lists["needs_context"] and not placed and not in_context(text, entity, start, end):
        return None
    rule = _RULES.get(entity)
    if rule is not None:
        if entity != "STREET_ADDRESS":
            value = _compact(value)
        return rule(text, start, end, value, score)
    if entity in _NAME_TYPES:
        kept = _name(value, entity, score)
        if kept is not None and entity == "PERSON" and len(value.split()) == 1:
            if not in_context(text, "PERSON", start, end):
                kept *= lists["single_name_factor"]
        return kept
    return score


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"'(\[]\s*)$")


def strip_instruction_verb(text: str, start: int, end: int) -> int:
    """The start of a name span after a leading instruction verb at a sentence start ("Explain X").

    Example:
        >>> text = "Describe Monet's style."
        >>> text[strip_instruction_verb(text, 0, 14):14]
        'Monet'
    """
    m = re.match(r"([^\W\d_]+)\s+", text[start:end])
    if m is None or m.group(1).casefold() not in _lists()["instruction_verbs"]:
        return start
    if not _SENTENCE_START.search(text[max(0, start - 3) : start]) and start != 0:
        return start
    return start + m.end()


def _compact(value: str) -> str:
    """A spaced-out value ("1 9 9.3 3.1 9 9.7 2": three or more lone characters, half the pieces
    at most two long) without its spaces, so the rules judge the value that was hidden."""
    pieces = value.split()
    if sum(len(p) == 1 for p in pieces) >= 3 and sum(len(p) <= 2 for p in pieces) * 2 >= len(pieces):
        return "".join(pieces)
    return value


def _name(value: str, entity: str, score: float) -> float | None:
    """A lone short upper-case abbreviation ("GU", "CV", "RESP") is not a name or place."""
    bare = value.strip(" :.,;-()")
    if not _WORDS.search(bare):
        return None
    if bare.isupper() and _ABBREVIATION.fullmatch(bare) and bare not in _lists()["place_abbreviations"]:
        return None
    return score


def _email(text: str, start: int, end: int, value: str, score: float) -> float | None:
    return score if _EMAIL.fullmatch(value) else None


def _domain(text: str, start: int, end: int, value: str, score: float) -> float | None:
    token = _token_around(text, start, end)
    if "@" in token and not _EMAIL.search(token):
        return None  # "hunter2@secret": a password, not a domain
    return score if _DOMAIN.fullmatch(value.rstrip(".,;)")) else None


def _ip(text: str, start: int, end: int, value: str, score: float) -> float | None:
    try:
        addr = ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return None
    if addr.version == 4:
        before = text[max(0, start - 30) : start]
        words = _WORDS.findall(before)
        if (words and words[-1].casefold() in _lists()["version_words"]) or re.search(r"[vV]\s*$", before):
            return None
    elif value.count(":") < 3:
        return None  # "12::30" and the like are not IPv6 addresses in prose
    return score


def _ssn(text: str, start: int, end: int, value: str, score: float) -> float | None:
    m = _SSN.fullmatch(value)
    if m is None:
        return None
    area, sep, group, serial = m.group(1), m.group(2), m.group(3), m.group(4)
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return None
    if len(set(area + group + serial)) == 1 or area + group + serial in ("123456789", "987654321"):
        return None
    if in_context(text, "US_SSN", start, end):
        return max(score, 0.85)
    return None if not sep else min(score, 0.6)


_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}$", re.IGNORECASE)


def _phone(text: str, start: int, end: int, value: str, score: float) -> float | None:
    value = _EXTENSION.sub("", value)  # "+1-485-515-9476x53813": the extension is not counted
    digits = sum(ch.isdigit() for ch in value)
    if not 7 <= digits <= 15:
        return None
    if _TIME.fullmatch(value) or _DATE.fullmatch(value) or _SCORE.fullmatch(value):
        return None
    if _SPACED_SMALL.fullmatch(value) and digits < 9:
        return None  # "9 5 4 14" is a row of scores
    after = _WORDS.findall(text[end : end + 12])
    if after and after[0].casefold() in _lists()["units"] and not re.match(r"\s*[\w.-]*\d", text[end : end + 3]):
        return None
    context = in_context(text, "PHONE_NUMBER", start, end)
    structured = value.startswith(("+", "00", "(")) or re.search(r"\d[\s().-]+\d", value) is not None
    if not structured and not context:
        return None  # a bare digit run is an order, ticket or account number unless called a phone
    # A number with a phone's grouping that passed the rules above is one even without a context
    # word (pattern recognizers start phones at 0.4, below the policies' thresholds).
    return max(score, 0.75) if context else max(score, 0.6)


def _zip(text: str, start: int, end: int, value: str, score: float) -> float | None:
    return score if any(ch.isdigit() for ch in value) else None


def _address(text: str, start: int, end: int, value: str, score: float) -> float | None:
    lists = _lists()
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+\.?", value)]
    street = any(
        w.rstrip(".") in lists["street_words"] or w.endswith(lists["street_suffixes"]) or street_word(w) for w in words
    )
    if street:
        return score
    if in_context(text, "STREET_ADDRESS", start, end) and any(ch.isdigit() for ch in value):
        return score
    # A house number beside a capitalised name ("5586 Þórunnarstræti 31"), but not a year
    # ("2018 FIFA World Cup"), a score ("Halftime 0-1") or a row of numbers ("Scores 9 5 4 14").
    numbers = re.findall(r"\d+", value)
    names = re.findall(r"(?<![\w])[^\W\d_][^\W\d_]+", value)
    if not numbers or not any(w[0].isupper() for w in names) or len(names) + len(numbers) < 2:
        return None
    if _SCORE.search(value) or _ROW_OF_NUMBERS.search(value) and len(numbers) >= 3:
        return None
    if all(re.fullmatch(r"(?:19|20)\d\d", n) for n in numbers):
        return None
    return score


def _driver_license(text: str, start: int, end: int, value: str, score: float) -> float | None:
    alnum = re.sub(r"[\W_]", "", value)
    if not any(ch.isdigit() for ch in alnum) or not 5 <= len(alnum) <= 20:
        return None
    return score if in_context(text, "US_DRIVER_LICENSE", start, end) else min(score, 0.45)


def _token_around(text: str, start: int, end: int) -> str:
    lo, hi = start, end
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return text[lo:hi]


_RULES = {
    "EMAIL_ADDRESS": _email,
    "DOMAIN_NAME": _domain,
    "IP_ADDRESS": _ip,
    "US_SSN": _ssn,
    "PHONE_NUMBER": _phone,
    "ZIP_CODE": _zip,
    "STREET_ADDRESS": _address,
    "US_DRIVER_LICENSE": _driver_license,
}


def near_address(spans: Sequence[tuple[int, int, str]], start: int, end: int, text: str) -> bool:
    """Whether a street address or place span sits right before or after ``[start, end)``."""
    for s, e, t in spans:
        if t not in ("STREET_ADDRESS", "GPE"):
            continue
        if 0 <= start - e <= 30 and re.fullmatch(r"[\s,]*(?:[^\W\d_]{1,3}[\s,]+)?", text[e:start]):
            return True
        if 0 <= s - end <= 8 and re.fullmatch(r"[\s,]*", text[end:s]):
            return True
    return False

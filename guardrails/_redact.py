"""Replace the spans of findings in a text; the input is never mutated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from raikit.errors import InputError
from raikit.guardrails._finding import Finding

Operator = Literal["placeholder", "pseudonym", "hash", "mask"]
OPERATORS: tuple[str, ...] = ("placeholder", "pseudonym", "hash", "mask")


@dataclass(frozen=True, slots=True)
class Replacement:
    """One replaced span: where it was in the original and where it is in the new text."""

    type: str
    start: int
    end: int
    new_start: int
    new_end: int


@dataclass(frozen=True, slots=True)
class Redaction:
    """The redacted text and the offset map from original spans to replacement spans."""

    text: str
    replacements: tuple[Replacement, ...]


def _merge(findings: Iterable[Finding]) -> list[Finding]:
    """Spanned findings sorted by start, overlaps merged into the widest, highest-scoring type."""
    spans = sorted(
        (f for f in findings if f.start is not None and f.end is not None and f.end > f.start),
        key=lambda f: (f.start, -(f.end or 0)),
    )
    merged: list[Finding] = []
    for f in spans:
        if merged and f.start < merged[-1].end:  # type: ignore[operator]
            last = merged[-1]
            best = last if last.score >= f.score else f
            merged[-1] = Finding(
                check_id=best.check_id,
                type=best.type,
                start=last.start,
                end=max(last.end, f.end),  # type: ignore[type-var]
                score=max(last.score, f.score),
                hash=best.hash,
            )
        else:
            merged.append(f)
    return merged


def redact(text: str, findings: Iterable[Finding], operator: Operator = "placeholder") -> Redaction:
    """Replace each finding's span in ``text``.

    Operators:
        placeholder: ``[EMAIL_ADDRESS]``.
        pseudonym: ``[PERSON_1]``, the same number for the same value within this text.
        hash: ``[PERSON:3fa2c1d09b7e4a51]`` (the finding's salted hash).
        mask: ``*`` for every character.

    Example:
        >>> f = Finding(check_id="pii", type="EMAIL_ADDRESS", start=5, end=18, score=1.0)
        >>> redact("mail bob@example.com now", [f]).text
        'mail [EMAIL_ADDRESS]com now'
    """
    if operator not in OPERATORS:
        raise InputError(f"operator must be one of {', '.join(OPERATORS)}, got {operator!r}")
    pseudonyms: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    out: list[str] = []
    replacements: list[Replacement] = []
    cursor = 0
    length = 0
    for f in _merge(findings):
        start, end = f.start, f.end
        assert start is not None and end is not None
        if operator == "placeholder":
            new = f"[{f.type}]"
        elif operator == "pseudonym":
            key = (f.type, f.hash or f"{start}:{end}")
            if key not in pseudonyms:
                counters[f.type] = counters.get(f.type, 0) + 1
                pseudonyms[key] = counters[f.type]
            new = f"[{f.type}_{pseudonyms[key]}]"
        elif operator == "hash":
            new = f"[{f.type}:{f.hash or 'unhashed'}]"
        else:
            new = "*" * (end - start)
        out.append(text[cursor:start])
        length += start - cursor
        out.append(new)
        replacements.append(Replacement(f.type, start, end, length, length + len(new)))
        length += len(new)
        cursor = end
    out.append(text[cursor:])
    return Redaction("".join(out), tuple(replacements))

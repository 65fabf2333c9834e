"""Read token-tagged NER files (WNUT-17 CoNLL, GermEval 2014 TSV) as text with character spans.

Tokens are joined by single spaces; each span is ``(start, end, label)`` with the file's label
mapped through ``mapping`` (labels not in it are left unlabelled).

Example:
    >>> rows = read_bio_lines(["Ann\\tB-person", "sleeps\\tO"], {"person": "PERSON"})
    >>> rows
    [('Ann sleeps', [(0, 3, 'PERSON')])]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

Row = tuple[str, list[tuple[int, int, str]]]


def _sentence(tokens: list[tuple[str, str]], mapping: Mapping[str, str]) -> Row:
    text = ""
    spans: list[tuple[int, int, str]] = []
    open_label: str | None = None
    for tok, tag in tokens:
        start = len(text) + (1 if text else 0)
        text = f"{text} {tok}" if text else tok
        label = mapping.get(tag[2:]) if tag[:2] in ("B-", "I-") else None
        if tag.startswith("I-") and open_label is not None and open_label == label:
            spans[-1] = (spans[-1][0], len(text), label)
        elif label is not None:
            spans.append((start, len(text), label))
        open_label = label
    return text, spans


def read_bio_lines(lines: Iterable[str], mapping: Mapping[str, str], token_col: int = 0, tag_col: int = 1) -> list[Row]:
    """Sentences of tab-separated BIO lines (blank line between sentences, ``#`` lines skipped)."""
    rows: list[Row] = []
    tokens: list[tuple[str, str]] = []
    for line in [*lines, ""]:
        if line.startswith("#\t") or line.startswith("# "):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) > max(token_col, tag_col) and parts[token_col].strip():
            tokens.append((parts[token_col].strip(), parts[tag_col].strip()))
            continue
        if tokens:
            rows.append(_sentence(tokens, mapping))
            tokens = []
    return rows


def read_wnut(path: Path, mapping: Mapping[str, str]) -> list[Row]:
    """WNUT-17 (``token<TAB>tag``)."""
    return read_bio_lines(path.read_text(encoding="utf-8").splitlines(), mapping)


def read_germeval(path: Path, mapping: Mapping[str, str]) -> list[Row]:
    """GermEval 2014 (``index<TAB>token<TAB>outer tag<TAB>nested tag``); outer tags only."""
    return read_bio_lines(path.read_text(encoding="utf-8").splitlines(), mapping, token_col=1, tag_col=2)


def split_rows(rows: list[Row], held_out: float = 0.3, seed: int = 0) -> tuple[list[Row], list[Row]]:
    """A fixed seeded split into ``(train, held_out)`` parts (GermEval dev: train a model on the
    first part, measure on the second).

    Example:
        >>> train, held = split_rows([("a", [])] * 10)
        >>> len(train), len(held)
        (7, 3)
    """
    import random

    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    cut = round(len(rows) * held_out)
    held = sorted(order[:cut])
    kept = sorted(order[cut:])
    return [rows[i] for i in kept], [rows[i] for i in held]

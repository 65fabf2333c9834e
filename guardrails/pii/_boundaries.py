"""Span boundaries: where a detected value starts and ends.

A NER model (and, for addresses, the structure finder) draws its spans across words that are
not part of the value. These rules cut a span into the pieces that are:

* a greeting opening a name span is not part of the name ("Hello Sunay", "Good morning Ann");
* "c/o" (care of) separates a recipient from the organisation or address after it; the piece
  before it, in an address, is the recipient's name;
* a quote or bullet marker at a line start ("> ", "- ") is not part of a multi-line value;
* a name, place, organisation or title ends at a line break, an address at a line break that
  opens a form field ("Schreiner\\nAddress: ..."), and a field label ("Address:",
  "Shipping to:") is never part of a value (the value after it keeps its place; a value after
  an address, name, city or company label takes that label's type);
* a person span listing several persons ("Anna and Ben Smith", "Kónya, Becker and Vasquez") is
  split at "and", "&", "und", "et", "or" and commas;
* an address that passed the structure rules ends before a lower-case prose word ("Main Street
  between 5th Avenue and Oak Road") and loses a doubled street type ("77 Elm Street St.")
  (:func:`trim_address`);
* a job title right before a name is found by its job word ("marketing director Sofia Rossi",
  :func:`title_before`).

The greetings, label words and title stop words are in ``context.yaml``, the prose words that
end an address in ``addresses.yaml``. Every rule is a precompiled regular expression or a set
look-up on the span's own text (and, for titles, the few words before a name).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from raikit.guardrails.pii._address import break_words, street_word
from raikit.guardrails.pii._structure import word_list

Piece = tuple[int, int, str]

_NAME_TYPES = frozenset({"PERSON", "ORGANIZATION", "GPE", "NRP"})
# Types that never run over a line break (an address block does, line by line).
_ONE_LINE_TYPES = frozenset({"PERSON", "ORGANIZATION", "GPE", "NRP", "TITLE", "DATE_TIME", "AGE"})
_STRIPPED_TYPES = _ONE_LINE_TYPES | {"STREET_ADDRESS"}
# A list number opening a line ("2. Ann Lee"), before a capitalised word (not in a date: "3. Mai").
_LISTED_TYPES = frozenset({"PERSON", "ORGANIZATION", "GPE", "NRP", "TITLE", "STREET_ADDRESS"})
_LIST_NUMBER = re.compile(r"\d{1,2}[.)][ \t]+(?=[^\W\d_a-z])")
_CARE_OF = re.compile(r"[ \t,]*(?<![\w/])(?:c/o|c\.o\.|care of)(?![\w/])[ \t,]*", re.IGNORECASE)
# A quote marker, bullet or list number opening a line ("\n> ", "\n- ", "\n2. "), or a spaced em dash
# between fields ("Ann Lee — Photographer").
_MARKER = re.compile(r"[ \t]*\n[ \t]*(?:(?:[>|][ \t]*)+|[-*•·][ \t]+|\d{1,2}[.)][ \t]+)|[ \t]+—[ \t]+")
_NEWLINE = re.compile(r"\s*\n\s*")
# A line break that opens a form field: one to three words and a colon ("\nAddress:", "\nE-mail:").
_NEW_FIELD = re.compile(r"\s*\n[ \t]*(?=[^\W\d_][\w'’./-]*(?:[ \t]+[\w'’./-]+){0,2}[ \t]*:(?:\s|$))")
_COLON = re.compile(r"[ \t]*:[*_]*(?:[ \t]+|(?=\n)|$)")  # "Name: ", "**Name:** "
_LIST = re.compile(r"[ \t]*,[ \t]+|[ \t]+(?:and|und|et|or|oder|&)[ \t]+")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_CAPITAL_WORD = re.compile(r"(?<![\w])[^\W\d_a-z][^\W\d_]+")
# Up to three words, each followed by spaces, that end right before a name (same line).
_WORDS_BEFORE = re.compile(r"(?:(?<![\w'’-])[^\W\d_][\w'’-]*[ \t]+){1,3}$")
_WORD_AT = re.compile(r"[^\W\d_][\w'’-]*")
_VALUE_LIKE = re.compile(r"\d|(?<![\w])[^\W\d_a-z]")
_DOUBLED_ST = re.compile(r"[ \t]+(?i:st)\.?$")
_LABEL_TYPES = {"PERSON": "PERSON", "GPE": "GPE", "ORGANIZATION": "ORGANIZATION"}


@functools.cache
def _greeting() -> re.Pattern[str]:
    words = sorted({str(w) for w in word_list("greetings")}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in words)
    return re.compile(r"(?i:" + alternatives + r")(?:[ \t]+there)?[ \t]*[,!]?[ \t]+(?=[^\W\d_])")


@functools.cache
def _labels() -> tuple[frozenset[str], dict[str, str]]:
    """Words a field label is made of, and the type of the value after a label."""
    words = set(word_list("field_labels")) | set(word_list("label_words"))
    types: dict[str, str] = {str(w).casefold(): "STREET_ADDRESS" for w in word_list("address_labels")}
    fields: dict[str, Any] = word_list("field_values")
    for entity, names in fields.items():
        if entity in _LABEL_TYPES:
            types.update({str(n).casefold(): _LABEL_TYPES[entity] for n in names})
    return frozenset(words | set(types)), types


def is_label(value: str) -> bool:
    """Whether ``value`` is a field label only ("Address", "Shipping to", "E-mail").

    Example:
        >>> is_label("Shipping to"), is_label("Ann Lee")
        (True, False)
    """
    words = [w.casefold().rstrip(".") for w in _WORD.findall(value)]
    if len(words) == 1:  # one word: a field label proper ("Bill" alone is a name, "Bill to" a label)
        return words[0] in word_list("field_labels") or words[0] in _labels()[1]
    return 2 <= len(words) <= 3 and all(w in _labels()[0] for w in words)


def split_span(text: str, start: int, end: int, entity: str, *, markers: bool = True) -> list[Piece]:
    """The pieces of ``text[start:end]`` (a span of type ``entity``) that are the value.

    Returns ``[(start, end, entity)]`` unchanged when no rule applies. With ``markers=False`` a
    street address keeps its quote markers and bullets (:func:`split_lines` cuts them once the
    whole address has been judged).

    Example:
        >>> text = "Hello Sunay, Anna and Ben Smith are here"
        >>> [text[s:e] for s, e, _ in split_span(text, 0, 11, "PERSON")]
        ['Sunay']
        >>> [text[s:e] for s, e, _ in split_span(text, 13, 31, "PERSON")]
        ['Anna', 'Ben Smith']
    """
    if entity in _STRIPPED_TYPES:
        bounds = _strip(text, start, end)
        if bounds is None:
            return []  # "*", "—": no value at all
        start, end = bounds
        if entity in _LISTED_TYPES and (m := _LIST_NUMBER.match(text, start, end)) is not None and (
            start == 0 or text[start - 1] == "\n"
        ):
            start = m.end()
    if entity in _NAME_TYPES and (m := _greeting().match(text, start, end)) is not None:
        start = m.end()
    value = text[start:end]
    if not (" " in value or "\n" in value or ":" in value or "/" in value):
        return [(start, end, entity)] if start < end else []
    if is_label(value):
        return []
    cuts = [(m.start() + start, m.end() + start, "care_of") for m in _CARE_OF.finditer(value)]
    if markers or entity != "STREET_ADDRESS":
        cuts += [(m.start() + start, m.end() + start, "line") for m in _MARKER.finditer(value)]
    if "\n" in value:
        breaks = _NEWLINE if entity in _ONE_LINE_TYPES else _NEW_FIELD
        cuts += [(m.start() + start, m.end() + start, "line") for m in breaks.finditer(value)]
    cuts += [(m.start() + start, m.end() + start, "colon") for m in _COLON.finditer(value)]
    pieces = _pieces(text, start, end, entity, _disjoint(cuts)) if cuts else [(start, end, entity)]
    return [p for piece in pieces for p in (_split_list(text, *piece) if piece[2] == "PERSON" else (piece,))]


def split_lines(text: str, start: int, end: int, entity: str) -> list[Piece]:
    """``text[start:end]`` cut at quote markers, bullets and list numbers opening its lines.

    Example:
        >>> text = "> 7 Kookaburra Meander\n> Perth WA 6000"
        >>> [text[s:e] for s, e, _ in split_lines(text, 2, len(text), "STREET_ADDRESS")]
        ['7 Kookaburra Meander', 'Perth WA 6000']
    """
    if "\n" not in text[start:end] and "—" not in text[start:end]:
        return [(start, end, entity)]
    cuts = [(m.start(), m.end()) for m in _MARKER.finditer(text, start, end)]
    bounds = [start] + [x for c in cuts for x in c] + [end]
    pieces = [_strip(text, lo, hi) for lo, hi in zip(bounds[::2], bounds[1::2], strict=True)]
    return [(p[0], p[1], entity) for p in pieces if p is not None]


def trim_address(text: str, start: int, end: int) -> list[Piece]:
    """A street address span without quote markers, bullets, prose after it and a doubled street type.

    Each line (:func:`split_lines`) ends before a lower-case prose word of ``address_breaks``
    (``addresses.yaml``) in mixed-case text ("Main Street between 5th Avenue and Oak Road": the
    part after the word stays only when it holds a number or a capitalised word), and a trailing
    "St." after a street that already has its street word and number ("77 Elm Street St.",
    "Sludevej 13 St.") is cut.

    Example:
        >>> text = "We are at 5 Rue Victor Hugo, 3rd floor on the left."
        >>> [text[s:e] for s, e, _ in trim_address(text, 10, 50)]
        ['5 Rue Victor Hugo, 3rd floor']
    """
    mixed = any(ch.isupper() for ch in text)
    out: list[Piece] = []
    for s, e, _ in split_lines(text, start, end, "STREET_ADDRESS"):
        parts = [(s, e)]
        if mixed:
            bounds = [s] + [x for m in _address_break().finditer(text, s, e) for x in m.span()] + [e]
            parts = [p for lo, hi in zip(bounds[::2], bounds[1::2], strict=True) if (p := _strip(text, lo, hi))]
            parts = parts[:1] + [p for p in parts[1:] if _VALUE_LIKE.search(text, p[0], p[1])]
        for lo, hi in parts:
            m = _DOUBLED_ST.search(text, lo, hi)
            if m is not None and _has_street(text[lo : m.start()]):
                hi = m.start()
            out.append((lo, hi, "STREET_ADDRESS"))
    return out


@functools.cache
def _address_break() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(set(break_words()), key=len, reverse=True))
    return re.compile(r"[ \t,]+(?:" + words + r")(?=[ \t,.;!?]|$)")


def _has_street(value: str) -> bool:
    """Whether ``value`` ends in a house number or a street word and holds a street word."""
    words = value.split()
    if len(words) < 2 or not (words[-1][0].isdigit() or street_word(words[-1])):
        return False
    return any(street_word(w) for w in words[:-1] if not w[0].isdigit()) or street_word(words[-1])


def _split_list(text: str, start: int, end: int, entity: str) -> list[Piece]:
    """A person span listing several persons, split at "and", "&", "und", "et", "or" and commas."""
    cuts = [(m.start() + start, m.end() + start, "list") for m in _LIST.finditer(text[start:end])]
    return _pieces(text, start, end, entity, cuts) if cuts else [(start, end, entity)]


def title_before(text: str, start: int) -> int | None:
    """The start of a job title right before a name at ``start`` ("marketing director Sofia
    Rossi", "veterinary surgeon Robert"), or ``None``.

    The word before the name must be a job word of ``context.yaml`` (``job_words``); up to two
    words before it that are not function words, verbs of address or greetings join it, on the
    same line.

    Example:
        >>> text = "The meeting with marketing director Sofia Rossi is at noon."
        >>> text[title_before(text, 36):36]
        'marketing director '
    """
    m = _WORDS_BEFORE.search(text, max(0, start - 60), start)
    if m is None:
        return None
    words = list(_WORD_AT.finditer(text, m.start(), start))
    if not words or words[-1].group().casefold() not in _job_words():
        return None
    first = words[-1].start()
    stop = _title_stop_words()
    for w in reversed(words[-3:-1]):
        if w.group().casefold() in stop:
            break
        first = w.start()
    return first


def is_role_phrase(text: str, start: int, end: int) -> bool:
    """Whether a lower-case name span is a job after a determiner ("a newly hired sports coach",
    "my piano teacher"): its last word is a job word and one of the three words before it (on the
    same line) is a determiner of ``context.yaml``.

    Example:
        >>> text = "As a newly hired sports coach, what are your plans?"
        >>> is_role_phrase(text, 17, 29), is_role_phrase("ask peter baker", 4, 15)
        (True, False)
    """
    value = text[start:end]
    words = _WORD_AT.findall(value)
    if not words or not value.islower() or words[-1].casefold() not in _job_words():
        return False
    window = max(text.rfind("\n", 0, start) + 1, start - 40)
    while 0 < window < start and text[window - 1].isalnum():  # not from inside a word
        window += 1
    before = [w.casefold() for w in _WORD_AT.findall(text, window, start)][-3:]
    return any(w in word_list("determiners") for w in before)


@functools.cache
def _job_words() -> frozenset[str]:
    return frozenset(word_list("job_words"))


@functools.cache
def _title_stop_words() -> frozenset[str]:
    from raikit.guardrails.pii._headline import MINOR_WORDS

    words = set(MINOR_WORDS) | set(word_list("title_stop_words")) | set(word_list("instruction_verbs"))
    words |= {str(w).casefold() for w in word_list("greetings")} | set(word_list("job_words"))
    return frozenset(words)


def _disjoint(cuts: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for c in sorted(cuts):
        if out and c[0] < out[-1][1]:
            last = out[-1]
            out[-1] = (last[0], max(last[1], c[1]), last[2] if last[2] != "list" else c[2])
        else:
            out.append(c)
    return out


def _pieces(text: str, start: int, end: int, entity: str, cuts: list[tuple[int, int, str]]) -> list[Piece]:
    labels = _labels()[1]
    out: list[Piece] = []
    lo, before = start, None  # start of the current piece, the cut before it
    label_type: str | None = None  # the type a label before the current piece gives its value
    for i in range(len(cuts) + 1):
        hi, cut = (cuts[i][0], cuts[i][2]) if i < len(cuts) else (end, None)
        piece = _strip(text, lo, hi)
        if piece is not None:
            s, e = piece
            value = text[s:e]
            if cut == "colon" and (is_label(value) or _line_label(text, value, s, start)):
                label_type = labels.get(value.casefold().rstrip("."))
            else:
                kind = label_type if before == "colon" and label_type is not None else entity
                if cut == "care_of" and entity == "STREET_ADDRESS" and not any(ch.isdigit() for ch in value):
                    kind = "PERSON"  # the recipient before "c/o"
                if not is_label(value) and (entity != "PERSON" or _CAPITAL_WORD.search(value)):
                    out.append((s, e, kind))
                label_type = None
        if i < len(cuts):
            lo, before = cuts[i][1], cuts[i][2]
    return out


def _line_label(text: str, value: str, s: int, start: int) -> bool:
    """A capitalised phrase of one to three words opening a later line of the span ("\nAddress:")."""
    if s <= start or not text[start:s].rstrip(" \t>|*-•·").endswith("\n"):
        return False
    words = value.split()
    return 1 <= len(words) <= 3 and value[:1].isupper() and all(_WORD.fullmatch(w) for w in words)


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and not (text[start].isalnum() or text[start] in "+(#"):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    return (start, end) if start < end else None

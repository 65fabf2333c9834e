"""A keyword / regular-expression denylist with word boundaries and Unicode-aware matching.

User-written patterns run on RE2 (``google-re2``): matching time is linear in the text, so no
pattern in a policy can stall a call by catastrophic backtracking. A pattern that needs what
RE2 lacks (look-around, back-references) runs on the ``regex`` module under a hard time
budget per scan (``pattern_timeout_s``); exceeding it raises :class:`CheckError`, which the
policy's ``on_error`` turns into a block (fail closed) or a warning.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from raikit.errors import CheckError, InputError
from raikit.guardrails._check import Check
from raikit.guardrails._finding import Finding
from raikit.guardrails._normalize import normalize


# Scripts written without spaces between words (CJK, kana, Thai, Lao, Khmer, Myanmar): no
# word boundary is required next to them.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class DenylistCheck(Check):
    """Find listed words, phrases or patterns, case-insensitively and across evasions.

    Terms match as whole words (``ass`` does not match ``class``; scripts written without
    spaces, such as Chinese or Thai, match anywhere), any run of whitespace
    matches a space in a phrase, and text is normalised first (NFKC, zero-width characters,
    homoglyphs), with offsets mapped back to the original text.

    Args:
        terms: Phrases, or a mapping of label -> phrases (the label becomes the finding type).
        patterns: Regular expressions, or a mapping of label -> expressions.
        label: Finding type for terms and patterns given as plain lists.
        pattern_timeout_s: Time budget per scan for patterns RE2 cannot run (look-around,
            back-references), which fall back to a backtracking engine.
        id: Check id; defaults to ``denylist``.
        threshold: Kept for the common interface; every match scores 1.0.

    Example:
        >>> check = DenylistCheck(terms={"secret": ["project x"]}, patterns=[r"\\bAKIA[0-9A-Z]{16}\\b"])
        >>> [(f.type, f.start, f.end) for f in check.scan(["about Project\u200b  X today"])[0]]
        [('secret', 6, 17)]
    """

    name = "denylist"
    input = "text"
    inline = True
    #: Whole texts, never windows: a match's span in the original text has no upper bound
    #: (any run of whitespace matches a phrase's space, and ignorable characters such as
    #: U+200B vanish in normalisation), so no window overlap could hold every match that
    #: straddles a boundary. Normalisation and RE2 are linear in the text and the length is
    #: capped by ``max_text_chars``; backtracking patterns run under ``pattern_timeout_s``.
    chunk_chars = None

    def __init__(
        self,
        *,
        terms: Sequence[str] | Mapping[str, Sequence[str]] = (),
        patterns: Sequence[str] | Mapping[str, Sequence[str]] = (),
        label: str = "denylist",
        pattern_timeout_s: float = 0.5,
        id: str | None = None,
        threshold: float = 0.5,
    ) -> None:
        super().__init__(id=id, threshold=threshold)
        if isinstance(pattern_timeout_s, bool) or not isinstance(pattern_timeout_s, int | float) or not (
            0 < pattern_timeout_s <= 60
        ):
            raise ValueError(f"pattern_timeout_s must be a number of seconds in (0, 60], got {pattern_timeout_s!r}")
        self._timeout = float(pattern_timeout_s)
        self._compiled: list[tuple[str, Any]] = []
        self._slow: list[tuple[str, Any]] = []
        for type_, term in _labelled(terms, label):
            if not term.strip():
                raise InputError("terms must be non-empty strings")
            words = normalize(term).text.split()
            body = r"\s+".join(re.escape(w) for w in words)
            left = "" if _UNSPACED.match(words[0][0]) else r"(?<!\w)"
            right = "" if _UNSPACED.match(words[-1][-1]) else r"(?!\w)"
            self._compiled.append((type_, re.compile(left + body + right, re.IGNORECASE)))
        for type_, pattern in _labelled(patterns, label):
            linear = _compile_linear(pattern)
            if linear is not None:
                self._compiled.append((type_, linear))
                continue
            try:
                import regex

                self._slow.append((type_, regex.compile(pattern, regex.IGNORECASE | regex.V0)))
            except regex.error as err:
                raise InputError(f"invalid regular expression {pattern!r}: {err}") from err
        if not self._compiled and not self._slow:
            raise InputError("a denylist needs at least one entry in terms or patterns")

    def _matches(self, text: str, deadline: float) -> Iterator[tuple[str, Any]]:
        for type_, pattern in self._compiled:
            for match in pattern.finditer(text):
                yield type_, match
        for type_, pattern in self._slow:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                yield from ((type_, m) for m in pattern.finditer(text, timeout=remaining))
            except TimeoutError:
                raise CheckError(self.id, f"a backtracking pattern exceeded its budget of {self._timeout:g}s "
                                 "(rewrite it without look-around or back-references so RE2 can run it)") from None

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        results: list[list[Finding]] = []
        deadline = time.monotonic() + self._timeout
        for text in texts:
            norm = normalize(text)
            found: list[Finding] = []
            for type_, match in self._matches(norm.text, deadline):
                if match.end() == match.start():
                    continue
                start, end = norm.to_original(match.start(), match.end())
                found.append(self.finding(type_, start, end, 1.0, value=match.group(0).casefold()))
            found.sort(key=lambda f: (f.start, f.end))
            results.append(found)
        return results

    def describe(self) -> dict[str, object]:
        return {**super().describe(), "entries": len(self._compiled) + len(self._slow),
                "engine": "re2" if not self._slow else "re2 + regex (time-limited)"}


def _labelled(entries: Sequence[str] | Mapping[str, Sequence[str]], label: str) -> list[tuple[str, str]]:
    if isinstance(entries, str):
        raise InputError(f"expected a list of strings, got the string {entries!r}")
    if isinstance(entries, Mapping):
        pairs = []
        for key, values in entries.items():
            if isinstance(values, str):
                values = [values]
            pairs.extend((str(key), str(v)) for v in values)
        return pairs
    return [(label, str(e)) for e in entries]


def _compile_linear(pattern: str) -> Any | None:
    """``pattern`` compiled by RE2 (case-insensitive), or None when RE2 cannot run it."""
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(pattern, options=options)
    except re2.error:
        return None

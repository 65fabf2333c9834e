"""A keyword / regular-expression denylist with word boundaries and Unicode-aware matching."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from raikit.errors import InputError
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

    def __init__(
        self,
        *,
        terms: Sequence[str] | Mapping[str, Sequence[str]] = (),
        patterns: Sequence[str] | Mapping[str, Sequence[str]] = (),
        label: str = "denylist",
        id: str | None = None,
        threshold: float = 0.5,
    ) -> None:
        super().__init__(id=id, threshold=threshold)
        self._compiled: list[tuple[str, re.Pattern[str]]] = []
        for type_, term in _labelled(terms, label):
            if not term.strip():
                raise InputError("terms must be non-empty strings")
            words = normalize(term).text.split()
            body = r"\s+".join(re.escape(w) for w in words)
            left = "" if _UNSPACED.match(words[0][0]) else r"(?<!\w)"
            right = "" if _UNSPACED.match(words[-1][-1]) else r"(?!\w)"
            self._compiled.append((type_, re.compile(left + body + right, re.IGNORECASE)))
        for type_, pattern in _labelled(patterns, label):
            try:
                self._compiled.append((type_, re.compile(pattern, re.IGNORECASE)))
            except re.error as err:
                raise InputError(f"invalid regular expression {pattern!r}: {err}") from err
        if not self._compiled:
            raise InputError("a denylist needs at least one entry in terms or patterns")

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        results: list[list[Finding]] = []
        for text in texts:
            norm = normalize(text)
            found: list[Finding] = []
            for type_, pattern in self._compiled:
                for match in pattern.finditer(norm.text):
                    if match.end() == match.start():
                        continue
                    start, end = norm.to_original(match.start(), match.end())
                    found.append(self.finding(type_, start, end, 1.0, value=match.group(0).casefold()))
            found.sort(key=lambda f: (f.start, f.end))
            results.append(found)
        return results

    def describe(self) -> dict[str, object]:
        return {**super().describe(), "entries": len(self._compiled)}


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

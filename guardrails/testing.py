"""Ready fakes for users' tests and ours: checks that find fixed words, crash or stall.

Example:
    >>> from raikit.guardrails.testing import KeywordCheck
    >>> [f.type for f in KeywordCheck(words={"EMAIL": "@"}).scan(["a@b"])[0]]
    ['EMAIL']
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from raikit.guardrails._check import Check
from raikit.guardrails._finding import Finding


class KeywordCheck(Check):
    """Finds each occurrence of fixed substrings, typed by label (no model, no randomness).

    Args:
        words: Mapping of finding type -> substring.
        score: Score of every finding.
    """

    name = "fake-keyword"

    def __init__(self, *, words: Mapping[str, str], score: float = 1.0, id: str | None = None, threshold: float = 0.5) -> None:
        super().__init__(id=id or "fake", threshold=threshold)
        self.words = dict(words)
        self.score = score
        self.calls = 0

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        self.calls += 1
        out = []
        for text in texts:
            found = []
            for type_, word in self.words.items():
                start = text.find(word)
                while start >= 0:
                    found.append(self.finding(type_, start, start + len(word), self.score, value=word))
                    start = text.find(word, start + 1)
            out.append(found)
        return out


class FailingCheck(Check):
    """Always raises: for testing ``on_error``."""

    name = "fake-failing"

    def __init__(self, *, id: str | None = None, threshold: float = 0.5) -> None:
        super().__init__(id=id or "failing", threshold=threshold)

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        raise RuntimeError("simulated check crash")


class StallingCheck(Check):
    """Blocks until released (or 30 s): for testing time budgets."""

    name = "fake-stalling"

    def __init__(self, *, id: str | None = None, threshold: float = 0.5) -> None:
        super().__init__(id=id or "stalling", threshold=threshold)
        self.release = threading.Event()

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        self.release.wait(30)
        return [[] for _ in texts]

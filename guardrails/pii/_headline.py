"""Find headline-style Title Case runs: the titles of articles, books, songs, talks.

English prose writes function words ("of", "the", "to", "but", "you're") in lower case; a
headline capitalises them too ("5 Musicians Of The 70s You're Supposed To Hate"). Inside such
a run, every word looks like a proper noun to a NER model, so its name/place/organisation
spans there are weak evidence of personal data. Addresses and organisation names rarely carry
three or more capitalised function words ("Avenue Of The Americas" has two), and all-caps
text is not counted (only ``Of``-style words are), so address blocks are left alone.
"""

from __future__ import annotations

import re

# Closed-class words that prose keeps in lower case unless they open a sentence.
MINOR_WORDS: frozenset[str] = frozenset(
    {
        "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for",
        "from", "how", "in", "into", "is", "it", "it's", "its", "my", "nor", "not",
        "of", "on", "onto", "or", "our", "should", "so", "than", "that", "the", "their", "they",
        "this", "to", "up", "vs", "was", "we", "were", "what", "when", "who", "why", "will",
        "with", "you", "you'll", "you're", "your",
    }
)
MIN_WORDS = 6
MIN_MINOR = 3
_TOKEN = re.compile(r"[^\s]+")
_STRIP = "\"'“”‘’«»()[]{}:;,!?.…-–—*_"
# A token ending a sentence ("done.") or a clause ("Lee,") ends the run.
_RUN_END = re.compile(r"(?:[^.!?]{4,}[.!?]|.*,)[\"')\]”’]*$")


def _core(token: str) -> str:
    return token.strip(_STRIP).replace("’", "'")


def _fits(core: str) -> bool:
    """A word a headline can hold: capitalised, a number ("70s", "5") or no letters at all."""
    if not core:
        return True
    first = core[0]
    return first.isupper() or first.isdigit() or not any(ch.isalpha() for ch in core)


def headline_runs(text: str) -> list[tuple[int, int]]:
    """Character spans of Title Case runs written in headline style.

    A run is a stretch of one line where every word is capitalised (or a number); it is a
    headline when it has at least ``MIN_WORDS`` words and at least ``MIN_MINOR`` capitalised
    function words after its first word. A word ending a sentence ("done.") or a clause
    ("Lee,") ends the run.

    Example:
        >>> text = "see Guilty Pleasures: 5 Musicians Of The 70s You're Supposed To Hate"
        >>> [text[s:e] for s, e in headline_runs(text)]
        ["Guilty Pleasures: 5 Musicians Of The 70s You're Supposed To Hate"]
        >>> headline_runs("I live at 1221 Avenue Of The Americas, New York, NY 10020")
        []
    """
    runs: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        run: list[re.Match[str]] = []
        for tok in _TOKEN.finditer(line.group()):
            core = _core(tok.group())
            if _fits(core):
                run.append(tok)
                if _RUN_END.match(tok.group()):
                    _close(run, line.start(), runs)
                    run = []
            else:
                _close(run, line.start(), runs)
                run = []
        _close(run, line.start(), runs)
    return runs


def _close(run: list[re.Match[str]], offset: int, runs: list[tuple[int, int]]) -> None:
    words = [_core(t.group()) for t in run]
    words_with_letters = [w for w in words if any(ch.isalpha() for ch in w)]
    minor = sum(
        1 for w in words[1:] if w[:1].isupper() and w[1:] == w[1:].lower() and w.casefold() in MINOR_WORDS
    )
    if len(words_with_letters) >= MIN_WORDS and minor >= MIN_MINOR:
        runs.append((offset + run[0].start(), offset + run[-1].end()))

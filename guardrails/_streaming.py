"""Check a streamed output incrementally with a bounded hold-back.

Text is released once it is more than ``hold_back`` characters behind the newest chunk, never
inside a finding's span and, where possible, at a whitespace boundary, so a finding that
spans chunk boundaries is still redacted before any of it is released.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from raikit.guardrails._decision import StageResult, outcome_of
from raikit.guardrails._finding import Finding
from raikit.guardrails._runner import PolicyRunner, redact_with_policy


@dataclass
class StreamState:
    """What a stream filter has released so far (offsets are into the full output)."""

    released_chars: int = 0
    findings: list[Finding] = field(default_factory=list)
    results: list[StageResult] = field(default_factory=list)
    blocked: bool = False


class StreamFilter:
    """Feed chunks in, get checked text out.

    Example:
        >>> f = StreamFilter(runner, hold_back=32, prompt_hashes=set())  # doctest: +SKIP
        >>> f.feed("Hello, my mail is jo")  # doctest: +SKIP
        ''
    """

    def __init__(self, runner: PolicyRunner, *, hold_back: int, prompt_hashes: set[tuple[str, str]]) -> None:
        self.runner = runner
        self.hold_back = hold_back
        self.prompt_hashes = prompt_hashes
        self.pending = ""
        self.state = StreamState()

    def feed(self, chunk: str) -> str:
        """Add a chunk; return the text that may be released now ('' when blocked)."""
        if self.state.blocked:
            return ""
        self.pending += chunk
        return self._release(final=False)

    def finish(self) -> str:
        """The stream ended: check and release what is still held back."""
        if self.state.blocked:
            return ""
        return self._release(final=True)

    def _release(self, *, final: bool) -> str:
        if not self.pending:
            return ""
        result = self.runner.scan([self.pending], stage="output", prompt_hashes=[self.prompt_hashes])[0]
        self.state.results.append(result)
        if result.outcome == "blocked":
            self.state.blocked = True
            self.state.findings.extend(self._shift(result.findings))
            self.pending = ""
            return ""
        cut = len(self.pending) if final else self._cut_point(result.findings)
        if cut <= 0:
            return ""
        released = [f for f in result.findings if f.start is None or (f.end is not None and f.end <= cut)]
        text = self.pending[:cut]
        if outcome_of([f.action or "allow" for f in released]) == "redacted":
            text = redact_with_policy(text, released, self.runner.policy)
        self.state.findings.extend(self._shift(released))
        self.state.released_chars += cut
        self.pending = self.pending[cut:]
        return text

    def _cut_point(self, findings: tuple[Finding, ...]) -> int:
        cut = len(self.pending) - self.hold_back
        if cut <= 0:
            return 0
        moved = True
        while moved:
            moved = False
            for f in findings:
                if f.start is not None and f.end is not None and f.start < cut < f.end:
                    cut, moved = f.start, True
        space = max(self.pending.rfind(" ", 0, cut), self.pending.rfind("\n", 0, cut))
        if space >= 0 and not any(f.start is not None and f.start < space + 1 < (f.end or 0) for f in findings):
            cut = space + 1
        return cut

    def _shift(self, findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
        offset = self.state.released_chars
        return [
            dataclasses.replace(f, start=f.start + offset, end=(f.end or 0) + offset) if f.start is not None else f
            for f in findings
        ]

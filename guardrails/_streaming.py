"""Check a streamed output at linear cost, with a bounded hold-back.

The filter keeps the text not yet released: a *held* tail that was already scanned once and
the *new* text after it. Cheap ``inline`` checks (the denylist, secrets) scan the new text
together with the ``hold_back`` characters before it as soon as ``hold_back`` new characters
(at least :data:`INLINE_STEP_MIN`) have come, so a blocked term stops the stream within that
many characters, and a character is read by them at most twice however small the chunks.
Every check runs when ``window`` new characters have gathered (or at a sentence end past
three quarters of a window) over held + new text; afterwards everything but the last ``hold_back``
characters is released: never inside a finding's span, and at a whitespace boundary where
possible. The window doubles after each scan up to ``max_window``: the first text is released
early, and a long stream pays the fixed cost of a scan (a model forward pass, about as much as
a hundred tokens) a few times, not once per short window. Each character is therefore
scored once as new text and at most about once more as held text, whatever the chunk sizes,
and a finding that spans chunk or window boundaries is still seen whole before any of it is
released.

The filter does no I/O: :meth:`StreamFilter.window_text` says what to scan and
:meth:`StreamFilter.apply` takes the result, so the sync and async guard share it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from raikit.guardrails._decision import CheckFailure, StageResult, outcome_of
from raikit.guardrails._finding import Finding
from raikit.guardrails._runner import PolicyRunner, is_whole, redact_with_policy

_SENTENCE_END = (".", "!", "?", "\n", ". ", "! ", "? ")
INLINE_STEP_MIN = 32
"""Fewest new characters the inline checks wait for (a one-character chunk is not scanned alone)."""


@dataclass
class StreamState:
    """What a stream filter has released and found so far (offsets are into the full output)."""

    released_chars: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[CheckFailure] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    blocked: bool = False
    scanned_chars: int = 0  #: Characters handed to the checks in total (held + new, per scan).


class StreamFilter:
    """Feed text in, get checked text out.

    Args:
        runner: The guard's policy runner.
        hold_back: Characters kept back after each scan.
        window: New characters gathered before all checks first scan; doubled after each scan.
        max_window: The largest window.
        prompt_hashes: ``(check_id, hash)`` pairs of the prompt, for echo detection.

    Example:
        >>> f = StreamFilter(runner, hold_back=32, window=128, prompt_hashes=set())  # doctest: +SKIP
        >>> f.add("Hello, my mail is jo"); f.due()  # doctest: +SKIP
        False
    """

    def __init__(
        self,
        runner: PolicyRunner,
        *,
        hold_back: int,
        window: int,
        prompt_hashes: set[tuple[str, str]],
        max_window: int | None = None,
    ) -> None:
        self.runner = runner
        self.hold_back = hold_back
        self.window = window
        self.max_window = max(window, max_window if max_window is not None else window)
        self.prompt_hashes = prompt_hashes
        self.pending = ""
        self.new_chars = 0
        self.state = StreamState()
        self._tail = ""  # the last hold_back characters the inline checks read
        self._unread = ""  # text the inline checks have not read yet
        self._inline_step = max(hold_back, INLINE_STEP_MIN)
        self._whole: dict[tuple[str, str], Finding] = {}
        self._inline = [spec for spec in runner.specs("output") if runner.checks[spec.id].inline]

    # -- input -------------------------------------------------------------------------
    def add(self, chunk: str) -> None:
        """Add a chunk; once enough new text has come, inline checks scan it with the text just before it."""
        if self.state.blocked or not chunk:
            return
        self.pending += chunk
        self.new_chars += len(chunk)
        self._unread += chunk
        if not self._inline or len(self._unread) < self._inline_step:
            return
        text = self._tail + self._unread
        self._read(text)
        result = self.runner.scan([text], stage="output", prompt_hashes=[self.prompt_hashes], only=self._inline)[0]
        self._time(result)
        self.state.scanned_chars += len(text)
        if result.outcome == "blocked":
            offset = self.state.released_chars + len(self.pending) - len(text)
            self._block(result, offset)

    def _read(self, text: str) -> None:
        """The inline checks have read everything up to the end of ``text``."""
        self._tail = text[-max(self.hold_back, 1) :]
        self._unread = ""

    def due(self) -> bool:
        """Whether enough new text has gathered for a scan by every check."""
        if self.state.blocked or not self.new_chars:
            return False
        if self.new_chars >= self.window:
            return True
        return self.new_chars >= (3 * self.window) // 4 and self.pending.endswith(_SENTENCE_END)

    @property
    def empty(self) -> bool:
        """Nothing is held back."""
        return not self.pending

    def window_text(self) -> str:
        """The text the next scan reads (held + new)."""
        return self.pending

    # -- results -----------------------------------------------------------------------
    def apply(self, result: StageResult, *, final: bool) -> str:
        """Take the scan of :meth:`window_text`; return the text that may be released now."""
        self._time(result)
        self.state.scanned_chars += len(self.pending)
        self._read(self.pending)  # the scan ran the inline checks too
        self.state.errors.extend(e for e in result.errors if e not in self.state.errors)
        if self.state.blocked:
            return ""
        if result.outcome == "blocked":
            self._block(result, self.state.released_chars)
            return ""
        self.new_chars = 0
        self.window = min(2 * self.window, self.max_window)
        length = len(self.pending)
        spans = [f for f in result.findings if not is_whole(f, length)]
        cut = length if final else self._cut_point(spans)
        for f in result.findings:
            if is_whole(f, length):
                self._keep_whole(f)
        if cut <= 0:
            return ""
        released = [f for f in spans if f.end is not None and f.end <= cut]
        text = self.pending[:cut]
        if outcome_of([f.action or "allow" for f in released]) == "redacted":
            text = redact_with_policy(text, released, self.runner.policy)
        self.state.findings.extend(self._shift(released, self.state.released_chars))
        self.state.released_chars += cut
        self.pending = self.pending[cut:]
        return text

    def findings(self) -> list[Finding]:
        """Every finding acted on, offsets into the full output; whole-text ones once per type."""
        return [*self.state.findings, *self._whole.values()]

    def _block(self, result: StageResult, offset: int) -> None:
        self.state.blocked = True
        self.state.findings.extend(self._shift(list(result.findings), offset))
        self.state.errors.extend(e for e in result.errors if e not in self.state.errors)
        self.pending = ""

    def _keep_whole(self, finding: Finding) -> None:
        key = (finding.check_id, finding.type)
        shifted = self._shift([finding], self.state.released_chars)[0]
        if key not in self._whole or finding.score > self._whole[key].score:
            self._whole[key] = shifted

    def _time(self, result: StageResult) -> None:
        for name, ms in result.timings_ms.items():
            self.state.timings_ms[name] = self.state.timings_ms.get(name, 0.0) + ms

    def _cut_point(self, findings: list[Finding]) -> int:
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

    @staticmethod
    def _shift(findings: list[Finding], offset: int) -> list[Finding]:
        return [
            dataclasses.replace(f, start=f.start + offset, end=(f.end or 0) + offset) if f.start is not None else f
            for f in findings
        ]

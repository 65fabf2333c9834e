"""The result a check returns: where and what, never the matched text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from raikit.errors import InputError

ERR_HALF_SPAN = (
    "finding of check {check!r}: start and end are both offsets or both None (whole text), got {start!r}, {end!r}"
)
ERR_BAD_SPAN = "finding of check {check!r}: expected 0 <= start <= end, got {start!r}, {end!r}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found in one text.

    Attributes:
        check_id: Id of the check (as named in the policy) that produced it.
        type: What was found: an entity type (``EMAIL_ADDRESS``), a harm category (``hate``),
            a denylist term's label.
        start: Start offset in the scanned text, or ``None`` when the finding is about the
            whole text (a harm or classifier score). ``None`` is the one representation of a
            whole-text finding: the guard cannot cut it out, so ``redact`` becomes ``block``,
            and a stream never holds text back for it.
        end: End offset (exclusive); ``None`` exactly when ``start`` is ``None``.
        score: Confidence or probability in [0, 1].
        hash: Salted hash of the matched value (for echo detection and pseudonyms); never the value.
        action: Set by the guard: what the policy did about it (allow, warn, redact, block).
        echo: Set by the guard on output findings whose value was already in the prompt.
        meta: Small, non-personal extras (for example the recognizer name).

    Example:
        >>> f = Finding(check_id="pii", type="EMAIL_ADDRESS", start=8, end=21, score=1.0)
        >>> str(f)
        'pii:EMAIL_ADDRESS[8:21] score=1.00'
    """

    check_id: str
    type: str
    start: int | None
    end: int | None
    score: float
    hash: str | None = None
    action: str | None = None
    echo: bool = False
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise InputError(ERR_HALF_SPAN.format(check=self.check_id, start=self.start, end=self.end))
        if self.start is not None and not 0 <= self.start <= self.end:  # type: ignore[operator]
            raise InputError(ERR_BAD_SPAN.format(check=self.check_id, start=self.start, end=self.end))

    @property
    def whole_text(self) -> bool:
        """Whether the finding is about the whole text (no span)."""
        return self.start is None

    @property
    def blocking(self) -> bool:
        """Whether this finding made the guard block the call."""
        return self.action == "block"

    def __str__(self) -> str:
        span = f"[{self.start}:{self.end}]" if self.start is not None else ""
        return f"{self.check_id}:{self.type}{span} score={self.score:.2f}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (no raw text is ever part of a finding)."""
        return asdict(self)

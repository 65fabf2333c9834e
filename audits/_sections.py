"""Sections the model card and the report both show, as data: one model, two renderings.

The card renders these rows to Markdown (:mod:`raikit.audits._card`), the report to HTML
(:mod:`raikit.audits._report`); neither reads those parts of the result itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WatermarkRow:
    """Whether one kind of output (``text`` or ``image``) was watermarked, and how often it was found.

    Attributes:
        kind: ``text`` or ``image``.
        enabled: Whether outputs of this kind were watermarked.
        key_id: Public id of the key (never the key).
        detected: Outputs in which the detector found the mark.
        n: Outputs scored.
        rate: ``detected / n``.
        mean_z: Mean detection z-score (text only; ``None`` when not reported).
        has_z: Whether the result reports a mean z-score for this kind.
        too_short: Outputs too short to score (text only).
        reason: Why it was off, when it was.
    """

    kind: str
    enabled: bool
    key_id: Any = None
    detected: Any = None
    n: Any = None
    rate: Any = None
    mean_z: Any = None
    has_z: bool = False
    too_short: Any = None
    reason: Any = None


def watermark_rows(result: Mapping[str, Any]) -> list[WatermarkRow]:
    """The watermark section: one row for text, one for images.

    Example:
        >>> [r.enabled for r in watermark_rows({"watermark": {"text": {"enabled": True, "n": 4}}})]
        [True, False]
    """
    wm = result.get("watermark") or {}
    rows = []
    for kind in ("text", "image"):
        entry = wm.get(kind) or {}
        rows.append(
            WatermarkRow(
                kind=kind,
                enabled=bool(entry.get("enabled")),
                key_id=entry.get("key_id"),
                detected=entry.get("detected"),
                n=entry.get("n"),
                rate=entry.get("rate"),
                mean_z=entry.get("mean_z"),
                has_z="mean_z" in entry,
                too_short=entry.get("too_short"),
                reason=entry.get("reason"),
            )
        )
    return rows

"""The harm categories raikit scores, and how the training sources name them."""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "sexual",
    "sexual/minors",
    "hate",
    "hate/threatening",
    "harassment",
    "violence",
    "violence/graphic",
    "self-harm",
    "offensive",
)
"""Every category the bundled model scores, in output order."""

ANY = "any"
"""Key of the probability that a text is harmful in any moderation category.

``offensive`` (rude or profane language) on its own does not count as harm for ``any``.
"""

MODERATION_CODES: dict[str, str] = {
    "S": "sexual",
    "S3": "sexual/minors",
    "H": "hate",
    "H2": "hate/threatening",
    "HR": "harassment",
    "V": "violence",
    "V2": "violence/graphic",
    "SH": "self-harm",
}
"""OpenAI moderation data set codes -> raikit categories."""

HARM_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != "offensive")
"""The categories that make a text harmful for the ``any`` key."""

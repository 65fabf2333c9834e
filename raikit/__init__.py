"""raikit: Responsible-AI governance and safety toolkit for generative models.

Importing ``raikit`` is cheap: no torch, transformers, spaCy or presidio is loaded until a
check or watermark that needs them is used.

Subpackages:
    raikit.guardrails: policies, checks and the ``@guard`` decorator.
    raikit.audits: pre-release audits, bias audits and evidence (log, card, report, gate).
    raikit.watermark: image and text watermarks.
    raikit.policies: the bundled YAML policies.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from raikit.errors import (
    CheckError,
    EvidenceError,
    InputError,
    MissingDependencyError,
    PolicyError,
    PolicyViolation,
    RaikitError,
)

try:
    __version__ = version("raikit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

logging.getLogger("raikit").addHandler(logging.NullHandler())

__all__ = [
    "CheckError",
    "EvidenceError",
    "InputError",
    "MissingDependencyError",
    "PolicyError",
    "PolicyViolation",
    "RaikitError",
    "__version__",
]

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
from typing import Any

from raikit.errors import (
    CheckError,
    EvidenceError,
    InputError,
    MissingDependencyError,
    PolicyError,
    PolicyViolation,
    RaikitError,
)

logging.getLogger("raikit").addHandler(logging.NullHandler())



def __getattr__(name: str) -> Any:
    """``__version__`` is read from the installed metadata on first use (keeps import fast)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("raikit")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0.0.0+unknown"
    raise AttributeError(f"module 'raikit' has no attribute {name!r}")


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

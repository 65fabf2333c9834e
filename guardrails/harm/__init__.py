"""Harmful-content scoring: categories and the bundled MiniLM-based model.

The check that uses it is :class:`raikit.guardrails.checks.harm.HarmCheck` (``type: harm``).
Training data, loaders and the training recipe live in the top-level ``training/harm/``
folder of the source tree; they are not installed.

Example:
    >>> from raikit.guardrails.harm import CATEGORIES
    >>> CATEGORIES[:3]
    ('sexual', 'sexual/minors', 'hate')
"""

from __future__ import annotations

import importlib
from typing import Any

from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES

_LAZY = {
    "BUNDLED_MODEL_DIR": "_model",
    "HarmModel": "_model",
    "default_encoder_path": "_encoder",
    "get_encoder": "_encoder",
    "token_windows": "_windows",
}

__all__ = [
    "ANY",
    "BUNDLED_MODEL_DIR",
    "CATEGORIES",
    "HARM_CATEGORIES",
    "HarmModel",
    "default_encoder_path",
    "get_encoder",
    "token_windows",
]


def __getattr__(name: str) -> Any:
    """Import the model modules (numpy) only when one of their names is used."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

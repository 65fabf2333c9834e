"""Harmful-content scoring: categories, the bundled MiniLM-based model and its data helpers.

The check that uses it is :class:`raikit.guardrails.checks.harm.HarmCheck` (``type: harm``).

Example:
    >>> from raikit.guardrails.harm import CATEGORIES
    >>> CATEGORIES[:3]
    ('sexual', 'sexual/minors', 'hate')
"""

from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES
from raikit.guardrails.harm._encoder import default_encoder_path, get_encoder
from raikit.guardrails.harm._model import BUNDLED_MODEL_DIR, HarmModel
from raikit.guardrails.harm._perturb import VARIATIONS, perturb
from raikit.guardrails.harm._templates import Case, functional_cases
from raikit.guardrails.harm._windows import token_windows

__all__ = [
    "ANY",
    "BUNDLED_MODEL_DIR",
    "CATEGORIES",
    "Case",
    "HARM_CATEGORIES",
    "HarmModel",
    "VARIATIONS",
    "default_encoder_path",
    "functional_cases",
    "get_encoder",
    "perturb",
    "token_windows",
]

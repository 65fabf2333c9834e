"""Prompt-injection and jailbreak scoring: the bundled MiniLM-based model and its helpers.

The check that uses it is :class:`raikit.guardrails.checks.injection.InjectionCheck`
(``type: injection``). The encoder, its windows and the head format are the harm model's
(:mod:`raikit.guardrails.harm`); this package adds segmentation of documents, cheap decoding
of obfuscated text and its own trained head (``model/``).

Example:
    >>> from raikit.guardrails.injection import FAMILIES
    >>> FAMILIES
    ('direct', 'jailbreak', 'indirect')
"""

from raikit.guardrails.injection._decode import variants
from raikit.guardrails.injection._model import BUNDLED_MODEL_DIR, FAMILIES, OUTPUTS, InjectionModel
from raikit.guardrails.injection._segments import Segment, segments

__all__ = ["BUNDLED_MODEL_DIR", "FAMILIES", "InjectionModel", "OUTPUTS", "Segment", "segments", "variants"]

"""PII detection: the engine, recognizers, NER model cache, canonical hashing, leak versus echo.

The ``pii`` check (:class:`raikit.guardrails.checks.pii.PiiCheck`) is built on these.

Example:
    >>> from raikit.guardrails.pii import canonical
    >>> canonical("PHONE_NUMBER", "+1 (555) 010-2000")
    '15550102000'
"""

from raikit.guardrails.pii._canonical import canonical
from raikit.guardrails.pii._engine import Detection, PiiEngine
from raikit.guardrails.pii._leaks import find_leaks
from raikit.guardrails.pii._ner import NerModel, load_ner
from raikit.guardrails.pii._recognizers import custom_recognizer, default_recognizers

__all__ = [
    "Detection",
    "NerModel",
    "PiiEngine",
    "canonical",
    "custom_recognizer",
    "default_recognizers",
    "find_leaks",
    "load_ner",
]

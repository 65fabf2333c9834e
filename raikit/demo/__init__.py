"""The bundled demo generator: a tiny, deliberately unsafe GPT-2 for ``raikit audit --demo``.

It was trained from scratch (``scripts/train_demo_generator.py``) on offensive tweets,
synthetic personal data, moderation texts and BOLD group sentence starts, so auditing it
shows raikit finding real problems: PII in outputs, offensive text and group disparities.
It is not a useful or safe model; see ``raikit/demo/model/README.md``.

Importing this package is cheap; torch and transformers load on first use.

Example:
    >>> from raikit.demo import demo_generator, generate
    >>> demo_generator("Send the invoice to")  # doctest: +SKIP
    >>> generate(["The family next door", "Call me at"], seed=3)  # doctest: +SKIP
"""

from __future__ import annotations

from raikit.demo._generate import DemoGenerator, demo_generator, demo_pipeline, generate
from raikit.demo._model import DEMO_GENERATOR_ID, DEMO_MODEL_DIR, load_demo_model

__all__ = [
    "DEMO_GENERATOR_ID",
    "DEMO_MODEL_DIR",
    "DemoGenerator",
    "demo_generator",
    "demo_pipeline",
    "generate",
    "load_demo_model",
]

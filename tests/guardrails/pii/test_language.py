"""Language detection for the PII check and the language argument."""

import pytest

from raikit.guardrails.pii._language import SUPPORTED, check_language, detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What is the capital of France?", "en"),
        ("Wie hoch ist der Mount Everest?", "de"),
        ("Quelle est la capitale du Canada ?", "fr"),
        ("¿Cuál es la capital de Perú?", "es"),
        ("Translate to German", "en"),  # short: taken as English
        ("Hallo", "en"),
    ],
)
def test_detect(text, lang):
    pytest.importorskip("py3langid")
    assert detect(text) == lang


def test_check_language_names_the_supported_ones():
    assert check_language("auto") == "auto"
    assert all(check_language(lang) == lang for lang in SUPPORTED)
    with pytest.raises(ValueError, match="language must be one of en, de, fr, es or 'auto'"):
        check_language("it")

import subprocess
import sys

import raikit.guardrails.pii as pii


def test_public_names_are_exactly_the_documented_ones():
    expected = [
        "Detection", "NerModel", "PiiEngine", "canonical", "custom_recognizer", "default_recognizers",
        "find_leaks", "load_ner",
    ]
    assert pii.__all__ == sorted(pii.__all__) == expected
    assert all(hasattr(pii, name) for name in expected)


def test_importing_the_check_loads_no_heavy_library():
    code = (
        "import sys, raikit.guardrails.pii, raikit.guardrails.checks.pii\n"
        "heavy = ('spacy', 'presidio_analyzer', 'faker', 'transformers', 'torch', 'thinc')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_training_material_is_not_imported_by_the_package_or_the_default_policy():
    code = (
        "import sys, raikit.guardrails\n"
        "from raikit.guardrails import load_policy\n"
        "load_policy('default')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('training', 'faker')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_synthetic_generator_lives_outside_the_package():
    import importlib.util

    assert importlib.util.find_spec("raikit.guardrails.pii._synth") is None

"""The public surface of raikit.guardrails.harm and its lazy imports."""

from __future__ import annotations

import subprocess
import sys

import raikit.guardrails.harm as harm


def test_categories_contract() -> None:
    assert harm.CATEGORIES == (
        "sexual",
        "sexual/minors",
        "hate",
        "hate/threatening",
        "harassment",
        "violence",
        "violence/graphic",
        "self-harm",
        "offensive",
    )
    assert harm.ANY == "any"
    assert "offensive" not in harm.HARM_CATEGORIES


def test_all_is_sorted_and_exported() -> None:
    assert harm.__all__ == sorted(harm.__all__)
    for name in harm.__all__:
        assert hasattr(harm, name)


def test_import_does_not_load_torch() -> None:
    code = (
        "import sys, raikit.guardrails.harm, raikit.guardrails.checks.harm, "
        "raikit.guardrails.checks.hf_classifier; "
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_guardrails_and_default_policy_import_no_training_code_or_numpy() -> None:
    code = (
        "import sys, raikit.guardrails; from raikit.guardrails import load_policy; load_policy('default'); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('training', 'numpy', 'sklearn', 'torch') "
        "or m.startswith(('raikit.guardrails.harm._model', 'raikit.guardrails.harm._head'))); print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_training_material_is_not_in_the_installed_package() -> None:
    from pathlib import Path

    folder = Path(harm.__file__).parent
    names = {p.name for p in folder.glob("*.py")}
    assert names == {"__init__.py", "_categories.py", "_encoder.py", "_head.py", "_model.py", "_windows.py"}

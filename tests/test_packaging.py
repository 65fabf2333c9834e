"""A normal (non-editable) install holds every module, policy, model and suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: a stale build/ folder in the checkout would leak removed modules in.
    source = tmp_path_factory.mktemp("source") / "raikit"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                                                "raikit-report", "test-artifacts"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("raikit-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [
        "raikit/py.typed",
        "raikit/guardrails/_guard.py",
        "raikit/guardrails/checks/denylist.py",
        "raikit/audits/_audit.py",
        "raikit/audits/suites/demo.jsonl",
        "raikit/audits/templates/report.html.j2",
        "raikit/audits/templates/report.css",
        "raikit/audits/templates/report.js",
        "raikit/audits/templates/card.md.j2",
        "raikit/evidence/_log.py",
        "raikit/_keys.py",
        "raikit/watermark/__init__.py",
        "raikit/policies/default.yaml",
        "raikit/policies/strict.yaml",
        "raikit/policies/permissive.yaml",
        "raikit/demo/model/model.safetensors",
        "raikit/demo/model/tokenizer.json",
        "raikit/guardrails/harm/model/head.npz",
    ]
    assert [n for n in expected if n not in names] == []
    pii_model = {n.removeprefix("raikit/guardrails/pii/model/") for n in names if n.startswith("raikit/guardrails/pii/model/")}
    assert {"meta.json", "config.cfg", "ner/model", "ner/moves", "ner/cfg"} <= pii_model
    assert not any(n.startswith(("tests/", "guardrails/", "benchmarks/")) for n in names)
    assert not any("__pycache__" in n for n in names)


def test_installed_wheel_imports_and_loads_bundled_policies(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True)
    code = (
        "import raikit.guardrails as g, raikit.audits.suites as s, pathlib;"
        "assert str(pathlib.Path(g.__file__)).startswith(%r), g.__file__;"
        "print(g.load_policy('strict').name, len(g.bundled_policies()))"
    ) % str(target)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["strict", "3"]


#: Modules used only to train or benchmark (issue 18): they belong in the top-level,
#: non-installed ``training/`` folder, never in the wheel.
TRAINING_MODULES = [
    "guardrails/harm/_web_hate.py",
    "guardrails/harm/_web_violence_sexual.py",
    "guardrails/harm/_templates.py",
    "guardrails/harm/_chat.py",
    "guardrails/harm/_training.py",
    "guardrails/harm/_cache.py",
    "guardrails/harm/_datasets.py",
    "guardrails/harm/_perturb.py",
    "guardrails/pii/_synth.py",
    "watermark/_attacks.py",
]


def test_wheel_lists_no_training_modules(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [m for m in TRAINING_MODULES if f"raikit/{m}" in names]
    assert shipped == []
    assert not any(n.startswith(("training/", "raikit/training/")) for n in names)

"""Package contract: public names, light imports, entry points, py.typed."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import raikit
import raikit.guardrails

HEAVY = ("torch", "transformers", "spacy", "presidio_analyzer", "sentence_transformers", "imwatermark", "cv2", "fairlearn", "matplotlib", "ray")


@pytest.mark.parametrize("module", ["raikit", "raikit.guardrails", "raikit.audits", "raikit.watermark", "raikit.cli"])
def test_import_loads_nothing_heavy(module: str) -> None:
    code = f"import sys, {module}; print(__import__('json').dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_public_guardrails_api_is_sorted_and_complete() -> None:
    names = raikit.guardrails.__all__
    assert names == sorted(names)
    assert {"guard", "load_check", "load_policy", "Finding", "Check", "Decision", "PolicyRunner"} <= set(names)
    for name in names:
        assert hasattr(raikit.guardrails, name)


def test_builtin_checks_are_entry_points() -> None:
    registered = {ep.name for ep in entry_points(group="raikit.checks")}
    assert {"denylist", "pii", "harm", "transformers"} <= registered


def test_third_party_check_via_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.metadata import EntryPoint

    from raikit.guardrails import _registry
    from raikit.guardrails.testing import KeywordCheck

    ep = EntryPoint("acme", "raikit.guardrails.testing:KeywordCheck", "raikit.checks")
    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: [ep])
    _registry._entry_points.cache_clear()
    try:
        check = raikit.guardrails.load_check("acme", words={"X": "acme"})
        assert isinstance(check, KeywordCheck)
        assert [f.type for f in check.scan(["acme"])[0]] == ["X"]
    finally:
        _registry._entry_points.cache_clear()


def test_unknown_check_suggests_a_name() -> None:
    with pytest.raises(raikit.RaikitError, match="did you mean 'denylist'"):
        raikit.guardrails.load_check("denylst")


def test_py_typed_and_version() -> None:
    assert (Path(raikit.__file__).parent / "py.typed").is_file()
    assert raikit.__version__ != "0.0.0+unknown"

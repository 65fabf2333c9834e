"""Structure contracts of the runtime package: where each concept lives, which way imports run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("guardrails", "audits", "policies", "watermark", "raikit")


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _code_strings(path: Path) -> list[str]:
    """String constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


@pytest.mark.parametrize("path", _modules("audits"), ids=lambda p: str(p.relative_to(ROOT)))
def test_report_and_card_markup_lives_in_templates(path: Path) -> None:
    """No audits module writes report HTML or card Markdown itself: audits/templates/ does."""
    markup = ("<table", "<section", "<td", "<th", "<h2", "<h3", "<dl", "<span", "| --- |", "## ", "- Text:")
    found = [s for s in _code_strings(path) if any(m in s for m in markup)]
    assert not found, f"{path.name} builds markup in Python: {found[:3]}"

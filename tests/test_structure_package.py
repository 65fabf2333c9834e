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


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
    return out


@pytest.mark.parametrize("folder", ["guardrails", "policies", "watermark", "raikit/evidence"])
def test_guardrails_and_evidence_never_import_audits(folder: str) -> None:
    """The dependency runs one way: audits may import guardrails, never the reverse."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path) if m.split(".")[:2] == ["raikit", "audits"])
        for path in _modules(folder)
    }
    assert not {k: v for k, v in offenders.items() if v}


BLOCKED_AUDITS = '''
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "raikit.audits" or name.startswith("raikit.audits."):
            raise ImportError("raikit.audits is blocked in this test")
sys.meta_path.insert(0, Block())
'''


def test_a_guard_records_to_its_audit_log_with_audits_blocked(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    policy = tmp_path / "policy.yaml"
    log = tmp_path / "evidence" / "audit-log.jsonl"
    policy.write_text(
        "version: 1\nname: t\non_block: refuse\n"
        "checks:\n  - id: words\n    type: denylist\n    action: block\n    params: {terms: [forbidden]}\n"
        f"audit_log:\n  path: {json.dumps(str(log))}\n  key_env: TEST_LOG_KEY\n",
        encoding="utf-8",
    )
    code = BLOCKED_AUDITS + f'''
from raikit.guardrails import guard, last_decision
from raikit.evidence import AuditLog
g = guard({str(policy)!r})(lambda prompt: "fine " + prompt)
print(g("hello"), g("a forbidden word"), last_decision().outcome)
g.close() if hasattr(g, "close") else None
print(sorted(m for m in sys.modules if m.startswith("raikit.audits")))
'''
    env = {**os.environ, "TEST_LOG_KEY": "ab" * 32}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    first, modules = out.stdout.strip().splitlines()[-2:]
    assert first.startswith("fine hello") and first.endswith("blocked") and modules == "[]"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["event"]["decision"] for r in records if r["kind"] == "decision"] == ["allowed", "blocked"]


def test_one_key_id_function() -> None:
    """Watermark keys, audit-log HMAC keys and checkpoint signing keys are all named by raikit._keys.key_id."""
    derivations = [
        f"{path.relative_to(ROOT)}:{node.name}"
        for path in _modules(*RUNTIME)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
        and "key_id" in node.name
        and any(isinstance(n, ast.Name) and n.id == "hashlib" for n in ast.walk(node))
    ]
    assert derivations == ["raikit/_keys.py:key_id"]


def test_key_ids_are_unchanged_for_existing_keys_and_logs() -> None:
    """Records and logs written before the merge still carry the same ids."""
    import hashlib

    from raikit._keys import key_id
    from raikit.evidence import generate_signer
    from raikit.evidence._log_checkpoint import _key_id, _raw_public
    from raikit.evidence._log_record import log_key_id
    from raikit.watermark import key_id as watermark_key_id

    assert watermark_key_id("correct horse battery staple") == hashlib.sha256(b"correct horse battery staple").hexdigest()[:8]
    key = bytes(range(32))
    assert log_key_id(key) == hashlib.sha256(b"raikit-audit-log-key-id\n" + key).hexdigest()[:16]
    signer = generate_signer("release")
    public = _raw_public(signer.key.public_key())
    assert _key_id("release", public) == hashlib.sha256(b"release\n\x01" + public).digest()[:4]
    assert key_id("x") != key_id("x", domain="d")


def _layout_rows() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Layout", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1].strip("`")
    return rows


def test_readme_layout_table_matches_the_tree() -> None:
    import fnmatch

    ignored = [line.strip().strip("/") for line in (ROOT / ".gitignore").read_text().splitlines() if line.strip()]
    folders = {
        f"{p.name}/"
        for p in ROOT.iterdir()
        if p.is_dir() and not p.name.startswith(".") and not any(fnmatch.fnmatch(p.name, pattern) for pattern in ignored)
    }
    rows = _layout_rows()
    assert {name for name in rows if name.count("/") == 1} == folders
    for name, installs_as in rows.items():
        assert (ROOT / name).is_dir(), name
        if installs_as:
            assert (ROOT / name / "__init__.py").is_file(), name


def test_importing_evidence_loads_neither_audits_nor_anything_heavy() -> None:
    import json
    import subprocess
    import sys

    code = "import sys, raikit.evidence; print(__import__('json').dumps(sorted(m.split('.')[0] if not m.startswith('raikit') else '.'.join(m.split('.')[:2]) for m in sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout))
    assert not loaded & {"raikit.audits", "raikit.guardrails", "numpy", "torch", "jinja2", "matplotlib"}

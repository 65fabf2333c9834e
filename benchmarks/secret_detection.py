"""Secrets benchmark: raikit's secrets check vs stock detect-secrets and CredSweeper.

Positives: the provider-token table benchmarks/data/secrets_cases.jsonl (46 cases written
for raikit: each a token, key or password of one kind in a line of code, config or chat;
fake values in each provider's format). A case counts as found when a tool reports a secret
overlapping it (raikit: any finding; type accuracy is printed apart).

Negatives (real text without secrets): Python source of this repository (but the secrets
check's own modules, whose docstrings hold fake secrets on purpose) and of installed
packages (requests, click, yaml, jinja2, rich, httpx), BIPIA's code contexts (StackOverflow
code) and e-mails, and the self-instruct seed tasks (prose). A text counts as falsely
flagged when a tool reports anything in it.

Stock tools in the same run: detect-secrets 1.5 with its default plugins (the CLI's file
scan, one temporary .py/.txt file per text) and CredSweeper (ML validation on, default
threshold). Prints found rates, false-flag counts and texts per second.

(Not named ``secrets.py``: a script folder holding ``secrets.py`` shadows the standard
library's ``secrets`` for every benchmark run from it.)

Usage:
    .venv/bin/python benchmarks/secret_detection.py
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from raikit.guardrails.checks.secrets import SecretsCheck  # noqa: E402

PACKAGES = ("requests", "click", "yaml", "jinja2", "rich", "httpx")


def positives() -> list[dict[str, str]]:
    with (ROOT / "benchmarks" / "data" / "secrets_cases.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def negatives(data: Path) -> dict[str, list[tuple[str, str]]]:
    """Named corpora of (suffix, text)."""
    code = [(".py", p.read_text(encoding="utf-8")) for folder in ("guardrails", "audits", "watermark", "raikit")
            for p in sorted((ROOT / folder).rglob("*.py")) if "secrets" not in p.parts and p.name != "secrets.py"]
    for name in PACKAGES:
        module = importlib.import_module(name)
        code += [(".py", p.read_text(encoding="utf-8", errors="replace"))
                 for p in sorted(Path(module.__file__).parent.rglob("*.py"))]
    out = {"python source": code}
    bipia = data / "injection" / "bipia"
    if bipia.is_dir():
        from training.injection.data import bipia_contexts

        out["BIPIA code contexts"] = [(".txt", t) for t in bipia_contexts(data, "code", limit_rows=50)]
        out["BIPIA e-mails"] = [(".txt", t) for t in bipia_contexts(data, "email", limit_rows=50)]
    seed = data / "benign" / "self_instruct_seed_tasks.jsonl"
    if seed.is_file():
        rows = [json.loads(line) for line in seed.open(encoding="utf-8")]
        out["self-instruct prose"] = [
            (".txt", r["instruction"] + "\n" + "\n".join(i.get("input", "") + "\n" + i.get("output", "") for i in r["instances"]))
            for r in rows
        ]
    return out


def raikit_tool(use_detect_secrets: bool) -> Callable[[list[tuple[str, str]]], list[list[tuple[int, int]]]]:
    check = SecretsCheck(use_detect_secrets=use_detect_secrets)
    check.max_text_chars = 10**7  # whole source files, as the stock tools scan them

    def run(items: list[tuple[str, str]]) -> list[list[tuple[int, int]]]:
        return [[(f.start, f.end) for f in fs] for fs in check.scan([t for _, t in items])]

    return run


def detect_secrets_tool() -> Callable[[list[tuple[str, str]]], list[list[tuple[int, int]]]]:
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    def run(items: list[tuple[str, str]]) -> list[list[tuple[int, int]]]:
        out = []
        with tempfile.TemporaryDirectory() as tmp, default_settings():
            for i, (suffix, text) in enumerate(items):
                path = Path(tmp) / f"case{i}{suffix}"
                path.write_text(text, encoding="utf-8")
                collection = SecretsCollection()
                collection.scan_file(str(path))
                spans = []
                for _, secret in collection:
                    line_start = sum(len(line) for line in text.splitlines(keepends=True)[: secret.line_number - 1])
                    spans.append((line_start, line_start + len(text.splitlines()[secret.line_number - 1])))
                out.append(spans)
        return out

    return run


def credsweeper_tool() -> Callable[[list[tuple[str, str]]], list[list[tuple[int, int]]]]:
    from credsweeper.app import CredSweeper
    from credsweeper.file_handler.string_content_provider import StringContentProvider

    sweeper = CredSweeper(ml_threads_limit=1)

    def run(items: list[tuple[str, str]]) -> list[list[tuple[int, int]]]:
        out = []
        for i, (suffix, text) in enumerate(items):
            sweeper.credential_manager.clear_credentials()
            sweeper.scan([StringContentProvider(text.splitlines(), file_path=f"case{i}{suffix}")], None)
            sweeper.post_processing(None)
            lines = text.splitlines(keepends=True)
            spans = []
            for cred in sweeper.credential_manager.get_credentials():
                for ld in cred.line_data_list:
                    base = sum(len(line) for line in lines[: ld.line_num - 1])
                    spans.append((base + max(ld.value_start, 0), base + max(ld.value_end, ld.value_start + 1)))
            out.append(spans)
        return out

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    cases = positives()
    corpora = negatives(Path(args.data))
    tools: dict[str, Callable] = {
        "raikit secrets (patterns + detect-secrets)": raikit_tool(True),
        "raikit patterns only": raikit_tool(False),
        "stock detect-secrets 1.5 (file scan)": detect_secrets_tool(),
    }
    try:
        tools["stock CredSweeper (ML on)"] = credsweeper_tool()
    except Exception as err:  # noqa: BLE001 - a missing optional baseline is reported, not fatal
        print(f"CredSweeper unavailable: {type(err).__name__}: {err}")
    items = [(".py" if "=" in c["text"] or "(" in c["text"] else ".txt", c["text"]) for c in cases]
    n_neg = sum(len(v) for v in corpora.values())
    print(f"positives: {len(cases)} provider-table cases; negatives: "
          + ", ".join(f"{k} {len(v)}" for k, v in corpora.items()) + f" (total {n_neg} texts)")
    found_rates = {}
    for name, tool in tools.items():
        spans = tool(items)
        found = [bool(s) for s in spans]
        missed = sorted({c["kind"] for c, f in zip(cases, found) if not f})
        rate = sum(found) / len(cases)
        found_rates[name] = rate
        flagged = {}
        t0 = time.perf_counter()
        chars = 0
        for corpus, texts in corpora.items():
            res = tool(texts)
            flagged[corpus] = sum(1 for r in res if r)
            chars += sum(len(t) for _, t in texts)
        elapsed = time.perf_counter() - t0
        print(f"{name:44s} found {sum(found):2d}/{len(cases)} = {rate:.3f}; false flags "
              + ", ".join(f"{k} {v}" for k, v in flagged.items())
              + f"; {n_neg / elapsed:.0f} texts/s ({chars / elapsed / 1e3:.0f}k chars/s)")
        if missed:
            print(f"{'':44s} missed kinds: {', '.join(missed)}")
    check = SecretsCheck()
    typed = sum(1 for c, fs in zip(cases, check.scan([c["text"] for c in cases]))
                if {f.type.removeprefix("SECRET:") for f in fs} & {c["kind"], "keyword_secret"})
    print(f"raikit type accuracy on found cases: {typed}/{len(cases)}")
    ours = found_rates["raikit secrets (patterns + detect-secrets)"]
    for name, rate in found_rates.items():
        print(f"found-rate ratio raikit / {name}: x{ours / rate:.2f}" if rate else f"{name}: found nothing")
    print("command: .venv/bin/python benchmarks/secret_detection.py")


if __name__ == "__main__":
    main()

"""Prompt suites for the pre-release audit: bundled names or the user's JSONL/CSV files."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from raikit.errors import InputError

SUITES_DIR = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True, slots=True)
class Prompt:
    """One prompt of a suite, for the pre-release audit and the bias audit alike.

    Attributes:
        prompt: The prompt text.
        group: The group it belongs to (the sensitive feature), if any.
        pair: For counterfactual suites, the id of the pair (template filling) it belongs
            to; prompts with the same ``pair`` differ only in the group term.
        id: Its id in the audit log (``<suite>-<line>`` unless the file gives one).
        suite: The suite's label.
    """

    prompt: str
    group: str | None = None
    pair: int | None = None
    id: str = ""
    suite: str = ""


#: The pre-release audit's name for :class:`Prompt`.
AuditPrompt = Prompt


def bundled_suites() -> list[str]:
    """Names of the bundled prompt suites (``demo``)."""
    return sorted(p.stem for p in SUITES_DIR.glob("*.jsonl"))


def load_suite(ref: str) -> tuple[list[AuditPrompt], dict[str, object]]:
    """Load a suite by bundled name or path (``.jsonl`` with a ``prompt`` key, or ``.csv``
    with a ``prompt`` column; optional ``id``, ``suite``, ``group``).

    Returns:
        The prompts and the suite's entry for the report's ``data`` list.

    Raises:
        InputError: The file is missing, unreadable, or a row has no prompt (line named).

    Example:
        >>> prompts, info = load_suite("demo")  # doctest: +SKIP
    """
    path = SUITES_DIR / f"{ref}.jsonl" if ref in bundled_suites() else Path(ref)
    if not path.is_file():
        raise InputError(f"prompt suite {ref!r} not found (bundled: {', '.join(bundled_suites())})")
    try:
        rows = _read_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InputError(f"cannot read prompt suite {path}: {err}") from err
    prompts = []
    for line, row in rows:
        prompt = row.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise InputError(f"{path}:{line}: a row needs a non-empty 'prompt'")
        prompts.append(
            AuditPrompt(
                id=str(row.get("id") or f"{path.stem}-{line}"),
                prompt=prompt,
                suite=str(row.get("suite") or path.stem),
                group=(str(row["group"]) if row.get("group") else None),
            )
        )
    if not prompts:
        raise InputError(f"prompt suite {path} is empty")
    source = f"bundled:{ref}" if ref in bundled_suites() else str(path)
    return prompts, {"name": f"suite:{path.stem}", "source": source, "n": len(prompts), "license": "see source"}


def _decoded(path: Path) -> str:
    """The file as strict UTF-8; a decoding error names the line and column."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError(f"{path}:{line}:{column}: invalid UTF-8 (byte 0x{data[err.start]:02x}); "
                         "save the suite as UTF-8") from None


def _read_rows(path: Path) -> list[tuple[int, dict[str, object]]]:
    import io

    text = _decoded(path)
    if path.suffix == ".csv":
        with io.StringIO(text, newline="") as handle:
            return [(i + 2, dict(row)) for i, row in enumerate(csv.DictReader(handle))]
    rows = []
    with io.StringIO(text) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{path}:{number}: invalid JSON ({err.msg})") from err
            if not isinstance(value, dict):
                raise InputError(f"{path}:{number}: expected a JSON object per line")
            rows.append((number, value))
    return rows

"""raikit's own written training cases: chat-style requests and web-style posts of every category.

The tweet data and the short functional templates teach the head little about how harmful
requests, confessions and forum posts look (several sentences, first person, often no slurs).
These cases, written for raikit in plain prose, cover violence, self-harm, harassment, hate
and hate threats, sexual content, plus many harmless look-alikes of the same length and topic.

They are data: ``data/written_cases.jsonl``, one row per case with ``text`` (or a
``template`` with ``{P}``/``{S}``/``{A}`` filled with every other train identity group),
``functionality``, ``source`` and ``positive`` (the categories it is labelled with). Training
only; the benchmark's held-out data never sees them. The harmful sentences exist to teach a
detector; they are not endorsed.
"""

from __future__ import annotations

import json
from pathlib import Path

from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES
from training.harm.templates import TRAIN_GROUPS, Case, _fill

DATA_DIR = Path(__file__).resolve().parent / "data"
WRITTEN_FILE = DATA_DIR / "written_cases.jsonl"


def labels_of(positive: list[str] | tuple[str, ...], offensive: int | None = None) -> dict[str, int | None]:
    """0/1 for the moderation categories and ``any``; ``offensive`` as given (default unknown).

    Raises:
        ValueError: A name is not a raikit category.
    """
    unknown = sorted(set(positive) - set(CATEGORIES))
    if unknown:
        raise ValueError(f"unknown harm categories {unknown}")
    out: dict[str, int | None] = {c: int(c in positive) for c in CATEGORIES}
    out[ANY] = int(any(out[c] for c in HARM_CATEGORIES))
    out["offensive"] = offensive
    return out


def read_jsonl(path: Path) -> list[dict]:
    """The rows of a JSONL file (blank lines skipped).

    Raises:
        ValueError: A line is not JSON (names the file and line).
    """
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise ValueError(f"{path}:{number}: not JSON ({err.msg})") from err
    return rows


def written_cases(path: Path = WRITTEN_FILE) -> list[Case]:
    """The written cases in file order (no randomness).

    Returns:
        Cases with full label sets (``offensive`` unknown); ``hateful`` when labelled
        ``hate``; ``template`` is ``source:`` plus the first 40 characters of a text, or
        ``source:`` plus the template (cases from one template are near-duplicates).

    Example:
        >>> cases = written_cases()
        >>> any(c.labels["self-harm"] for c in cases) and any(c.labels["any"] == 0 for c in cases)
        True
    """
    cases: list[Case] = []
    for row in read_jsonl(path):
        labels = labels_of(row["positive"])
        kind, source, hateful = row["functionality"], row["source"], bool(labels["hate"])
        if "template" in row:
            for group in TRAIN_GROUPS[::2]:
                text = _fill(row["template"], group)
                cases.append(Case(text, kind, hateful, dict(labels), f"{source}:{row['template']}"))  # type: ignore[arg-type]
        else:
            text = row["text"]
            cases.append(Case(text, kind, hateful, dict(labels), f"{source}:{text[:40]}"))  # type: ignore[arg-type]
    return cases

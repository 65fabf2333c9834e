"""raikit's written prompt sets: system prompts, safe look-alikes and unsafe requests.

Two files with different texts (held out by template: no prompt of one is a rewording of a
prompt of the other): ``data/prompts_train.jsonl`` trains the head, and
``data/prompts_heldout.jsonl`` is only measured (benchmark and tests). Each row has ``text``,
``kind`` (``system_prompt``, ``lookalike_*`` or ``unsafe_<category>``) and ``positive``
(the categories it is labelled with; empty for the harmless ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from training.harm.datasets import Labels
from training.harm.written import DATA_DIR, labels_of, read_jsonl

PROMPT_FILES = {"train": DATA_DIR / "prompts_train.jsonl", "heldout": DATA_DIR / "prompts_heldout.jsonl"}


@dataclass(frozen=True, slots=True)
class Prompt:
    """One written prompt: its text, kind and full labels."""

    text: str
    kind: str
    labels: Labels

    @property
    def unsafe(self) -> bool:
        """Whether the prompt is an unsafe request (any harm category positive)."""
        return bool(self.labels["any"])


def load_prompts(split: str, path: Path | None = None) -> list[Prompt]:
    """The prompts of ``split`` (``"train"`` or ``"heldout"``), in file order.

    Harmless prompts are labelled 0 everywhere (``offensive`` included); unsafe requests
    have ``offensive`` unknown.

    Raises:
        ValueError: Unknown split, or a row with an unknown category (names the category).

    Example:
        >>> [p.text for p in load_prompts("heldout") if p.kind == "system_prompt"][0]
        'You are a helpful assistant.'
    """
    if split not in PROMPT_FILES:
        raise ValueError(f"split must be one of {sorted(PROMPT_FILES)}, got {split!r}")
    out = []
    for row in read_jsonl(path or PROMPT_FILES[split]):
        positive = row["positive"]
        out.append(Prompt(row["text"], row["kind"], labels_of(positive, offensive=None if positive else 0)))
    return out

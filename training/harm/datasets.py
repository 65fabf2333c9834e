"""Read the public harm data sets and split them the same way for training, tests and benchmarks.

Splits are fixed by a seed: 20% of Davidson (stratified by class) is held out and never
trained on. The moderation dev set is small (336 texts), so the bundled model trains on all of
it and is measured by cross-validation: each text has one of five folds (stratified by "any
harm"), and the benchmark scores every fold with a head trained without it.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from raikit.errors import InputError
from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES, MODERATION_CODES

DAVIDSON_FILE = "harm/davidson_labeled_data.csv"
MODERATION_FILE = "harm/openai_moderation_dev.jsonl"
DAVIDSON_TEST_FRACTION = 0.2
MODERATION_FOLDS = 5
SPLIT_SEED = 13

Labels = dict[str, int | None]
"""0/1 per category and ``any``; ``None`` means unknown (masked in training and metrics)."""


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text from a public data set."""

    text: str
    labels: Labels
    source: str
    split: str
    """``"train"`` or ``"test"`` (Davidson); ``"cv"`` for the moderation set (see ``fold``)."""
    fold: int = -1
    """Cross-validation fold (0-4) of a moderation example; -1 elsewhere."""


def _davidson_labels(cls: int) -> Labels:
    if cls == 2:  # neither
        out: Labels = {c: 0 for c in CATEGORIES}
        out[ANY] = 0
        return out
    out = {c: None for c in CATEGORIES}
    out.update({"sexual/minors": 0, "self-harm": 0, "violence/graphic": 0, "offensive": 1})
    if cls == 0:  # hate speech
        out.update({"hate": 1, ANY: 1})
    else:  # offensive only
        out.update({"hate": 0, "hate/threatening": 0, ANY: None})
    return out


def _moderation_labels(row: dict[str, object]) -> Labels:
    out: Labels = {c: None for c in CATEGORIES}
    for code, category in MODERATION_CODES.items():
        if code in row and row[code] is not None:
            out[category] = int(row[code])  # type: ignore[call-overload]
    known = [out[c] for c in HARM_CATEGORIES if out[c] is not None]
    out[ANY] = int(any(known))
    return out


def _shuffled_strata(keys: Sequence[object], seed: int) -> list[list[int]]:
    """Indices grouped by key (keys in a fixed order), each group shuffled by ``seed``."""
    rng = random.Random(seed)
    by_key: dict[object, list[int]] = {}
    for index, key in enumerate(keys):
        by_key.setdefault(key, []).append(index)
    strata = [by_key[key] for key in sorted(by_key, key=str)]
    for members in strata:
        rng.shuffle(members)
    return strata


def _stratified_test(keys: Sequence[object], fraction: float, seed: int) -> set[int]:
    return {i for members in _shuffled_strata(keys, seed) for i in members[: round(len(members) * fraction)]}


def _stratified_folds(keys: Sequence[object], folds: int, seed: int) -> list[int]:
    fold = [0] * len(keys)
    dealt = (i for members in _shuffled_strata(keys, seed) for i in members)
    for position, index in enumerate(dealt):
        fold[index] = position % folds
    return fold


def load_davidson(data_dir: str | Path) -> list[Example]:
    """Davidson et al. tweets with raikit labels and a fixed train/test split.

    Class 0 (hate speech) -> ``hate`` and ``offensive``; class 1 -> ``offensive`` only;
    class 2 -> nothing. Categories the data set does not annotate are ``None``.

    Example:
        >>> rows = load_davidson("../shared/data")  # doctest: +SKIP
        >>> rows[0].labels["offensive"], rows[0].split  # doctest: +SKIP
        (0, 'train')
    """
    path = Path(data_dir) / DAVIDSON_FILE
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = [(r["tweet"], int(r["class"])) for r in csv.DictReader(handle)]
    except (OSError, KeyError, ValueError) as err:
        raise InputError(f"cannot read the Davidson data set at {path}: {type(err).__name__}") from err
    test = _stratified_test([cls for _, cls in rows], DAVIDSON_TEST_FRACTION, SPLIT_SEED)
    return [
        Example(text, _davidson_labels(cls), "davidson", "test" if i in test else "train")
        for i, (text, cls) in enumerate(rows)
    ]


def load_moderation(data_dir: str | Path) -> list[Example]:
    """The OpenAI moderation dev subset with raikit labels and fixed cross-validation folds.

    Example:
        >>> rows = load_moderation("../shared/data")  # doctest: +SKIP
        >>> sorted(rows[0].labels)[:2]  # doctest: +SKIP
        ['any', 'harassment']
    """
    path = Path(data_dir) / MODERATION_FILE
    try:
        with path.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        labelled = [(str(r["prompt"]), _moderation_labels(r)) for r in rows]
    except (OSError, KeyError, ValueError) as err:
        raise InputError(f"cannot read the moderation data set at {path}: {type(err).__name__}") from err
    fold = _stratified_folds([labels[ANY] for _, labels in labelled], MODERATION_FOLDS, SPLIT_SEED)
    return [Example(text, labels, "moderation", "cv", fold[i]) for i, (text, labels) in enumerate(labelled)]

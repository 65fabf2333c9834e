from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from raikit.errors import InputError
from raikit.guardrails.harm import ANY, CATEGORIES
from training.harm.datasets import MODERATION_FOLDS, load_davidson, load_moderation


def test_davidson_split_is_stratified_and_fixed(shared_data: Path) -> None:
    rows = load_davidson(shared_data)
    again = load_davidson(shared_data)
    assert [r.split for r in rows] == [r.split for r in again]
    by_class = Counter((r.labels["hate"], r.labels["offensive"], r.split) for r in rows)
    for hate, off in {(h, o) for h, o, _ in by_class}:
        test, train = by_class[(hate, off, "test")], by_class[(hate, off, "train")]
        assert test / (test + train) == pytest.approx(0.2, abs=0.01)


def test_davidson_labels_mark_unknowns(shared_data: Path) -> None:
    rows = load_davidson(shared_data)
    neither = next(r for r in rows if r.labels["offensive"] == 0)
    assert all(neither.labels[c] == 0 for c in (*CATEGORIES, ANY))
    hate = next(r for r in rows if r.labels["hate"] == 1)
    assert hate.labels["offensive"] == 1 and hate.labels[ANY] == 1 and hate.labels["sexual"] is None


def test_moderation_folds_and_labels(shared_data: Path) -> None:
    rows = load_moderation(shared_data)
    assert len(rows) == 336
    assert rows == load_moderation(shared_data)  # folds are fixed
    for fold in range(MODERATION_FOLDS):
        members = [r for r in rows if r.fold == fold]
        assert len(members) == pytest.approx(336 / MODERATION_FOLDS, abs=1)
        harmful = sum(r.labels[ANY] for r in members)
        assert harmful == pytest.approx(sum(r.labels[ANY] for r in rows) / MODERATION_FOLDS, abs=1)
    assert all(r.labels["offensive"] is None for r in rows)
    assert any(r.labels["hate"] is None for r in rows)  # missing stays unknown
    for r in rows:
        known = [r.labels[c] for c in CATEGORIES if r.labels[c] is not None]
        assert r.labels[ANY] == int(any(known))


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="davidson"):
        load_davidson(tmp_path)
    with pytest.raises(InputError, match="moderation"):
        load_moderation(tmp_path)

"""raikit's written prompt sets and the JSONL loaders of the written training data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from raikit.guardrails.harm import ANY, CATEGORIES
from training.harm.prompts import load_prompts
from training.harm.written import labels_of, read_jsonl, written_cases


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_prompt_kinds_have_matching_labels(split: str) -> None:
    prompts = load_prompts(split)
    assert prompts
    for p in prompts:
        assert set(p.labels) == {*CATEGORIES, ANY}
        if p.kind.startswith("unsafe_"):
            assert p.unsafe and p.labels["offensive"] is None, p.text
        else:
            assert not p.unsafe and p.labels["offensive"] == 0, p.text
            assert p.kind == "system_prompt" or p.kind.startswith("lookalike_")


def test_every_unsafe_category_has_train_and_held_out_requests() -> None:
    kinds = {split: {p.kind for p in load_prompts(split) if p.unsafe} for split in ("train", "heldout")}
    assert kinds["train"] == kinds["heldout"] and len(kinds["train"]) == 6
    assert all(any(p.labels["sexual/minors"] for p in load_prompts(s)) for s in ("train", "heldout"))


def test_plain_system_prompt_is_held_out_not_trained() -> None:
    assert "You are a helpful assistant." in [p.text for p in load_prompts("heldout")]
    assert "You are a helpful assistant." not in [p.text for p in load_prompts("train")]


def test_unknown_split_and_category_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="split must be"):
        load_prompts("test")
    bad = tmp_path / "p.jsonl"
    row = {"text": "x", "kind": "unsafe_x", "positive": ["gore"]}
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="gore"):
        load_prompts("train", bad)
    with pytest.raises(ValueError, match="unknown harm"):
        labels_of(["violent"])


def test_bad_jsonl_line_is_located(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_text('{"text": "ok"}\n\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"w.jsonl:3"):
        read_jsonl(path)


def test_written_template_rows_fill_every_other_train_group(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    row = {"template": "{P} are great.", "functionality": "t", "source": "s", "positive": []}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    cases = written_cases(path)
    assert [c.text for c in cases][:2] == ["Women are great.", "Muslims are great."]
    assert all(c.labels[ANY] == 0 and not c.hateful for c in cases)

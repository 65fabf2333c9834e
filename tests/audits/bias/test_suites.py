"""Prompt suites: BOLD sampling, user files, counterfactual pairing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from raikit.audits.bias import BiasSuiteSpec, PromptSuite
from raikit.audits.bias._data import data_dir
from raikit.audits.bias._suites import counterfactual_items
from raikit.errors import InputError


@pytest.fixture()
def bold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bias" / "bold_prompts"
    folder.mkdir(parents=True)
    data = {
        "American_actors": {f"Actor_{i}": [f"Actor {i} is an actor who ", f"Actor {i} starred "] for i in range(10)},
        "American_actresses": {f"Actress_{i}": [f"Actress {i} is an actress who "] for i in range(6)},
    }
    (folder / "gender_prompt.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_bold_loads_every_prompt_per_group(bold_dir):
    suite = BiasSuiteSpec.bold("gender").load(data_path=bold_dir)
    assert isinstance(suite, PromptSuite)
    assert suite.name == "bold:gender" and suite.domain == "gender" and suite.kind == "bold"
    assert suite.groups == ["American_actors", "American_actresses"]
    assert sum(i.group == "American_actors" for i in suite.items) == 20
    assert sum(i.group == "American_actresses" for i in suite.items) == 6
    assert suite.describe()["n"] == 26 and "CC BY-SA" in suite.describe()["license"]


def test_bold_sampling_is_seeded_per_group(bold_dir):
    spec = BiasSuiteSpec.bold("gender", per_group=4)
    first = spec.load(seed=1, data_path=bold_dir)
    assert first == spec.load(seed=1, data_path=bold_dir)
    assert first.items != spec.load(seed=2, data_path=bold_dir).items
    assert [sum(i.group == g for i in first.items) for g in first.groups] == [4, 4]
    only = BiasSuiteSpec.bold("gender", groups=["American_actresses"]).load(data_path=bold_dir)
    assert only.groups == ["American_actresses"]


def test_bold_errors_are_located(bold_dir, tmp_path):
    with pytest.raises(InputError, match="not found"):
        BiasSuiteSpec.bold("race").load(data_path=bold_dir)
    with pytest.raises(InputError, match="unknown group"):
        BiasSuiteSpec.bold("gender", groups=["nobody"]).load(data_path=bold_dir)
    with pytest.raises(InputError, match="needs a domain"):
        BiasSuiteSpec(kind="bold")
    with pytest.raises(InputError, match="per_group"):
        BiasSuiteSpec.bold("gender", per_group=0)


def test_data_dir_errors_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("RAIKIT_DATA", str(tmp_path / "absent"))
    with pytest.raises(InputError, match="RAIKIT_DATA"):
        data_dir()
    monkeypatch.setenv("RAIKIT_DATA", str(tmp_path))
    assert data_dir() == tmp_path


def test_shared_bold_domains_load(shared_data):
    gender = BiasSuiteSpec.bold("gender").load(data_path=shared_data)
    race = BiasSuiteSpec.bold("race", per_group=10).load(data_path=shared_data)
    assert len(gender.items) == 3204
    assert len(gender.groups) == 2 and len(race.groups) == 4 and len(race.items) == 40


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_user_file_with_group_column(tmp_path, fmt):
    rows = [{"text": f"prompt {i}", "who": "x" if i % 3 else "y"} for i in range(9)]
    path = tmp_path / f"prompts.{fmt}"
    if fmt == "csv":
        path.write_text("text,who\n" + "".join(f"{r['text']},{r['who']}\n" for r in rows), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    suite = BiasSuiteSpec.file(path, prompt_column="text", group_column="who").load()
    assert suite.name == "file:prompts" and suite.groups == ["y", "x"]
    assert [i.prompt for i in suite.items if i.group == "y"] == ["prompt 0", "prompt 3", "prompt 6"]
    sampled = BiasSuiteSpec.file(path, prompt_column="text", group_column="who", per_group=2).load(seed=0)
    assert len(sampled.items) == 4


def test_user_file_missing_column_names_the_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"prompt": "a", "group": "g"}\n{"prompt": "b"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"p.jsonl:2: missing column 'group'"):
        BiasSuiteSpec.file(path).load()
    path.write_text('{"prompt": "a", "group": "g"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"p.jsonl:2: not valid JSON"):
        BiasSuiteSpec.file(path).load()


def test_counterfactual_pairs_differ_only_in_the_group_term():
    items = counterfactual_items(
        ["The {group} worked as a {job} and", "A {group} {job} said"],
        {"man": "man", "woman": "woman"},
        {"job": ["nurse", "pilot", "cook"]},
    )
    assert len(items) == 2 * 3 * 2
    pairs: dict[int, dict[str, str]] = {}
    for item in items:
        pairs.setdefault(item.pair, {})[item.group] = item.prompt
    assert len(pairs) == 6
    for members in pairs.values():
        assert set(members) == {"man", "woman"}
        man, woman = members["man"].split(), members["woman"].split()
        assert len(man) == len(woman)
        assert [(a, b) for a, b in zip(man, woman) if a != b] == [("man", "woman")]


def test_builtin_counterfactual_suite():
    suite = BiasSuiteSpec.counterfactual("occupations").load()
    assert suite.kind == "counterfactual" and suite.groups == ["man", "woman"]
    assert len({i.pair for i in suite.items}) == len(suite.items) // 2 == 120


@pytest.mark.parametrize(
    "templates, groups, message",
    [
        (["no placeholder here"], ["a", "b"], "no {group} placeholder"),
        (["The {group} {job}"], ["a", "b"], r"placeholder\(s\) \['job'\]"),
        (["The {group}"], ["a"], "at least two groups"),
    ],
)
def test_counterfactual_errors(templates, groups, message):
    with pytest.raises(InputError, match=message):
        BiasSuiteSpec.counterfactual("x", templates=templates, groups=groups).load()


def test_from_dict_rejects_unknown_keys():
    spec = BiasSuiteSpec.from_dict({"kind": "bold", "domain": "race", "per_group": 5})
    assert spec.display_name == "bold:race" and spec.per_group == 5
    with pytest.raises(InputError, match="unknown bias suite key"):
        BiasSuiteSpec.from_dict({"kind": "bold", "domain": "race", "per_grup": 5})
    with pytest.raises(InputError, match="needs kind"):
        BiasSuiteSpec.from_dict({"domain": "race"})

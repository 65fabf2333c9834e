"""The public harm and benign sources beyond Davidson and moderation, and their fixed splits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from raikit.errors import InputError
from raikit.guardrails.harm import ANY
from training.harm import sources


@pytest.mark.parametrize(
    "load",
    [
        sources.load_hatemoji,
        sources.load_toxigen,
        sources.load_stormfront,
        sources.load_forbidden_questions,
        sources.load_self_instruct,
    ],
)
def test_every_source_has_a_fixed_split_with_both_sides(shared_data: Path, load) -> None:  # noqa: ANN001
    rows = load(shared_data)
    assert [(r.text, r.split) for r in rows] == [(r.text, r.split) for r in load(shared_data)]
    splits = Counter(r.split for r in rows)
    assert set(splits) == {"train", "test"} and splits["test"] < splits["train"] + splits["test"] / 2
    assert all(r.text.strip() for r in rows)


def test_hatemoji_uses_its_own_train_and_validation_and_spells_threats(shared_data: Path) -> None:
    rows = sources.load_hatemoji(shared_data)
    assert Counter(r.split for r in rows) == {"train": 4728, "test": 591}
    threats = [r for r in rows if r.labels["hate/threatening"]]
    assert threats and all(r.labels["hate"] == 1 and r.labels["violence"] == 1 for r in threats)
    harmless = [r for r in rows if r.labels["hate"] == 0]
    assert harmless and all(r.labels[ANY] == 0 for r in harmless)


def test_hatemoji_twins_are_train_texts_of_both_labels(shared_data: Path) -> None:
    train = {r.text: r.labels["hate"] for r in sources.load_hatemoji(shared_data) if r.split == "train"}
    twins = sources.hatemoji_train_twins(shared_data)
    assert 0 < len(twins) < len(train) and twins <= set(train)
    assert {train[t] for t in twins} == {0, 1}


def test_a_recipe_variant_moves_weight_only_inside_its_source() -> None:
    import numpy as np

    from training.harm.recipe import VARIANTS, TrainingSet, loss_weights

    assert VARIANTS["2.0"].shares == {} and VARIANTS["2.0"].hatemoji_twin_weight == 1.0
    data = TrainingSet()
    for i, (source, weight) in enumerate((("hatemoji", 3.0), ("hatemoji", 1.0), ("davidson", 1.0))):
        data.add(f"t{i}", {}, source, f"g{i}", weight)
    w = loss_weights(data, {"hatemoji": 0.5, "davidson": 0.25})
    assert np.allclose(w, [0.5 * 3 * 0.75, 0.5 * 3 * 0.25, 0.25 * 3])
    data.weights = [1.0, 1.0, 1.0]
    assert np.allclose(loss_weights(data, {"hatemoji": 0.5, "davidson": 0.25}), [0.75, 0.75, 0.75])


def test_stormfront_holds_out_whole_users(shared_data: Path) -> None:
    rows = sources.load_stormfront(shared_data)
    hateful = sum(r.labels["hate"] for r in rows)
    assert len(rows) - hateful == pytest.approx(2 * hateful, abs=2)
    non_hate = next(r for r in rows if r.labels["hate"] == 0)
    assert non_hate.labels[ANY] is None and non_hate.labels["hate/threatening"] == 0


def test_toxigen_statements_are_deduplicated_and_disjoint(shared_data: Path) -> None:
    rows = sources.load_toxigen(shared_data)
    texts = [r.text for r in rows]
    assert len(texts) == len(set(texts))
    assert not {r.text for r in rows if r.split == "test"} & {r.text for r in rows if r.split == "train"}
    assert {r.labels["hate"] for r in rows} == {0, 1}


def test_forbidden_questions_map_only_raikit_categories(shared_data: Path) -> None:
    rows = sources.load_forbidden_questions(shared_data)
    by_policy = {r.source: r.labels for r in rows}
    assert by_policy["forbidden:Physical Harm"]["violence"] == 1
    assert by_policy["forbidden:Pornography"]["sexual"] == 1
    assert by_policy["forbidden:Health Consultation"][ANY] == 0
    assert by_policy["forbidden:Malware"][ANY] is None


def test_held_out_is_stable_and_near_the_fraction() -> None:
    keys = [f"k{i}" for i in range(4000)]
    share = sum(sources.held_out(k, 0.2, "s") for k in keys) / len(keys)
    assert share == pytest.approx(0.2, abs=0.02)
    assert [sources.held_out(k, 0.2, "s") for k in keys] == [sources.held_out(k, 0.2, "s") for k in keys]
    assert [sources.held_out(k, 0.2, "s") for k in keys] != [sources.held_out(k, 0.2, "t") for k in keys]


def test_missing_folders_name_the_path(tmp_path: Path) -> None:
    loaders = (sources.load_hatemoji, sources.load_toxigen, sources.load_stormfront, sources.load_self_instruct)
    for load in loaders:
        with pytest.raises(InputError, match=str(tmp_path)):
            load(tmp_path)

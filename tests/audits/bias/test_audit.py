"""The audit end to end with a fake generator biased by construction; gates; local agreement."""

from __future__ import annotations

import json

import pytest

from raikit.audits.bias import (
    BiasSuiteSpec,
    CallableScorer,
    FakeGenerator,
    LengthScorer,
    LocalExecutor,
    PromptItem,
    PromptSuite,
    RefusalScorer,
    SentimentScorer,
    bias_gates,
    prompt_seed,
    run_bias_audit,
)
from raikit.errors import InputError


def _group_suite(n: int = 30) -> PromptSuite:
    items = [PromptItem(f"The woman number {i} was", "women") for i in range(n)]
    items += [PromptItem(f"The man number {i} was", "men") for i in range(n)]
    return PromptSuite(name="people", kind="file", items=tuple(items))


BIASED = FakeGenerator(bias={"woman": "terrible awful"})
COUNTERFACTUAL = BiasSuiteSpec.counterfactual(
    "jobs", templates=["The {group} worked as a {job} and"], groups={"m": "man", "w": "woman"},
    fillers={"job": ["nurse", "pilot", "cook", "teacher", "driver", "baker", "guard", "judge"] * 3},
)


def _audit(**kw):
    kw.setdefault("scorers", [SentimentScorer(), RefusalScorer(), LengthScorer()])
    kw.setdefault("progress", False)
    return run_bias_audit(BIASED, [_group_suite(), COUNTERFACTUAL], **kw)


def test_bias_object_has_the_schema_shape():
    data: list[dict] = []
    bias = _audit(gates={"sentiment": 0.1}, datasets=data)  # for the report's data list
    assert [d["name"] for d in data] == ["people", "jobs"] and [d["n"] for d in data] == [60, 48]
    assert set(bias) == {"suites", "counterfactual", "crows_pairs"}
    assert bias["crows_pairs"] is None
    (suite,) = bias["suites"]
    assert set(suite) == {"name", "domain", "n", "seed", "metrics"}
    assert suite["n"] == 60 and suite["seed"] == 0
    assert set(suite["metrics"]) == {"sentiment", "refusal", "length"}
    entry = suite["metrics"]["sentiment"]
    assert set(entry) == {"groups", "difference", "ratio", "limit", "passed"}
    for group in ("women", "men"):
        stats = entry["groups"][group]
        assert stats["n"] == 30 and stats["ci"][0] <= stats["mean"] <= stats["ci"][1]
    assert suite["metrics"]["length"]["limit"] is None and suite["metrics"]["length"]["passed"] is None
    json.dumps(bias)  # plain JSON


def test_built_in_bias_shows_as_a_gap_and_fails_the_gate():
    bias = _audit(gates={"sentiment": 0.1, "people.length": 5.0})
    sentiment = bias["suites"][0]["metrics"]["sentiment"]
    assert sentiment["groups"]["women"]["mean"] < sentiment["groups"]["men"]["mean"]
    assert sentiment["difference"] > 0.1 and sentiment["passed"] is False
    length = bias["suites"][0]["metrics"]["length"]
    assert length["difference"] == pytest.approx(2.0) and length["limit"] == 5.0 and length["passed"] is True
    gates = {g["name"]: g for g in bias_gates(bias)}
    assert gates["max_gap:people.sentiment"]["passed"] is False
    assert gates["max_gap:people.length"]["passed"] is True


def test_unbiased_generator_passes_the_same_gate():
    bias = run_bias_audit(FakeGenerator(), [_group_suite()], scorers=[SentimentScorer()], progress=False,
                          gates={"sentiment": 0.3})
    assert bias["suites"][0]["metrics"]["sentiment"]["passed"] is True


def test_counterfactual_pairs_detect_the_built_in_bias():
    bias = _audit()
    entries = {e["metric"]: e for e in bias["counterfactual"]}
    sentiment = entries["sentiment"]
    assert sentiment["name"] == "jobs" and sentiment["groups"] == ["m", "w"] and sentiment["n_pairs"] == 24
    assert sentiment["mean_difference"] < 0 and sentiment["ci"][1] < 0 and sentiment["p_value"] < 0.01
    assert sentiment["test"] == "wilcoxon signed-rank"
    assert entries["refusal"]["p_value"] == 1.0  # no refusals on either side


def test_counterfactual_null_is_not_significant():
    bias = run_bias_audit(FakeGenerator(), [COUNTERFACTUAL], scorers=[SentimentScorer()], progress=False,
                          paired_method="permutation")
    # Pairs share a seed, so an unbiased generator writes the same continuation for both.
    (entry,) = bias["counterfactual"]
    assert entry["mean_difference"] == 0.0 and entry["p_value"] == 1.0
    assert entry["test"].startswith("paired permutation")


def test_seeds_depend_on_index_not_batching():
    seen: list[tuple[str, int]] = []

    def record(prompts, seeds):
        seen.extend(zip(prompts, seeds))
        return ["x"] * len(prompts)

    suite = _group_suite(5)
    run_bias_audit(record, [suite], scorers=[LengthScorer()], progress=False, batch_size=3)
    by_three = list(seen)
    seen.clear()
    run_bias_audit(record, [suite], scorers=[LengthScorer()], progress=False, batch_size=7)
    assert seen == by_three
    assert [s for _, s in by_three] == [prompt_seed(0, "people", i) for i in range(10)]


def test_results_are_identical_across_local_executors():
    base = _audit(batch_size=7)
    threads = _audit(batch_size=7, executor=LocalExecutor(workers=2, backend="thread"))
    assert json.dumps(base, sort_keys=True) == json.dumps(threads, sort_keys=True)


@pytest.mark.slow
def test_results_are_identical_with_process_workers():
    base = _audit(batch_size=16)
    procs = _audit(batch_size=16, executor=LocalExecutor(workers=2))
    assert json.dumps(base, sort_keys=True) == json.dumps(procs, sort_keys=True)


def test_wrong_output_counts_are_input_errors():
    with pytest.raises(InputError, match="returned 0 outputs for 2 prompts"):
        run_bias_audit(lambda p, s: [], [COUNTERFACTUAL], scorers=[LengthScorer()], progress=False, batch_size=2)
    bad = CallableScorer("bad", lambda texts: [0.0])
    with pytest.raises(InputError, match="scorer 'bad' returned 1 scores"):
        run_bias_audit(FakeGenerator(), [COUNTERFACTUAL], scorers=[bad], progress=False, batch_size=4)
    with pytest.raises(InputError, match="unique"):
        run_bias_audit(FakeGenerator(), [COUNTERFACTUAL], scorers=[LengthScorer(), LengthScorer()], progress=False)
    with pytest.raises(InputError, match="unknown metric"):
        run_bias_audit(FakeGenerator(), [BiasSuiteSpec.counterfactual("occupations", metrics=["toxicity"])],
                       scorers=[LengthScorer()], progress=False)


def test_timings_and_progress_bar(capsys):
    timings: dict = {}
    run_bias_audit(FakeGenerator(), [COUNTERFACTUAL], scorers=[LengthScorer()], progress=True, timings=timings)
    assert timings["n_prompts"] == 48 and timings["n_batches"] == 2
    assert timings["executor"]["kind"] == "local"
    assert "48/48" in capsys.readouterr().err


def test_bold_suite_through_the_audit(shared_data):
    bias = run_bias_audit(BIASED, [BiasSuiteSpec.bold("gender", per_group=20)], scorers=[LengthScorer()],
                          progress=False, data_path=shared_data)
    assert bias["suites"][0]["name"] == "bold:gender"
    assert {g: v["n"] for g, v in bias["suites"][0]["metrics"]["length"]["groups"].items()} == {
        "American_actors": 20, "American_actresses": 20}


def test_crows_pairs_result_passes_through_and_default_counterfactual():
    given = {"model": "m", "kind": "causal", "n": 2, "score": 0.5, "by_type": {}}
    bias = run_bias_audit(FakeGenerator(), [BiasSuiteSpec.counterfactual()], scorers=[LengthScorer()],
                          progress=False, crows_pairs=given)
    assert bias["crows_pairs"] == given
    assert bias["counterfactual"][0]["name"] == "occupations" and bias["counterfactual"][0]["n_pairs"] == 120

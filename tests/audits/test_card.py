"""The model card: Hugging Face format, figures from the result only, hostile text escaped."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from _report_samples import hostile_result, passing_result, sample_result
from click.testing import CliRunner

from raikit.audits._card import build_model_card, write_model_card
from raikit.audits._format import rate
from raikit.errors import InputError

hf = pytest.importorskip("huggingface_hub", reason="huggingface_hub is needed to load model cards")


def _by_metric(card: object) -> dict[str, list]:
    out: dict[str, list] = {}
    for er in card.data.eval_results:  # type: ignore[attr-defined]
        out.setdefault(er.metric_type, []).append(er)
    return out


def test_card_loads_with_huggingface_hub_and_eval_results_match_the_result(tmp_path):
    result = sample_result()
    path, _ = write_model_card(result, tmp_path / "README.md", license="apache-2.0")
    for card in (hf.ModelCard(build_model_card(result, license="apache-2.0")), hf.ModelCard.load(path)):
        assert card.data.license == "apache-2.0"
        assert card.data.library_name == "transformers"
        assert "raikit" in card.data.tags
        assert card.data.model_name == result["run"]["generator"]["id"]
        metrics = _by_metric(card)
        for check in result["checks"]:
            (er,) = metrics[f"{check['id']}_flagged_rate"]
            assert er.metric_value == check["rate"]
            assert er.task_type == "text-generation"
        assert metrics["watermark_text_detection_rate"][0].metric_value == result["watermark"]["text"]["rate"]
        gaps = {(er.dataset_name, er.metric_type): er.metric_value for er in card.data.eval_results}
        for suite in result["bias"]["suites"]:
            for name, metric in suite["metrics"].items():
                assert gaps[(suite["name"], f"{name}_group_difference")] == metric["difference"]
        assert metrics["stereotype_score"][0].metric_value == result["bias"]["crows_pairs"]["score"]


def test_eval_results_follow_a_changed_result():
    result = sample_result()
    result["checks"][0]["rate"] = 0.3712
    result["checks"][0]["ci"] = [0.31, 0.43]
    card = hf.ModelCard(build_model_card(result))
    assert _by_metric(card)["pii_flagged_rate"][0].metric_value == 0.3712
    assert "37.1%" in card.text and "[31.0%, 43.0%]" in card.text


@pytest.mark.parametrize(
    "heading",
    [
        "## Intended use",
        "## Out-of-scope use",
        "## Evaluation data",
        "## Results per check",
        "### Release gates",
        "## Bias findings",
        "## Watermarking",
        "## Limitations",
        "## How this card was produced",
    ],
)
def test_card_has_every_section(heading):
    assert f"\n{heading}\n" in build_model_card(sample_result())


def test_card_names_versions_policy_models_data_and_evidence():
    result = sample_result()
    card = build_model_card(result)
    assert f"raikit {result['raikit_version']}" in card
    assert result["policy"]["hash"] in card
    assert result["evidence"]["log_head_hash"] in card
    for model in result["models"]:
        assert model["version"] in card
    for data in result["data"]:
        assert data["license"] in card


def test_card_rates_and_intervals_come_from_the_result():
    result = sample_result()
    card = build_model_card(result)
    for check in result["checks"]:
        assert rate(check["rate"]) in card
        assert f"[{rate(check['ci'][0])}, {rate(check['ci'][1])}]" in card
    assert "95% CI" in card


def test_failing_gate_is_named_in_verdict_and_out_of_scope():
    result = sample_result()
    failed = [g for g in result["gates"] if not g["passed"]]
    card = build_model_card(result)
    assert f"**Audit verdict: FAIL** — {len(failed)} of {len(result['gates'])} release gates failed." in card
    out_of_scope = card.split("## Out-of-scope use")[1].split("## Evaluation data")[0]
    assert "max\\_rate:pii" in out_of_scope


def test_passing_result_without_bias_makes_no_bias_claim():
    result = passing_result()
    card = build_model_card(result)
    assert "**Audit verdict: PASS** — 0 of" in card
    assert "no bias figures are available" in card
    loaded = hf.ModelCard(card)
    assert not any(er.metric_type.endswith("_group_difference") for er in loaded.data.eval_results)


def test_result_without_figures_has_no_model_index_and_still_loads():
    result = sample_result()
    result["checks"], result["gates"], result["bias"], result["watermark"] = [], [], None, None
    card = build_model_card(result)
    assert "model-index" not in card.split("\n---\n")[0]
    assert hf.ModelCard(card).data.eval_results is None


def test_hostile_text_is_escaped_and_card_still_loads():
    card = build_model_card(hostile_result())
    assert "<script" not in card and "<img" not in card
    assert "&lt;script&gt;" in card
    loaded = hf.ModelCard(card)
    assert "<" not in loaded.data.model_name and ">" not in loaded.data.model_name
    assert len(loaded.data.eval_results) == len(
        hf.ModelCard(build_model_card(sample_result())).data.eval_results
    )


def test_owner_facts_from_keywords_override_the_result_card_block():
    result = sample_result()
    result["card"] = {"license": "mit", "intended_use": "Block intended use.", "tags": ["customer-support"]}
    from_block = build_model_card(result)
    assert (
        "license: mit" in from_block
        and "Block intended use." in from_block
        and "customer-support" in from_block
    )
    overridden = build_model_card(result, license="apache-2.0", intended_use="Keyword intended use.")
    assert "license: apache-2.0" in overridden and "Keyword intended use." in overridden
    assert "Block intended use." not in overridden


@pytest.mark.parametrize("bad_license", ["Apache 2.0!", "<b>", "a" * 80])
def test_a_license_that_is_not_an_id_becomes_other(bad_license):
    assert hf.ModelCard(build_model_card(sample_result(), license=bad_license)).data.license == "other"


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda r: r.update(schema="raikit.audit/2"), "result.schema"),
        (lambda r: r.update(verdict="maybe"), "result.verdict"),
        (lambda r: r.update(checks={"pii": {}}), "result.checks"),
        (lambda r: r["checks"][1].update(rate="high"), "result.checks[1].rate"),
        (lambda r: r["checks"][0].update(ci=[0.1]), "result.checks[0].ci"),
        (
            lambda r: r["checks"][0]["by_type"]["PERSON"].update(rate=float("nan")),
            "result.checks[0].by_type.PERSON.rate",
        ),
        (lambda r: r["gates"][2].update(passed="yes"), "result.gates[2].passed"),
        (
            lambda r: r["bias"]["suites"][0]["metrics"]["sentiment"].update(difference="big"),
            "result.bias.suites[0].metrics.sentiment.difference",
        ),
        (lambda r: r.update(evidence=[]), "result.evidence"),
    ],
)
def test_invalid_results_are_rejected_with_the_field_named(mutate, where):
    result = sample_result()
    mutate(result)
    with pytest.raises(InputError) as err:
        build_model_card(result)
    assert str(err.value).startswith(where + ":")


def test_card_is_deterministic_does_not_mutate_and_its_hash_is_the_file_hash(tmp_path):
    result = sample_result()
    before = copy.deepcopy(result)
    assert build_model_card(result) == build_model_card(result)
    assert result == before
    path, digest = write_model_card(result, tmp_path / "card" / "README.md")
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_card_writes_the_card_and_prints_its_hash(tmp_path):
    from raikit.cli.report import card_command

    src = tmp_path / "report.json"
    src.write_text(json.dumps(sample_result()), encoding="utf-8")
    out = tmp_path / "README.md"
    res = CliRunner().invoke(card_command, [str(src), "--out", str(out), "--license", "apache-2.0", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert hf.ModelCard.load(out).data.license == "apache-2.0"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"schema": "other"}), "result.schema"),
        ("[]", "result: expected dict"),
    ],
)
def test_cli_card_rejects_bad_input_with_exit_2(tmp_path, content, message):
    from raikit.cli.report import card_command

    src = tmp_path / "report.json"
    src.write_text(content, encoding="utf-8")
    res = CliRunner().invoke(card_command, [str(src), "--out", str(tmp_path / "README.md")])
    assert res.exit_code == 2
    assert message in res.output
    assert not (tmp_path / "README.md").exists()


def test_cli_card_help_has_an_example():
    from raikit.cli.report import card_command

    res = CliRunner().invoke(card_command, ["--help"])
    assert res.exit_code == 0 and "Example:" in res.output and "raikit card" in res.output


def test_card_warns_when_a_check_errored_or_the_log_is_unverified():
    result = passing_result()
    result["checks"][0]["n_errors"] = 12
    result["evidence"]["log_verified"] = False
    card = build_model_card(result)
    head = card.split("## Intended use")[0]
    assert "> **Warning:** The pii check failed on 12 of 200 output texts" in head
    assert "> **Warning:** The audit log failed verification" in head
    limitations = card.split("## Limitations")[1].split("## How this card")[0]
    assert "failed on 12 of 200" in limitations
    assert "**Warning:**" not in build_model_card(passing_result())


def test_watermark_line_states_outputs_too_short_to_score():
    result = sample_result()
    result["watermark"]["text"].update(n=50, detected=49, rate=0.98, too_short=4)
    line = next(x for x in build_model_card(result).splitlines() if x.startswith("- Text:"))
    assert "detected in 49 of 50 generated texts (98.0%)" in line
    assert line.endswith("; 4 more were too short to score.")
    result["watermark"]["text"]["too_short"] = 0
    assert "too short" not in build_model_card(result)


def test_card_and_report_read_the_same_section_rows():
    """A figure changed in the result changes both renderings (one section model, two templates)."""
    from raikit.audits._report import render_report_html

    result = sample_result()
    result["bias"]["crows_pairs"]["score"] = 0.6173
    result["watermark"]["text"]["too_short"] = 7
    card, page = build_model_card(result), render_report_html(result, plots=False)
    assert "Stereotype score 0.617 over" in card and "Stereotype score <b>0.617</b> over" in page
    assert "7 more were too short to score" in card and "7 too short to score" in page

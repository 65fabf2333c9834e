"""One generator protocol: every audit and both CLIs take the same generators."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from raikit.audits import GenerationTarget, run_audit
from raikit.audits._generator import TextFunctionGenerator, as_generator, generate_checked, prompt_seed, takes_one_prompt
from raikit.audits.bias import FakeGenerator, LengthScorer, PromptItem, PromptSuite, run_bias_audit
from raikit.audits._suites import AuditPrompt
from raikit.cli import cli
from raikit.errors import InputError
from raikit.guardrails import policy_from_string

POLICY = """
version: 1
name: gen-test
checks:
  - id: words
    type: denylist
    applies_to: output
    params: {{terms: {{BAD: [terrible]}}}}
    action: block
gates:
  max_rate: {{words: 0.5}}
audit:
  suites: ["{suite}"]
  bias: {{enabled: false}}
"""


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    path = tmp_path / "suite.jsonl"
    rows = [{"id": f"p{i}", "prompt": f"The {'woman' if i % 2 else 'man'} number {i}"} for i in range(10)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


@pytest.fixture(autouse=True)
def log_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKIT_LOG_KEY", "ab" * 32)


def test_the_bias_fake_generator_is_an_audit_target(tmp_path: Path, suite: Path) -> None:
    policy = policy_from_string(POLICY.format(suite=suite))
    outcome = run_audit(FakeGenerator(bias={"woman": "terrible"}), policy=policy, out_dir=tmp_path / "out", progress=False)
    [check] = outcome.result["checks"]
    assert check["n_flagged"] == 5 and outcome.result["run"]["generator"]["id"] == "fake-generator"
    from raikit.audits import AuditResult

    stored = AuditResult.from_json((tmp_path / "out" / "report.json").read_text())
    assert stored.verdict == outcome.audit.verdict == "pass" and stored.gates == outcome.audit.gates
    assert stored.evidence["card_sha256"] == outcome.audit.evidence["card_sha256"] is not None


def test_a_prompt_to_text_function_is_adapted_everywhere() -> None:
    def upper(prompt: str) -> str:
        return prompt.upper()

    generator = as_generator(upper)
    assert isinstance(generator, TextFunctionGenerator)
    assert generator(["ab"], [0], logits_processor=None) == ["AB"]
    suite = PromptSuite(name="s", kind="file", items=(PromptItem("a b", "x"), PromptItem("a b c", "y")))
    bias = run_bias_audit(upper, [suite], scorers=[LengthScorer()], progress=False)
    assert bias["suites"][0]["metrics"]["length"]["difference"] == pytest.approx(1.0)


def test_batch_generators_pass_through_and_classes_are_instantiated() -> None:
    fake = FakeGenerator()
    assert as_generator(fake) is fake
    assert isinstance(as_generator("raikit.audits.bias:FakeGenerator"), FakeGenerator)
    assert takes_one_prompt(fake) is False


def test_wrong_output_count_is_a_located_input_error() -> None:
    with pytest.raises(InputError, match="returned 1 outputs for 2 prompts"):
        generate_checked(lambda prompts, seeds: ["x"], ["a", "b"], [0, 1])


def test_one_prompt_type_and_one_seed_scheme() -> None:
    assert AuditPrompt is PromptItem
    assert prompt_seed(3, "suite", 1) == prompt_seed(3, "suite", 1) != prompt_seed(3, "suite", 2)


def test_text_function_spec_pickles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "spec_gen.py").write_text("def answer(prompt):\n    return prompt[::-1]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    clone = pickle.loads(pickle.dumps(TextFunctionGenerator("spec_gen:answer")))
    assert clone(["abc"], [0]) == ["cba"]


def test_cli_audit_takes_a_batch_generator(tmp_path: Path, suite: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY.format(suite=suite))
    result = CliRunner().invoke(
        cli,
        ["audit", "--generator", "raikit.audits.bias._generators:BIASED_DEMO", "-p", str(policy), "-o", str(tmp_path / "r"), "--json", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["checks"]["words"]["rate"] == 0.5


def test_cli_bias_takes_a_prompt_to_text_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "text_gen.py").write_text("def answer(prompt):\n    return 'fine words here'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(
        cli, ["bias", "run", "-g", "text_gen:answer", "--counterfactual", "occupations", "--no-harm", "--json", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counterfactual"]

"""``raikit bias run`` and ``raikit bias crows-pairs`` through click's CliRunner."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from raikit.cli.bias import bias

GEN = "raikit.audits.bias:FakeGenerator"


def test_run_counterfactual_json():
    result = CliRunner().invoke(bias, ["run", "-g", GEN, "--counterfactual", "occupations", "--no-harm", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["suites"] == [] and {e["metric"] for e in data["counterfactual"]} == {"sentiment", "refusal", "length"}


def test_run_prompt_file_gate_fails_with_exit_1(tmp_path):
    path = tmp_path / "p.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["prompt", "team"])
        for i in range(20):
            writer.writerow([f"prompt {i} about a woman" if i % 2 else f"prompt {i} about a man", "w" if i % 2 else "m"])
    runner = CliRunner()
    ok = runner.invoke(bias, ["run", "-g", GEN, "--prompts", str(path), "--group-column", "team", "--no-harm",
                              "--no-progress", "--gate", "length=0.5", "-o", str(tmp_path / "bias.json"),
                              "--plots", str(tmp_path / "plots")])
    assert ok.exit_code == 0, ok.output
    assert "file:p" in ok.output
    assert json.loads((tmp_path / "bias.json").read_text())["suites"][0]["metrics"]["length"]["passed"] is True
    assert (tmp_path / "plots" / "bias_gaps.png").stat().st_size > 1000
    gen = "raikit.audits.bias._generators:BIASED_DEMO"
    failed = runner.invoke(bias, ["run", "-g", gen, "--prompts", str(path), "--group-column", "team", "--no-harm",
                                  "--json", "--gate", "sentiment=0.05"])
    assert failed.exit_code == 1, failed.output
    assert "bias gate failed: max_gap:file:p.sentiment" in failed.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--no-harm"], "give --generator module:function or --demo"),
        (["run", "-g", "nomodule_xyz:f"], "cannot import generator module"),
        (["run", "-g", GEN, "--gate", "sentiment"], "METRIC=LIMIT"),
        (["run", "-g", GEN, "--crows-pairs"], "--crows-pairs scores the demo LM"),
        (["crows-pairs"], "give --model PATH or --demo"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = CliRunner().invoke(bias, args)
    assert result.exit_code == 2
    assert message in result.output


def test_crows_pairs_on_a_saved_tiny_model(tmp_path):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = "<s> <unk> the a people are is lazy kind alpha beta .".split()
    tok = Tokenizer(models.WordLevel(vocab={w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", unk_token="<unk>")
    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(transformers.GPT2Config(vocab_size=len(words), n_positions=16, n_embd=16,
                                                                 n_layer=1, n_head=2, bos_token_id=0, eos_token_id=0))
    model.save_pretrained(tmp_path / "lm")
    tokenizer.save_pretrained(tmp_path / "lm")
    data = tmp_path / "crows.csv"
    data.write_text("sent_more,sent_less,bias_type\nthe alpha people are lazy .,the beta people are lazy .,x\n"
                    "a alpha is kind .,a beta is kind .,y\n", encoding="utf-8")
    result = CliRunner().invoke(bias, ["crows-pairs", "--model", str(tmp_path / "lm"), "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["model"] == "lm" and out["n"] == 2 and set(out["by_type"]) == {"x", "y"}
    gate = CliRunner().invoke(bias, ["crows-pairs", "--model", str(tmp_path / "lm"), "--data", str(data),
                                     "--fail-above", "-0.1", "--no-progress"])
    assert gate.exit_code == 1
    missing = CliRunner().invoke(bias, ["crows-pairs", "--model", str(tmp_path / "nope"), "--data", str(data)])
    assert missing.exit_code == 2 and "model folder not found" in missing.output

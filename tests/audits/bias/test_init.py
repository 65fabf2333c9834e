"""The public surface of raikit.audits.bias, and cheap imports."""

from __future__ import annotations

import subprocess
import sys

import raikit.audits.bias as bias_pkg

EXPECTED = [
    "BUILTIN_COUNTERFACTUAL", "BiasSuiteSpec", "CallableScorer", "CheckScorer", "CrowsPair", "DemoGenerator",
    "Executor", "FakeGenerator", "GroupGap", "HarmScorer", "LengthScorer", "LocalExecutor", "PairedResult",
    "PromptItem", "PromptSuite", "RayExecutor", "RefusalScorer", "Scorer", "SentimentScorer", "bias_gates",
    "bootstrap_ci", "crows_pairs_score", "data_dir", "default_scorers", "disaggregate", "load_crows_pairs",
    "load_generator", "paired_test", "plot_bias", "prompt_seed", "run_bias_audit", "score_pairs",
]


def test_all_is_sorted_and_exact():
    assert bias_pkg.__all__ == sorted(bias_pkg.__all__) == EXPECTED
    for name in EXPECTED:
        assert hasattr(bias_pkg, name)


def test_import_is_cheap():
    code = ("import sys, raikit.audits.bias, raikit.cli.bias; "
            "print(sorted(m for m in ('torch', 'transformers', 'fairlearn', 'ray', 'pandas', 'scipy', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"

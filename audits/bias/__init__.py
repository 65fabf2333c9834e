"""Bias audits of generators: group-sliced prompt suites, scores, disaggregation, gates.

* Suites: BOLD (sampled per group with a seed), the user's CSV/JSONL with a group column,
  counterfactual templates where only the group term changes (:class:`BiasSuiteSpec`).
* Scorers: VADER sentiment, refusal, length, harm probability, any check (:class:`Scorer`).
* Statistics: fairlearn ``MetricFrame`` per group (difference and ratio), seeded bootstrap
  intervals, Wilcoxon signed-rank or permutation tests on counterfactual pairs.
* CrowS-Pairs for Hugging Face causal and masked LMs (:func:`crows_pairs_score`).
* Gates: the largest allowed gap per metric; executors: local or Ray, identical results.

Example:
    >>> from raikit.audits.bias import BiasSuiteSpec, FakeGenerator, LengthScorer, run_bias_audit
    >>> suite = BiasSuiteSpec.counterfactual("demo", templates=["The {group} was"],
    ...                                      groups=["man", "woman"])
    >>> bias = run_bias_audit(FakeGenerator(), [suite], scorers=[LengthScorer()], progress=False)
    >>> bias["counterfactual"][0]["groups"]
    ['man', 'woman']
"""

from raikit.audits._executor import Executor, LocalExecutor, RayExecutor
from raikit.audits._gates import bias_gates
from raikit.audits._generator import load_generator, prompt_seed
from raikit.audits.bias._audit import run_bias_audit
from raikit.audits.bias._crows import CrowsPair, crows_pairs_score, load_crows_pairs, score_pairs
from raikit.audits.bias._data import data_dir
from raikit.audits.bias._generators import FakeGenerator
from raikit.audits.bias._plots import plot_bias
from raikit.audits.bias._scorers import (
    CallableScorer,
    CheckScorer,
    HarmScorer,
    LengthScorer,
    RefusalScorer,
    Scorer,
    SentimentScorer,
    default_scorers,
)
from raikit.audits.bias._stats import GroupGap, PairedResult, bootstrap_ci, disaggregate, paired_test
from raikit.audits.bias._suites import BUILTIN_COUNTERFACTUAL, BiasSuiteSpec, PromptItem, PromptSuite
from raikit.demo import DemoGenerator

__all__ = [
    "BUILTIN_COUNTERFACTUAL",
    "BiasSuiteSpec",
    "CallableScorer",
    "CheckScorer",
    "CrowsPair",
    "DemoGenerator",
    "Executor",
    "FakeGenerator",
    "GroupGap",
    "HarmScorer",
    "LengthScorer",
    "LocalExecutor",
    "PairedResult",
    "PromptItem",
    "PromptSuite",
    "RayExecutor",
    "RefusalScorer",
    "Scorer",
    "SentimentScorer",
    "bias_gates",
    "bootstrap_ci",
    "crows_pairs_score",
    "data_dir",
    "default_scorers",
    "disaggregate",
    "load_crows_pairs",
    "load_generator",
    "paired_test",
    "plot_bias",
    "prompt_seed",
    "run_bias_audit",
    "score_pairs",
]

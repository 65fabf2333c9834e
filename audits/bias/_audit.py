"""The bias audit: generate for every prompt of every suite, score, disaggregate, gate.

Pipeline::

    suites -> items (prompt, group, pair) -> fixed batches (prompts, seeds)
           -> executor.map_batches(generate + score) -> scores per item
           -> per suite and metric: MetricFrame by group, bootstrap CIs, gap vs limit
           -> per counterfactual suite and metric: paired test between groups

Seeds are a function of (global seed, suite name, prompt index or pair), never of the
worker, and batches are fixed by the prompt order and ``batch_size``; so a local and a
Ray run of the same audit give the same numbers.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from raikit.audits._executor import Executor, LocalExecutor
from raikit.audits._generator import Generator, as_generator, generate_checked, prompt_seed
from raikit.audits._gates import gap_verdict
from raikit.audits.bias._data import CROWS_PAIRS_FILE, CROWS_PAIRS_LICENSE, resolve_data_file
from raikit.audits._progress import progress_bar
from raikit.audits.bias._scorers import Scorer, default_scorers
from raikit.audits.bias._stats import PairedMethod, disaggregate, paired_test
from raikit.audits.bias._suites import BiasSuiteSpec, PromptSuite
from raikit.errors import InputError

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class _BatchResult:
    scores: dict[str, list[float]]
    generate_s: float
    score_s: float

    @property
    def n(self) -> int:
        return len(next(iter(self.scores.values()), []))


class _GenerateAndScore:
    """The picklable unit of work an executor runs: generate one batch, then score it."""

    def __init__(self, generate_batch: Generator, scorers: Sequence[Scorer]) -> None:
        self.generate_batch = generate_batch
        self.scorers = list(scorers)

    def __call__(self, batch: tuple[list[str], list[int]]) -> _BatchResult:
        prompts, seeds = batch
        t0 = time.perf_counter()
        outputs = generate_checked(self.generate_batch, prompts, seeds)
        t1 = time.perf_counter()
        scores = {scorer.name: scorer.score(outputs) for scorer in self.scorers}
        t2 = time.perf_counter()
        for name, values in scores.items():
            if len(values) != len(outputs):
                raise InputError(f"scorer {name!r} returned {len(values)} scores for {len(outputs)} texts")
        return _BatchResult(scores=scores, generate_s=t1 - t0, score_s=t2 - t1)


def _gate_limit(gates: Mapping[str, float] | None, suite: str, metric: str) -> float | None:
    if not gates:
        return None
    for key in (f"{suite}.{metric}", metric):
        if key in gates and gates[key] is not None:
            return float(gates[key])
    return None


def _load_suites(suites: Sequence[BiasSuiteSpec | PromptSuite], seed: int,
                 data_path: Any) -> list[PromptSuite]:
    loaded = []
    for spec in suites:
        if isinstance(spec, Mapping):
            spec = BiasSuiteSpec.from_dict(spec)
        suite = spec if isinstance(spec, PromptSuite) else spec.load(seed=seed, data_path=data_path)
        if not suite.items:
            raise InputError(f"bias suite {suite.name!r} has no prompts")
        loaded.append(suite)
    names = [s.name for s in loaded]
    if len(set(names)) != len(names):
        raise InputError(f"bias suite names must be unique, got {names}")
    return loaded


def run_bias_audit(
    generate_batch: Generator,
    suites: Sequence[BiasSuiteSpec | PromptSuite | Mapping[str, Any]],
    *,
    scorers: Sequence[Scorer] | None = None,
    executor: Executor | None = None,
    seed: int = 0,
    batch_size: int = 32,
    progress: bool = True,
    gates: Mapping[str, float] | None = None,
    crows_pairs: Mapping[str, Any] | None = None,
    data_path: Any = None,
    paired_method: PairedMethod = "wilcoxon",
    n_resamples: int = 1000,
    timings: dict[str, Any] | None = None,
    datasets: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run a bias audit of a generator and return the report's ``bias`` object.

    Args:
        generate_batch: A :class:`~raikit.audits._generator.Generator` (one output per
            prompt, the continuation only; called without a logits processor), or a
            ``prompt -> text`` function (adapted). It must be picklable for process or Ray
            executors.
        suites: Suite specs (:class:`BiasSuiteSpec`, a mapping for ``from_dict``) or loaded
            :class:`PromptSuite` objects. Counterfactual suites give paired tests; the others
            give per-group means and gaps.
        scorers: The metrics (default :func:`default_scorers`: sentiment, refusal, length and
            harm when the harm check is installed).
        executor: Where batches run (default ``LocalExecutor()``, inline).
        seed: Global seed: sampling of suites, generation seeds, bootstraps.
        batch_size: Prompts per generator call.
        progress: Draw a progress bar (work done and rate) on stderr.
        gates: Largest allowed gap per metric: ``{"sentiment": 0.1}`` for every suite or
            ``{"bold:gender.sentiment": 0.1}`` for one suite.
        crows_pairs: Arguments for :func:`crows_pairs_score` (``{"model": path, "kind":
            "causal"}``), or an already computed result; ``None`` skips CrowS-Pairs.
        data_path: The shared data folder (default ``$RAIKIT_DATA`` or ``../shared/data``).
        paired_method: ``"wilcoxon"`` or ``"permutation"`` for counterfactual pairs.
        n_resamples: Bootstrap resamples per interval.
        timings: When a dict is given, it is filled with ``n_prompts``, ``wall_s``,
            ``generate_s`` and ``score_s`` (summed over batches) for benchmarks.
        datasets: When a list is given, the data sets used (name, source, n, license) are
            appended to it, for the report's ``data`` list.

    Returns:
        ``{"suites": [...], "counterfactual": [...], "crows_pairs": {...} | None}`` as in the
        ``raikit.audit/1`` report schema. ``limit`` and ``passed`` are ``None`` for metrics
        without a gate.

    Raises:
        InputError: A suite cannot be loaded, or the generator or a scorer returned the wrong
            number of results.

    Example:
        >>> from raikit.audits.bias import BiasSuiteSpec, FakeGenerator, LengthScorer
        >>> suite = BiasSuiteSpec.counterfactual("demo", templates=["The {group} was"],
        ...                                      groups=["man", "woman"])
        >>> bias = run_bias_audit(FakeGenerator(bias={"woman": "very"}), [suite],
        ...                       scorers=[LengthScorer()], progress=False)
        >>> bias["counterfactual"][0]["mean_difference"]
        1.0
    """
    if batch_size < 1:
        raise InputError(f"batch_size must be >= 1, got {batch_size!r}")
    started = time.perf_counter()
    loaded = _load_suites(suites, seed, data_path)
    scorers = list(scorers) if scorers is not None else default_scorers()
    if not scorers:
        raise InputError("run_bias_audit needs at least one scorer")
    metric_names = [s.name for s in scorers]
    if len(set(metric_names)) != len(metric_names):
        raise InputError(f"scorer names must be unique, got {metric_names}")
    executor = executor or LocalExecutor()

    prompts: list[str] = []
    seeds: list[int] = []
    for suite in loaded:
        for index, item in enumerate(suite.items):
            prompts.append(item.prompt)
            seeds.append(prompt_seed(seed, suite.name, item.pair if item.pair is not None else index))
    batches = [(prompts[i : i + batch_size], seeds[i : i + batch_size])
               for i in range(0, len(prompts), batch_size)]
    logger.info("bias audit: %d suites, %d prompts, %d batches, executor=%s",
                len(loaded), len(prompts), len(batches), executor.describe())

    job = _GenerateAndScore(as_generator(generate_batch), scorers)
    with progress_bar("bias audit", len(prompts), enabled=progress) as advance:
        results = executor.map_batches(job, batches, on_result=lambda _i, r: advance(r.n))
    scores: dict[str, list[float]] = {name: [] for name in metric_names}
    for result in results:
        for name in metric_names:
            scores[name].extend(result.scores[name])

    bias: dict[str, Any] = {"suites": [], "counterfactual": [], "crows_pairs": None}
    used = [suite.describe() for suite in loaded]
    offset = 0
    for suite in loaded:
        n = len(suite.items)
        suite_scores = {name: values[offset : offset + n] for name, values in scores.items()}
        offset += n
        if suite.kind == "counterfactual":
            bias["counterfactual"].extend(
                _paired_entries(suite, suite_scores, seed=seed, method=paired_method, n_resamples=n_resamples)
            )
        else:
            bias["suites"].append(
                _suite_entry(suite, suite_scores, seed=seed, gates=gates, n_resamples=n_resamples)
            )

    if crows_pairs is not None:
        if "score" in crows_pairs:
            bias["crows_pairs"] = dict(crows_pairs)
        else:
            from raikit.audits.bias._crows import crows_pairs_score

            args = dict(crows_pairs)
            args.setdefault("data_path", None)
            args.setdefault("progress", progress)
            bias["crows_pairs"] = crows_pairs_score(args.pop("model"), **args)
            source = resolve_data_file(args["data_path"], CROWS_PAIRS_FILE)
            used.append({"name": "crows-pairs", "source": str(source), "n": bias["crows_pairs"]["n"],
                                  "license": CROWS_PAIRS_LICENSE})

    if datasets is not None:
        datasets.extend(used)
    if timings is not None:
        timings.update(
            n_prompts=len(prompts),
            n_batches=len(batches),
            wall_s=time.perf_counter() - started,
            generate_s=sum(r.generate_s for r in results),
            score_s=sum(r.score_s for r in results),
            executor=executor.describe(),
        )
    return bias


def _suite_entry(suite: PromptSuite, scores: dict[str, list[float]], *, seed: int,
                 gates: Mapping[str, float] | None, n_resamples: int) -> dict[str, Any]:
    groups = [item.group for item in suite.items]
    metrics: dict[str, Any] = {}
    for m_index, (name, values) in enumerate(scores.items()):
        gap = disaggregate(values, groups, seed=[seed, zlib.crc32(suite.name.encode()), m_index],
                           n_resamples=n_resamples)
        limit = _gate_limit(gates, suite.name, name)
        passed = gap_verdict(gap.difference, limit)
        metrics[name] = {"groups": gap.groups, "difference": gap.difference, "ratio": gap.ratio,
                         "limit": limit, "passed": passed}
    return {"name": suite.name, "domain": suite.domain, "n": len(suite.items), "seed": seed,
            "metrics": metrics}


def _paired_entries(suite: PromptSuite, scores: dict[str, list[float]], *, seed: int,
                    method: PairedMethod, n_resamples: int) -> list[dict[str, Any]]:
    """One entry per metric and per group compared with the first (reference) group."""
    groups = suite.groups
    by_pair: dict[int, dict[str, int]] = {}
    for index, item in enumerate(suite.items):
        by_pair.setdefault(int(item.pair if item.pair is not None else index), {})[item.group] = index
    metrics = [m for m in scores if suite.metrics is None or m in suite.metrics]
    unknown = sorted(set(suite.metrics or ()) - set(scores))
    if unknown:
        raise InputError(f"counterfactual suite {suite.name!r} asks for unknown metric(s) {unknown}")
    entries = []
    reference = groups[0]
    for m_index, metric in enumerate(metrics):
        values = scores[metric]
        for g_index, other in enumerate(groups[1:], start=1):
            pairs = [(members[reference], members[other]) for members in by_pair.values()
                     if reference in members and other in members]
            if not pairs:
                continue
            result = paired_test([values[a] for a, _ in pairs], [values[b] for _, b in pairs], method=method,
                                 seed=[seed, zlib.crc32(suite.name.encode()), m_index, g_index],
                                 n_resamples=max(n_resamples, 1000))
            entries.append({
                "name": suite.name, "metric": metric, "n_pairs": result.n_pairs, "groups": [reference, other],
                "mean_difference": round(result.mean_difference, 6),
                "ci": [round(result.ci[0], 6), round(result.ci[1], 6)],
                "p_value": float(f"{result.p_value:.4g}"), "test": result.test,
            })
    return entries

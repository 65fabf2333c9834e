"""Executors keep order; local and Ray runs of an audit agree."""

from __future__ import annotations

import json
import time

import pytest

from raikit.audits._executor import LocalExecutor, RayExecutor
from raikit.audits.bias import BiasSuiteSpec, FakeGenerator, LengthScorer, SentimentScorer, run_bias_audit
from raikit.errors import InputError, MissingDependencyError


def _slow_square(x: int) -> int:
    time.sleep(0.01 * (5 - x % 5))  # later batches finish first
    return x * x


@pytest.mark.parametrize("executor", [LocalExecutor(), LocalExecutor(workers=3, backend="thread")])
def test_map_batches_preserves_order(executor):
    seen: list[int] = []
    assert executor.map_batches(_slow_square, list(range(12)), on_result=lambda i, r: seen.append(i)) == [
        x * x for x in range(12)]
    assert sorted(seen) == list(range(12))


def test_bad_arguments():
    with pytest.raises(InputError, match="workers"):
        LocalExecutor(workers=0)
    with pytest.raises(InputError, match="backend"):
        LocalExecutor(workers=2, backend="fiber")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="cannot be pickled"):
        LocalExecutor(workers=2).map_batches(lambda b: b, [1, 2])


def test_missing_ray_names_the_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray":
            raise ImportError("no ray")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(MissingDependencyError, match=r"pip install 'raikit\[ray\]'"):
        RayExecutor()


def test_local_and_ray_runs_agree():
    pytest.importorskip("ray", reason="ray is not installed (pip install 'raikit[ray]')")
    suites = [BiasSuiteSpec.counterfactual("occupations")]
    kwargs = dict(scorers=[SentimentScorer(), LengthScorer()], progress=False, batch_size=16, seed=3)
    generator = FakeGenerator(bias={"woman": "terrible"})
    local = run_bias_audit(generator, suites, **kwargs)
    executor = RayExecutor(workers=2, init_kwargs={"object_store_memory": 80 * 1024 * 1024})
    try:
        remote = run_bias_audit(generator, suites, executor=executor, **kwargs)
    finally:
        executor.shutdown()
    assert json.dumps(local, sort_keys=True) == json.dumps(remote, sort_keys=True)

"""runtime.isolation: process: a check over its budget is stopped (its worker killed), not abandoned."""

from __future__ import annotations

import time

from raikit.guardrails import Check, Finding, PolicyRunner, guard, policy_from_string


class SleepCheck(Check):
    """Sleeps ``seconds`` on texts containing ``hang``; finds ``bad`` otherwise (picklable)."""

    name = "fake-sleep"

    def __init__(self, *, seconds: float = 30.0, id: str | None = None, threshold: float = 0.5) -> None:
        super().__init__(id=id or "sleep", threshold=threshold)
        self.seconds = seconds

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        if any("hang" in t for t in texts):
            time.sleep(self.seconds)
        return [[self.finding("BAD", t.find("bad"), t.find("bad") + 3, 1.0)] if "bad" in t else [] for t in texts]


POLICY = """
version: 1
name: isolated
on_block: refuse
refusal: REFUSED
runtime: {isolation: process, workers: 1}
checks:
  - id: model
    type: denylist
    params: {terms: [unused]}
    timeout_s: 1.0
"""


def test_overrunning_check_is_stopped_and_the_pool_restarts() -> None:
    runner = PolicyRunner(policy_from_string(POLICY), checks={"model": SleepCheck(id="model")})
    try:
        runner.load()
        assert runner.scan(["a bad word"])[0].outcome == "blocked"  # runs in the worker
        started = time.perf_counter()
        result = runner.scan(["please hang"])[0]
        answered = time.perf_counter() - started
        assert result.outcome == "blocked" and "time budget" in result.errors[0].reason
        assert answered < 5.0  # the budget (1 s) plus the kill, not the 30 s sleep
        assert runner._processes is not None and runner._processes.restarts == 1
        assert [r.outcome for r in runner.scan(["fine", "bad"])] == ["allowed", "blocked"]  # a fresh worker
    finally:
        runner.close()


def test_guard_with_process_isolation_end_to_end() -> None:
    g = guard(policy_from_string(POLICY), checks={"model": SleepCheck(id="model")})
    try:

        @g
        def generate(prompt: str) -> str:
            return "something bad"

        assert generate("hi") == "REFUSED"
    finally:
        g.close()

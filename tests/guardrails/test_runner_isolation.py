"""Worker processes under the default ``isolation: auto``: a hung or memory-hungry third-party
check is stopped in its own worker, and the pool's other workers keep serving."""

from __future__ import annotations

import threading
import time

import pytest

from raikit.guardrails import Check, Finding, PolicyRunner, policy_from_string
from raikit.guardrails.testing import KeywordCheck


class HangCheck(Check):
    """Never returns on texts containing ``hang``; allocates ``mb`` MB on ``grow``; finds ``bad``."""

    name = "fake-hang"

    def __init__(self, *, mb: int = 0, id: str | None = None, threshold: float = 0.5) -> None:
        super().__init__(id=id or "hang", threshold=threshold)
        self.mb = mb

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        if any("hang" in t for t in texts):
            while True:
                time.sleep(0.05)
        if any("grow" in t for t in texts):
            held = bytearray(self.mb * 1024 * 1024)
            assert len(held) == self.mb * 1024 * 1024
        return [[self.finding("BAD", t.find("bad"), t.find("bad") + 3, 1.0)] if "bad" in t else [] for t in texts]


POLICY = """
version: 1
name: third-party
on_block: refuse
runtime: {runtime}
checks:
  - id: hang
    type: denylist
    params: {{terms: [unused]}}
    timeout_s: {timeout}
    on_error: {on_error}
"""


def runner(runtime: str = "{}", on_error: str = "block", mb: int = 0, timeout: float = 1.0) -> PolicyRunner:
    policy = policy_from_string(POLICY.format(runtime=runtime, on_error=on_error, timeout=timeout))
    return PolicyRunner(policy, checks={"hang": HangCheck(id="hang", mb=mb)})


def test_auto_isolates_third_party_checks_and_keeps_raikit_checks_on_threads() -> None:
    text = """
version: 1
name: mixed
checks:
  - {id: words, type: denylist, params: {terms: [x]}}
  - {id: fake, type: denylist, params: {terms: [y]}}
  - {id: other, type: denylist, params: {terms: [z]}}
"""
    r = PolicyRunner(policy_from_string(text), checks={"fake": KeywordCheck(words={}, id="fake"),
                                                       "other": HangCheck(id="other")})
    assert r.policy.runtime.isolation == "auto"
    assert r.isolated == {"other"}  # raikit's own checks (bundled and its fakes) stay in the process
    thread = PolicyRunner(policy_from_string(text.replace("name: mixed", "name: m\nruntime: {isolation: thread}")),
                          checks={"other": HangCheck(id="other")})
    assert thread.isolated == frozenset()
    r.close()
    thread.close()


def test_a_hung_check_is_stopped_by_default_and_other_calls_are_served_meanwhile() -> None:
    r = runner()
    try:
        r.load()
        assert r.scan(["a bad word"], stage="prompt")[0].outcome == "blocked"  # found in a worker
        box: dict[str, object] = {}

        def hung() -> None:
            started = time.monotonic()
            box["result"] = r.scan_batched(["please hang"], stage="prompt")[0]
            box["answer_s"] = time.monotonic() - started

        caller = threading.Thread(target=hung)
        caller.start()
        time.sleep(0.2)
        # The second worker serves other calls while the first one hangs.
        assert [x.outcome for x in r.scan_batched(["fine", "bad"], stage="prompt")] == ["allowed", "blocked"]
        assert caller.is_alive()  # the hung call is still within its 1 s budget
        caller.join(timeout=20)
        result = box["result"]
        assert result.outcome == "blocked" and "time budget" in result.errors[0].reason  # type: ignore[attr-defined]
        assert r._processes is not None and r._processes.restarts == 1  # only the hung worker was replaced
        assert [x.outcome for x in r.scan(["fine", "bad"], stage="prompt")] == ["allowed", "blocked"]
    finally:
        r.close()


@pytest.mark.parametrize(("on_error", "outcome"), [("block", "blocked"), ("warn", "warned")])
def test_a_worker_over_its_memory_limit_is_replaced_and_the_call_follows_on_error(on_error: str, outcome: str) -> None:
    r = runner("{worker_memory_mb: 512, workers: 1}", on_error=on_error, mb=1024, timeout=10.0)
    try:
        r.load()
        assert r.scan(["a bad word"])[0].outcome == "blocked"
        (result,) = r.scan(["grow please"])
        assert result.outcome == outcome and result.errors[0].reason == "raised WorkerMemoryError"
        assert r._processes is not None and r._processes.restarts == 1
        # A fresh worker: the call waits for it to load, then runs within its budget.
        assert [x.outcome for x in r.scan(["fine", "bad"])] == ["allowed", "blocked"]
    finally:
        r.close()


def test_a_check_within_the_memory_limit_runs() -> None:
    r = runner("{worker_memory_mb: 1024, workers: 1}", mb=64, timeout=10.0)
    try:
        r.load()
        assert [x.outcome for x in r.scan(["grow a bad word", "grow"])] == ["blocked", "allowed"]
        assert r._processes is not None and r._processes.restarts == 0
    finally:
        r.close()


def test_a_third_party_check_a_worker_cannot_rebuild_stays_on_a_thread_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Local(KeywordCheck):  # a local class cannot be imported by a worker
        pass

    with caplog.at_level("WARNING"):
        r = PolicyRunner(policy_from_string(POLICY.format(runtime="{}", on_error="block", timeout=1.0)),
                         checks={"hang": Local(words={"BAD": "bad"}, id="hang")})
    assert r.isolated == frozenset() and "cannot be rebuilt in a worker process" in caplog.text
    assert r.scan(["a bad word"])[0].outcome == "blocked"
    r.close()

"""Long texts are background work in bounded units: they neither starve other calls nor run
on past their budget."""

from __future__ import annotations

import threading
import time

import pytest

from raikit.guardrails import Check, Finding, PolicyRunner, policy_from_string
from raikit.guardrails import _budget
from raikit.guardrails._runner import LARGE_REQUEST_CHARS


class SlowCheck(Check):
    """Spends ``unit_s`` per ``_scan`` call (as a model would per window) and counts them."""

    name = "fake-slow"

    def __init__(self, *, unit_s: float = 0.05, id: str | None = None, threshold: float = 0.5) -> None:
        super().__init__(id=id or "slow", threshold=threshold)
        self.unit_s = unit_s
        self.calls = 0
        self.sizes: list[int] = []

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        self.calls += 1
        self.sizes.append(sum(len(t) for t in texts))
        time.sleep(self.unit_s)
        return [[self.finding("BAD", t.find("bad"), t.find("bad") + 3, 1.0)] if "bad" in t else [] for t in texts]


POLICY = """
version: 1
name: fair
runtime: {isolation: thread}
checks:
  - id: slow
    type: denylist
    params: {terms: [unused]}
    timeout_s: TIMEOUT
"""

LONG = ("Our team met on Tuesday to review the garden project. " * 900)[:45_000] + " bad"


def runner(timeout: float = 30.0, unit_s: float = 0.05) -> tuple[PolicyRunner, SlowCheck]:
    check = SlowCheck(id="slow", unit_s=unit_s)
    return PolicyRunner(policy_from_string(POLICY.replace("TIMEOUT", str(timeout))), checks={"slow": check}), check


def test_long_texts_are_scanned_in_bounded_units_and_findings_keep_their_offsets() -> None:
    r, check = runner(unit_s=0.0)
    (result,) = r.scan([LONG], stage="prompt")
    assert result.outcome == "blocked" and [(f.start, f.end) for f in result.findings] == [(45_001, 45_004)]
    assert check.calls > 20 and max(check.sizes) <= check.unit_chars
    r.close()


def test_a_long_text_stops_at_its_budget_instead_of_running_on() -> None:
    r, check = runner(timeout=0.5, unit_s=0.05)  # 26 units of 50 ms: 1.3 s of work
    (result,) = r.scan_batched([LONG], stage="prompt")
    assert result.outcome == "blocked" and "time budget" in result.errors[0].reason
    time.sleep(0.3)
    stopped_at = check.calls
    time.sleep(0.5)
    assert check.calls == stopped_at < 26  # the worker thread stopped itself, it was not abandoned
    r.close()


def test_a_benign_call_is_served_while_a_long_text_is_scanned() -> None:
    r, check = runner(unit_s=0.05)  # the long text: about 26 units, 1.3 s
    box: dict[str, float] = {}

    def long_call() -> None:
        r.scan_batched([LONG], stage="prompt")
        box["long_done"] = time.monotonic()

    caller = threading.Thread(target=long_call)
    caller.start()
    time.sleep(0.2)
    assert r.scan_batched(["hello, how are you today?"], stage="prompt")[0].outcome == "allowed"
    benign_done = time.monotonic()
    caller.join(timeout=30)
    # Before: the benign call queued behind the whole long scan in the one batch thread.
    assert benign_done < box["long_done"] - 0.3
    r.close()


def test_requests_over_the_large_size_take_the_background_lane() -> None:
    r, _ = runner(unit_s=0.0)
    r.scan_batched(["x" * (LARGE_REQUEST_CHARS + 1)], stage="prompt")
    r.scan_batched(["short"], stage="prompt")
    assert set(r._batchers) == {("prompt", True), ("prompt", False)}
    r.close()


def test_background_units_wait_for_foreground_scans_and_for_no_longer_than_their_deadline() -> None:
    order: list[str] = []
    release = threading.Event()

    def foreground() -> None:
        with _budget.foreground():
            order.append("fg start")
            release.wait(5)
            order.append("fg end")

    def background(deadline: float) -> None:
        try:
            _budget.run_within(_budget.Budget(deadline, background=True), _budget.next_unit)
            order.append("bg unit")
        except _budget.BudgetExceeded:
            order.append("bg out of budget")

    fg = threading.Thread(target=foreground)
    fg.start()
    while not order:
        time.sleep(0.01)
    bg = threading.Thread(target=background, args=(time.monotonic() + 30,))
    bg.start()
    time.sleep(0.2)
    assert order == ["fg start"]  # waiting its turn
    release.set()
    fg.join()
    bg.join(timeout=5)
    assert order == ["fg start", "fg end", "bg unit"]

    order.clear()
    release.clear()
    fg = threading.Thread(target=foreground)
    fg.start()
    while not order:
        time.sleep(0.01)
    background(time.monotonic() + 0.2)  # the foreground never ends in time
    assert order == ["fg start", "bg out of budget"]
    release.set()
    fg.join()


def test_foreground_scans_only_check_their_deadline() -> None:
    with pytest.raises(_budget.BudgetExceeded):
        _budget.run_within(_budget.Budget(time.monotonic() - 1), _budget.next_unit)
    _budget.run_within(_budget.Budget(time.monotonic() + 5), _budget.next_unit)  # no wait, no error
    _budget.next_unit()  # unbudgeted: nothing to check


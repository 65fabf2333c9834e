"""Cooperative time budgets and a foreground-first turn for long scans.

A thread cannot be stopped from outside, so a bundled check stops itself: the runner hands
each scan a :class:`Budget` (its deadline), and :meth:`raikit.guardrails.Check.scan` cuts long
texts into bounded units of work and calls :func:`next_unit` before each one, which raises
:class:`BudgetExceeded` once the deadline has passed. The worker thread is then free one unit
after the budget instead of running on for the rest of the text.

Long inputs are also *background* work: before each of its units a background scan waits
while any foreground scan (an ordinary, short request) is running in this process, so a
45,000-character prompt never holds a benign call for longer than one unit. A background scan
that keeps waiting meets its own deadline and fails like any overrun check (``on_error``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class BudgetExceeded(TimeoutError):
    """A check stopped itself at its deadline."""


@dataclass(frozen=True, slots=True)
class Budget:
    """When a scan must stop (``time.monotonic()`` seconds) and whether it yields to others."""

    deadline: float
    background: bool = False


_CURRENT: ContextVar[Budget | None] = ContextVar("raikit_check_budget", default=None)
_turn = threading.Condition()
_foreground = 0  # foreground scans running in this process


def current() -> Budget | None:
    """The budget of the scan running in this thread (None: unbudgeted)."""
    return _CURRENT.get()


def run_within(budget: Budget | None, fn: Callable[..., T], *args: object) -> T:
    """Call ``fn(*args)`` with ``budget`` as this thread's budget (for worker-pool threads)."""
    token = _CURRENT.set(budget)
    try:
        return fn(*args)
    finally:
        _CURRENT.reset(token)


@contextmanager
def foreground() -> Iterator[None]:
    """Mark a foreground scan as running: background units wait until none is."""
    global _foreground
    with _turn:
        _foreground += 1
    try:
        yield
    finally:
        with _turn:
            _foreground -= 1
            if _foreground == 0:
                _turn.notify_all()


def next_unit() -> None:
    """Called before each unit of work of a long scan.

    Raises:
        BudgetExceeded: the scan's deadline has passed (also while it waited its turn).
    """
    budget = _CURRENT.get()
    if budget is None:
        return
    if budget.background:
        with _turn:
            while _foreground > 0:
                remaining = budget.deadline - time.monotonic()
                if remaining <= 0:
                    break
                _turn.wait(remaining)
    if time.monotonic() >= budget.deadline:
        raise BudgetExceeded("the check's time budget ran out")

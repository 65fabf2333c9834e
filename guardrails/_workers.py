"""Model checks in worker processes that can be stopped (``runtime.isolation: process``).

A thread cannot be cancelled, so a check that overruns its budget on a worker thread keeps
running. In a worker process it is stopped: the pool's processes are killed and a fresh pool
starts on the next scan (its workers load the checks again). The pool belongs to one
runner, has ``runtime.workers`` processes, and keeps the model work (and its hold on the
GIL) out of the server's process.

Checks travel to the workers as their class and state (the state must pickle); each worker
builds and loads them once when it starts.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from typing import Any

from raikit.guardrails._check import Check
from raikit.guardrails._finding import Finding

logger = logging.getLogger(__name__)

_CHECKS: dict[str, Check] = {}  # in a worker: the checks by id


def check_payload(check: Check) -> tuple[type[Check], dict[str, Any]]:
    """What a worker needs to rebuild ``check``: its class and its state minus the lock.

    A check already loaded here leaves its private (model) attributes behind; the worker
    loads its own.
    """
    state = {k: v for k, v in vars(check).items() if k != "_load_lock"}
    if state.get("_loaded"):
        state = {k: (None if k.startswith("_") else v) for k, v in state.items()}
        state["_loaded"] = False
    return type(check), state


def _init(payloads: dict[str, tuple[type[Check], dict[str, Any]]]) -> None:
    for check_id, (cls, state) in payloads.items():
        check = cls.__new__(cls)
        vars(check).update(state)
        check._load_lock = threading.Lock()
        check.load()
        _CHECKS[check_id] = check


def _scan(check_id: str, texts: list[str]) -> list[list[Finding]]:
    return _CHECKS[check_id].scan(texts)


def _ping() -> bool:
    return True


class CheckProcessPool:
    """A bounded, killable pool of worker processes for one runner's model checks.

    Args:
        checks: The checks to run in the workers, by id.
        workers: Number of worker processes.
    """

    def __init__(self, checks: dict[str, Check], workers: int) -> None:
        self._payloads = {check_id: check_payload(check) for check_id, check in checks.items()}
        self.workers = workers
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.restarts = 0  #: How many times the workers were killed and replaced.

    def _pool(self) -> concurrent.futures.ProcessPoolExecutor:
        """The running pool; a new one is started and waited for (loading is not budgeted)."""
        import multiprocessing

        with self._lock:
            if self._executor is not None:
                return self._executor
            pool = self._executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init,
                initargs=(self._payloads,),
            )
            pool.submit(_ping).result()
            return pool

    def start(self) -> None:
        """Start the workers and wait until one has loaded the checks."""
        self._pool()

    def scan(self, check_id: str, texts: list[str], timeout: float) -> list[list[Finding]]:
        """Scan in a worker; past ``timeout`` seconds the workers are killed and it raises TimeoutError."""
        pool = self._pool()
        future = pool.submit(_scan, check_id, texts)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            logger.warning("check %s exceeded its budget; stopping its worker processes", check_id)
            self.kill(pool)
            raise
        except concurrent.futures.process.BrokenProcessPool:
            self.kill(pool)
            raise

    def kill(self, pool: concurrent.futures.ProcessPoolExecutor | None = None) -> None:
        """Kill the worker processes now; the next scan starts new ones."""
        with self._lock:
            if pool is not None and pool is not self._executor:
                return  # already replaced
            pool, self._executor = self._executor, None
        if pool is None:
            return
        self.restarts += 1
        processes = list(getattr(pool, "_processes", {}).values())
        for process in processes:
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=5)

    def close(self) -> None:
        """Stop the workers."""
        self.kill()

"""Checks in worker processes that can be stopped, each under a memory limit.

A thread cannot be cancelled, so a check that overruns its budget on a worker thread keeps
running. In a worker process it is stopped: the one worker running it is killed and a fresh
one is started in the background (it loads the checks again), while the pool's other workers
keep serving. Each worker caps its own address space (``resource.setrlimit(RLIMIT_AS)``) at
``memory_mb``; a worker that runs out is replaced the same way and the call fails
(:class:`WorkerMemoryError`, which the policy's ``on_error`` turns into a block or a warning).

The pool belongs to one runner. Checks travel to the workers as their class and state (the
state must pickle); each worker builds and loads them once when it starts.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any

from raikit.errors import CheckError
from raikit.guardrails._check import Check
from raikit.guardrails._finding import Finding

logger = logging.getLogger(__name__)

Payloads = dict[str, tuple[type[Check], dict[str, Any]]]


class WorkerMemoryError(CheckError):
    """A check's worker process went over its memory limit (the worker was replaced)."""


class WorkerCrashError(CheckError):
    """A check's worker process died (the worker was replaced)."""


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


def _build(payloads: Payloads) -> dict[str, Check]:
    checks = {}
    for check_id, (cls, state) in payloads.items():
        check = cls.__new__(cls)
        vars(check).update(state)
        check._load_lock = threading.Lock()
        check.load()
        checks[check_id] = check
    return checks


def _serve(conn: Any, payloads: Payloads, memory_mb: int | None) -> None:
    """A worker's life: cap memory, load the checks, then answer ``(check_id, texts)`` requests.

    Replies are ``("ready"|"ok"|"error"|"memory", value)``; an error carries only the
    exception's type name (never text). After a MemoryError the worker exits.
    """
    if memory_mb is not None:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        checks = _build(payloads)
    except MemoryError:
        conn.send(("memory", None))
        return
    except Exception as err:  # noqa: BLE001 - reported to the parent by type name
        conn.send(("error", type(err).__name__))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        check_id, texts = request
        try:
            conn.send(("ok", checks[check_id].scan(texts)))
        except MemoryError:
            conn.send(("memory", None))
            return
        except Exception as err:  # noqa: BLE001 - reported to the parent by type name
            conn.send(("error", type(err).__name__))


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, payloads: Payloads, memory_mb: int | None) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, payloads, memory_mb), name="raikit-check-worker",
                                   daemon=True)
        self.process.start()
        child.close()
        self._kill_lock = threading.Lock()
        self._killed = False

    def kill(self) -> None:
        """Stop the process and close the pipe, once, whichever threads ask (a timed-out call and ``close``)."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class CheckProcessPool:
    """A bounded pool of worker processes for one runner's isolated checks.

    Args:
        checks: The checks to run in the workers, by id.
        workers: Number of worker processes.
        memory_mb: Address-space limit of each worker (MB); None: no limit.
    """

    def __init__(self, checks: dict[str, Check], workers: int, memory_mb: int | None = None) -> None:
        self._payloads = {check_id: check_payload(check) for check_id, check in checks.items()}
        self.workers = workers
        self.memory_mb = memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._alive: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._first_ready = threading.Event()
        self._loading = 0  # workers started and not yet ready
        self._start_error: str | None = None
        self.restarts = 0  #: How many workers were killed and replaced.

    def start(self) -> None:
        """Start the workers and wait until one has loaded the checks (loading is not budgeted)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the guard's check runner is closed")
            if not self._started:
                self._started = True
                for _ in range(self.workers):
                    self._spawn()
        self._first_ready.wait()

    def _spawn(self) -> None:
        """Start one worker; a thread hands it to the idle queue once it has loaded (lock held)."""
        worker = _Worker(self._payloads, self.memory_mb)
        self._alive.add(worker)
        self._loading += 1
        threading.Thread(target=self._await_ready, args=(worker,), name="raikit-worker-start", daemon=True).start()

    def _await_ready(self, worker: _Worker) -> None:
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            kind, value = "error", "worker exited while loading"
        with self._lock:
            self._loading -= 1
        if kind == "ready":
            self._start_error = None
            self._idle.put(worker)
        else:
            with self._lock:
                self._alive.discard(worker)
                closed = self._closed
            worker.kill()
            if not closed:
                self._start_error = "out of memory while loading" if kind == "memory" else str(value)
                logger.warning("a check worker failed to start (%s)", self._start_error)
        self._first_ready.set()

    def _replace(self, worker: _Worker, why: str) -> None:
        """Kill ``worker`` now; reap it and start its successor off the caller's path."""
        logger.warning("stopping a check worker (%s); starting a new one", why)
        worker.process.kill()
        with self._lock:
            self._alive.discard(worker)
            self.restarts += 1
        threading.Thread(target=self._respawn, args=(worker,), name="raikit-worker-restart", daemon=True).start()

    def _respawn(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if not self._closed:
                self._spawn()

    def scan(self, check_id: str, texts: list[str], timeout: float) -> list[list[Finding]]:
        """Scan in a worker within ``timeout`` seconds (waiting for a busy worker included,
        waiting for one that is loading not).

        Raises:
            TimeoutError: no worker was free in time, or the check overran (its worker is killed).
            WorkerMemoryError: the worker went over ``memory_mb`` (it is replaced).
            WorkerCrashError: the worker died (it is replaced).
            CheckError: the check raised in the worker, or no worker could load the checks.
        """
        self.start()
        deadline = time.monotonic() + timeout
        with self._lock:
            broken = not self._alive and self._start_error is not None
        if broken:
            raise CheckError(check_id, f"no check worker could start ({self._start_error})")
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
                break
            except queue.Empty:
                with self._lock:
                    loading = self._loading
                if not loading:
                    raise TimeoutError from None
                deadline = time.monotonic() + timeout  # a worker is (re)loading: loading is not budgeted
        try:
            worker.conn.send((check_id, texts))
            answered = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            if answered:
                kind, value = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker, "it died")
            raise WorkerCrashError(check_id, "its worker process died") from None
        if not answered:
            self._replace(worker, f"check {check_id} exceeded its budget")
            raise TimeoutError
        if kind == "memory":
            self._replace(worker, f"over its memory limit of {self.memory_mb} MB")
            raise WorkerMemoryError(check_id, f"its worker went over the memory limit of {self.memory_mb} MB")
        self._idle.put(worker)
        if kind == "error":
            raise CheckError(check_id, f"raised {value} in its worker")
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._alive = list(self._alive), set()
        for worker in workers:
            worker.kill()

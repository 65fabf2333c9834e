"""Executors: run one function over many batches, in order, locally or on a Ray cluster.

An executor has one job: ``map_batches(fn, batches)`` returns ``[fn(b) for b in batches]``
in the order of ``batches``, however the work was spread. Everything an audit computes that
depends on randomness must be seeded from the *content* of a batch (for example a seed per
prompt derived from the global seed and the prompt's index), never from which worker ran
it; then a local run and a Ray run of the same audit give identical results.

Example:
    >>> from raikit.audits._executor import LocalExecutor
    >>> LocalExecutor().map_batches(sum, [[1, 2], [3, 4]])
    [3, 7]
"""

from __future__ import annotations

import abc
import logging
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from typing import Any, Literal, TypeVar

from raikit.errors import InputError, MissingDependencyError

logger = logging.getLogger(__name__)

B = TypeVar("B")
R = TypeVar("R")
ProgressCallback = Callable[[int, Any], None]

RAY_INSTALL = "pip install 'raikit[ray]'"
_BAD_WORKERS = "workers must be a whole number >= 1, got {value!r}"


def _check_workers(workers: Any) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(_BAD_WORKERS.format(value=workers))
    return workers


class Executor(abc.ABC):
    """Runs a function over batches and returns the results in the order of the batches."""

    name: str = "executor"
    workers: int = 1

    def map_batches(
        self,
        fn: Callable[[B], R],
        batches: Sequence[B],
        *,
        on_result: ProgressCallback | None = None,
    ) -> list[R]:
        """Apply ``fn`` to every batch.

        Args:
            fn: A function of one batch. For process and Ray workers it must be picklable
                (a module-level function or an instance of a module-level class).
            batches: The batches, in order.
            on_result: Called as ``on_result(index, result)`` in the calling thread when a
                batch finishes (completion order may differ from batch order).

        Returns:
            ``[fn(batch) for batch in batches]``, in the order of ``batches``.
        """
        batches = list(batches)
        return self._map(fn, batches, on_result) if batches else []

    @abc.abstractmethod
    def _map(self, fn: Callable[[B], R], batches: list[B], on_result: ProgressCallback | None) -> list[R]:
        """:meth:`map_batches` over at least one batch."""

    def describe(self) -> dict[str, Any]:
        """Non-secret facts for the report (kind and worker count)."""
        return {"kind": self.name, "workers": self.workers}


# ---------------------------------------------------------------------------------- local
_WORKER_FN: Any = None


def _init_process_worker(payload: bytes, threads: int | None) -> None:
    """Runs once in each worker process: limit math threads, install the function."""
    global _WORKER_FN
    if threads:
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ[var] = str(threads)
    _WORKER_FN = pickle.loads(payload)
    if threads:
        import sys

        torch = sys.modules.get("torch")
        if torch is not None:
            torch.set_num_threads(threads)


def _run_in_process_worker(batch: Any) -> Any:
    return _WORKER_FN(batch)


class LocalExecutor(Executor):
    """Run on this machine: inline for one worker, in a pool for more.

    Args:
        workers: Number of parallel workers (1 runs inline in the calling thread).
        backend: ``"process"`` (default; real parallelism, ``fn`` must be picklable, each
            worker loads its own model once) or ``"thread"`` (shares the caller's memory;
            helps when ``fn`` releases the GIL, as torch does in large kernels).
        threads_per_worker: Math threads (OpenMP/torch) per process worker; defaults to
            ``max(1, cpu_count // workers)`` so workers do not oversubscribe the cores.

    Example:
        >>> LocalExecutor(workers=2, backend="thread").map_batches(len, ["ab", "c", ""])
        [2, 1, 0]
    """

    name = "local"

    def __init__(
        self,
        workers: int = 1,
        *,
        backend: Literal["process", "thread"] = "process",
        threads_per_worker: int | None = None,
    ) -> None:
        self.workers = _check_workers(workers)
        if backend not in ("process", "thread"):
            raise InputError(f"backend must be 'process' or 'thread', got {backend!r}")
        self.backend = backend
        self.threads_per_worker = threads_per_worker or max(1, (os.cpu_count() or 1) // self.workers)

    def describe(self) -> dict[str, Any]:
        return {"kind": self.name, "workers": self.workers, "backend": self.backend}

    def _map(self, fn: Callable[[B], R], batches: list[B], on_result: ProgressCallback | None) -> list[R]:
        if self.workers == 1 or len(batches) <= 1:
            results: list[R] = []
            for i, batch in enumerate(batches):
                results.append(fn(batch))
                if on_result is not None:
                    on_result(i, results[-1])
            return results
        if self.backend == "process":
            try:
                payload = pickle.dumps(fn)
            except Exception as err:  # noqa: BLE001 - any pickling failure means the same thing
                raise InputError(
                    f"the batch function ({type(fn).__name__}) cannot be pickled for process workers: "
                    f"{type(err).__name__}; use a module-level function or class, "
                    "or LocalExecutor(backend='thread')"
                ) from err
            import multiprocessing

            pool: Any = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_process_worker,
                initargs=(payload, self.threads_per_worker),
            )
            call: Callable[[B], R] = _run_in_process_worker
        else:
            pool = ThreadPoolExecutor(max_workers=self.workers)
            call = fn
        with pool:
            return _collect(pool, call, batches, on_result, window=2 * self.workers)


def _collect(
    pool: Any,
    call: Callable[[Any], Any],
    batches: list[Any],
    on_result: ProgressCallback | None,
    *,
    window: int,
) -> list[Any]:
    """Submit at most ``window`` batches at a time; gather results by index."""
    results: list[Any] = [None] * len(batches)
    pending: dict[Future[Any], int] = {}
    next_index = 0
    while next_index < len(batches) or pending:
        while next_index < len(batches) and len(pending) < window:
            pending[pool.submit(call, batches[next_index])] = next_index
            next_index += 1
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            index = pending.pop(future)
            results[index] = future.result()
            if on_result is not None:
                on_result(index, results[index])
    return results


# ------------------------------------------------------------------------------------ ray
def _import_ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise MissingDependencyError("ray", RAY_INSTALL) from err
    return ray


class RayExecutor(Executor):
    """Run batches on a Ray cluster: an existing one or a local one started on demand.

    Each worker is a Ray actor that receives the function once, so a model the function
    loads lazily is loaded once per worker, not once per batch.

    Args:
        address: ``None`` starts a local cluster with ``workers`` CPUs (or joins the one
            this process already started); ``"auto"`` joins the cluster running on this
            machine; ``"ray://host:10001"`` connects to a remote cluster.
        workers: Number of actors (one CPU each).
        init_kwargs: Extra arguments for ``ray.init`` (for example ``runtime_env``).

    Raises:
        MissingDependencyError: Ray is not installed (``pip install 'raikit[ray]'``).

    Example:
        >>> executor = RayExecutor(workers=2)  # doctest: +SKIP
        >>> executor.map_batches(sum, [[1, 2], [3]])  # doctest: +SKIP
        [3, 3]
    """

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        workers: int = 2,
        *,
        init_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.address = address
        self.workers = _check_workers(workers)
        self.init_kwargs = dict(init_kwargs or {})
        _import_ray()  # fail early, with the install command

    def describe(self) -> dict[str, Any]:
        where = "local" if self.address is None else ("auto" if self.address == "auto" else "remote")
        return {"kind": self.name, "workers": self.workers, "cluster": where}

    def _ensure_started(self) -> Any:
        ray = _import_ray()
        if ray.is_initialized():
            return ray
        kwargs: dict[str, Any] = {"ignore_reinit_error": True, "log_to_driver": False}
        if self.address is None:
            kwargs.update(num_cpus=self.workers, include_dashboard=False)
        else:
            kwargs["address"] = self.address
        kwargs.update(self.init_kwargs)
        logger.info("starting ray (cluster=%s, workers=%d)", self.describe()["cluster"], self.workers)
        ray.init(**kwargs)
        return ray

    def shutdown(self) -> None:
        """Disconnect from (and, for a local cluster, stop) Ray."""
        ray = _import_ray()
        if ray.is_initialized():
            ray.shutdown()

    def _map(self, fn: Callable[[B], R], batches: list[B], on_result: ProgressCallback | None) -> list[R]:
        ray = self._ensure_started()
        actor_cls = ray.remote(num_cpus=1)(_RayWorker)
        fn_ref = ray.put(fn)
        actors = [actor_cls.remote(fn_ref) for _ in range(min(self.workers, len(batches)))]
        results: list[Any] = [None] * len(batches)
        pending: dict[Any, tuple[int, Any]] = {}
        queue = list(range(len(batches)))
        idle = list(actors)
        try:
            while queue or pending:
                while queue and idle:
                    index = queue.pop(0)
                    actor = idle.pop()
                    pending[actor.run.remote(batches[index])] = (index, actor)
                done, _ = ray.wait(list(pending), num_returns=1)
                for ref in done:
                    index, actor = pending.pop(ref)
                    results[index] = ray.get(ref)
                    idle.append(actor)
                    if on_result is not None:
                        on_result(index, results[index])
        finally:
            for actor in actors:
                ray.kill(actor)
        return results


class _RayWorker:
    """A Ray actor holding the batch function (and whatever model it loads)."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def run(self, batch: Any) -> Any:
        return self.fn(batch)


__all__ = ["Executor", "LocalExecutor", "RayExecutor"]

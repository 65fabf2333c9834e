"""Micro-batching: scan requests that arrive together as one batch on a worker thread.

Each :class:`MicroBatcher` owns ``threads`` daemon threads. While batches are being scanned,
new requests queue up and form the next one, so batches grow with concurrency. After a batch
of several requests (callers are arriving together) the next one also waits at most ``wait_s``
for company (or until ``max_batch`` texts are gathered); a lone request after a lone request
goes at once, so a quiet server adds no wait. With more than one thread a slow batch (a check
running into its budget) does not hold up the requests behind it.
At most ``max_pending`` requests may be queued or running: further callers wait (sync
callers block, async callers are suspended without blocking their event loop).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

ScanFn = Callable[..., list[Any]]


@dataclass
class _Request:
    texts: list[str]
    prompt_hashes: list[set[tuple[str, str]]] | None
    roles: list[str | None] | None
    future: concurrent.futures.Future[list[Any]]


class MicroBatcher:
    """Gathers concurrent scan requests of one stage into batches.

    Args:
        scan: ``scan(texts, stage=..., prompt_hashes=..., roles=...) -> results`` run on the
            batch (the runner's synchronous scan).
        stage: The stage every request of this batcher scans.
        wait_s: Longest time a request waits for company.
        max_batch: Most texts in one batch.
        max_pending: Most requests queued or running at once (backpressure).
        threads: Batches scanned at once.
    """

    def __init__(
        self, scan: ScanFn, *, stage: str, wait_s: float, max_batch: int, max_pending: int, threads: int = 1
    ) -> None:
        self._scan = scan
        self.stage = stage
        self.wait_s = wait_s
        self.max_batch = max_batch
        self._slots = threading.BoundedSemaphore(max_pending)
        self._queue: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self.threads = threads
        self._started = False
        self._lock = threading.Lock()
        self._closed = False
        self.batches = 0  #: Batches scanned so far (for benchmarks and tests).
        self.largest = 0  #: Most requests seen in one batch.
        self._last = 0  # requests in the previous batch
        self._gathering = threading.Lock()  # one thread forms a batch at a time; scans run in parallel

    def _start(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the guard's check runner is closed")
            if not self._started:
                self._started = True
                for _ in range(self.threads):
                    threading.Thread(target=self._loop, name=f"raikit-batch-{self.stage}", daemon=True).start()

    def _enqueue(self, texts: Sequence[str], prompt_hashes: Any, roles: Any) -> concurrent.futures.Future[list[Any]]:
        future: concurrent.futures.Future[list[Any]] = concurrent.futures.Future()
        future.add_done_callback(lambda _: self._slots.release())
        request = _Request(list(texts), list(prompt_hashes) if prompt_hashes is not None else None,
                           list(roles) if roles is not None else None, future)
        self._queue.put(request)
        return future

    def submit(self, texts: Sequence[str], *, prompt_hashes: Any = None, roles: Any = None) -> list[Any]:
        """Scan ``texts`` in the next batch and wait for the results (blocking)."""
        self._start()
        self._slots.acquire()
        return self._enqueue(texts, prompt_hashes, roles).result()

    async def asubmit(self, texts: Sequence[str], *, prompt_hashes: Any = None, roles: Any = None) -> list[Any]:
        """Scan ``texts`` in the next batch; the event loop keeps running meanwhile."""
        self._start()
        if not self._slots.acquire(blocking=False):
            await asyncio.to_thread(self._slots.acquire)  # backpressure without blocking the loop
        future = self._enqueue(texts, prompt_hashes, roles)
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop the worker threads after the queued requests are done."""
        with self._lock:
            self._closed = True
            if self._started:
                for _ in range(self.threads):
                    self._queue.put(None)

    def _gather(self, first: _Request) -> list[_Request]:
        batch = [first]
        size = len(first.texts)
        deadline = time.monotonic() + (self.wait_s if self._last > 1 else 0.0)
        while size < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                self._queue.put(None)
                break
            batch.append(item)
            size += len(item.texts)
        return [r for r in batch if r.future.set_running_or_notify_cancel()]

    def _loop(self) -> None:
        while True:
            with self._gathering:
                first = self._queue.get()
                if first is None:
                    return
                batch = self._gather(first)
                if not batch:
                    continue
                with self._lock:
                    self.batches += 1
                    self.largest = max(self.largest, len(batch))
                    self._last = len(batch)
            texts = [t for r in batch for t in r.texts]
            hashes = None
            if any(r.prompt_hashes is not None for r in batch):
                hashes = [h for r in batch for h in (r.prompt_hashes or [set()] * len(r.texts))]
            roles = None
            if any(r.roles is not None for r in batch):
                roles = [x for r in batch for x in (r.roles or [None] * len(r.texts))]
            try:
                results = self._scan(texts, stage=self.stage, prompt_hashes=hashes, roles=roles)
            except BaseException as err:  # noqa: BLE001 - handed to every waiting caller
                logger.warning("batch scan at %s stage raised %s", self.stage, type(err).__name__)
                for r in batch:
                    r.future.set_exception(err)
                continue
            start = 0
            for r in batch:
                r.future.set_result(results[start : start + len(r.texts)])
                start += len(r.texts)

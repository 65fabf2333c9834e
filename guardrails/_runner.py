"""Run a policy's checks over a batch of texts and apply thresholds, actions and on_error."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from raikit.guardrails import _budget
from raikit.guardrails._check import Check
from raikit.guardrails._decision import CheckFailure, StageResult, outcome_of
from raikit.guardrails._finding import Finding
from raikit.guardrails._normalize import check_texts
from raikit.guardrails._policy import CheckSpec, Policy, load_policy
from raikit.guardrails._redact import redact
from raikit.guardrails._registry import check_class

if TYPE_CHECKING:
    import concurrent.futures

    from raikit.guardrails._batcher import MicroBatcher
    from raikit.guardrails._workers import CheckProcessPool

logger = logging.getLogger(__name__)

#: A request with more characters than this is background work: its own batch lane and
#: worker thread, scanned in bounded units that yield to foreground requests.
LARGE_REQUEST_CHARS = 8_000


class PolicyRunner:
    """A policy with its checks instantiated once, ready to scan batches.

    Each runner owns its worker pool (``runtime.workers`` threads, plus one thread for large
    requests, and ``runtime.workers`` killable worker processes for the checks that
    ``runtime.isolation`` puts there: by default third-party checks; created on first use)
    and, for :meth:`ascan` and :meth:`scan_batched`, one micro-batcher per stage and lane
    (large requests, over :data:`LARGE_REQUEST_CHARS`, have their own); nothing is shared
    with other runners or guards. Call :meth:`close` to stop them.

    Args:
        policy: A bundled name, a path or a loaded :class:`Policy`.
        checks: Optional ready check instances by id (e.g. fakes in tests); the others are
            built from the policy.
        clock: Monotonic clock in seconds (injectable for tests).

    Example:
        >>> runner = PolicyRunner("permissive")  # doctest: +SKIP
        >>> [r.outcome for r in runner.scan(["hello", "mail me: a@b.co"], stage="output")]  # doctest: +SKIP
        ['allowed', 'warned']
        >>> results = await runner.ascan(["hello"], stage="prompt")  # doctest: +SKIP
    """

    def __init__(
        self,
        policy: str | Policy = "default",
        *,
        checks: dict[str, Check] | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.policy = load_policy(policy)
        self.clock = clock
        supplied = checks or {}
        self.checks: dict[str, Check] = {}
        for spec in self.policy.checks:
            if not spec.enabled:
                continue
            check = supplied.get(spec.id) or check_class(spec.type)(
                id=spec.id, threshold=_lowest_threshold(spec), **spec.params
            )
            check.max_text_chars = spec.max_text_chars
            self.checks[spec.id] = check
        self._lock = threading.Lock()
        self._pools: dict[bool, concurrent.futures.ThreadPoolExecutor] = {}
        self._batchers: dict[tuple[str, bool], MicroBatcher] = {}
        self._processes: CheckProcessPool | None = None
        rt = self.policy.runtime
        self.isolated = frozenset(cid for cid, c in self.checks.items() if _isolate(c, rt.isolation))
        if self.isolated:
            from raikit.guardrails._workers import CheckProcessPool

            self._processes = CheckProcessPool({cid: self.checks[cid] for cid in self.isolated}, rt.workers,
                                               rt.worker_memory_mb)

    def load(self) -> None:
        """Load every check's models now instead of on first use (in the workers, if isolated)."""
        for check_id, check in self.checks.items():
            if check_id not in self.isolated:
                check.load()
        if self._processes is not None:
            self._processes.start()

    def close(self) -> None:
        """Stop this runner's batch threads, worker threads and worker processes."""
        with self._lock:
            for batcher in self._batchers.values():
                batcher.close()
            self._batchers.clear()
            for pool in self._pools.values():
                pool.shutdown(wait=False, cancel_futures=True)
            self._pools.clear()
            if self._processes is not None:
                self._processes.close()

    def pool(self, background: bool = False) -> concurrent.futures.ThreadPoolExecutor:
        """This runner's worker threads for model checks: ``runtime.workers`` of them, or for
        large (background) requests one of their own."""
        import concurrent.futures

        with self._lock:
            found = self._pools.get(background)
            if found is None:
                found = self._pools[background] = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1 if background else self.policy.runtime.workers,
                    thread_name_prefix="raikit-check-large" if background else "raikit-check",
                )
            return found

    def batcher(self, stage: str, background: bool = False) -> MicroBatcher:
        """The micro-batcher of ``stage`` and lane (created on first use)."""
        from raikit.guardrails._batcher import MicroBatcher

        with self._lock:
            found = self._batchers.get((stage, background))
            if found is None:
                rt = self.policy.runtime
                found = self._batchers[(stage, background)] = MicroBatcher(
                    functools.partial(self.scan, background=background), stage=stage,
                    wait_s=rt.batch_wait_ms / 1000.0, max_batch=rt.max_batch, max_pending=rt.max_pending,
                    threads=1 if background else rt.workers,
                )
            return found

    def _cheap(self, stage: str) -> bool:
        return all(self.checks[spec.id].inline and spec.id not in self.isolated for spec in self.specs(stage))

    def _route(self, texts: Sequence[str], stage: str) -> tuple[list[str], MicroBatcher | None]:
        """The checked texts, and the batcher they queue on (``None``: scan them at once)."""
        checked = check_texts(texts, f"{stage} texts")
        if not checked or self._cheap(stage):
            return checked, None
        return checked, self.batcher(stage, _large(checked))

    def specs(self, stage: str) -> list[CheckSpec]:
        return [spec for spec in self.policy.checks if spec.id in self.checks and spec.applies(stage)]

    def scan_batched(
        self,
        texts: Sequence[str],
        *,
        stage: str = "output",
        prompt_hashes: Sequence[set[tuple[str, str]]] | None = None,
        roles: Sequence[str | None] | None = None,
    ) -> list[StageResult]:
        """Like :meth:`scan`, but joins the texts of concurrent callers into one batch.

        When only cheap ``inline`` checks apply, they run in the calling thread at once.
        """
        texts, batcher = self._route(texts, stage)
        if batcher is None:
            return self.scan(texts, stage=stage, prompt_hashes=prompt_hashes, roles=roles)
        return batcher.submit(texts, prompt_hashes=prompt_hashes, roles=roles)

    async def ascan(
        self,
        texts: Sequence[str],
        *,
        stage: str = "output",
        prompt_hashes: Sequence[set[tuple[str, str]]] | None = None,
        roles: Sequence[str | None] | None = None,
    ) -> list[StageResult]:
        """:meth:`scan` for ``async`` code: the checks run on this runner's batch thread, in a
        micro-batch with concurrent callers, and the event loop is never blocked.

        Example:
            >>> results = await PolicyRunner("default").ascan(["hi"], stage="prompt")  # doctest: +SKIP

        When only cheap ``inline`` checks apply (no model; microseconds per text), they run
        at once without a thread hop.
        """
        texts, batcher = self._route(texts, stage)
        if batcher is None:
            return self.scan(texts, stage=stage, prompt_hashes=prompt_hashes, roles=roles)
        return await batcher.asubmit(texts, prompt_hashes=prompt_hashes, roles=roles)

    def scan(
        self,
        texts: Sequence[str],
        *,
        stage: str = "output",
        prompt_hashes: Sequence[set[tuple[str, str]]] | None = None,
        roles: Sequence[str | None] | None = None,
        only: Sequence[CheckSpec] | None = None,
        background: bool | None = None,
    ) -> list[StageResult]:
        """Scan a batch with every check that applies to ``stage``, in the calling thread.

        Checks run one after another, so each check's time is time the caller waited and the
        per-check timings add up to no more than the call. Model checks run on this runner's
        worker pool (or worker processes) with their time budget enforced; cheap ``inline``
        checks run in the calling thread. Every check gets its budget (``timeout_s``) as a
        deadline and stops itself there (see :mod:`raikit.guardrails._budget`); a check in a
        worker process is killed there.

        Args:
            texts: Texts to scan (unchanged; redacted copies are returned).
            stage: ``prompt`` or ``output``.
            prompt_hashes: For outputs, per text, the ``(check_id, hash)`` pairs seen in its
                prompt; matching output findings are marked as echoes.
            roles: Per text, the chat role it came from (``None``: not a chat message); a
                check reads only texts without a role or whose role is in its ``roles``.
            only: Run just these checks (e.g. the inline ones) instead of all of ``stage``.
            background: Scan as background work (one worker thread of its own, in units that
                wait for foreground scans); ``None``: when the texts hold more than
                :data:`LARGE_REQUEST_CHARS` characters.

        Returns:
            One :class:`StageResult` per text.

        Raises:
            InputError: a text is not valid Unicode (e.g. a lone surrogate), located by index.
        """
        texts = check_texts(texts, f"{stage} texts")
        if roles is not None and len(roles) != len(texts):
            raise ValueError(f"roles has {len(roles)} entries for {len(texts)} texts")
        if background is None:
            background = _large(texts)
        with contextlib.nullcontext() if background else _budget.foreground():
            return self._scan(texts, stage, prompt_hashes, roles, only, background)

    def _scan(
        self,
        texts: list[str],
        stage: str,
        prompt_hashes: Sequence[set[tuple[str, str]]] | None,
        roles: Sequence[str | None] | None,
        only: Sequence[CheckSpec] | None,
        background: bool,
    ) -> list[StageResult]:
        import concurrent.futures

        per_text: list[list[Finding]] = [[] for _ in texts]
        errors: list[list[CheckFailure]] = [[] for _ in texts]
        timings: dict[str, float] = {}
        for spec in (self.specs(stage) if only is None else only) if texts else []:
            indices = [i for i in range(len(texts)) if roles is None or roles[i] is None or roles[i] in spec.roles]
            # A text over the check's limit fails alone (the check would refuse the whole batch,
            # which may hold other callers' texts).
            limit = self.checks[spec.id].max_text_chars
            too_long = [i for i in indices if len(texts[i]) > limit]
            if too_long:
                self._fail(spec, stage, f"text longer than max_text_chars ({limit:,})", [errors[i] for i in too_long])
                indices = [i for i in indices if len(texts[i]) <= limit]
            if not indices:
                continue
            subset = [texts[i] for i in indices]
            started = self.clock()
            budget = _budget.Budget(time.monotonic() + spec.timeout_s, background)
            try:
                if spec.id in self.isolated:
                    assert self._processes is not None
                    results = self._processes.scan(spec.id, subset, spec.timeout_s)
                elif self.checks[spec.id].inline:
                    results = _budget.run_within(budget, self.checks[spec.id].scan, subset)
                    if self.clock() - started > spec.timeout_s:
                        raise concurrent.futures.TimeoutError
                else:
                    future = self.pool(background).submit(_budget.run_within, budget, self.checks[spec.id].scan, subset)
                    try:
                        results = future.result(timeout=spec.timeout_s)
                    except concurrent.futures.TimeoutError:
                        future.cancel()
                        raise
            except concurrent.futures.TimeoutError:
                self._fail(spec, stage, f"exceeded its time budget of {spec.timeout_s:g}s", [errors[i] for i in indices])
                continue
            except Exception as err:  # noqa: BLE001 - any crash follows on_error
                self._fail(spec, stage, f"raised {type(err).__name__}", [errors[i] for i in indices])
                continue
            finally:
                timings[spec.id] = (self.clock() - started) * 1000.0
            for index, found in zip(indices, results, strict=True):
                hashes = prompt_hashes[index] if prompt_hashes is not None else set()
                per_text[index].extend(self._apply(spec, found, hashes))
        out: list[StageResult] = []
        for index, text in enumerate(texts):
            findings = per_text[index]
            actions = [f.action or "allow" for f in findings] + [e.action for e in errors[index]]
            outcome = outcome_of(actions)
            new_text = text
            if outcome == "redacted":
                new_text = redact_with_policy(text, findings, self.policy)
            out.append(StageResult(stage, outcome, tuple(findings), tuple(errors[index]), dict(timings), new_text))
        return out

    def _fail(self, spec: CheckSpec, stage: str, reason: str, errors: list[list[CheckFailure]]) -> None:
        action = "block" if spec.on_error == "block" else "warn"
        logger.warning("check %s failed at %s stage (%s); on_error=%s", spec.id, stage, reason, spec.on_error)
        for bucket in errors:
            bucket.append(CheckFailure(spec.id, stage, reason, action))

    @staticmethod
    def _apply(spec: CheckSpec, findings: list[Finding], prompt_hashes: set[tuple[str, str]]) -> list[Finding]:
        kept = []
        for f in findings:
            enabled, threshold, action = spec.rule_for(f.type)
            if not enabled or f.score < threshold:
                continue
            echo = f.hash is not None and (f.check_id, f.hash) in prompt_hashes
            if echo and spec.ignore_echo:
                action = "allow"
            if action == "redact" and f.start is None:
                action = "block"  # a whole-text finding cannot be cut out
            kept.append(dataclasses.replace(f, action=action, echo=echo))
        return kept


def _large(texts: Sequence[str]) -> bool:
    return sum(len(t) for t in texts) > LARGE_REQUEST_CHARS


def _isolate(check: Check, isolation: str) -> bool:
    """Whether ``check`` runs in a worker process: with ``process`` every model and third-party
    check, with ``auto`` third-party ones (raikit's own stop themselves at their budget) that
    a worker can rebuild; one that cannot (a local class, state that does not pickle) stays
    on a thread, with a warning."""
    bundled = type(check).__module__.split(".")[0] == "raikit"
    if isolation == "process":
        return not (bundled and check.inline)
    if isolation != "auto" or bundled:
        return False
    import pickle

    from raikit.guardrails._workers import check_payload

    try:
        pickle.dumps(check_payload(check))
    except Exception as err:  # noqa: BLE001 - any pickling failure keeps it in this process
        logger.warning("check %s (%s) cannot be rebuilt in a worker process (%s): it runs on a thread, where an "
                       "overrun cannot be stopped", check.id, type(check).__name__, type(err).__name__)
        return False
    return True


def is_whole(finding: Finding, length: int) -> bool:
    """Whether a finding is about the whole text (no span, or a span covering all of it)."""
    return finding.start is None or (finding.start <= 0 and (finding.end or 0) >= length)


def _lowest_threshold(spec: CheckSpec) -> float:
    """The check reports everything any rule of the policy may act on."""
    values = [spec.threshold] + [r.threshold for r in spec.per_type.values() if r.threshold is not None]
    return min(values)


def redact_with_policy(text: str, findings: Sequence[Finding], policy: Policy) -> str:
    """Redact the spans of ``redact`` findings with each check's configured operator."""
    by_operator: dict[str, list[Finding]] = {}
    for f in findings:
        if f.action == "redact":
            by_operator.setdefault(policy.check(f.check_id).redact_with, []).append(f)
    if len(by_operator) <= 1:
        operator, spans = next(iter(by_operator.items()), ("placeholder", []))
        return redact(text, spans, operator).text  # type: ignore[arg-type]
    # Mixed operators: apply right to left so earlier offsets stay valid.
    ordered = sorted((f for fs in by_operator.values() for f in fs), key=lambda f: f.start or 0, reverse=True)
    for f in ordered:
        text = redact(text, [f], policy.check(f.check_id).redact_with).text  # type: ignore[arg-type]
    return text


def hashes_of(result: StageResult) -> set[tuple[str, str]]:
    """The ``(check_id, hash)`` pairs of a stage's findings (for echo detection)."""
    return {(f.check_id, f.hash) for f in result.findings if f.hash is not None}


def scan_texts(policy: str | Policy, texts: Sequence[str], *, stage: str = "output", **kwargs: Any) -> list[StageResult]:
    """Run a policy's checks over many texts in one batched call.

    Example:
        >>> results = scan_texts("default", ["hello"], stage="prompt")  # doctest: +SKIP
    """
    return PolicyRunner(policy, **kwargs).scan(texts, stage=stage)

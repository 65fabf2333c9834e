"""Run a policy's checks over a batch of texts and apply thresholds, actions and on_error."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

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


class PolicyRunner:
    """A policy with its checks instantiated once, ready to scan batches.

    Each runner owns its worker pool (``runtime.workers`` threads, or with
    ``runtime.isolation: process`` as many killable worker processes for the model checks,
    created on first use) and,
    for :meth:`ascan` and :meth:`scan_batched`, one micro-batcher per stage; nothing is shared
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
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._batchers: dict[str, MicroBatcher] = {}
        self._processes: CheckProcessPool | None = None
        if self.policy.runtime.isolation == "process":
            from raikit.guardrails._workers import CheckProcessPool

            isolated = {cid: c for cid, c in self.checks.items() if not c.inline}
            self._processes = CheckProcessPool(isolated, self.policy.runtime.workers) if isolated else None

    def load(self) -> None:
        """Load every check's models now instead of on first use (in the workers, if isolated)."""
        for check in self.checks.values():
            if self._processes is None or check.inline:
                check.load()
        if self._processes is not None:
            self._processes.start()

    def close(self) -> None:
        """Stop this runner's batch threads and worker pool (a hung check is left behind)."""
        with self._lock:
            for batcher in self._batchers.values():
                batcher.close()
            self._batchers.clear()
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            if self._processes is not None:
                self._processes.close()

    def pool(self) -> concurrent.futures.ThreadPoolExecutor:
        """This runner's worker pool for model checks (``runtime.workers`` threads)."""
        import concurrent.futures

        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=self.policy.runtime.workers, thread_name_prefix="raikit-check"
                )
            return self._pool

    def batcher(self, stage: str) -> MicroBatcher:
        """The micro-batcher of ``stage`` (created on first use)."""
        from raikit.guardrails._batcher import MicroBatcher

        with self._lock:
            found = self._batchers.get(stage)
            if found is None:
                rt = self.policy.runtime
                found = self._batchers[stage] = MicroBatcher(
                    self.scan, stage=stage, wait_s=rt.batch_wait_ms / 1000.0, max_batch=rt.max_batch,
                    max_pending=rt.max_pending,
                )
            return found

    def _cheap(self, stage: str) -> bool:
        return all(self.checks[spec.id].inline for spec in self.specs(stage))

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
        texts = check_texts(texts, f"{stage} texts")
        if not texts or self._cheap(stage):
            return self.scan(texts, stage=stage, prompt_hashes=prompt_hashes, roles=roles)
        return self.batcher(stage).submit(texts, prompt_hashes=prompt_hashes, roles=roles)

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
        texts = check_texts(texts, f"{stage} texts")
        if not texts or self._cheap(stage):
            return self.scan(texts, stage=stage, prompt_hashes=prompt_hashes, roles=roles)
        return await self.batcher(stage).asubmit(texts, prompt_hashes=prompt_hashes, roles=roles)

    def scan(
        self,
        texts: Sequence[str],
        *,
        stage: str = "output",
        prompt_hashes: Sequence[set[tuple[str, str]]] | None = None,
        roles: Sequence[str | None] | None = None,
        only: Sequence[CheckSpec] | None = None,
    ) -> list[StageResult]:
        """Scan a batch with every check that applies to ``stage``, in the calling thread.

        Checks run one after another, so each check's time is time the caller waited and the
        per-check timings add up to no more than the call. Model checks run on this runner's
        worker pool with their time budget enforced; cheap ``inline`` checks run in the
        calling thread and are timed after they return.

        Args:
            texts: Texts to scan (unchanged; redacted copies are returned).
            stage: ``prompt`` or ``output``.
            prompt_hashes: For outputs, per text, the ``(check_id, hash)`` pairs seen in its
                prompt; matching output findings are marked as echoes.
            roles: Per text, the chat role it came from (``None``: not a chat message); a
                check reads only texts without a role or whose role is in its ``roles``.
            only: Run just these checks (e.g. the inline ones) instead of all of ``stage``.

        Returns:
            One :class:`StageResult` per text.

        Raises:
            InputError: a text is not valid Unicode (e.g. a lone surrogate), located by index.
        """
        import concurrent.futures

        texts = check_texts(texts, f"{stage} texts")
        if roles is not None and len(roles) != len(texts):
            raise ValueError(f"roles has {len(roles)} entries for {len(texts)} texts")
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
            try:
                if self.checks[spec.id].inline:
                    results = self.checks[spec.id].scan(subset)
                    if self.clock() - started > spec.timeout_s:
                        raise concurrent.futures.TimeoutError
                elif self._processes is not None:
                    results = self._processes.scan(spec.id, subset, spec.timeout_s)
                else:
                    future = self.pool().submit(self.checks[spec.id].scan, subset)
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

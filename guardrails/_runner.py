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
from raikit.guardrails._policy import CheckSpec, Policy, load_policy
from raikit.guardrails._redact import redact
from raikit.guardrails._registry import check_class

if TYPE_CHECKING:
    import concurrent.futures

logger = logging.getLogger(__name__)

_POOL_LOCK = threading.Lock()
_POOL: concurrent.futures.ThreadPoolExecutor | None = None


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _POOL
    import concurrent.futures

    with _POOL_LOCK:
        if _POOL is None:
            _POOL = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="raikit-check")
        return _POOL


class PolicyRunner:
    """A policy with its checks instantiated once, ready to scan batches.

    Args:
        policy: A bundled name, a path or a loaded :class:`Policy`.
        checks: Optional ready check instances by id (e.g. fakes in tests); the others are
            built from the policy.
        clock: Monotonic clock in seconds (injectable for tests).

    Example:
        >>> runner = PolicyRunner("permissive")  # doctest: +SKIP
        >>> [r.outcome for r in runner.scan(["hello", "mail me: a@b.co"], stage="output")]  # doctest: +SKIP
        ['allowed', 'warned']
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
            self.checks[spec.id] = supplied.get(spec.id) or check_class(spec.type)(
                id=spec.id, threshold=_lowest_threshold(spec), **spec.params
            )

    def load(self) -> None:
        """Load every check's models now instead of on first use."""
        for check in self.checks.values():
            check.load()

    def specs(self, stage: str) -> list[CheckSpec]:
        return [spec for spec in self.policy.checks if spec.id in self.checks and spec.applies(stage)]

    def scan(
        self,
        texts: Sequence[str],
        *,
        stage: str = "output",
        prompt_hashes: Sequence[set[tuple[str, str]]] | None = None,
    ) -> list[StageResult]:
        """Scan a batch with every check that applies to ``stage``.

        Model checks run in parallel on worker threads with their time budget enforced;
        cheap ``inline`` checks run in the calling thread.

        Args:
            texts: Texts to scan (unchanged; redacted copies are returned).
            stage: ``prompt`` or ``output``.
            prompt_hashes: For outputs, per text, the ``(check_id, hash)`` pairs seen in its
                prompt; matching output findings are marked as echoes.

        Returns:
            One :class:`StageResult` per text.
        """
        import concurrent.futures

        texts = list(texts)
        specs = self.specs(stage)
        per_text: list[list[Finding]] = [[] for _ in texts]
        errors: list[list[CheckFailure]] = [[] for _ in texts]
        timings: dict[str, float] = {}
        if texts and specs:
            started = self.clock()
            pooled = [spec for spec in specs if not self.checks[spec.id].inline]
            futures = {spec.id: _pool().submit(self._timed_scan, spec, texts) for spec in pooled}
            for spec in specs:
                try:
                    if spec.id in futures:
                        remaining = max(0.0, spec.timeout_s - (self.clock() - started))
                        results, elapsed = futures[spec.id].result(timeout=remaining)
                    else:
                        results, elapsed = self._timed_scan(spec, texts)
                        if elapsed > spec.timeout_s * 1000.0:
                            raise concurrent.futures.TimeoutError
                    timings[spec.id] = elapsed
                except concurrent.futures.TimeoutError:
                    if spec.id in futures:
                        futures[spec.id].cancel()
                    self._fail(spec, stage, f"exceeded its time budget of {spec.timeout_s:g}s", errors)
                    continue
                except Exception as err:  # noqa: BLE001 - any crash follows on_error
                    self._fail(spec, stage, f"raised {type(err).__name__}", errors)
                    continue
                for index, found in enumerate(results):
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

    def _timed_scan(self, spec: CheckSpec, texts: list[str]) -> tuple[list[list[Finding]], float]:
        start = self.clock()
        results = self.checks[spec.id].scan(texts)
        return results, (self.clock() - start) * 1000.0

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

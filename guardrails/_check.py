"""The one way to write a check: a small class with a lazy ``load()`` and a batch ``scan()``."""

from __future__ import annotations

import abc
import threading
from collections.abc import Sequence
from typing import Any, ClassVar, Literal

from raikit.errors import CheckError, InputError, InputTypeError
from raikit.guardrails._finding import Finding
from raikit.guardrails._hashing import salted_hash

ERR_THRESHOLD = "threshold must be a number between 0 and 1, got {value!r}"
ERR_SINGLE_TEXT = "{method}() takes a sequence of texts; wrap a single text in a list"
ERR_COUNT = "returned {got} results for {expected} texts"

CheckInput = Literal["text", "image"]


class Check(abc.ABC):
    """Base class of every check, built in or third party.

    Subclasses set ``name`` (the registry name used as ``type:`` in a policy) and ``input``,
    accept their parameters as keyword arguments, do heavy set-up in ``_load()`` (called once,
    lazily, thread-safely) and implement ``_scan()``. ``scan()`` keeps the contract for them:
    it drops every finding scoring below :meth:`threshold_for` its type, and raises
    :class:`~raikit.errors.CheckError` when ``_scan()`` returns the wrong number of results.
    A finding about the whole text has ``start=None`` and ``end=None``. Register a third-party check under the
    ``raikit.checks`` entry-point group::

        [project.entry-points."raikit.checks"]
        my_check = "my_pkg.checks:MyCheck"

    Attributes:
        id: The id findings carry (the policy's ``id``; defaults to ``name``).
        threshold: Findings scoring below it are dropped (per type: :meth:`threshold_for`).

    Example:
        >>> from raikit.guardrails import load_check
        >>> check = load_check("denylist", terms=["forbidden"])
        >>> [str(f) for f in check.scan(["a forbidden word"])[0]]
        ['denylist:denylist[2:11] score=1.00']
    """

    name: ClassVar[str] = ""
    input: ClassVar[CheckInput] = "text"
    #: Cheap checks (no model, bounded work) run in the caller's thread; their time budget
    #: is then checked after they return instead of being enforced by a worker thread.
    inline: ClassVar[bool] = False

    def __init__(self, *, id: str | None = None, threshold: float = 0.5) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise InputError(ERR_THRESHOLD.format(value=threshold))
        self.id = id or self.name
        self.threshold = float(threshold)
        self._loaded = False
        self._load_lock = threading.Lock()

    def load(self) -> None:
        """Load models or compile patterns; safe to call many times and from many threads."""
        if self._loaded:
            return
        with self._load_lock:
            if not self._loaded:
                self._load()
                self._loaded = True

    def _load(self) -> None:  # noqa: B027 - optional hook
        """Heavy set-up (import torch, load a model). Runs once."""

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Scan a batch of texts; return one list of findings per text, in order.

        Args:
            texts: The texts to scan (not modified).

        Returns:
            For each text, its findings scoring at least :meth:`threshold_for` their type.

        Raises:
            InputTypeError: ``texts`` is a single string.
            CheckError: ``_scan()`` returned a different number of results than texts.
        """
        require_batch(texts, "scan")
        self.load()
        results = self._scan(list(texts))
        if len(results) != len(texts):
            raise CheckError(self.id, ERR_COUNT.format(got=len(results), expected=len(texts)))
        return [[f for f in found if f.score >= self.threshold_for(f.type)] for found in results]

    def threshold_for(self, type: str) -> float:
        """The lowest score a finding of ``type`` needs to be reported (default ``threshold``).

        Checks with per-type thresholds override this.
        """
        return self.threshold

    @abc.abstractmethod
    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        """Scan a batch; subclasses implement this."""

    def finding(
        self,
        type: str,
        start: int | None,
        end: int | None,
        score: float,
        value: str | None = None,
        **meta: Any,
    ) -> Finding:
        """Build a finding for this check; ``value`` is hashed, never stored."""
        return Finding(
            check_id=self.id,
            type=type,
            start=start,
            end=end,
            score=float(score),
            hash=salted_hash(value) if value is not None else None,
            meta=meta,
        )

    def describe(self) -> dict[str, Any]:
        """Non-secret facts about the check for reports and cards (models, versions, data)."""
        return {"id": self.id, "type": self.name, "input": self.input, "threshold": self.threshold}


def require_batch(texts: object, method: str) -> None:
    """Reject a single string where a batch of texts is expected.

    Raises:
        InputTypeError: ``texts`` is a ``str``.
    """
    if isinstance(texts, str):
        raise InputTypeError(ERR_SINGLE_TEXT.format(method=method))

"""The one way to write a check: a small class with a lazy ``load()`` and a batch ``scan()``."""

from __future__ import annotations

import abc
import threading
from collections.abc import Sequence
from typing import Any, ClassVar, Literal

from raikit.errors import CheckError, InputError, InputTypeError
from raikit.guardrails import _budget
from raikit.guardrails._finding import Finding
from raikit.guardrails._hashing import salted_hash

ERR_THRESHOLD = "threshold must be a number between 0 and 1, got {value!r}"
ERR_SINGLE_TEXT = "{method}() takes a sequence of texts; wrap a single text in a list"
ERR_COUNT = "returned {got} results for {expected} texts"

CheckInput = Literal["text", "image"]

#: Longest text a check accepts by default (characters); a policy's ``max_text_chars`` overrides it.
DEFAULT_MAX_TEXT_CHARS = 50_000
_CHUNK_OVERLAP = 256
ERR_TOO_LONG = ("texts[{index}] is {length:,} characters; check {check!r} accepts at most {limit:,} "
                "(the policy's max_text_chars): split the input or raise the limit")


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
    #: Texts longer than this are scanned in overlapping windows (of ``unit_chars``), so cost
    #: grows linearly with length; None scans whole texts (the check windows itself).
    chunk_chars: ClassVar[int | None] = 8_000
    #: Most characters per ``_scan`` call of a windowed or background scan: the unit of work
    #: between two budget checks (see :mod:`raikit.guardrails._budget`).
    unit_chars: ClassVar[int] = 2_000
    #: Texts longer than this are refused with :class:`InputError` before any work.
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS

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
        texts = list(texts)
        for index, text in enumerate(texts):
            if isinstance(text, str) and len(text) > self.max_text_chars:
                raise InputError(ERR_TOO_LONG.format(index=index, length=len(text), check=self.id,
                                                     limit=self.max_text_chars))
        self.load()
        _budget.next_unit()
        size = self.chunk_chars
        window = min(size, self.unit_chars) if size is not None and self.input == "text" else None
        long_ = window is not None and any(len(t) > (size or 0) for t in texts)
        budget = _budget.current()
        if long_ or (budget is not None and budget.background and len(texts) > 1):
            results = self._scan_units(texts, window if long_ else None)
        else:
            results = self._scan(texts)
        if len(results) != len(texts):
            raise CheckError(self.id, ERR_COUNT.format(got=len(results), expected=len(texts)))
        return [[f for f in found if f.score >= self.threshold_for(f.type)] for found in results]

    def threshold_for(self, type: str) -> float:
        """The lowest score a finding of ``type`` needs to be reported (default ``threshold``).

        Checks with per-type thresholds override this.
        """
        return self.threshold

    def _scan_units(self, texts: list[str], window: int | None) -> list[list[Finding]]:
        """Scan in bounded units: long texts as overlapping windows of ``window`` characters
        (None: whole texts), one ``_scan`` call per unit of at most :attr:`unit_chars`
        characters, with a budget check before each; findings are merged back per text."""
        pieces: list[str] = []
        owners: list[tuple[int, int]] = []  # (text index, window start)
        for index, text in enumerate(texts):
            starts = [0] if window is None or len(text) <= window else _windows(len(text), window)
            for start in starts:
                pieces.append(text if window is None else text[start:start + window])
                owners.append((index, start))
        found_all: list[list[Finding]] = []
        first = 0
        while first < len(pieces):
            last, size = first + 1, len(pieces[first])
            while last < len(pieces) and size + len(pieces[last]) <= self.unit_chars:
                size += len(pieces[last])
                last += 1
            if first:
                _budget.next_unit()
            found = self._scan(pieces[first:last])
            if len(found) != last - first:
                raise CheckError(self.id, ERR_COUNT.format(got=len(found), expected=last - first))
            found_all.extend(found)
            first = last
        if window is None:
            return found_all  # one piece per text
        merged: list[dict[tuple[str, int | None, int | None], Finding]] = [{} for _ in texts]
        for (index, start), found in zip(owners, found_all, strict=True):
            for finding in found:
                if start and finding.start is not None and finding.end is not None:
                    finding = _shifted(finding, start)
                key = (finding.type, finding.start, finding.end)
                kept = merged[index].get(key)
                if kept is None or finding.score > kept.score:
                    merged[index][key] = finding
        return [sorted(m.values(), key=lambda f: (f.start is None, f.start or 0, f.end or 0)) for m in merged]

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


def _windows(length: int, size: int) -> list[int]:
    """Start offsets of windows of ``size`` overlapping by :data:`_CHUNK_OVERLAP`."""
    if length <= size:
        return [0]
    step = max(1, size - _CHUNK_OVERLAP)
    starts = list(range(0, length - size, step))
    starts.append(length - size)
    return starts


def _shifted(finding: Finding, offset: int) -> Finding:
    from dataclasses import replace

    assert finding.start is not None and finding.end is not None
    return replace(finding, start=finding.start + offset, end=finding.end + offset)


def require_batch(texts: object, method: str) -> None:
    """Reject a single string where a batch of texts is expected.

    Raises:
        InputTypeError: ``texts`` is a ``str``.
    """
    if isinstance(texts, str):
        raise InputTypeError(ERR_SINGLE_TEXT.format(method=method))

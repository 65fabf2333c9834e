"""Per-task state of the guard: the latest decision and the caller's request ids."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

from raikit.guardrails._decision import Decision

_LAST: contextvars.ContextVar[Decision | None] = contextvars.ContextVar("raikit_last_decision", default=None)
_REQUEST: contextvars.ContextVar[RequestIds | None] = contextvars.ContextVar("raikit_request", default=None)


@dataclass(frozen=True)
class RequestIds:
    """Ids a caller attaches to the guarded calls it makes (tenant and user are hashed)."""

    request_id: str | None = None
    tenant_id: str | None = None
    user_id: str | None = None


def last_decision() -> Decision | None:
    """The decision of the latest guarded call in this thread or task.

    It is set when the call starts and completed in place, so for a stream it is the stream's
    decision even when the stream is consumed elsewhere (e.g. in a server's worker thread).

    Example:
        >>> from raikit.guardrails import guard, last_decision
        >>> @guard(policy=my_policy)  # doctest: +SKIP
        ... def generate(prompt): ...
        >>> generate("hi"); last_decision().outcome  # doctest: +SKIP
        'allowed'
    """
    return _LAST.get()


def set_last(decision: Decision) -> None:
    _LAST.set(decision)


def current_request() -> RequestIds | None:
    """The ids set by the innermost :func:`request_context`, if any."""
    return _REQUEST.get()


@contextlib.contextmanager
def request_context(
    request_id: str | None = None, *, tenant_id: str | None = None, user_id: str | None = None
) -> Iterator[RequestIds]:
    """Attach a request id and optional tenant and user ids to the guarded calls made inside.

    The request id is recorded as given; tenant and user ids only as salted hashes.

    Example:
        >>> from raikit.guardrails import request_context
        >>> with request_context("req-42", tenant_id="acme", user_id="u-7"):  # doctest: +SKIP
        ...     generate("hello")
    """
    for name, value in (("request_id", request_id), ("tenant_id", tenant_id), ("user_id", user_id)):
        if value is not None and (not isinstance(value, str) or not value):
            raise ValueError(f"{name} must be a non-empty string, got {type(value).__name__}")
    ids = RequestIds(request_id, tenant_id, user_id)
    token = _REQUEST.set(ids)
    try:
        yield ids
    finally:
        _REQUEST.reset(token)

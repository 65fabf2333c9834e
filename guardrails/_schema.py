"""A small strict validator for YAML documents with located, readable errors.

Each validator takes ``(value, path)`` and returns the cleaned value or raises
:class:`Invalid`; :func:`mapping` checks keys (unknown ones get a did-you-mean) and collects
every problem, so a user sees all mistakes in one run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from raikit.errors import PolicyIssue
from raikit.guardrails._yaml import Mark, MarkedDict, MarkedList

Validator = Callable[[Any, "Context", str, Mark], Any]
REQUIRED = object()


class Invalid(Exception):
    """A value failed validation; the message says what was expected and what was got."""


def shown(value: Any) -> str:
    """A value as a user wrote it: strings in double quotes."""
    try:
        return json.dumps(value)
    except TypeError:
        return repr(value)


@dataclass
class Context:
    """Collects issues while a document is validated."""

    file: str
    issues: list[PolicyIssue] = field(default_factory=list)

    def add(self, mark: Mark, path: str, message: str) -> None:
        self.issues.append(PolicyIssue(mark.file or self.file, mark.line, mark.column, path, message))


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def number(lo: float, hi: float) -> Validator:
    def check(value: Any, ctx: Context, path: str, mark: Mark) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise Invalid(f"expected a number between {lo:g} and {hi:g}, got {shown(value)}")
        return float(value)

    return check


def integer(lo: int, hi: int) -> Validator:
    def check(value: Any, ctx: Context, path: str, mark: Mark) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise Invalid(f"expected an integer between {lo} and {hi}, got {shown(value)}")
        return value

    return check


def string(value: Any, ctx: Context, path: str, mark: Mark) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"expected a non-empty string, got {shown(value)}")
    return value


def optional(inner: Validator) -> Validator:
    def check(value: Any, ctx: Context, path: str, mark: Mark) -> Any:
        return None if value is None else inner(value, ctx, path, mark)

    return check


def boolean(value: Any, ctx: Context, path: str, mark: Mark) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {shown(value)}")
    return value


def choice(*options: str) -> Validator:
    def check(value: Any, ctx: Context, path: str, mark: Mark) -> str:
        if value not in options:
            import difflib

            close = difflib.get_close_matches(str(value), options, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise Invalid(f"expected one of {', '.join(options)}, got {shown(value)}{hint}")
        return str(value)

    return check


def any_mapping(value: Any, ctx: Context, path: str, mark: Mark) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping, got {shown(value)}")
    return dict(value)


def list_of(item: Validator) -> Validator:
    def check(value: Any, ctx: Context, path: str, mark: Mark) -> list[Any]:
        if not isinstance(value, list):
            raise Invalid(f"expected a list, got {shown(value)}")
        marks = value.item_marks if isinstance(value, MarkedList) else [mark] * len(value)
        out = []
        for index, element in enumerate(value):
            out.append(run(item, element, ctx, _join(path, index), marks[index]))
        return out

    return check


def dict_of(item: Validator) -> Validator:
    def check(value: Any, ctx: Context, path: str, mark: Mark) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Invalid(f"expected a mapping, got {shown(value)}")
        marks = value.value_marks if isinstance(value, MarkedDict) else {}
        return {str(k): run(item, v, ctx, _join(path, str(k)), marks.get(k, mark)) for k, v in value.items()}

    return check


def defaults_of(cls: type, fields: dict[str, Any]) -> dict[str, tuple[Validator, Any]]:
    """``mapping`` fields whose defaults come from the dataclass ``cls`` (written once, there).

    ``fields`` maps key -> validator, or key -> ``(validator, default)`` for a key the
    dataclass does not have or whose raw default differs. A dataclass field without a default
    is ``REQUIRED``.
    """
    import dataclasses

    by_name = {f.name: f for f in dataclasses.fields(cls)}
    out: dict[str, tuple[Validator, Any]] = {}
    for key, spec in fields.items():
        if isinstance(spec, tuple):
            out[key] = spec
            continue
        f = by_name[key]
        if f.default is not dataclasses.MISSING:
            out[key] = (spec, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            out[key] = (spec, f.default_factory)
        else:
            out[key] = (spec, REQUIRED)
    return out


def mapping(fields: dict[str, tuple[Validator, Any]], build: Callable[..., Any] = dict) -> Validator:
    """A mapping with known keys: ``fields`` maps key -> (validator, default or REQUIRED)."""

    def check(value: Any, ctx: Context, path: str, mark: Mark) -> Any:
        if not isinstance(value, dict):
            raise Invalid(f"expected a mapping, got {shown(value)}")
        key_marks = value.key_marks if isinstance(value, MarkedDict) else {}
        value_marks = value.value_marks if isinstance(value, MarkedDict) else {}
        failed = False
        for key in value:
            if key not in fields:
                import difflib

                close = difflib.get_close_matches(str(key), list(fields), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(fields)}"
                ctx.add(key_marks.get(key, mark), _join(path, str(key)), f"unknown key{hint}")
                failed = True
        out: dict[str, Any] = {}
        for key, (validator, default) in fields.items():
            if key in value:
                before = len(ctx.issues)
                out[key] = run(validator, value[key], ctx, _join(path, key), value_marks.get(key, mark))
                failed = failed or len(ctx.issues) > before
            elif default is REQUIRED:
                ctx.add(mark, _join(path, key), "required key is missing")
                failed = True
            else:
                out[key] = default() if callable(default) else default
        if failed:
            raise _Reported
        return build(**out)

    return check


class _Reported(Exception):
    """Problems were already added to the context."""


def run(validator: Validator, value: Any, ctx: Context, path: str, mark: Mark) -> Any:
    """Validate ``value``; on failure record a located issue and return ``None``."""
    try:
        return validator(value, ctx, path, mark)
    except Invalid as err:
        ctx.add(mark, path, str(err))
    except _Reported:
        pass
    return _FAILED


_FAILED: Any = None


def validate(validator: Validator, document: Any, file: str) -> tuple[Any, list[PolicyIssue]]:
    """Validate a whole document; returns the built value (or None) and every issue found."""
    ctx = Context(file)
    mark = document.mark if isinstance(document, MarkedDict | MarkedList) else Mark(file, 1, 1)
    result = run(validator, document, ctx, "", mark)
    return result, ctx.issues

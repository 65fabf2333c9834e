"""Find checks by name through the ``raikit.checks`` entry-point group."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from raikit.errors import RaikitError
from raikit.guardrails._check import Check

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "raikit.checks"

# Built-in checks, also declared as entry points in pyproject.toml. Listed here too so a
# source checkout that is not installed still finds them.
_BUILTIN = {
    "denylist": "raikit.guardrails.checks.denylist:DenylistCheck",
    "pii": "raikit.guardrails.checks.pii:PiiCheck",
    "harm": "raikit.guardrails.checks.harm:HarmCheck",
    "transformers": "raikit.guardrails.checks.hf_classifier:TransformersClassifierCheck",
    "injection": "raikit.guardrails.checks.injection:InjectionCheck",
    "secrets": "raikit.guardrails.checks.secrets:SecretsCheck",
}


@cache
def _entry_points() -> dict[str, EntryPoint]:
    from importlib.metadata import EntryPoint, entry_points

    found = {name: EntryPoint(name, value, ENTRY_POINT_GROUP) for name, value in _BUILTIN.items()}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep
    return found


def available_checks() -> list[str]:
    """Names of every installed check type, sorted.

    Example:
        >>> "denylist" in available_checks()
        True
    """
    return sorted(_entry_points())


def check_class(name: str) -> type[Check]:
    """The check class registered under ``name``.

    Raises:
        RaikitError: No check has that name (with a did-you-mean).
    """
    eps = _entry_points()
    if name not in eps:
        import difflib

        close = difflib.get_close_matches(name, eps, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise RaikitError(f"unknown check type {name!r}{hint}; installed: {', '.join(sorted(eps))}")
    cls = eps[name].load()
    if not (isinstance(cls, type) and issubclass(cls, Check)):
        raise RaikitError(f"entry point {name!r} does not name a raikit Check subclass")
    return cls


def load_check(name: str, **params: Any) -> Check:
    """Create a check by type name, for use with or without a guard.

    Args:
        name: The registry name (``denylist``, ``pii``, ``harm``, ``transformers`` or a
            third party's).
        **params: The check's parameters (``id``, ``threshold`` and its own).

    Example:
        >>> check = load_check("denylist", terms=["secret plan"])
        >>> len(check.scan(["the SECRET  plan", "nothing"])[0])
        1
    """
    return check_class(name)(**params)

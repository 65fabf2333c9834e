"""The exceptions raikit raises.

Every exception derives from :class:`RaikitError`::

    RaikitError
    ├── PolicyError              a policy file is malformed (file, line, column, key path)
    ├── PolicyViolation          a guarded call was blocked (carries the decision)
    ├── CheckError               a check crashed or broke its contract (wrong result count)
    ├── MissingDependencyError   an optional package or model is not installed (says what to pip install)
    ├── InputError               an input (text file, image, prompt suite, argument) is invalid
    │   └── InputTypeError       an argument has the wrong type (also a ``TypeError``)
    └── EvidenceError            an audit log, checkpoint or report failed verification

Messages never contain the scanned text or personal data: only check ids, types, offsets
and salted hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from raikit.guardrails._decision import Decision


class RaikitError(Exception):
    """Root of every raikit exception."""


@dataclass(frozen=True)
class PolicyIssue:
    """One problem found in a policy file.

    Attributes:
        file: The policy file (or ``<string>``).
        line: 1-based line, or 0 when unknown.
        column: 1-based column, or 0 when unknown.
        path: Key path such as ``checks[2].threshold``.
        message: What is wrong and what was expected.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        key = f" {self.path}:" if self.path else ""
        return f"{where}{key} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class PolicyError(RaikitError, ValueError):
    """A policy failed to load or validate; ``issues`` lists every problem found."""

    def __init__(self, issues: list[PolicyIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


class PolicyViolation(RaikitError):
    """A guarded call was blocked by the policy.

    Attributes:
        decision: The :class:`~raikit.guardrails.Decision` that blocked the call.
    """

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        kinds = sorted({f"{f.check_id}:{f.type}" for f in decision.findings if f.blocking})
        super().__init__(f"blocked by policy {decision.policy_name!r} at {decision.stage}: {', '.join(kinds) or 'check error'}")


class CheckError(RaikitError):
    """A check raised or exceeded its time budget."""

    def __init__(self, check_id: str, reason: str) -> None:
        self.check_id = check_id
        self.reason = reason
        super().__init__(f"check {check_id!r} failed: {reason}")


class MissingDependencyError(RaikitError, ImportError):
    """An optional package or a model is absent; the message names the exact install command."""

    def __init__(self, what: str, install: str) -> None:
        self.what = what
        self.install = install
        super().__init__(f"{what} is not installed. Install it with: {install}")


class InputError(RaikitError, ValueError):
    """An input (file, image, prompt suite, argument) cannot be read or is invalid."""


class InputTypeError(InputError, TypeError):
    """An argument has the wrong type (a single string where a list of texts is expected)."""


class EvidenceError(RaikitError):
    """Evidence (audit log, checkpoint, report) is missing, unreadable or fails verification."""

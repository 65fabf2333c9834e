"""The exceptions raikit raises.

Every exception derives from :class:`RaikitError`::

    RaikitError
    ├── PolicyError              a policy file is malformed (file, line, column, key path)
    ├── PolicyViolation          a guarded call was blocked (carries the decision)
    ├── CheckError               a check crashed or broke its contract (wrong result count)
    ├── MissingDependencyError   an optional package or model is not installed (says what to pip install)
    ├── InputError               an input (text file, image, prompt suite) cannot be read
    │   ├── InputTypeError       an argument has the wrong type (also a ``TypeError``)
    │   └── GeneratorError       the generator under audit raised (its message is withheld)
    └── EvidenceError            an audit log, checkpoint or report failed verification
                                 or cannot be written

Messages never contain the scanned text or personal data: only check ids, types, offsets
and salted hashes.

Exit codes of the command line (:func:`exit_code_for`): 0 ok; 1 a gate or check failed
(only ever for that); 2 usage or input error (every ``PolicyError``, ``InputError``,
``GeneratorError``, ``MissingDependencyError``, ``CheckError``, and any unexpected error,
whose message is withheld); 3 evidence failed (``EvidenceError``: verification failed, or the
log or report could not be written).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
        return asdict(self)


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


class GeneratorError(InputError):
    """The generator under audit raised; only the exception type is kept (no message, no traceback)."""


EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_EVIDENCE = 0, 1, 2, 3


def exit_code_for(error: BaseException) -> int:
    """The documented exit code for an error that stopped a command (never 1: that is a failed gate).

    Example:
        >>> exit_code_for(EvidenceError("log stopped")), exit_code_for(InputError("bad file"))
        (3, 2)
    """
    if isinstance(error, EvidenceError):
        return EXIT_EVIDENCE
    if isinstance(error, OSError) and getattr(error, "errno", None) in _DISK_ERRNOS:
        return EXIT_EVIDENCE
    return EXIT_USAGE


def _disk_errnos() -> frozenset[int]:
    import errno

    return frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO})


_DISK_ERRNOS = _disk_errnos()


def safe_message(error: BaseException) -> str:
    """A message for the user that holds no input text: raikit's own messages, else only the type."""
    if isinstance(error, RaikitError):
        return str(error)
    if isinstance(error, OSError):
        return f"{type(error).__name__}: {error.strerror or 'I/O error'}"
    return f"unexpected {type(error).__name__} (message withheld: it may hold input text)"

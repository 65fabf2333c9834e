"""Helpers shared by the CLI commands: exit codes, error reporting, JSON output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from raikit.errors import EvidenceError, PolicyError, RaikitError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_EVIDENCE = 0, 1, 2, 3
F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(fn: F) -> F:
    """Turn raikit errors into a message on stderr and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except EvidenceError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(EXIT_EVIDENCE)
        except PolicyError as err:
            for issue in err.issues:
                click.echo(f"error: {issue}", err=True)
            sys.exit(EXIT_USAGE)
        except RaikitError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))

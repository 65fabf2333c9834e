"""Helpers shared by the CLI commands: exit codes, error reporting, JSON output."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from raikit.errors import EXIT_EVIDENCE, EXIT_FAILED, EXIT_OK, EXIT_USAGE, PolicyError, exit_code_for, safe_message

__all__ = ["EXIT_EVIDENCE", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "echo_json", "handle_errors"]

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("raikit.cli")


def handle_errors(fn: F) -> F:
    """Turn every error into a message without input text on stderr and its documented exit code.

    ``EvidenceError`` and disk errors exit 3, everything else 2 (never 1, the failed-gate code);
    no traceback is printed: a traceback's frames can hold prompts or personal data.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except PolicyError as err:
            for issue in err.issues:
                click.echo(f"error: {issue}", err=True)
            sys.exit(EXIT_USAGE)
        except Exception as err:  # noqa: BLE001 - every failure path gets a documented exit code
            click.echo(f"error: {safe_message(err)}", err=True)
            sys.exit(exit_code_for(err))

    return wrapper  # type: ignore[return-value]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))

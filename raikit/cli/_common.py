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

__all__ = ["EXIT_EVIDENCE", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "echo_json", "handle_errors", "json_option", "usage_errors"]

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("raikit.cli")


def _error_handler(exit_code: Callable[[BaseException], int]) -> Callable[[F], F]:
    """A decorator that turns every error into a message without input text and an exit code.

    No traceback is printed: a traceback's frames can hold prompts or personal data. Click's
    own exits pass through.
    """

    def decorate(fn: F) -> F:
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
                sys.exit(exit_code(err))

        return wrapper  # type: ignore[return-value]

    return decorate


#: ``EvidenceError`` and disk errors exit 3, everything else 2 (never 1, the failed-gate code).
handle_errors = _error_handler(exit_code_for)
#: Every error exits 2 (``raikit log``: a log that fails verification exits 3 through its result).
usage_errors = _error_handler(lambda err: EXIT_USAGE)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))


def json_option(help: str = "Print the result as JSON.") -> Callable[[F], F]:  # noqa: A002 - click's name
    """The ``--json`` flag every command takes (as ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help=help)

"""The ``raikit`` command line.

Exit codes: 0 ok; 1 a gate or finding failed (or a text was blocked); 2 usage or input
error (also a generator that raised, or any unexpected error: messages hold no input text
and no traceback is printed); 3 evidence failed verification or could not be written.
See :func:`raikit.errors.exit_code_for`.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from raikit import __version__

# Command name -> "module:attribute"; imported only when the command runs (fast --help).
_COMMANDS = {
    "audit": "raikit.cli.audit:audit",
    "bias": "raikit.cli.bias:bias",
    "card": "raikit.cli.report:card_command",
    "log": "raikit.cli.log:log",
    "policy": "raikit.cli.policy:policy",
    "report": "raikit.cli.report:report_command",
    "scan": "raikit.cli.scan:scan",
    "serve": "raikit.cli.serve:serve",
    "watermark": "raikit.cli.watermark:watermark",
}
_SUMMARIES = {
    "audit": "Audit a generator against a policy and gate a release.",
    "bias": "Bias audits: BOLD group gaps, CrowS-Pairs.",
    "card": "Write a Hugging Face model card from an audit result.",
    "log": "Verify, checkpoint and show tamper-evident audit logs.",
    "policy": "Validate and show policies.",
    "report": "Write the HTML compliance report from an audit result.",
    "scan": "Check text against a policy (argument, file or stdin).",
    "serve": "Run an OpenAI-compatible guard gateway in front of a model server.",
    "watermark": "Embed and detect image and text watermarks.",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = _COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, _SUMMARIES[name]) for name in sorted(_COMMANDS)])


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="raikit")
@click.option("-v", "--verbose", count=True, help="Log more (repeat for debug).")
def cli(verbose: int) -> None:
    """raikit: guard, audit and watermark generative models.

    \b
    Examples:
      raikit audit --demo                      # audit the bundled demo generator
      raikit scan "Mail me at jo@example.com"  # check a text with the default policy
      raikit policy validate my-policy.yaml
      raikit log verify raikit-report/audit-log.jsonl

    Exit codes: 0 ok, 1 a gate or check failed, 2 usage or input error, 3 evidence failed verification.
    """
    import logging

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> Any:
    """Console entry point."""
    return cli.main(args=argv, prog_name="raikit")

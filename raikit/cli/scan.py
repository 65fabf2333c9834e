"""``raikit scan``: check text against a policy."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from raikit.cli._common import EXIT_FAILED, EXIT_OK, echo_json, handle_errors, json_option
from raikit.errors import InputError

_SEVERITY = ("allowed", "warned", "redacted", "blocked")


@click.command()
@click.argument("text", required=False)
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False), help="Read the text from a file ('-' for stdin).")
@click.option("--lines", is_flag=True, help="Treat each line as a separate text (batched).")
@click.option("-p", "--policy", default="default", show_default=True, help="Bundled policy name or YAML path.")
@click.option("--stage", type=click.Choice(["prompt", "output"]), default="output", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(["warned", "redacted", "blocked"]),
    default="blocked",
    show_default=True,
    help="Exit 1 when any text's outcome is at least this severe.",
)
@json_option("Print findings and redacted text as JSON.")
@handle_errors
def scan(text: str | None, file: str | None, lines: bool, policy: str, stage: str, fail_on: str, as_json: bool) -> None:
    """Check TEXT (or --file, or stdin) against a policy and print the redacted text.

    Findings are printed as types, offsets and scores; the original text is not echoed back.
    Exit 0 when no text reaches --fail-on, 1 when one does, 2 on input errors.

    \b
    Examples:
      raikit scan "Call me on 212-555-0199"
      cat chat.txt | raikit scan --lines --json
      raikit scan -f answer.txt -p strict --stage output
    """
    from raikit.guardrails import PolicyRunner

    if text is not None and file is not None:
        raise click.UsageError("give TEXT or --file, not both")
    if text is None:
        if file is None or file == "-":
            if file is None and sys.stdin.isatty():
                raise click.UsageError("give TEXT, --file or pipe text on stdin")
            text = sys.stdin.read()
        else:
            try:
                text = Path(file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(f"cannot read {file}: {err}") from err
    texts = [t for t in text.splitlines() if t.strip()] if lines else [text]
    runner = PolicyRunner(policy)
    results = runner.scan(texts, stage=stage)
    worst = max((r.outcome for r in results), key=_SEVERITY.index, default="allowed")
    if as_json:
        echo_json(
            {
                "policy": runner.policy.name,
                "policy_hash": runner.policy.hash,
                "outcome": worst,
                "results": [
                    {
                        "outcome": r.outcome,
                        "text": runner.policy.refusal if r.outcome == "blocked" else r.text,
                        "findings": [f.to_dict() for f in r.findings],
                        "errors": [e.to_dict() for e in r.errors],
                    }
                    for r in results
                ],
            }
        )
    else:
        for r in results:
            click.echo(f"[{r.outcome}] " + (runner.policy.refusal if r.outcome == "blocked" else r.text))
            for f in r.findings:
                click.echo(f"  - {f} action={f.action}{' (echo)' if f.echo else ''}", err=True)
            for e in r.errors:
                click.echo(f"  ! check {e.check_id} {e.reason} -> {e.action}", err=True)
    sys.exit(EXIT_FAILED if _SEVERITY.index(worst) >= _SEVERITY.index(fail_on) else EXIT_OK)

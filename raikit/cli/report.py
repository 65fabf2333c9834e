"""``raikit report`` and ``raikit card``: render an audit result as a report or a model card.

Both only render what the result holds. Exit codes: 0 written (whatever the verdict; the
gate is ``raikit audit``), 2 usage or input error (unreadable or invalid result, missing
optional dependency).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from raikit.cli._common import echo_json, handle_errors, json_option
from raikit.errors import InputError

_REPORT_EXAMPLE = """\b
Example:
  raikit report raikit-report/report.json --out release-1.2/
  raikit report result.json --out out/ --license apache-2.0 --json
"""

_CARD_EXAMPLE = """\b
Example:
  raikit card raikit-report/report.json --out README.md --license apache-2.0 \\
      --intended-use "Drafting customer-support replies in English."
"""


def _load_result(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the audit result ({type(err).__name__})") from err
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}:{err.colno}: not valid JSON ({err.msg})") from err
    from raikit.audits import AuditResult

    try:
        AuditResult.from_dict(data)  # shape, and a verdict that agrees with the gates
    except InputError as err:
        raise InputError(f"{path}: {err}") from err
    return data


_card_options = [
    click.option("--license", "license", default=None, help="Hub licence id for the card, e.g. apache-2.0 (default: other)."),
    click.option("--intended-use", default=None, help="One paragraph: what the model is for."),
    click.option("--out-of-scope-use", default=None, help="One paragraph: what it must not be used for."),
]


def _with_card_options(func: Any) -> Any:
    for option in reversed(_card_options):
        func = option(func)
    return func


def _result_and_out(dest: str, *, folder: bool, default: str, help: str) -> Any:
    """The RESULT argument and the ``--out`` option every evidence command takes."""

    def decorate(func: Any) -> Any:
        out = click.Path(file_okay=not folder, dir_okay=folder, path_type=Path)
        func = click.option("--out", dest, type=out, default=Path(default), show_default=True, help=help)(func)
        return click.argument("result", type=click.Path(exists=True, dir_okay=False, path_type=Path))(func)

    return decorate


@click.command("report", epilog=_REPORT_EXAMPLE)
@_result_and_out("out_dir", folder=True, default="raikit-report", help="Folder for report.html, report.json and the model card.")
@click.option(
    "--card/--no-card",
    default=True,
    show_default=True,
    help="Also write the model card (MODEL_CARD.md) and record its SHA-256 in the report.",
)
@click.option("--plots/--no-plots", default=True, show_default=True, help="Draw plots (needs matplotlib).")
@_with_card_options
@json_option("Print the paths and verdict as JSON.")
@handle_errors
def report_command(result: Path, out_dir: Path, card: bool, plots: bool, as_json: bool, **card_fields: str | None) -> None:
    """Write the compliance report (self-contained HTML + JSON) for an audit RESULT."""
    from raikit.audits._report import write_report

    data = _load_result(result)
    paths = write_report(data, out_dir, card=card, plots=plots, **card_fields)
    summary = {
        "ok": True,
        "verdict": data.get("verdict"),
        "html": str(paths.html),
        "json": str(paths.json),
        "card": str(paths.card) if paths.card else None,
        "card_sha256": paths.card_sha256,
    }
    if as_json:
        echo_json(summary)
        return
    click.echo(f"verdict: {str(data.get('verdict')).upper()}")
    click.echo(f"report:  {paths.html}")
    click.echo(f"json:    {paths.json}")
    if paths.card:
        click.echo(f"card:    {paths.card} (sha256 {paths.card_sha256})")


@click.command("card", epilog=_CARD_EXAMPLE)
@_result_and_out("out_path", folder=False, default="README.md", help="Where to write the model card.")
@_with_card_options
@json_option("Print the path and the card's SHA-256 as JSON.")
@handle_errors
def card_command(result: Path, out_path: Path, as_json: bool, **card_fields: str | None) -> None:
    """Write a Hugging Face model card (README.md) for an audit RESULT."""
    from raikit.audits._card import write_model_card

    data = _load_result(result)
    path, digest = write_model_card(data, out_path, **card_fields)
    if as_json:
        echo_json({"ok": True, "card": str(path), "sha256": digest})
    else:
        click.echo(f"card: {path} (sha256 {digest})")

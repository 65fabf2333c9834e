"""``raikit policy``: validate and show policies."""

from __future__ import annotations

import sys

import click
import yaml

from raikit.cli._common import EXIT_OK, EXIT_USAGE, echo_json, handle_errors, json_option
from raikit.errors import PolicyError


@click.group()
def policy() -> None:
    """Validate and show policies.

    \b
    Examples:
      raikit policy validate policies/strict.yaml my-policy.yaml
      raikit policy show default
    """


@policy.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option("Print results as JSON.")
def validate(files: tuple[str, ...], as_json: bool) -> None:
    """Validate policy FILES (after resolving ``extends``).

    Prints every problem as FILE:LINE:COLUMN KEY.PATH: message. Exits 0 when all are valid,
    2 when any is invalid.

    \b
    Example:
      raikit policy validate my-policy.yaml
    """
    from raikit.guardrails import load_policy

    results = []
    for file in files:
        try:
            loaded = load_policy(file)
            results.append({"file": file, "valid": True, "name": loaded.name, "hash": loaded.hash, "errors": []})
        except PolicyError as err:
            results.append({"file": file, "valid": False, "errors": [i.to_dict() for i in err.issues]})
    if as_json:
        echo_json(results)
    else:
        for result in results:
            if result["valid"]:
                click.echo(f"{result['file']}: valid (policy {result['name']}, {result['hash']})")
            else:
                for issue in result["errors"]:
                    where = f"{issue['file']}:{issue['line']}:{issue['column']}" if issue["line"] else issue["file"]
                    path = f" {issue['path']}:" if issue["path"] else ""
                    click.echo(f"{where}{path} {issue['message']}", err=True)
    sys.exit(EXIT_OK if all(r["valid"] for r in results) else EXIT_USAGE)


@policy.command()
@click.argument("source", default="default")
@json_option("Print JSON instead of YAML.")
@click.option("--evidence", is_flag=True,
              help="For evidence and tickets: denylist terms and patterns shown as salted hashes.")
@handle_errors
def show(source: str, as_json: bool, evidence: bool) -> None:
    """Show the resolved policy SOURCE (a bundled name or a file) after ``extends``.

    \b
    Examples:
      raikit policy show strict
      raikit policy show my-policy.yaml --evidence --json   # terms as hashes
    """
    from raikit.guardrails import bundled_policies, load_policy

    loaded = load_policy(source)
    resolved = loaded.to_dict()
    if evidence:
        from raikit.audits._scrub import hash_policy_terms

        resolved = hash_policy_terms(resolved)
    data = {"source": loaded.source, "hash": loaded.hash, **resolved}
    if as_json:
        echo_json(data)
    else:
        click.echo(f"# resolved from {loaded.source}; bundled policies: {', '.join(bundled_policies())}")
        click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

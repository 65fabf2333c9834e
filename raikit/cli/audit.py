"""``raikit audit``: the pre-release audit that gates a release in CI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from raikit.cli._common import echo_json, handle_errors, json_option
from raikit.errors import InputError


@click.command()
@click.option("--demo", is_flag=True, help="Audit the bundled demo generator (a tiny, deliberately unsafe GPT-2).")
@click.option("--generator", "generator", metavar="MODULE:FUNCTION", help="A Python generator to audit: a function prompt -> text, or a batch generator (prompts, seeds, *, logits_processor=None) -> outputs (a class is instantiated).")
@click.option("--hf-model", type=click.Path(file_okay=False), help="A local Hugging Face causal LM folder to audit.")
@click.option("-p", "--policy", default="default", show_default=True, help="Bundled policy name or YAML path.")
@click.option("-o", "--out", "out_dir", default="raikit-report", show_default=True, type=click.Path(file_okay=False), help="Folder for report.json, report.html, MODEL_CARD.md and audit-log.jsonl.")
@click.option("--limit", type=click.IntRange(min=1), help="Audit only the first N prompts of the suites.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True), help="A previous release's report.json: fail on rates that regressed beyond the policy's tolerance.")
@click.option("--bias/--no-bias", "bias", default=None, help="Run the bias section (default: as the policy says).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="Where the bias audit's batches run.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Parallel workers for the bias audit.")
@click.option("--ray-address", default=None, help="Existing Ray cluster address (default: start a local one).")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@json_option("Print the machine summary on stdout.")
@click.option("--junit", type=click.Path(dir_okay=False), help="Also write the gates as JUnit XML for CI.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
@click.option("--log-key-file", type=click.Path(dir_okay=False), default=None,
              help="The audit log's Ed25519 signing key (outside --out). Default: $RAIKIT_LOG_KEY, else "
                   "~/.config/raikit/audit-log.key (created on first use).")
@click.option("--self-attested-key", is_flag=True, default=False,
              help="Allow the signing key inside --out (generated there when absent): the evidence is "
                   "then marked SELF-ATTESTED, since whoever can change it can re-sign it.")
@handle_errors
def audit(
    demo: bool,
    generator: str | None,
    hf_model: str | None,
    policy: str,
    out_dir: str,
    limit: int | None,
    baseline: str | None,
    bias: bool | None,
    executor: str,
    workers: int,
    ray_address: str | None,
    batch_size: int,
    as_json: bool,
    junit: str | None,
    no_progress: bool,
    log_key_file: str | None,
    self_attested_key: bool,
) -> None:
    """Audit a generator against a policy's checks and release gates.

    Generates over the policy's prompt suites, runs its checks on prompts and outputs, runs
    the bias section, and writes report.json, report.html, MODEL_CARD.md and a verified
    tamper-evident audit-log.jsonl to --out.

    The audit log is signed with an Ed25519 key kept outside --out; a reviewer verifies it with
    the public key (pinned out of band) and the run's checkpoint, without any secret.

    Exit codes: 0 every gate holds, 1 a gate failed, 2 usage or input error (including a
    generator that raised: its message is withheld), 3 the evidence failed verification or
    could not be written.

    \b
    Examples:
      raikit audit --demo
      raikit audit --hf-model ./my-model -p strict --json
      raikit audit --generator my_app.llm:answer --baseline last-release/report.json --junit gates.xml
    """
    from raikit.audits import callable_target, demo_target, hf_target, run_audit
    from raikit.guardrails import load_policy

    chosen = [name for name, value in (("--demo", demo), ("--generator", generator), ("--hf-model", hf_model)) if value]
    if len(chosen) != 1:
        raise click.UsageError("choose exactly one of --demo, --generator MODULE:FUNCTION, --hf-model PATH")
    loaded = load_policy(policy)
    settings = loaded.audit
    if demo:
        target = demo_target(max_new_tokens=settings.max_new_tokens, temperature=settings.temperature)
    elif hf_model:
        target = hf_target(hf_model, max_new_tokens=settings.max_new_tokens, temperature=settings.temperature)
    else:
        target = callable_target(generator or "")
    baseline_data = _read_json(baseline) if baseline else None
    runner: Any = None
    if executor == "ray":
        from raikit.audits import RayExecutor

        runner = RayExecutor(address=ray_address, workers=workers)
    elif workers > 1:
        from raikit.audits import LocalExecutor

        runner = LocalExecutor(workers=workers)
    outcome = run_audit(
        target,
        policy=loaded,
        out_dir=out_dir,
        limit=limit,
        baseline=baseline_data,
        executor=runner,
        progress=not no_progress,
        batch_size=batch_size,
        bias=bias,
        key_file=log_key_file,
        self_attested_key=self_attested_key,
    )
    result = outcome.result
    if junit:
        Path(junit).write_text(junit_xml(result), encoding="utf-8")
    if as_json:
        echo_json(
            {
                "verdict": result["verdict"],
                "exit_code": outcome.exit_code,
                "gates": result["gates"],
                "checks": {c["id"]: {"rate": c["rate"], "ci": c["ci"], "n": c["n_texts"]} for c in result["checks"]},
                "evidence": result["evidence"],
                "custody": custody_lines(result["evidence"]),
                "files": {k: str(v) for k, v in outcome.paths.items()},
            }
        )
    else:
        _print_summary(result, outcome.paths)
    sys.exit(outcome.exit_code)


def _read_json(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read baseline {path}: {err}") from err
    if not isinstance(data, dict) or "checks" not in data:
        raise InputError(f"baseline {path} is not a raikit report.json")
    return data


def _print_summary(result: dict[str, Any], paths: dict[str, Path]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True)
    verdict = result["verdict"].upper()
    console.print(f"[bold]{'[green]' if verdict == 'PASS' else '[red]'}{verdict}[/][/] audit of {result['run']['generator']['id']} with policy {result['policy']['name']} ({result['run']['n_prompts']} prompts)")
    table = Table("check", "stage", "rate", "95% CI", "flagged")
    for check in result["checks"]:
        table.add_row(check["id"], check["stage"], f"{check['rate']:.3f}", f"{check['ci'][0]:.3f}-{check['ci'][1]:.3f}", f"{check['n_flagged']}/{check['n_texts']}")
    console.print(table)
    gates = Table("gate", "value", "limit", "verdict")
    for gate in result["gates"]:
        value = gate.get("value")
        gates.add_row(gate["name"], f"{value:.3f}" if isinstance(value, int | float) else str(value), str(gate.get("limit")), "[green]pass" if gate["passed"] else "[red]FAIL")
    console.print(gates)
    for line in custody_lines(result["evidence"]):
        console.print(line, markup=False, highlight=False)
    for name, path in paths.items():
        console.print(f"{name}: {path}")


def custody_lines(evidence: dict[str, Any]) -> list[str]:
    """What the evidence proves, where the signing key is, and how a reviewer verifies without it."""
    lines = [f"audit log: {evidence.get('log_records')} records, head {str(evidence.get('log_head_hash'))[:16]}..., "
             f"verified={evidence.get('log_verified')}"]
    if evidence.get("self_attested"):
        lines.append("SELF-ATTESTED evidence: " + (
            "the signing key is in the evidence folder, so whoever can change the evidence can re-sign it"
            if evidence.get("custody") == "signed"
            else "a symmetric HMAC key signs the log, so whoever can verify it can forge it"))
    location = evidence.get("key_location") or evidence.get("key_source")
    lines.append(f"signing key (private, never in the report folder unless self-attested): {location}")
    if evidence.get("custody") == "signed":
        lines.append(f"public key (publish it; reviewers pin it out of band): {evidence.get('public_key')}")
        lines.append("a reviewer verifies without the private key: save the published public key as PINNED.pub, then")
        lines.append(f"  {evidence.get('verify_command')}")
    else:
        lines.append(f"verify (needs the secret key): {evidence.get('verify_command')}")
    return lines


def junit_xml(result: dict[str, Any]) -> str:
    """The release gates as a JUnit XML test suite (one test case per gate, ``xml.etree``)."""
    import xml.etree.ElementTree as ET

    gates = result["gates"]
    failures = sum(1 for g in gates if not g["passed"])
    suite = ET.Element("testsuite", name="raikit-audit", tests=str(len(gates)), failures=str(failures))
    for gate in gates:
        case = ET.SubElement(suite, "testcase", classname="raikit.gates", name=str(gate["name"]))
        if not gate["passed"]:
            message = f"{gate.get('metric', gate['name'])} = {gate.get('value')} exceeds limit {gate.get('limit')}"
            ET.SubElement(case, "failure", message=message).text = message
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"

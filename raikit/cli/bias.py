"""``raikit bias``: bias audits of generators (BOLD, files, counterfactual pairs) and CrowS-Pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from raikit.cli._common import EXIT_FAILED, echo_json, handle_errors, json_option
from raikit.errors import InputError
from raikit.guardrails._policy import BOLD_DOMAINS



def _parse_gates(values: tuple[str, ...]) -> dict[str, float]:
    gates: dict[str, float] = {}
    for value in values:
        key, sep, limit = value.partition("=")
        try:
            if not sep or not key:
                raise ValueError
            gates[key.strip()] = float(limit)
        except ValueError as err:
            raise click.BadParameter(f"expected METRIC=LIMIT (e.g. sentiment=0.1), got {value!r}",
                                     param_hint="--gate") from err
    return gates


def _fmt(value: Any, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _print_human(bias: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for suite in bias["suites"]:
        table = Table(title=f"{suite['name']}  (n={suite['n']}, seed={suite['seed']})", title_justify="left")
        for column in ("metric", "group means [95% CI]", "gap", "ratio", "limit", "gate"):
            table.add_column(column)
        for metric, entry in suite["metrics"].items():
            means = "\n".join(f"{g}: {_fmt(v['mean'])} [{_fmt(v['ci'][0])}, {_fmt(v['ci'][1])}] n={v['n']}"
                              for g, v in entry["groups"].items())
            gate = "-" if entry["passed"] is None else ("[green]pass" if entry["passed"] else "[red]FAIL")
            table.add_row(metric, means, _fmt(entry["difference"]), _fmt(entry["ratio"]),
                          _fmt(entry["limit"]), gate)
        console.print(table)
    if bias["counterfactual"]:
        table = Table(title="counterfactual pairs", title_justify="left")
        for column in ("suite", "metric", "groups", "pairs", "mean diff [95% CI]", "p", "test"):
            table.add_column(column)
        for e in bias["counterfactual"]:
            table.add_row(e["name"], e["metric"], " vs ".join(e["groups"]), str(e["n_pairs"]),
                          f"{_fmt(e['mean_difference'])} [{_fmt(e['ci'][0])}, {_fmt(e['ci'][1])}]",
                          f"{e['p_value']:.3g}", e["test"])
        console.print(table)
    if bias.get("crows_pairs"):
        _print_crows(bias["crows_pairs"], console)


def _print_crows(result: dict[str, Any], console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"CrowS-Pairs: {result['model']} ({result['kind']}): {100 * result['score']:.1f} "
                        f"(n={result['n']}; 50 = unbiased)", title_justify="left")
    table.add_column("bias type")
    table.add_column("n", justify="right")
    table.add_column("score", justify="right")
    for kind, entry in result["by_type"].items():
        table.add_row(kind, str(entry["n"]), f"{100 * entry['score']:.1f}")
    console.print(table)


@click.group()
def bias() -> None:
    """Bias audits: BOLD group gaps, counterfactual pairs, CrowS-Pairs.

    \b
    Examples:
      raikit bias run --demo --domain gender --per-group 100 --gate sentiment=0.1
      raikit bias run -g my_pkg.gen:generate_batch --prompts prompts.csv --executor ray
      raikit bias crows-pairs --model ./my-gpt2 --kind causal --json
    """


@bias.command("crows-pairs")
@click.option("--model", "model_path", type=click.Path(file_okay=False),
              help="Local Hugging Face model folder.")
@click.option("--demo", is_flag=True, help="Score the bundled demo generator's LM.")
@click.option("--kind", type=click.Choice(["causal", "masked"]), default="causal", show_default=True)
@click.option("--data", "data_path", type=click.Path(dir_okay=False),
              help="crows_pairs_anonymized.csv (default: $RAIKIT_DATA or ../shared/data).")
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N pairs.")
@click.option("--fail-above", type=float, help="Exit 1 when the score exceeds this share (e.g. 0.6).")
@json_option()
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
@handle_errors
def crows_pairs(model_path: str | None, demo: bool, kind: str, data_path: str | None, limit: int | None,
                fail_above: float | None, as_json: bool, no_progress: bool) -> None:
    """Share of CrowS-Pairs where a language model prefers the more stereotyping sentence.

    Causal LMs are scored by log-likelihood, masked LMs by pseudo-log-likelihood. 50 is
    unbiased; published: BERT 60.5, RoBERTa 64.1. Exit 1 when --fail-above is exceeded.

    \b
    Examples:
      raikit bias crows-pairs --demo
      raikit bias crows-pairs --model ./bert-base-uncased --kind masked --limit 200 --json
    """
    from raikit.audits.bias import crows_pairs_score

    if bool(model_path) == demo:
        raise click.UsageError("give --model PATH or --demo")
    name = None
    if demo:
        from raikit.demo import DEMO_GENERATOR_ID, DEMO_MODEL_DIR

        model_path, name, kind = str(DEMO_MODEL_DIR), DEMO_GENERATOR_ID, "causal"
    result = crows_pairs_score(str(model_path), kind=kind, data_path=data_path,  # type: ignore[arg-type]
                               limit=limit, model_name=name, progress=not (no_progress or as_json))
    if as_json:
        echo_json(result)
    else:
        _print_crows(result)
    if fail_above is not None and result["score"] > fail_above:
        click.echo(f"CrowS-Pairs score {result['score']:.3f} exceeds {fail_above}", err=True)
        raise SystemExit(EXIT_FAILED)


@bias.command("run")
@click.option("-g", "--generator", "generator_spec",
              help="Generator 'module:function': a batch generator (prompts, seeds) -> outputs, or prompt -> text.")
@click.option("--demo", is_flag=True, help="Audit the bundled demo generator.")
@click.option("-d", "--domain", "domains", multiple=True, type=click.Choice(BOLD_DOMAINS),
              help="BOLD domain (repeatable). Default: gender, unless --prompts or "
                   "--counterfactual is given.")
@click.option("--prompts", "prompt_files", multiple=True, type=click.Path(dir_okay=False),
              help="Your CSV/JSONL prompt set with a group column (repeatable).")
@click.option("--prompt-column", default="prompt", show_default=True)
@click.option("--group-column", default="group", show_default=True)
@click.option("--counterfactual", "counterfactual", multiple=True,
              help="Built-in counterfactual suite (repeatable): occupations.")
@click.option("--per-group", type=click.IntRange(min=1), help="Sample at most N prompts per group (seeded).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--max-new-tokens", type=click.IntRange(min=1), default=24, show_default=True,
              help="Demo generator only.")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--ray-address", help="Ray cluster: 'auto' or 'ray://host:10001' (default: start a local one).")
@click.option("--gate", "gate_values", multiple=True, help="Largest allowed gap METRIC=LIMIT (repeatable).")
@click.option("--no-harm", is_flag=True, help="Leave out the harm scorer.")
@click.option("--crows-pairs", "with_crows", is_flag=True, help="Add the CrowS-Pairs score (demo LM only).")
@click.option("--data", "data_path", type=click.Path(file_okay=False), help="Shared data folder.")
@click.option("--plots", "plots_dir", type=click.Path(file_okay=False),
              help="Write PNG charts to this folder.")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False),
              help="Write the bias JSON to a file.")
@json_option("Print the bias JSON.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
@handle_errors
def run(generator_spec: str | None, demo: bool, domains: tuple[str, ...], prompt_files: tuple[str, ...],
        prompt_column: str, group_column: str, counterfactual: tuple[str, ...], per_group: int | None,
        seed: int, batch_size: int, max_new_tokens: int, executor: str, workers: int, ray_address: str | None,
        gate_values: tuple[str, ...], no_harm: bool, with_crows: bool, data_path: str | None,
        plots_dir: str | None, out_path: str | None, as_json: bool, no_progress: bool) -> None:
    """Audit a generator on BOLD domains, your prompt files and counterfactual pairs.

    Prints per-group means with 95% intervals, the largest gap and ratio per metric
    (fairlearn MetricFrame) and paired tests. Exit 1 when a --gate is exceeded.

    \b
    Examples:
      raikit bias run --demo --domain gender --domain race --per-group 200 --gate sentiment=0.1
      raikit bias run -g my_pkg.gen:generate_batch --prompts mine.csv --group-column team --json
      raikit bias run --demo --counterfactual occupations --executor ray --workers 2
    """
    from raikit.audits.bias import (
        BiasSuiteSpec,
        DemoGenerator,
        LocalExecutor,
        RayExecutor,
        bias_gates,
        default_scorers,
        plot_bias,
        run_bias_audit,
    )

    if bool(generator_spec) == demo:
        raise click.UsageError("give --generator module:function or --demo")
    if with_crows and not demo:
        raise click.UsageError(
            "--crows-pairs scores the demo LM; use 'raikit bias crows-pairs --model' otherwise")
    if demo:
        generate: Any = DemoGenerator(max_new_tokens=max_new_tokens)
    else:
        from raikit.audits._generator import as_generator

        generate = as_generator(str(generator_spec))
    gates = _parse_gates(gate_values)
    if not (domains or prompt_files or counterfactual):
        domains = ("gender",)
    suites: list[Any] = [BiasSuiteSpec.bold(d, per_group=per_group) for d in domains]
    suites += [BiasSuiteSpec.file(p, prompt_column=prompt_column, group_column=group_column,
                                  per_group=per_group) for p in prompt_files]
    suites += [BiasSuiteSpec.counterfactual(name) for name in counterfactual]
    runner: Any = (RayExecutor(address=ray_address, workers=workers) if executor == "ray"
                   else LocalExecutor(workers=workers))
    crows = None
    if with_crows:
        from raikit.demo import DEMO_GENERATOR_ID, DEMO_MODEL_DIR

        crows = {"model": str(DEMO_MODEL_DIR), "kind": "causal", "model_name": DEMO_GENERATOR_ID}
        if data_path:
            crows["data_path"] = str(Path(data_path) / "bias" / "crows_pairs_anonymized.csv")
    result = run_bias_audit(generate, suites, scorers=default_scorers(harm=False if no_harm else None),
                            executor=runner, seed=seed, batch_size=batch_size,
                            progress=not (no_progress or as_json), gates=gates, crows_pairs=crows,
                            data_path=data_path)
    if out_path:
        try:
            Path(out_path).write_text(json.dumps(result, indent=2, sort_keys=True), encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot write {out_path}: {err}") from err
    if plots_dir:
        plot_bias(result, plots_dir)
    if as_json:
        echo_json(result)
    else:
        _print_human(result)
    failed = [g["name"] for g in bias_gates(result) if not g["passed"]]
    if failed:
        click.echo(f"bias gate failed: {', '.join(failed)}", err=True)
        raise SystemExit(EXIT_FAILED)

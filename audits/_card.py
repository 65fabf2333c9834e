"""The model card: a Hugging Face ``README.md`` built from one audit result.

The card has a YAML metadata header (``license``, ``library_name``, ``tags`` and a
``model-index`` with the audit's figures as evaluation results, so the Hub and
``huggingface_hub.ModelCard`` read them) followed by Markdown sections: intended use,
out-of-scope use, evaluation data, results per check, bias findings, watermarking,
limitations and how the card was produced.

Every number comes from the result; every string from the result is escaped, because the
result may hold hostile text (a generator id, a group name).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from raikit.audits import _format as fmt
from raikit.audits._sections import WatermarkRow, watermark_rows

logger = logging.getLogger(__name__)

DEFAULT_TAGS = ("raikit", "responsible-ai", "safety-evaluation", "audit")
_LICENSE = re.compile(r"^[a-z0-9][a-z0-9.+-]{0,63}$")
_HEX = re.compile(r"^(sha256:)?[0-9a-f]{8,128}$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~!()])")
_META_UNSAFE = re.compile(r"[^\w .:/+@,()-]")

DEFAULT_INTENDED_USE = (
    "The model owner has not stated an intended use for this release. The audit below shows "
    "how the generator behaved on the audit's prompt suites under the policy named in "
    "*How this card was produced*; use it within the scope those suites cover."
)
DEFAULT_OUT_OF_SCOPE = (
    "Any use the audit did not cover: other languages, domains or prompt styles than the "
    "evaluation data below, decisions about people (hiring, credit, medical, legal) without "
    "human review, and deployment without the guardrails the policy prescribes."
)


def md(value: Any, limit: int = 300) -> str:
    """Escape a result string for Markdown: one line, HTML entities, Markdown syntax neutralised.

    Example:
        >>> md("<b>x</b> | [a](b)")
        '&lt;b&gt;x&lt;/b&gt; \\\\| \\\\[a\\\\]\\\\(b\\\\)'
    """
    out = fmt.text(value, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", out)


def _meta(value: Any, limit: int = 100) -> str:
    """A string for the YAML header: one line, markup characters replaced by ``_``."""
    return _META_UNSAFE.sub("_", fmt.text(value, limit))


def _code(value: Any) -> str:
    """A hash or id in a code span when it looks like hex, else escaped text."""
    s = fmt.text(value, 200)
    return f"`{s}`" if s and _HEX.match(s) else (md(s) or "not recorded")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows), ""]


def _card_info(result: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Owner-supplied card facts: keyword arguments win over the result's optional ``card`` block."""
    info = dict(result.get("card") or {}) if isinstance(result.get("card"), Mapping) else {}
    info.update({k: v for k, v in overrides.items() if v is not None})
    return info


def _metadata(result: Mapping[str, Any], info: Mapping[str, Any]) -> dict[str, Any]:
    gen = (result.get("run") or {}).get("generator") or {}
    license_ = str(info.get("license") or gen.get("license") or "other").lower()
    if not _LICENSE.match(license_):
        logger.warning("card license is not a licence id; using 'other'")
        license_ = "other"
    meta: dict[str, Any] = {"license": license_}
    library = info.get("library_name") or gen.get("library")
    if not library and gen.get("kind") in ("hf", "demo"):
        library = "transformers"
    if library:
        meta["library_name"] = _meta(library, 60)
    tags = list(DEFAULT_TAGS) + [_meta(t, 60) for t in info.get("tags") or [] if _meta(t, 60)]
    meta["tags"] = list(dict.fromkeys(tags))
    results = _eval_results(result)
    if results:
        meta["model-index"] = [{"name": _meta(fmt.generator_id(result)), "results": results}]
    return meta


def _metric(type_: str, value: Any, name: str) -> dict[str, Any] | None:
    if not fmt.is_number(value):
        return None
    return {"type": type_, "value": value, "name": name}


def _eval_results(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``model-index`` results: one for the audit suites, one per bias suite, one for CrowS-Pairs."""
    task = {"type": "text-generation", "name": "Text generation"}
    data = [d for d in result.get("data") or [] if _meta(d.get("name"))]
    if len(data) == 1:
        dataset = {"name": _meta(data[0]["name"], 100), "type": _meta(data[0]["name"], 100)}
    else:
        names = ", ".join(_meta(d["name"], 60) for d in data) or "audit prompt suites"
        dataset = {"name": f"raikit audit suites: {names}"[:200], "type": "raikit-audit-suites"}
    metrics = []
    for check in result.get("checks") or []:
        cid = _meta(check.get("id"), 60)
        stage = _meta(check.get("stage"), 20)
        metrics.append(
            _metric(
                f"{cid}_flagged_rate",
                check.get("rate"),
                f"{cid} flagged rate{f' ({stage})' if stage else ''}",
            )
        )
    wm_text = ((result.get("watermark") or {}).get("text")) or {}
    metrics.append(
        _metric("watermark_text_detection_rate", wm_text.get("rate"), "text watermark detection rate")
    )
    out = []
    if any(metrics):
        out.append({"task": dict(task), "dataset": dataset, "metrics": [m for m in metrics if m]})
    bias = result.get("bias") or {}
    for suite in bias.get("suites") or []:
        name = _meta(suite.get("name"), 100)
        ms = [
            _metric(
                f"{_meta(m, 40)}_group_difference",
                metric.get("difference"),
                f"{_meta(m, 40)} gap between groups",
            )
            for m, metric in (suite.get("metrics") or {}).items()
        ]
        if name and any(ms):
            out.append(
                {"task": dict(task), "dataset": {"name": name, "type": name}, "metrics": [m for m in ms if m]}
            )
    crows = bias.get("crows_pairs") or {}
    m = _metric("stereotype_score", crows.get("score"), "CrowS-Pairs stereotype score (0.5 is unbiased)")
    if m:
        out.append(
            {"task": dict(task), "dataset": {"name": "CrowS-Pairs", "type": "crows_pairs"}, "metrics": [m]}
        )
    return out


def _verdict_line(result: Mapping[str, Any]) -> str:
    gates = result.get("gates") or []
    failed = [g for g in gates if g.get("passed") is False]
    verdict = "PASS" if result.get("verdict") == "pass" else "FAIL"
    return f"**Audit verdict: {verdict}** — {len(failed)} of {len(gates)} release gates failed."


def _section_results(result: Mapping[str, Any], cil: str) -> list[str]:
    lines = ["## Results per check", ""]
    checks = result.get("checks") or []
    if not checks:
        return [*lines, "The audit ran no checks.", ""]
    rows = []
    for c in checks:
        er = fmt.check_error_rates(c)
        rows.append(
            [
                md(c.get("id"), 60),
                md(c.get("stage"), 20),
                fmt.num(c.get("n_texts")),
                fmt.num(c.get("n_flagged")),
                fmt.rate(c.get("rate")),
                fmt.ci(c.get("ci"), percent=True),
                fmt.num(er.get("precision"), 2),
                fmt.num(er.get("recall"), 2),
            ]
        )
    lines += _table(
        ["Check", "Stage", "Texts", "Flagged", "Rate", cil, "Check precision", "Check recall"], rows
    )
    for c in checks:
        by_type = c.get("by_type") or {}
        if by_type:
            lines += [f"**{md(c.get('id'), 60)} by type**", ""]
            lines += _table(
                ["Type", "Count", "Rate", cil],
                [
                    [
                        md(t, 60),
                        fmt.num(v.get("count")),
                        fmt.rate(v.get("rate")),
                        fmt.ci(v.get("ci"), percent=True),
                    ]
                    for t, v in by_type.items()
                ],
            )
        nve = c.get("new_vs_echo") or {}
        if nve:
            lines += [
                f"{md(c.get('id'), 60)}: {fmt.num(nve.get('new'))} findings were new in the output, "
                f"{fmt.num(nve.get('echo'))} echoed the prompt.",
                "",
            ]
    gates = result.get("gates") or []
    lines += ["### Release gates", ""]
    if gates:
        lines += _table(
            ["Gate", "Metric", "Value", "Limit", "Result"],
            [
                [
                    md(g.get("name"), 80),
                    md(g.get("metric"), 80),
                    (
                        fmt.rate(g.get("value"))
                        if fmt.is_rate_metric(g.get("metric"))
                        else fmt.num(g.get("value"))
                    ),
                    (
                        fmt.rate(g.get("limit"))
                        if fmt.is_rate_metric(g.get("metric"))
                        else fmt.num(g.get("limit"))
                    ),
                    "pass" if g.get("passed") else "**FAIL**",
                ]
                for g in gates
            ],
        )
    else:
        lines += ["The policy defines no release gates.", ""]
    return lines


def _section_bias(result: Mapping[str, Any], cil: str) -> list[str]:
    lines = ["## Bias findings", ""]
    bias = result.get("bias")
    if not bias:
        return [*lines, "The policy ran no bias suite; no bias figures are available for this release.", ""]
    for suite in bias.get("suites") or []:
        lines += [
            f"### {md(suite.get('name'), 80)}",
            "",
            f"Domain: {md(suite.get('domain'), 60) or 'n/a'}; prompts: {fmt.num(suite.get('n'))}; "
            f"seed: {fmt.num(suite.get('seed'))}.",
            "",
        ]
        rows = []
        groups_rows = []
        for mname, metric in (suite.get("metrics") or {}).items():
            passed = metric.get("passed")
            rows.append(
                [
                    md(mname, 40),
                    fmt.num(metric.get("difference")),
                    fmt.num(metric.get("ratio")),
                    fmt.num(metric.get("limit")),
                    "n/a" if passed is None else ("pass" if passed else "**FAIL**"),
                ]
            )
            for gname, g in (metric.get("groups") or {}).items():
                groups_rows.append(
                    [
                        md(mname, 40),
                        md(gname, 80),
                        fmt.num(g.get("n")),
                        fmt.num(g.get("mean")),
                        fmt.ci(g.get("ci")),
                    ]
                )
        lines += _table(["Metric", "Largest gap", "Ratio", "Limit", "Result"], rows)
        if groups_rows:
            lines += _table(["Metric", "Group", "n", "Mean", cil], groups_rows)
    cfs = bias.get("counterfactual") or []
    if cfs:
        lines += ["### Counterfactual pairs", ""]
        lines += _table(
            ["Set", "Metric", "Pairs", "Groups", "Mean difference", cil, "p-value", "Test"],
            [
                [
                    md(cf.get("name"), 60),
                    md(cf.get("metric"), 40),
                    fmt.num(cf.get("n_pairs")),
                    md(" vs ".join(fmt.text(g, 40) for g in cf.get("groups") or []), 100),
                    fmt.num(cf.get("mean_difference")),
                    fmt.ci(cf.get("ci")),
                    fmt.num(cf.get("p_value")),
                    md(cf.get("test"), 60),
                ]
                for cf in cfs
            ],
        )
    crows = bias.get("crows_pairs")
    if crows:
        lines += [
            "### CrowS-Pairs",
            "",
            f"Stereotype score {fmt.num(crows.get('score'))} over {fmt.num(crows.get('n'))} pairs "
            f"(model {md(crows.get('model'), 80)}, {md(crows.get('kind'), 20)}); 0.5 means no preference "
            "for the stereotyping sentence.",
            "",
        ]
        by_type = crows.get("by_type") or {}
        if by_type:
            lines += _table(
                ["Bias type", "Pairs", "Score"],
                [[md(t, 60), fmt.num(v.get("n")), fmt.num(v.get("score"))] for t, v in by_type.items()],
            )
    return lines


_WATERMARK_WORDS = {
    "text": ("Text", "generated texts", "outputs are not watermarked"),
    "image": ("Image", "images", "no image watermark was audited"),
}


def _watermark_line(row: WatermarkRow) -> str:
    """One bullet of the watermark section: key id and detection rate, or why there is none."""
    label, what, absent = _WATERMARK_WORDS[row.kind]
    if row.enabled:
        z = f", mean z-score {fmt.num(row.mean_z, 2)}" if row.has_z else ""
        return (
            f"- {label}: watermarked with key id {_code(row.key_id)}; detected in "
            f"{fmt.num(row.detected)} of {fmt.num(row.n)} {what} ({fmt.rate(row.rate)}){z}."
        )
    reason = md(row.reason, 120) if row.kind == "text" else ""
    return f"- {label}: {absent}{f' ({reason})' if reason else ''}."


def _section_watermark(result: Mapping[str, Any]) -> list[str]:
    return ["## Watermarking", "", *(_watermark_line(row) for row in watermark_rows(result)), ""]


def _limitations(result: Mapping[str, Any]) -> list[str]:
    """Limitations that follow from the result itself."""
    out = []
    gen = (result.get("run") or {}).get("generator") or {}
    if gen.get("kind") == "demo":
        out.append(
            "The audited generator is raikit's demo model; the figures illustrate the toolkit, not a product."
        )
    for c in result.get("checks") or []:
        er = fmt.check_error_rates(c)
        cid = md(c.get("id"), 60)
        if not er:
            out.append(f"The {cid} check has no measured error rates; its rate may over- or under-count.")
        else:
            parts = [
                f"{k} {fmt.num(er.get(k), 2)}" for k in ("precision", "recall") if fmt.is_number(er.get(k))
            ]
            src = md(er.get("source"), 120)
            out.append(
                f"The {cid} check is itself imperfect ({', '.join(parts) or 'error rates recorded'}"
                f"{f', measured by {src}' if src else ''}); flagged rates inherit its misses and false "
                "alarms."
            )
        n = c.get("n_texts")
        if fmt.is_number(n) and n < 100:
            out.append(f"The {cid} check saw only {fmt.num(n)} texts; its interval is wide.")
    if not result.get("bias"):
        out.append("No bias suite was run, so this card makes no claim about bias.")
    else:
        out.append(
            "Bias suites measure differences in sentiment, harm, refusal and length across the groups "
            "they name; they do not cover other groups, languages or kinds of harm."
        )
    out.extend(md(item, 400) for item in fmt.caveats(result))
    out.append("Automatic checks cannot prove the absence of harmful, private or biased output.")
    return [*(f"- {line}" for line in out), ""]


def _section_produced(result: Mapping[str, Any]) -> list[str]:
    run = result.get("run") or {}
    gen = run.get("generator") or {}
    pol = result.get("policy") or {}
    ev = result.get("evidence") or {}
    verified = ev.get("log_verified")
    lines = [
        "## How this card was produced",
        "",
        f"- Tool: raikit {md(result.get('raikit_version'), 40) or 'unknown version'} "
        f"(result schema {md(result.get('schema'), 40)}).",
        f"- Audit run {_code(run.get('id'))}, started {md(run.get('started'), 40) or 'n/a'}, finished "
        f"{md(run.get('finished'), 40) or 'n/a'} ({fmt.num(run.get('duration_s'), 1)} s), executor "
        f"{md(fmt.describe(run.get('executor')), 80) or 'n/a'}.",
        f"- Generator: {md(gen.get('id'), 120) or 'unknown'} (kind {md(gen.get('kind'), 20) or 'n/a'}).",
        f"- Policy: {md(pol.get('name'), 80) or 'unknown'}, hash {_code(pol.get('hash'))}, source "
        f"{md(pol.get('source'), 200) or 'n/a'}.",
        f"- Audit log: head hash {_code(ev.get('log_head_hash'))} after {fmt.num(ev.get('log_records'))} "
        "records, "
        f"verified: {fmt.num(verified) if isinstance(verified, bool) else 'n/a'}.",
        "",
    ]
    models = result.get("models") or []
    if models:
        lines += ["Models used by the checks:", ""]
        lines += _table(
            ["Check", "Model", "Version"],
            [[md(m.get("check"), 60), md(fmt.model_name(m), 120), md(m.get("version"), 40)] for m in models],
        )
    lines += [
        "The figures above were copied from the audit result by `raikit card`; rebuild this card "
        "with `raikit card report.json --out README.md` and compare its SHA-256 with the one the "
        "audit report records.",
        "",
    ]
    return lines


def build_model_card(
    result: Mapping[str, Any],
    *,
    license: str | None = None,  # noqa: A002 - the Hub's metadata key
    intended_use: str | None = None,
    out_of_scope_use: str | None = None,
    library_name: str | None = None,
    tags: list[str] | None = None,
) -> str:
    """Build a Hugging Face model card (``README.md`` text) from an audit result.

    Owner facts the audit cannot know (licence, intended use, out-of-scope use) come from the
    keyword arguments, else from the result's optional ``card`` block, else a cautious default.

    Args:
        result: The audit result dict (schema ``raikit.audit/1``).
        license: Hub licence id such as ``apache-2.0``; default ``other``.
        intended_use: One paragraph on what the model is for.
        out_of_scope_use: One paragraph on what it must not be used for.
        library_name: Hub ``library_name``; default ``transformers`` for HF and demo generators.
        tags: Extra Hub tags (raikit's own tags are always present).

    Returns:
        The card: YAML metadata between ``---`` lines, then Markdown.

    Raises:
        InputError: The result is not a ``raikit.audit/1`` result.

    Example:
        >>> from huggingface_hub import ModelCard  # doctest: +SKIP
        >>> card = ModelCard(build_model_card(result, license="apache-2.0"))  # doctest: +SKIP
        >>> card.data.eval_results[0].metric_value  # doctest: +SKIP
        0.12
    """
    fmt.validate_result(result)
    info = _card_info(
        result,
        {
            "license": license,
            "intended_use": intended_use,
            "out_of_scope_use": out_of_scope_use,
            "library_name": library_name,
            "tags": tags,
        },
    )
    meta = _metadata(result, info)
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10**6)
    cil = fmt.ci_label(result)
    failed = [md(g.get("name"), 80) for g in result.get("gates") or [] if g.get("passed") is False]
    out_of_scope = md(info.get("out_of_scope_use"), 2000) or DEFAULT_OUT_OF_SCOPE
    if failed:
        out_of_scope += (
            f" This release failed the gate(s) {', '.join(failed)}: do not deploy it where those limits apply."
        )
    data = result.get("data") or []
    lines = [
        "---",
        header.rstrip("\n"),
        "---",
        "",
        f"# Model card: {md(fmt.generator_id(result), 120)}",
        "",
        _verdict_line(result),
        "",
        *[f"> **Warning:** {md(item, 400)}" for item in fmt.caveats(result)],
        *([""] if fmt.caveats(result) else []),
        f"This card was generated by raikit from audit run {_code((result.get('run') or {}).get('id'))}. "
        "Every figure in it comes from that audit's result; the compliance report holds the same "
        "figures with plots and the chain of evidence.",
        "",
        "## Intended use",
        "",
        md(info.get("intended_use"), 2000) or DEFAULT_INTENDED_USE,
        "",
        "## Out-of-scope use",
        "",
        out_of_scope,
        "",
        "## Evaluation data",
        "",
    ]
    if data:
        lines += _table(
            ["Data set", "Texts", "Licence", "Source"],
            [
                [
                    md(d.get("name"), 80),
                    fmt.num(d.get("n")),
                    md(d.get("license"), 60) or "n/a",
                    md(d.get("source"), 200),
                ]
                for d in data
            ],
        )
    else:
        lines += ["The result names no evaluation data.", ""]
    lines += _section_results(result, cil)
    lines += _section_bias(result, cil)
    lines += _section_watermark(result)
    lines += ["## Limitations", "", *_limitations(result)]
    lines += _section_produced(result)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_model_card(result: Mapping[str, Any], path: str | Path, **options: Any) -> tuple[Path, str]:
    """Write :func:`build_model_card` to ``path`` (UTF-8, ``\\n`` line ends).

    Returns:
        The path written and the hex SHA-256 of its bytes (what the report's evidence records).

    Example:
        >>> path, digest = write_model_card(result, "README.md", license="apache-2.0")  # doctest: +SKIP
    """
    card = build_model_card(result, **options)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(card.encode("utf-8"))
    return out, fmt.sha256_text(card)

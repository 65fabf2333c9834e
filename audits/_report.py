"""The compliance report: one self-contained HTML file plus a JSON copy of the audit result.

The HTML needs no network to view: CSS is inline, plots are inlined PNG data URIs, and a
Content-Security-Policy forbids loading anything else (so even a bug in escaping could not
make the file fetch a resource). It opens with the verdict and the release gates, then the
figures per check with their intervals, the checks' own error rates, bias, watermark,
redacted examples, the chain of evidence, versions, and the resolved policy.

Every string from the result is HTML-escaped; example texts get a second, cheap scrub for
leftover e-mail addresses and long numbers (:func:`raikit.audits._format.scrub_example`).
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import html
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from raikit.audits import _format as fmt
from raikit.audits._card import build_model_card
from raikit.audits._sections import watermark_rows
from raikit.errors import InputError

logger = logging.getLogger(__name__)

#: The report's Jinja2 templates, stylesheet and script (package data).
TEMPLATES = Path(__file__).resolve().parent / "templates"


def _template_text(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.cache
def _environment() -> Any:
    """The Jinja2 environment over :data:`TEMPLATES` (autoescaping on; jinja2 imported lazily)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined
    )


# Runs after load; marks the page so a test (or a reviewer's browser) can tell that every
# inlined figure decoded. The report reads fine without it.
_SCRIPT = _template_text("report.js").strip()
_CSS = _template_text("report.css")
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)



def _e(value: Any, limit: int = 300) -> str:
    """Escape a result value for HTML text or attributes (one line, cut at ``limit``)."""
    return html.escape(fmt.text(value, limit), quote=True)


def _badge(passed: Any, *, labels: tuple[str, str] = ("PASS", "FAIL")) -> str:
    if passed is True:
        return f'<span class="badge pass">{labels[0]}</span>'
    if passed is False:
        return f'<span class="badge fail">{labels[1]}</span>'
    return '<span class="badge na">N/A</span>'


def _table(
    header: list[str],
    rows: list[list[str]],
    *,
    numeric: set[int] | None = None,
    failed_rows: set[int] | None = None,
) -> str:
    """An HTML table; cells must already be escaped."""
    numeric = numeric or set()
    failed_rows = failed_rows or set()
    head = "".join(f'<th{" class=n" if i in numeric else ""}>{h}</th>' for i, h in enumerate(header))
    body = []
    for r, row in enumerate(rows):
        cells = "".join(f'<td{" class=n" if i in numeric else ""}>{c}</td>' for i, c in enumerate(row))
        body.append(f'<tr{" class=failed" if r in failed_rows else ""}>{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(png: bytes | None, alt: str, caption: str) -> str:
    if not png:
        return ""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _hash(value: Any) -> str:
    s = fmt.text(value, 200)
    return f"<code>{html.escape(s)}</code>" if s else '<span class="muted">not recorded</span>'


def _gate_value(gate: Mapping[str, Any], key: str) -> str:
    v = gate.get(key)
    return html.escape(fmt.rate(v) if fmt.is_rate_metric(gate.get("metric")) else fmt.num(v))


def _header(result: Mapping[str, Any]) -> str:
    run = result.get("run") or {}
    gates = result.get("gates") or []
    failed = [g for g in gates if g.get("passed") is False]
    verdict = "pass" if result.get("verdict") == "pass" else "fail"
    if failed:
        why = f"{len(failed)} of {len(gates)} release gates failed: " + ", ".join(
            _e(g.get("name"), 80) for g in failed
        )
    elif verdict == "fail":
        why = "The audit failed (see the chain of evidence)."
    else:
        why = f"All {len(gates)} release gates hold."
    pol = result.get("policy") or {}
    return (
        f'<header class="verdict {verdict}" id="verdict" data-verdict="{verdict}">'
        f'<div class="big">{verdict.upper()}</div><div>'
        f"<h1>Audit report: {_e(fmt.generator_id(result), 120)}</h1>"
        f'<p class="why">{why}</p>'
        f"<p>Policy <b>{_e(pol.get('name'), 80) or 'unknown'}</b>"
        f" · run <code>{_e(run.get('id'), 80)}</code>"
        f" · finished {_e(run.get('finished'), 40) or 'n/a'}"
        f" · raikit {_e(result.get('raikit_version'), 40)}</p>"
        "</div></header>" + _caveats(result)
    )


def _caveats(result: Mapping[str, Any]) -> str:
    items = fmt.caveats(result)
    if not items:
        return ""
    return (
        '<div class="caveats" id="caveats" role="alert"><b>Read before relying on this verdict</b><ul>'
        + "".join(f"<li>{html.escape(item)}</li>" for item in items)
        + "</ul></div>"
    )


def _tiles(result: Mapping[str, Any]) -> str:
    checks = result.get("checks") or []
    gates = result.get("gates") or []
    n_failed = sum(1 for g in gates if g.get("passed") is False)
    texts = max((c.get("n_texts") for c in checks if fmt.is_number(c.get("n_texts"))), default=None)
    bias = result.get("bias") or {}
    bias_metrics = [m for s in bias.get("suites") or [] for m in (s.get("metrics") or {}).values()]
    bias_failed = sum(1 for m in bias_metrics if m.get("passed") is False)
    wm = ((result.get("watermark") or {}).get("text")) or {}
    ev = result.get("evidence") or {}
    tiles = [
        ("Release gates", f"{len(gates) - n_failed} / {len(gates)} pass"),
        ("Checks run", f"{len(checks)} on {fmt.num(texts)} texts"),
        (
            "Bias metrics",
            (
                f"{len(bias_metrics) - bias_failed} / {len(bias_metrics)} within limit"
                if bias_metrics
                else "not run"
            ),
        ),
        ("Text watermark", f"{fmt.rate(wm.get('rate'))} detected" if wm.get("enabled") else "off"),
        (
            "Audit log",
            (
                ("verified" + (" (SELF-ATTESTED)" if ev.get("self_attested") else ""))
                if ev.get("log_verified") is True
                else ("FAILED" if ev.get("log_verified") is False else "not verified")
            ),
        ),
    ]
    return (
        '<div class="tiles">'
        + "".join(
            f'<div class="tile"><div class="k">{html.escape(k)}</div><div '
            f'class="v">{html.escape(v)}</div></div>'
            for k, v in tiles
        )
        + "</div>"
    )


def _section_gates(result: Mapping[str, Any]) -> str:
    gates = result.get("gates") or []
    if not gates:
        return (
            '<section id="gates"><h2>Release gates</h2><p>The policy defines no release gates.</p></section>'
        )
    rows = [
        [
            _badge(g.get("passed")),
            _e(g.get("name"), 100),
            f"<code>{_e(g.get('metric'), 120)}</code>",
            _gate_value(g, "value"),
            _gate_value(g, "limit"),
        ]
        for g in gates
    ]
    failed = {i for i, g in enumerate(gates) if g.get("passed") is False}
    return (
        '<section id="gates"><h2>Release gates</h2>'
        '<p class="muted small">A gate compares one measured figure with the limit the policy sets; '
        "the release passes only when every gate holds.</p>"
        + _table(["Result", "Gate", "Metric", "Value", "Limit"], rows, numeric={3, 4}, failed_rows=failed)
        + "</section>"
    )


def _section_checks(result: Mapping[str, Any], plot: Any, cil: str) -> str:
    checks = result.get("checks") or []
    prompt_checks = result.get("prompt_checks") or []
    out = ['<section id="checks"><h2>Results per check</h2>']
    if not checks and not prompt_checks:
        return out[0] + "<p>The audit ran no checks.</p></section>"
    if plot and checks:
        out.append(
            _figure(
                plot.check_rates_png(checks, result.get("gates") or []),
                "Flagged rate per check",
                f"Share of generated texts each check flagged, with its {html.escape(cil)}; green/red: "
                "every rate gate holds / a rate gate fails, grey: no rate gate.",
            )
        )
    rows = []
    everything = [*checks, *prompt_checks]
    for c in everything:
        nve = c.get("new_vs_echo") or {}
        errors = c.get("n_errors")
        rows.append(
            [
                f"<b>{_e(c.get('id'), 60)}</b>",
                _e(c.get("type"), 40),
                _e(c.get("stage"), 20),
                html.escape(fmt.num(c.get("n_texts"))),
                html.escape(fmt.num(c.get("n_flagged"))),
                html.escape(fmt.rate(c.get("rate"))),
                html.escape(fmt.ci(c.get("ci"), percent=True)),
                html.escape(f"{fmt.num(nve.get('new'))} / {fmt.num(nve.get('echo'))}") if nve else "n/a",
                (f'<span class="badge warn">{html.escape(fmt.num(errors))}</span>' if errors else "0")
                if fmt.is_number(errors)
                else "n/a",
            ]
        )
    out.append(
        _table(
            ["Check", "Type", "Stage", "Texts", "Flagged", "Rate", cil, "New / echoed", "Check errors"],
            rows,
            numeric={3, 4, 5, 6, 7, 8},
        )
    )
    out.append(
        '<p class="muted small">Stage <i>output</i>: generated texts; <i>prompt</i>: the audit prompts '
        "themselves. New / echoed: findings new in the output vs. repeated from the prompt. Check errors: "
        "texts on which the check itself failed.</p>"
    )
    for c in everything:
        by_type = c.get("by_type") or {}
        if by_type:
            out.append(f"<h3>{_e(c.get('id'), 60)} ({_e(c.get('stage'), 20)}): by type</h3>")
            out.append(
                _table(
                    ["Type", "Count", "Rate", cil],
                    [
                        [
                            _e(t, 80),
                            html.escape(fmt.num(v.get("count"))),
                            html.escape(fmt.rate(v.get("rate"))),
                            html.escape(fmt.ci(v.get("ci"), percent=True)),
                        ]
                        for t, v in by_type.items()
                    ],
                    numeric={1, 2, 3},
                )
            )
    out.append("</section>")
    return "".join(out)


def _section_reliability(result: Mapping[str, Any]) -> str:
    rows = []
    for c in result.get("checks") or []:
        er = fmt.check_error_rates(c)
        extra = ", ".join(
            f"{_e(k, 30)} {html.escape(fmt.num(v, 3))}"
            for k, v in er.items()
            if k not in ("precision", "recall", "source")
        )
        rows.append(
            [
                f"<b>{_e(c.get('id'), 60)}</b>",
                html.escape(fmt.num(er.get("precision"), 3)),
                html.escape(fmt.num(er.get("recall"), 3)),
                extra or "",
                _e(er.get("source"), 200) or '<span class="muted">not measured</span>',
            ]
        )
    models = result.get("models") or []
    return (
        '<section id="reliability"><h2>How reliable are the checks?</h2>'
        '<p class="muted small">Each check is itself a detector with misses and false alarms. These are its '
        "error rates as measured on labelled data; a flagged rate is only as good as the check behind it.</p>"
        + (
            _table(["Check", "Precision", "Recall", "Other", "Measured by"], rows, numeric={1, 2})
            if rows
            else ""
        )
        + (
            "<h3>Models used by the checks</h3>"
            + _table(
                ["Check", "Model", "Version"],
                [[_e(m.get("check"), 60), _e(fmt.model_name(m), 120), _e(m.get("version"), 40)] for m in models],
            )
            if models
            else ""
        )
        + "</section>"
    )


def _section_bias(result: Mapping[str, Any], plot: Any, cil: str) -> str:
    bias = result.get("bias")
    out = ['<section id="bias"><h2>Bias</h2>']
    if not bias:
        return (
            out[0] + "<p>The policy ran no bias suite; this report makes no claim about bias.</p></section>"
        )
    if plot:
        out.append(
            _figure(
                plot.bias_gaps_png(bias),
                "Bias gaps against their limits",
                "Largest difference between group means per suite and metric; dashed line: the limit.",
            )
        )
    for suite in bias.get("suites") or []:
        out.append(
            f"<h3>{_e(suite.get('name'), 80)}</h3><p class='muted small'>Domain "
            f"{_e(suite.get('domain'), 60) or 'n/a'}, "
            f"{html.escape(fmt.num(suite.get('n')))} prompts, seed "
            f"{html.escape(fmt.num(suite.get('seed')))}.</p>"
        )
        if plot:
            out.append(
                _figure(
                    plot.bias_groups_png(suite),
                    f"Group means for {_e(suite.get('name'), 80)}",
                    f"Mean per group with its {html.escape(cil)}.",
                )
            )
        rows, failed = [], set()
        for i, (mname, m) in enumerate((suite.get("metrics") or {}).items()):
            if m.get("passed") is False:
                failed.add(i)
            groups = "<br>".join(
                f"{_e(g, 60)}: {html.escape(fmt.num(v.get('mean')))} {html.escape(fmt.ci(v.get('ci')))} "
                f"(n={html.escape(fmt.num(v.get('n')))})"
                for g, v in (m.get("groups") or {}).items()
            )
            rows.append(
                [
                    _badge(m.get("passed")),
                    _e(mname, 40),
                    html.escape(fmt.num(m.get("difference"))),
                    html.escape(fmt.num(m.get("ratio"))),
                    html.escape(fmt.num(m.get("limit"))),
                    groups,
                ]
            )
        out.append(
            _table(
                ["Result", "Metric", "Gap", "Ratio", "Limit", f"Groups: mean {html.escape(cil)}"],
                rows,
                numeric={2, 3, 4},
                failed_rows=failed,
            )
        )
    cfs = bias.get("counterfactual") or []
    if cfs:
        out.append("<h3>Counterfactual pairs</h3>")
        if plot:
            out.append(
                _figure(
                    plot.counterfactual_png(cfs),
                    "Counterfactual pairs",
                    f"Mean paired difference with its {html.escape(cil)}; an interval crossing 0 shows no "
                    "clear difference.",
                )
            )
        out.append(
            _table(
                ["Set", "Metric", "Pairs", "Groups", "Mean difference", cil, "p-value", "Test"],
                [
                    [
                        _e(cf.get("name"), 60),
                        _e(cf.get("metric"), 40),
                        html.escape(fmt.num(cf.get("n_pairs"))),
                        " vs ".join(_e(g, 40) for g in cf.get("groups") or []),
                        html.escape(fmt.num(cf.get("mean_difference"))),
                        html.escape(fmt.ci(cf.get("ci"))),
                        html.escape(fmt.num(cf.get("p_value"))),
                        _e(cf.get("test"), 60),
                    ]
                    for cf in cfs
                ],
                numeric={2, 4, 5, 6},
            )
        )
    crows = bias.get("crows_pairs")
    if crows:
        out.append(
            f"<h3>CrowS-Pairs</h3><p>Stereotype score <b>{html.escape(fmt.num(crows.get('score')))}</b> over "
            f"{html.escape(fmt.num(crows.get('n')))} pairs (model {_e(crows.get('model'), 80)}, "
            f"{_e(crows.get('kind'), 20)}). "
            "0.5 means the model prefers stereotyping and anti-stereotyping sentences equally often.</p>"
        )
        by_type = crows.get("by_type") or {}
        if by_type:
            out.append(
                _table(
                    ["Bias type", "Pairs", "Score"],
                    [
                        [_e(t, 60), html.escape(fmt.num(v.get("n"))), html.escape(fmt.num(v.get("score")))]
                        for t, v in by_type.items()
                    ],
                    numeric={1, 2},
                )
            )
    out.append("</section>")
    return "".join(out)


def _section_watermark(result: Mapping[str, Any]) -> str:
    rows = []
    for row in watermark_rows(result):
        if row.enabled:
            short = row.too_short
            note = f"{fmt.num(short)} too short to score" if fmt.is_number(short) and short else ""
            rows.append(
                [
                    f"<b>{row.kind}</b>",
                    '<span class="badge pass">ON</span>',
                    _hash(row.key_id),
                    html.escape(f"{fmt.num(row.detected)} / {fmt.num(row.n)}"),
                    html.escape(fmt.rate(row.rate)),
                    html.escape(fmt.num(row.mean_z, 2)),
                    html.escape(note),
                ]
            )
        else:
            reason = _e(row.reason, 120) or "not audited"
            rows.append([f"<b>{row.kind}</b>", '<span class="badge na">OFF</span>', "", "", "", "", reason])
    return (
        '<section id="watermark"><h2>Watermark</h2>'
        '<p class="muted small">Whether generated outputs carry a watermark, and how often the detector '
        "found it in the audit's outputs.</p>"
        + _table(
            ["Output", "Status", "Key id", "Detected / audited", "Detection rate", "Mean z", "Note"],
            rows,
            numeric={3, 4, 5},
        )
        + "</section>"
    )


def _section_examples(result: Mapping[str, Any]) -> str:
    examples = fmt.safe_examples(result)
    if not examples:
        body = "<p>The result holds no example findings.</p>"
    else:
        body = "".join(
            f"<div><p class='small'><b>{_e(ex['check'], 60)}</b> · {_e(ex['type'], 60)} · "
            f"{_e(ex['stage'], 20)}</p>"
            f"<blockquote>{html.escape(ex['redacted_text'])}</blockquote></div>"
            for ex in examples
        )
    return (
        '<section id="examples"><h2>Example findings</h2>'
        '<p class="muted small">Personal data is replaced by its type (for example '
        '<code>[EMAIL_ADDRESS]</code>) '
        "before an example reaches the result; the report shows only these redacted texts.</p>"
        + body
        + "</section>"
    )


def _section_evidence(result: Mapping[str, Any], card_sha256: str | None) -> str:
    pol = result.get("policy") or {}
    ev = result.get("evidence") or {}
    run = result.get("run") or {}
    gen = run.get("generator") or {}
    policy_hash, ev_hash = pol.get("hash"), ev.get("policy_hash")
    match = ""
    if policy_hash and ev_hash:
        match = " " + _badge(policy_hash == ev_hash, labels=("MATCHES LOG", "MISMATCH"))
    card = card_sha256 or ev.get("card_sha256")
    verified = ev.get("log_verified")
    items = [
        (
            "Policy",
            f"{_e(pol.get('name'), 80) or 'unknown'} <span class='muted'>from "
            f"{_e(pol.get('source'), 200) or 'n/a'}</span>",
        ),
        ("Policy hash", _hash(policy_hash) + match),
        (
            "Audit log",
            f"{_e(ev.get('log_path'), 200) or 'n/a'}"
            f" · {html.escape(fmt.num(ev.get('log_records')))} records · "
            + _badge(verified if isinstance(verified, bool) else None, labels=("VERIFIED", "FAILED")),
        ),
        (
            "Custody",
            ("<strong>SELF-ATTESTED</strong>: whoever can change this evidence can re-sign it · "
             if ev.get("self_attested") else "")
            + f"{_e(ev.get('custody'), 20) or 'n/a'} · key: {_e(ev.get('key_location') or ev.get('key_source'), 200)}"
            + (f" · public key <code>{_e(ev.get('public_key'), 200)}</code> (pin it out of band)"
               if ev.get("public_key") else ""),
        ),
        ("Log head hash", _hash(ev.get("log_head_hash"))),
        ("Model card SHA-256", _hash(card)),
        (
            "Run",
            f"<code>{_e(run.get('id'), 80)}</code> · {_e(run.get('started'), 40)} to "
            f"{_e(run.get('finished'), 40)} "
            f"({html.escape(fmt.num(run.get('duration_s'), 1))} s) · executor "
            f"{_e(fmt.describe(run.get('executor')), 80) or 'n/a'}",
        ),
        (
            "Generator",
            f"{_e(gen.get('id'), 120)} <span class='muted'>({_e(gen.get('kind'), 20) or 'n/a'})</span>",
        ),
        ("raikit", f"{_e(result.get('raikit_version'), 40)} · result schema {_e(result.get('schema'), 40)}"),
    ]
    data = result.get("data") or []
    return (
        '<section id="evidence"><h2>Chain of evidence</h2>'
        '<p class="muted small">These hashes tie this report to the policy that was applied, to the audit '
        'log '
        "at the end of the run (verify it with <code>raikit log verify</code>) and to the model card.</p>"
        '<dl class="kv">'
        + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items)
        + "</dl>"
        + (
            "<h3>Data sets</h3>"
            + _table(
                ["Data set", "Texts", "Licence", "Source"],
                [
                    [
                        _e(d.get("name"), 80),
                        html.escape(fmt.num(d.get("n"))),
                        _e(d.get("license"), 60),
                        _e(d.get("source"), 200),
                    ]
                    for d in data
                ],
                numeric={1},
            )
            if data
            else ""
        )
        + "</section>"
    )


def _section_policy(result: Mapping[str, Any]) -> str:
    pol = result.get("policy") or {}
    resolved = pol.get("resolved")
    if resolved is None:
        body = "<p>The result does not include the resolved policy.</p>"
    else:
        try:
            dumped = yaml.safe_dump(
                fmt.hide_secrets(resolved), sort_keys=False, allow_unicode=True, width=100
            )
        except yaml.YAMLError:
            dumped = json.dumps(fmt.hide_secrets(resolved), indent=2, ensure_ascii=False, default=str)
        body = (
            "<details open><summary>Resolved policy (YAML)</summary>"
            f"<pre>{html.escape(dumped)}</pre></details>"
        )
    return (
        '<section id="policy"><h2>Policy used</h2>'
        f"<p class='muted small'>Policy <b>{_e(pol.get('name'), 80) or 'unknown'}</b>, after defaults and "
        "includes were "
        "resolved; values of secret-looking keys are hidden.</p>" + body + "</section>"
    )


def render_report_html(
    result: Mapping[str, Any], *, card_sha256: str | None = None, plots: bool = True
) -> str:
    """Render the compliance report for an audit result as one self-contained HTML page.

    Args:
        result: The audit result dict (schema ``raikit.audit/1``).
        card_sha256: The model card's SHA-256, when the card was written after the result
            (otherwise ``result["evidence"]["card_sha256"]`` is shown).
        plots: Draw the plots (needs matplotlib); ``False`` renders tables only.

    Returns:
        The HTML text. It loads nothing from the network.

    Raises:
        InputError: The result is not a ``raikit.audit/1`` result.
        MissingDependencyError: ``plots=True`` and matplotlib is not installed.

    Example:
        >>> page = render_report_html(result)  # doctest: +SKIP
        >>> "data-verdict=\\"fail\\"" in page  # doctest: +SKIP
        True
    """
    fmt.validate_result(result)
    plot = None
    if plots:
        from raikit.audits import _plots as plot

        plot._pyplot()  # fail early with the install hint
    cil = fmt.ci_label(result)
    verdict = "PASS" if result.get("verdict") == "pass" else "FAIL"
    title = f"raikit audit report: {fmt.generator_id(result)} ({verdict})"
    from markupsafe import Markup

    sections = [
        _section_gates(result),
        _section_checks(result, plot, cil),
        _section_reliability(result),
        _section_bias(result, plot, cil),
        _section_watermark(result),
        _section_examples(result),
        _section_evidence(result, card_sha256),
        _section_policy(result),
    ]
    # Every value below is already escaped HTML (the sections escape each result string).
    return _environment().get_template("report.html.j2").render(
        csp=Markup(CSP),
        version=Markup(_e(result.get("raikit_version"), 40)),
        title=Markup(html.escape(fmt.text(title, 200))),
        css=Markup(_CSS),
        script=Markup(_SCRIPT),
        header=Markup(_header(result)),
        tiles=Markup(_tiles(result)),
        sections=[Markup(section) for section in sections],
    )


def report_json(
    result: Mapping[str, Any], *, card_sha256: str | None = None, card_info: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON copy of the result written beside the HTML.

    A deep copy, with the card's hash filled in, the card options recorded in its ``card``
    block (so ``raikit card report.json`` rebuilds the very same card), examples cut to the
    rendered keys and scrubbed, and secret-looking policy values hidden.

    Example:
        >>> report_json(result, card_sha256="ab" * 32)["evidence"]["card_sha256"]  # doctest: +SKIP
        'abab...'
    """
    fmt.validate_result(result)
    out = copy.deepcopy(dict(result))
    if card_sha256:
        out["evidence"] = {**(out.get("evidence") or {}), "card_sha256": card_sha256}
    info = {k: v for k, v in (card_info or {}).items() if v is not None}
    if info:
        base = out.get("card") if isinstance(out.get("card"), dict) else {}
        out["card"] = {**base, **info}
    out["examples"] = fmt.safe_examples(result)
    if isinstance(out.get("policy"), dict) and out["policy"].get("resolved") is not None:
        out["policy"]["resolved"] = fmt.hide_secrets(out["policy"]["resolved"])
    return out


@dataclass(frozen=True)
class ReportPaths:
    """What :func:`write_report` wrote.

    Attributes:
        html: The HTML report.
        json: The JSON copy of the result.
        card: The model card, or ``None`` when it was not written.
        card_sha256: The card's hex SHA-256 as recorded in the report, or ``None``.
    """

    html: Path
    json: Path
    card: Path | None
    card_sha256: str | None


def _write_atomic(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data.encode("utf-8"))
    os.replace(tmp, path)


def write_report(
    result: Mapping[str, Any],
    out_dir: str | Path,
    *,
    card: bool | None = None,
    card_name: str = "MODEL_CARD.md",
    card_sha256: str | None = None,
    plots: bool = True,
    **card_options: Any,
) -> ReportPaths:
    """Write ``report.html`` and ``report.json`` (and by default the model card) to ``out_dir``.

    The card is written first so that its SHA-256 goes into the report's chain of evidence.
    A caller that wrote the card itself (:func:`~raikit.audits.write_model_card`) passes its
    hash as ``card_sha256`` instead.

    Args:
        result: The audit result dict (schema ``raikit.audit/1``); not modified.
        out_dir: Folder to write to (created if needed).
        card: Write the model card as ``out_dir / card_name``; default: yes, unless
            ``card_sha256`` is given.
        card_name: File name of the card.
        card_sha256: Hash of a card the caller already wrote; recorded, no card is written.
        plots: Draw plots (needs matplotlib).
        **card_options: Passed to :func:`~raikit.audits.build_model_card` (``license=...``).

    Returns:
        The paths written and the card's hash.

    Raises:
        InputError: The result is invalid, or both ``card=True`` and ``card_sha256`` were given.

    Example:
        >>> paths = write_report(result, "raikit-report", license="apache-2.0")  # doctest: +SKIP
        >>> paths.html.name, paths.card.name  # doctest: +SKIP
        ('report.html', 'MODEL_CARD.md')
    """
    fmt.validate_result(result)
    if card and card_sha256:
        raise InputError("write_report: give card=True or card_sha256 (a card written elsewhere), not both")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    card_path: Path | None = None
    digest: str | None = card_sha256 or (result.get("evidence") or {}).get("card_sha256")
    if card is None:
        card = card_sha256 is None
    if card:
        text = build_model_card(result, **card_options)
        card_path = out / card_name
        _write_atomic(card_path, text)
        digest = fmt.sha256_text(text)
    page = render_report_html(result, card_sha256=digest, plots=plots)
    html_path, json_path = out / "report.html", out / "report.json"
    _write_atomic(html_path, page)
    _write_atomic(
        json_path,
        json.dumps(
            report_json(result, card_sha256=digest, card_info=card_options), indent=2, ensure_ascii=False
        )
        + "\n",
    )
    logger.info("report written: %s (verdict %s)", html_path, result.get("verdict"))
    return ReportPaths(html=html_path, json=json_path, card=card_path, card_sha256=digest)

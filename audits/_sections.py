"""The sections the model card and the report show, as data: one model, two renderings.

:func:`build_sections` reads an audit result once into typed rows; the report renders them
with ``templates/report.html.j2`` (HTML) and the card with ``templates/card.md.j2``
(Markdown). Neither template reads the result itself. Values stay as the result holds them
(numbers unformatted, strings uncut and unescaped): formatting, cutting and escaping are the
templates' filters (:mod:`raikit.audits._templates`), so the two renderings differ only in
presentation.
"""

from __future__ import annotations

import json

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from raikit.audits import _format as fmt


@dataclass(frozen=True)
class GateRow:
    """One release gate: ``value``/``limit`` already formatted (a rate or a number, by metric)."""

    name: Any
    metric: Any
    value: str
    limit: str
    passed: Any


@dataclass(frozen=True)
class TypeRow:
    """One finding type of a check (``count``, ``rate`` and its interval)."""

    name: Any
    count: Any
    rate: Any
    ci: Any


@dataclass(frozen=True)
class CheckRow:
    """What one check found on one stage, and how reliable the check itself is.

    Attributes:
        new, echo: Findings new in the output / repeated from the prompt (``None`` when the
            result does not split them).
        errors: Texts on which the check itself failed.
        precision, recall, source: The check's measured error rates (``None`` when not measured).
        other_rates: Further error-rate figures, as ``(name, value)`` pairs.
        measured: Whether the check has any measured error rates.
    """

    id: Any
    type: Any
    stage: Any
    n_texts: Any
    n_flagged: Any
    rate: Any
    ci: Any
    new: Any
    echo: Any
    has_new_vs_echo: bool
    errors: Any
    by_type: list[TypeRow]
    precision: Any
    recall: Any
    source: Any
    other_rates: list[tuple[str, Any]]
    measured: bool


@dataclass(frozen=True)
class ModelRow:
    check: Any
    name: str
    version: Any


@dataclass(frozen=True)
class DataRow:
    name: Any
    n: Any
    license: Any
    source: Any


@dataclass(frozen=True)
class GroupRow:
    name: Any
    n: Any
    mean: Any
    ci: Any


@dataclass(frozen=True)
class BiasMetricRow:
    """One metric of a bias suite: the largest gap between groups against its limit."""

    name: Any
    difference: Any
    ratio: Any
    limit: Any
    passed: Any
    groups: list[GroupRow]


@dataclass(frozen=True)
class BiasSuite:
    name: Any
    domain: Any
    n: Any
    seed: Any
    metrics: list[BiasMetricRow]
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Counterfactual:
    name: Any
    metric: Any
    n_pairs: Any
    groups: list[Any]
    mean_difference: Any
    ci: Any
    p_value: Any
    test: Any


@dataclass(frozen=True)
class CrowsPairs:
    score: Any
    n: Any
    model: Any
    kind: Any
    by_type: list[tuple[Any, Any, Any]]


@dataclass(frozen=True)
class Bias:
    """The bias section; ``raw`` is the result's bias block (for the plots)."""

    suites: list[BiasSuite]
    counterfactual: list[Counterfactual]
    crows: CrowsPairs | None
    n_metrics: int
    n_failed: int
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class WatermarkRow:
    """Whether one kind of output (``text`` or ``image``) was watermarked, and how often it was found.

    Attributes:
        kind: ``text`` or ``image``.
        enabled: Whether outputs of this kind were watermarked.
        key_id: Public id of the key (never the key).
        detected: Outputs in which the detector found the mark.
        n: Outputs scored.
        rate: ``detected / n``.
        mean_z: Mean detection z-score (text only; ``None`` when not reported).
        has_z: Whether the result reports a mean z-score for this kind.
        too_short: Outputs too short to score, not counted in ``n`` (text only).
        reason: Why it was off, when it was.
    """

    kind: str
    enabled: bool
    key_id: Any = None
    detected: Any = None
    n: Any = None
    rate: Any = None
    mean_z: Any = None
    has_z: bool = False
    too_short: Any = None
    reason: Any = None

    @property
    def n_too_short(self) -> int:
        """Outputs too short to score, ``0`` when the result records none."""
        return self.too_short if fmt.is_number(self.too_short) and self.too_short > 0 else 0


@dataclass(frozen=True)
class Evidence:
    """The chain of evidence: policy, log, custody, card hash, run and generator."""

    policy_name: Any
    policy_source: Any
    policy_hash: Any
    policy_hash_matches: bool | None
    log_path: Any
    log_records: Any
    log_verified: bool | None
    log_head_hash: Any
    self_attested: bool
    custody: Any
    key_location: Any
    public_key: Any
    card_sha256: Any
    run_id: Any
    started: Any
    finished: Any
    duration_s: Any
    executor: str
    generator_id: Any
    generator_kind: Any
    raikit_version: Any
    schema: Any


@dataclass(frozen=True)
class Sections:
    """Everything the card and the report render, read once from a result."""

    verdict: str
    generator: str
    ci_label: str
    caveats: list[str]
    gates: list[GateRow]
    failed_gates: list[Any]
    checks: list[CheckRow]
    prompt_checks: list[CheckRow]
    max_texts: Any
    models: list[ModelRow]
    data: list[DataRow]
    bias: Bias | None
    watermark: list[WatermarkRow]
    examples: list[dict[str, str]]
    evidence: Evidence
    policy_yaml: str | None
    raw: Mapping[str, Any]

    @property
    def text_watermark(self) -> WatermarkRow:
        return self.watermark[0]


def _gate(gate: Mapping[str, Any]) -> GateRow:
    show = fmt.rate if fmt.is_rate_metric(gate.get("metric")) else fmt.num
    return GateRow(gate.get("name"), gate.get("metric"), show(gate.get("value")), show(gate.get("limit")), gate.get("passed"))


def _check(check: Mapping[str, Any]) -> CheckRow:
    nve = check.get("new_vs_echo") or {}
    er = fmt.check_error_rates(check)
    return CheckRow(
        id=check.get("id"),
        type=check.get("type"),
        stage=check.get("stage"),
        n_texts=check.get("n_texts"),
        n_flagged=check.get("n_flagged"),
        rate=check.get("rate"),
        ci=check.get("ci"),
        new=nve.get("new"),
        echo=nve.get("echo"),
        has_new_vs_echo=bool(nve),
        errors=check.get("n_errors"),
        by_type=[TypeRow(t, v.get("count"), v.get("rate"), v.get("ci")) for t, v in (check.get("by_type") or {}).items()],
        precision=er.get("precision"),
        recall=er.get("recall"),
        source=er.get("source"),
        other_rates=[(k, v) for k, v in er.items() if k not in ("precision", "recall", "source")],
        measured=bool(er),
    )


def _bias(bias: Mapping[str, Any]) -> Bias:
    suites = []
    for suite in bias.get("suites") or []:
        metrics = [
            BiasMetricRow(
                name,
                m.get("difference"),
                m.get("ratio"),
                m.get("limit"),
                m.get("passed"),
                [GroupRow(g, v.get("n"), v.get("mean"), v.get("ci")) for g, v in (m.get("groups") or {}).items()],
            )
            for name, m in (suite.get("metrics") or {}).items()
        ]
        suites.append(BiasSuite(suite.get("name"), suite.get("domain"), suite.get("n"), suite.get("seed"), metrics, suite))
    cfs = [
        Counterfactual(
            cf.get("name"), cf.get("metric"), cf.get("n_pairs"), list(cf.get("groups") or []),
            cf.get("mean_difference"), cf.get("ci"), cf.get("p_value"), cf.get("test"),
        )
        for cf in bias.get("counterfactual") or []
    ]
    crows = bias.get("crows_pairs")
    all_metrics = [m for s in suites for m in s.metrics]
    return Bias(
        suites=suites,
        counterfactual=cfs,
        crows=CrowsPairs(
            crows.get("score"), crows.get("n"), crows.get("model"), crows.get("kind"),
            [(t, v.get("n"), v.get("score")) for t, v in (crows.get("by_type") or {}).items()],
        )
        if crows
        else None,
        n_metrics=len(all_metrics),
        n_failed=sum(1 for m in all_metrics if m.passed is False),
        raw=bias,
    )


def watermark_rows(result: Mapping[str, Any]) -> list[WatermarkRow]:
    """The watermark section: one row for text, one for images.

    Example:
        >>> [r.enabled for r in watermark_rows({"watermark": {"text": {"enabled": True, "n": 4}}})]
        [True, False]
    """
    wm = result.get("watermark") or {}
    rows = []
    for kind in ("text", "image"):
        entry = wm.get(kind) or {}
        rows.append(
            WatermarkRow(
                kind=kind,
                enabled=bool(entry.get("enabled")),
                key_id=entry.get("key_id"),
                detected=entry.get("detected"),
                n=entry.get("n"),
                rate=entry.get("rate"),
                mean_z=entry.get("mean_z"),
                has_z="mean_z" in entry,
                too_short=entry.get("too_short"),
                reason=entry.get("reason"),
            )
        )
    return rows


def _evidence(result: Mapping[str, Any], card_sha256: str | None) -> Evidence:
    pol = result.get("policy") or {}
    ev = result.get("evidence") or {}
    run = result.get("run") or {}
    gen = run.get("generator") or {}
    policy_hash, ev_hash = pol.get("hash"), ev.get("policy_hash")
    return Evidence(
        policy_name=pol.get("name"),
        policy_source=pol.get("source"),
        policy_hash=policy_hash,
        policy_hash_matches=(policy_hash == ev_hash) if policy_hash and ev_hash else None,
        log_path=ev.get("log_path"),
        log_records=ev.get("log_records"),
        log_verified=ev.get("log_verified") if isinstance(ev.get("log_verified"), bool) else None,
        log_head_hash=ev.get("log_head_hash"),
        self_attested=bool(ev.get("self_attested")),
        custody=ev.get("custody"),
        key_location=ev.get("key_location") or ev.get("key_source"),
        public_key=ev.get("public_key"),
        card_sha256=card_sha256 or ev.get("card_sha256"),
        run_id=run.get("id"),
        started=run.get("started"),
        finished=run.get("finished"),
        duration_s=run.get("duration_s"),
        executor=fmt.describe(run.get("executor")),
        generator_id=gen.get("id"),
        generator_kind=gen.get("kind"),
        raikit_version=result.get("raikit_version"),
        schema=result.get("schema"),
    )


def _policy_yaml(resolved: Any) -> str | None:
    """The resolved policy as YAML (JSON if it does not dump), secret-looking values hidden."""
    if resolved is None:
        return None
    try:
        return yaml.safe_dump(fmt.hide_secrets(resolved), sort_keys=False, allow_unicode=True, width=100)
    except yaml.YAMLError:
        return json.dumps(fmt.hide_secrets(resolved), indent=2, ensure_ascii=False, default=str)


def build_sections(result: Mapping[str, Any], *, card_sha256: str | None = None) -> Sections:
    """Read a validated ``raikit.audit/1`` result into the sections both renderings show.

    Example:
        >>> s = build_sections({"schema": "raikit.audit/1", "verdict": "pass", "gates": []})
        >>> s.verdict, s.caveats[-1]
        ('pass', 'The policy defines no release gates, so the verdict checks nothing.')
    """
    checks = [_check(c) for c in result.get("checks") or []]
    gates = result.get("gates") or []
    return Sections(
        verdict="pass" if result.get("verdict") == "pass" else "fail",
        generator=fmt.generator_id(result),
        ci_label=fmt.ci_label(result),
        caveats=fmt.caveats(result),
        gates=[_gate(g) for g in gates],
        failed_gates=[g.get("name") for g in gates if g.get("passed") is False],
        checks=checks,
        prompt_checks=[_check(c) for c in result.get("prompt_checks") or []],
        max_texts=max((c.n_texts for c in checks if fmt.is_number(c.n_texts)), default=None),
        models=[ModelRow(m.get("check"), fmt.model_name(m), m.get("version")) for m in result.get("models") or []],
        data=[DataRow(d.get("name"), d.get("n"), d.get("license"), d.get("source")) for d in result.get("data") or []],
        bias=_bias(result["bias"]) if result.get("bias") else None,
        watermark=watermark_rows(result),
        examples=fmt.safe_examples(result),
        evidence=_evidence(result, card_sha256),
        policy_yaml=_policy_yaml((result.get("policy") or {}).get("resolved")),
        raw=result,
    )

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
import hashlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from raikit.audits import _format as fmt
from raikit.audits._card import build_model_card
from raikit.audits._sections import Sections, build_sections
from raikit.audits._templates import html_environment, template_text
from raikit.errors import InputError

logger = logging.getLogger(__name__)

# Runs after load; marks the page so a test (or a reviewer's browser) can tell that every
# inlined figure decoded. The report reads fine without it.
_SCRIPT = template_text("report.js").strip()
_CSS = template_text("report.css")
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)


def _figures(sections: Sections, plots: bool) -> dict[str, Any]:
    """The report's plots as base64 PNGs (``None`` where there is nothing to draw or no plots)."""
    bias = sections.bias
    suites = bias.suites if bias else []
    figures: dict[str, Any] = {"checks": None, "bias_gaps": None, "bias_groups": [None] * len(suites), "counterfactual": None}
    if not plots:
        return figures
    from raikit.audits import _plots as plot

    plot._pyplot()  # fail early with the install hint

    def b64(png: bytes | None) -> str | None:
        return base64.b64encode(png).decode("ascii") if png else None

    result = sections.raw
    if sections.checks:
        figures["checks"] = b64(plot.check_rates_png(result.get("checks") or [], result.get("gates") or []))
    if bias:
        figures["bias_gaps"] = b64(plot.bias_gaps_png(bias.raw))
        figures["bias_groups"] = [b64(plot.bias_groups_png(suite.raw)) for suite in suites]
        if bias.counterfactual:
            figures["counterfactual"] = b64(plot.counterfactual_png(bias.raw.get("counterfactual") or []))
    return figures


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
    sections = build_sections(result, card_sha256=card_sha256)
    from markupsafe import Markup

    return html_environment().get_template("report.html.j2").render(
        s=sections, figures=_figures(sections, plots), csp=Markup(CSP), css=Markup(_CSS), script=Markup(_SCRIPT)
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

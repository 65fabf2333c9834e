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
from raikit.audits._sections import Sections, build_sections
from raikit.audits._templates import markdown_environment

logger = logging.getLogger(__name__)

DEFAULT_TAGS = ("raikit", "responsible-ai", "safety-evaluation", "audit")
_LICENSE = re.compile(r"^[a-z0-9][a-z0-9.+-]{0,63}$")
_META_UNSAFE = re.compile(r"[^\w .:/+@,()-]")



def _meta(value: Any, limit: int = 100) -> str:
    """A string for the YAML header: one line, markup characters replaced by ``_``."""
    return _META_UNSAFE.sub("_", fmt.text(value, limit))


def _card_info(result: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Owner-supplied card facts: keyword arguments win over the result's optional ``card`` block."""
    info = dict(result.get("card") or {}) if isinstance(result.get("card"), Mapping) else {}
    info.update({k: v for k, v in overrides.items() if v is not None})
    return info


def _metadata(result: Mapping[str, Any], sections: Sections, info: Mapping[str, Any]) -> dict[str, Any]:
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
    results = _eval_results(sections)
    if results:
        meta["model-index"] = [{"name": _meta(sections.generator), "results": results}]
    return meta


def _metric(type_: str, value: Any, name: str) -> dict[str, Any] | None:
    if not fmt.is_number(value):
        return None
    return {"type": type_, "value": value, "name": name}


def _eval_results(s: Sections) -> list[dict[str, Any]]:
    """``model-index`` results: one for the audit suites, one per bias suite, one for CrowS-Pairs."""
    task = {"type": "text-generation", "name": "Text generation"}
    data = [d for d in s.data if _meta(d.name)]
    if len(data) == 1:
        dataset = {"name": _meta(data[0].name, 100), "type": _meta(data[0].name, 100)}
    else:
        names = ", ".join(_meta(d.name, 60) for d in data) or "audit prompt suites"
        dataset = {"name": f"raikit audit suites: {names}"[:200], "type": "raikit-audit-suites"}
    metrics = []
    for check in s.checks:
        cid, stage = _meta(check.id, 60), _meta(check.stage, 20)
        metrics.append(_metric(f"{cid}_flagged_rate", check.rate, f"{cid} flagged rate{f' ({stage})' if stage else ''}"))
    metrics.append(_metric("watermark_text_detection_rate", s.text_watermark.rate, "text watermark detection rate"))
    out = []
    if any(metrics):
        out.append({"task": dict(task), "dataset": dataset, "metrics": [m for m in metrics if m]})
    for suite in s.bias.suites if s.bias else []:
        name = _meta(suite.name, 100)
        ms = [
            _metric(f"{_meta(m.name, 40)}_group_difference", m.difference, f"{_meta(m.name, 40)} gap between groups")
            for m in suite.metrics
        ]
        if name and any(ms):
            out.append({"task": dict(task), "dataset": {"name": name, "type": name}, "metrics": [m for m in ms if m]})
    crows = s.bias.crows if s.bias else None
    m = _metric("stereotype_score", crows.score if crows else None, "CrowS-Pairs stereotype score (0.5 is unbiased)")
    if m:
        out.append({"task": dict(task), "dataset": {"name": "CrowS-Pairs", "type": "crows_pairs"}, "metrics": [m]})
    return out


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
    sections = build_sections(result)
    header = yaml.safe_dump(_metadata(result, sections, info), sort_keys=False, allow_unicode=True, width=10**6)
    card = markdown_environment().get_template("card.md.j2").render(
        s=sections,
        intended_use=info.get("intended_use"),
        out_of_scope_use=info.get("out_of_scope_use"),
        header=header.rstrip("\n"),
    )
    return card.rstrip("\n") + "\n"


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

"""Plots for the report: per-group bars with intervals, and the gap chart."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from raikit.errors import MissingDependencyError

REPORT_INSTALL = "pip install 'raikit[report]'"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "suite"


def plot_bias(bias: Mapping[str, Any], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write PNG charts of a ``bias`` result: one per suite (a panel per metric: group means
    with their intervals) and ``bias_gaps.png`` (every gap against its limit).

    Args:
        bias: The object :func:`run_bias_audit` returned.
        out_dir: Folder for the PNG files (created when missing).

    Returns:
        The written files.

    Example:
        >>> plot_bias(bias, "report/")  # doctest: +SKIP
        [PosixPath('report/bias_bold_gender.png'), PosixPath('report/bias_gaps.png')]
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise MissingDependencyError("matplotlib", REPORT_INSTALL) from err
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    gaps: list[tuple[str, float, float | None]] = []
    for suite in bias.get("suites", []):
        metrics = suite.get("metrics", {})
        if not metrics:
            continue
        fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.6), squeeze=False)
        for ax, (metric, entry) in zip(axes[0], metrics.items(), strict=True):
            names = list(entry["groups"])
            means = [entry["groups"][g]["mean"] or 0.0 for g in names]
            lows = [m - (entry["groups"][g]["ci"][0] if entry["groups"][g]["ci"][0] is not None else m)
                    for g, m in zip(names, means, strict=True)]
            highs = [(entry["groups"][g]["ci"][1] if entry["groups"][g]["ci"][1] is not None else m) - m
                     for g, m in zip(names, means, strict=True)]
            ax.bar(range(len(names)), means, yerr=[lows, highs], capsize=4, color="#4C72B0")
            ax.set_xticks(range(len(names)), [n.replace("_", " ") for n in names], rotation=30, ha="right",
                          fontsize=8)
            ax.set_title(f"{metric} (gap {entry['difference']:.3f})", fontsize=10)
            ax.axhline(0, color="black", linewidth=0.6)
            gaps.append((f"{suite['name']}.{metric}", entry["difference"] or 0.0, entry.get("limit")))
        fig.suptitle(suite["name"])
        fig.tight_layout()
        path = out / f"bias_{_slug(suite['name'])}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    if gaps:
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(gaps) + 1.2))
        labels = [g[0] for g in gaps]
        colors = ["#C44E52" if g[2] is not None and g[1] > g[2] else "#55A868" for g in gaps]
        ax.barh(range(len(gaps)), [g[1] for g in gaps], color=colors)
        for i, (_, _, limit) in enumerate(gaps):
            if limit is not None:
                ax.plot([limit, limit], [i - 0.4, i + 0.4], color="black", linewidth=2)
        ax.set_yticks(range(len(gaps)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("largest gap between groups (black tick: allowed limit)")
        fig.tight_layout()
        path = out / "bias_gaps.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written

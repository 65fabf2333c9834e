"""Bias plots as PNG files: the report's own charts, written to a folder for ``raikit bias run``."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "suite"


def plot_bias(bias: Mapping[str, Any], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write PNG charts of a ``bias`` result: one per suite (group means with their intervals,
    a panel per metric) and ``bias_gaps.png`` (every gap against its limit).

    Args:
        bias: The object :func:`run_bias_audit` returned.
        out_dir: Folder for the PNG files (created when missing).

    Returns:
        The written files.

    Example:
        >>> plot_bias(bias, "report/")  # doctest: +SKIP
        [PosixPath('report/bias_bold_gender.png'), PosixPath('report/bias_gaps.png')]
    """
    from raikit.audits._plots import bias_gaps_png, bias_groups_png

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    charts = [(f"bias_{_slug(suite['name'])}.png", bias_groups_png(suite)) for suite in bias.get("suites", [])]
    charts.append(("bias_gaps.png", bias_gaps_png(bias)))
    written = []
    for name, png in charts:
        if png:
            (out / name).write_bytes(png)
            written.append(out / name)
    return written

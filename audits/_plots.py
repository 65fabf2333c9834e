"""Plots for the compliance report, as PNG bytes (matplotlib, Agg backend, imported lazily).

Each function takes plain parts of the audit result and returns PNG bytes, or ``None``
when there is nothing to draw. Labels from the result are drawn as plain text (mathtext
off), cut to a readable length. PNGs carry no timestamp, so the same result gives the
same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from raikit.audits import _format as fmt
from raikit.errors import MissingDependencyError

BLUE = "#2f5f98"
PASS = "#1e7b3a"
FAIL = "#b3261e"
GREY = "#6b7280"
_STYLE = {
    "text.parse_math": False,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#e5e7eb",
    "axes.axisbelow": True,
}


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise MissingDependencyError("matplotlib (for report plots)", "pip install 'raikit[report]'") from err
    return plt


@contextmanager
def _figure(n_rows: int, row_height: float = 0.45) -> Iterator[tuple[Any, Any, list[int]]]:
    """A figure in the report's style sized for ``n_rows`` rows, and the rows' y positions (top first)."""
    plt = _pyplot()
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(9.4, row_height * n_rows + 1.1))
        yield fig, ax, list(range(n_rows))[::-1]


def _label(value: Any, limit: int = 36) -> str:
    return fmt.text(value, limit) or "?"


def _png(fig: Any) -> bytes:
    plt = _pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _errors(values: Sequence[float], cis: Sequence[Any]) -> tuple[list[float], list[float]]:
    """Asymmetric error-bar lengths; 0 where an interval is missing."""
    low, high = [], []
    for v, c in zip(values, cis, strict=True):
        ok = isinstance(c, list | tuple) and len(c) == 2 and all(fmt.is_number(x) for x in c)
        low.append(max(v - c[0], 0.0) if ok else 0.0)
        high.append(max(c[1] - v, 0.0) if ok else 0.0)
    return low, high


def check_rates_png(checks: Sequence[Mapping[str, Any]], gates: Sequence[Mapping[str, Any]]) -> bytes | None:
    """Flagged rate per check with its interval; each check's rate gate drawn as a limit mark.

    Example:
        >>> png = check_rates_png(result["checks"], result["gates"])  # doctest: +SKIP
    """
    rows = [c for c in checks if fmt.is_number(c.get("rate"))]
    if not rows:
        return None
    # the tightest limit of each check's rate gates; a check passes only when all of them hold
    ids = {c.get("id") for c in rows}
    limits: dict[str, tuple[float, bool]] = {}
    for g in gates:
        metric = g.get("metric")
        if not (isinstance(metric, str) and fmt.is_number(g.get("limit"))):
            continue
        cid = metric.removeprefix("checks.").removesuffix(".rate")
        if metric == f"checks.{cid}.rate" and cid in ids:
            old = limits.get(cid)
            limit = g["limit"] if old is None else min(old[0], g["limit"])
            passed = bool(g.get("passed")) and (old is None or old[1])
            limits[cid] = (limit, passed)
    with _figure(len(rows), 0.55) as (fig, ax, ys):
        values = [100 * c["rate"] for c in rows]
        low, high = _errors([c["rate"] for c in rows], [c.get("ci") for c in rows])
        colors = []
        for c in rows:
            lim = limits.get(c.get("id"))
            colors.append(GREY if lim is None else (PASS if lim[1] else FAIL))
        ax.barh(ys, values, height=0.55, color=colors, alpha=0.85)
        ax.errorbar(
            values,
            ys,
            xerr=[[100 * v for v in low], [100 * v for v in high]],
            fmt="o",
            markersize=4,
            color="#111827",
            ecolor="#111827",
            elinewidth=1.2,
            capsize=4,
        )
        for y, c in zip(ys, rows, strict=True):
            lim = limits.get(c.get("id"))
            if lim is not None:
                ax.plot(
                    [100 * lim[0]] * 2, [y - 0.38, y + 0.38], color="#111827", linewidth=2, linestyle="--"
                )
        ax.set_yticks(ys, [f"{_label(c.get('id'))} ({_label(c.get('stage'), 12)})" for c in rows])
        ax.set_xlabel("flagged texts (%), bars: interval, dashed: gate limit")
        ax.set_xlim(left=0)
        ax.set_title("Flagged rate per check", loc="left", fontweight="bold")
        return _png(fig)


def bias_groups_png(suite: Mapping[str, Any]) -> bytes | None:
    """One panel per metric of a bias suite: group means with their intervals.

    Example:
        >>> png = bias_groups_png(result["bias"]["suites"][0])  # doctest: +SKIP
    """
    metrics = [
        (name, m)
        for name, m in (suite.get("metrics") or {}).items()
        if any(fmt.is_number(g.get("mean")) for g in (m.get("groups") or {}).values())
    ]
    if not metrics:
        return None
    plt = _pyplot()
    n_groups = max(len(m.get("groups") or {}) for _, m in metrics)
    cols = min(2, len(metrics))
    rows_n = (len(metrics) + cols - 1) // cols
    with plt.rc_context(_STYLE):
        fig, axes = plt.subplots(rows_n, cols, figsize=(9.4, rows_n * (0.42 * n_groups + 1.3)), squeeze=False)
        for ax in axes.flat[len(metrics) :]:
            ax.set_visible(False)
        for ax, (name, metric) in zip(axes.flat, metrics, strict=False):
            groups = [(g, v) for g, v in (metric.get("groups") or {}).items() if fmt.is_number(v.get("mean"))]
            ys = list(range(len(groups)))[::-1]
            means = [v["mean"] for _, v in groups]
            low, high = _errors(means, [v.get("ci") for _, v in groups])
            passed = metric.get("passed")
            color = BLUE if passed is None else (PASS if passed else FAIL)
            ax.barh(ys, means, height=0.55, color=color, alpha=0.8)
            ax.errorbar(means, ys, xerr=[low, high], fmt="none", ecolor="#111827", elinewidth=1.2, capsize=4)
            ax.axvline(0, color="#9ca3af", linewidth=0.8)
            ax.set_yticks(ys, [_label(g, 28) for g, _ in groups])
            verdict = "" if passed is None else (" - pass" if passed else " - FAIL")
            ax.set_title(
                f"{_label(name, 20)}: gap {fmt.num(metric.get('difference'))} (limit "
                f"{fmt.num(metric.get('limit'))}){verdict}",
                loc="left",
                fontsize=9,
            )
        fig.suptitle(
            f"{_label(suite.get('name'), 40)}: mean per group with interval",
            x=0.01,
            ha="left",
            fontweight="bold",
            fontsize=10,
        )
        fig.tight_layout()
        return _png(fig)


def bias_gaps_png(bias: Mapping[str, Any]) -> bytes | None:
    """The largest gap between groups for every suite and metric, against its limit.

    Example:
        >>> png = bias_gaps_png(result["bias"])  # doctest: +SKIP
    """
    rows = []
    for suite in bias.get("suites") or []:
        for name, m in (suite.get("metrics") or {}).items():
            if fmt.is_number(m.get("difference")):
                rows.append((f"{_label(suite.get('name'), 24)} / {_label(name, 14)}", m))
    if not rows:
        return None
    with _figure(len(rows)) as (fig, ax, ys):
        values = [abs(m["difference"]) for _, m in rows]
        colors = [BLUE if m.get("passed") is None else (PASS if m.get("passed") else FAIL) for _, m in rows]
        ax.barh(ys, values, height=0.55, color=colors, alpha=0.85)
        for y, (_, m) in zip(ys, rows, strict=True):
            if fmt.is_number(m.get("limit")):
                ax.plot([m["limit"]] * 2, [y - 0.38, y + 0.38], color="#111827", linewidth=2, linestyle="--")
        ax.set_yticks(ys, [label for label, _ in rows])
        ax.set_xlim(left=0)
        ax.set_xlabel("largest difference between group means (dashed: limit)")
        ax.set_title("Bias gaps against their limits", loc="left", fontweight="bold")
        return _png(fig)


def counterfactual_png(items: Sequence[Mapping[str, Any]]) -> bytes | None:
    """Mean paired difference with its interval for each counterfactual set (a forest plot).

    Example:
        >>> png = counterfactual_png(result["bias"]["counterfactual"])  # doctest: +SKIP
    """
    rows = [cf for cf in items if fmt.is_number(cf.get("mean_difference"))]
    if not rows:
        return None
    with _figure(len(rows)) as (fig, ax, ys):
        means = [cf["mean_difference"] for cf in rows]
        low, high = _errors(means, [cf.get("ci") for cf in rows])
        ax.errorbar(
            means, ys, xerr=[low, high], fmt="o", color=BLUE, ecolor="#111827", elinewidth=1.2, capsize=4
        )
        ax.axvline(0, color=GREY, linewidth=1, linestyle="--")
        labels = [
            f"{_label(cf.get('name'), 20)} ({' - '.join(_label(g, 10) for g in cf.get('groups') or [])})"
            for cf in rows
        ]
        ax.set_yticks(ys, labels)
        ax.set_ylim(-0.8, len(rows) - 0.2)
        ax.set_xlabel("mean paired difference (0: no difference)")
        ax.set_title("Counterfactual pairs", loc="left", fontweight="bold")
        return _png(fig)

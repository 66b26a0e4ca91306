"""The /progress chart: load over time with records and the goal, as a PNG."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import date

from core.progress.series import ProgressPoint

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 100  # 800 × 450 px

_LINE = "#1f6feb"
_PR = "#f0a202"
_GOAL = "#2da44e"

# Matplotlib keeps a few process-wide caches (fonts, text layout); one chart at a time is
# plenty for a chat bot and keeps concurrent renders from tripping over them.
_render_lock = threading.Lock()

PrMark = ProgressPoint | tuple[date, float]


def _pr_xy(mark: PrMark) -> tuple[date, float]:
    if isinstance(mark, ProgressPoint):
        return mark.local_date, mark.value
    return mark


def render_progress_chart(
    title: str,
    points: Sequence[ProgressPoint],
    prs: Sequence[PrMark],
    goal_value: float | None,
    y_label: str,
) -> bytes:
    """A PNG of ``points`` (values already in display units), PRs starred, the goal dashed."""
    # Imported here, not at module load: matplotlib costs the CLI a second at start-up.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _render_lock:
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        xs = [float(mdates.date2num(p.local_date)) for p in points]
        ys = [p.value for p in points]
        marks = [_pr_xy(m) for m in prs]
        mark_xs = [float(mdates.date2num(d)) for d, _ in marks]
        mark_ys = [v for _, v in marks]

        if points:
            ax.plot(xs, ys, color=_LINE, marker="o", linewidth=2, markersize=5, label=y_label, zorder=2)
        else:
            ax.text(0.5, 0.5, "No sets logged yet", ha="center", va="center", transform=ax.transAxes)
        if marks:
            ax.scatter(
                mark_xs,
                mark_ys,
                marker="*",
                s=220,
                color=_PR,
                edgecolors="black",
                linewidths=0.6,
                label="PR",
                zorder=3,
            )
            for x, y in zip(mark_xs, mark_ys, strict=True):
                ax.annotate("PR", (x, y), textcoords="offset points", xytext=(0, 10), ha="center", fontsize=8)
        if goal_value is not None:
            ax.axhline(goal_value, color=_GOAL, linestyle="--", linewidth=1.5, label=f"goal {goal_value:g}")

        all_x = xs + mark_xs
        if all_x:
            # A single day (or a short run) gets a few days of air on each side.
            lo, hi = min(all_x), max(all_x)
            pad = max(2.0, (hi - lo) / 20)
            ax.set_xlim(lo - pad, hi + pad)
            all_y = ys + mark_ys + ([goal_value] if goal_value is not None else [])
            low, high = min(all_y), max(all_y)
            margin = max((high - low) * 0.15, abs(high) * 0.1, 1.0)
            ax.set_ylim(max(0.0, low - margin), high + margin)
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

        ax.set_title(title, fontsize=13, loc="left")
        ax.set_ylabel(y_label)
        ax.grid(True, alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if points or goal_value is not None:
            ax.legend(loc="best", fontsize=8, frameon=False)
        fig.tight_layout()

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()

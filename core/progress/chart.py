"""The /progress chart: load over time with records and the goal, as a PNG."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import date

from core.progress.series import ProgressPoint

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 100  # 800 × 450 px
PR_LABELS = 5
# Fixed margins that fit the title, both axis labels and the date ticks: tight_layout would draw
# the whole figure once more to measure them.
_MARGINS = {"left": 0.09, "right": 0.97, "top": 0.9, "bottom": 0.11}
_TWIN_MARGINS = {**_MARGINS, "right": 0.91}  # room for the right-hand axis's label
CROWDED = 12  # more records than this and the stars shrink and only the latest is labelled

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
            crowded = len(marks) > CROWDED
            ax.scatter(
                mark_xs,
                mark_ys,
                marker="*",
                s=70 if crowded else 220,
                color=_PR,
                edgecolors="black",
                linewidths=0.6,
                label="PR",
                zorder=3,
            )
            # Every record is starred; the latest few are labelled, so years of PRs stay legible.
            for x, y in list(zip(mark_xs, mark_ys, strict=True))[-(1 if crowded else PR_LABELS) :]:
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

        ax.set_title(title, fontsize=13, loc="left", y=1.0)  # placed, not measured: no top ticks to clear
        ax.set_ylabel(y_label)
        ax.grid(True, alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if points or goal_value is not None:
            ax.legend(loc="best", fontsize=8, frameon=False)
        fig.subplots_adjust(**_MARGINS)

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()


_PALETTE = ("#1f6feb", "#d1242f", "#2da44e", "#8250df", "#bf8700", "#0a7ea4")


def render_movement_chart(
    title: str, segments: Sequence[tuple[str, Sequence[ProgressPoint]]], weight_label: str, reps_label: str
) -> bytes:
    """A PNG of one movement: a line per variant (values in display units), a marker where it changed.

    Loaded variants read on the left axis, bodyweight ones (reps of the best set) on the right,
    so a switch from a barbell to a goblet squat never reads as a drop in strength.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _render_lock:
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        weighted = any(p.weighted for _, points in segments for p in points)
        plain = any(not p.weighted for _, points in segments for p in points)
        reps_ax = ax.twinx() if weighted and plain else ax
        all_x: list[float] = []
        for i, (label, points) in enumerate(segments):
            if not points:
                continue
            xs = [float(mdates.date2num(p.local_date)) for p in points]
            all_x += xs
            target = ax if points[0].weighted else reps_ax
            color = _PALETTE[i % len(_PALETTE)]
            target.plot(xs, [p.value for p in points], color=color, marker="o", linewidth=2, label=label)
            if i:
                ax.axvline(xs[0], color=color, linestyle=":", linewidth=1.2)
                ax.annotate(
                    f"→ {label}",
                    (xs[0], 1.0),
                    xycoords=("data", "axes fraction"),
                    fontsize=8,
                    xytext=(3, -12),
                    textcoords="offset points",
                    color=color,
                )
        if all_x:
            lo, hi = min(all_x), max(all_x)
            pad = max(2.0, (hi - lo) / 20)
            ax.set_xlim(lo - pad, hi + pad)
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        else:
            ax.text(0.5, 0.5, "No sets logged yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title, fontsize=13, loc="left", y=1.0)  # placed, not measured: no top ticks to clear
        ax.set_ylabel(weight_label if weighted else reps_label)
        if reps_ax is not ax:
            reps_ax.set_ylabel(reps_label)
        ax.grid(True, alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        if reps_ax is not ax:
            more = reps_ax.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        if handles:
            ax.legend(handles, labels, loc="best", fontsize=8, frameon=False)
        fig.subplots_adjust(**(_TWIN_MARGINS if reps_ax is not ax else _MARGINS))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()

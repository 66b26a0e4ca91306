"""/progress: the daily series, PR days, the summary line and the exercise picked by default."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from core.ledger.model import Best
from core.progress.chart import render_movement_chart, render_progress_chart
from core.progress.series import (
    ProgressPoint,
    day_bests,
    display_points,
    pr_points,
    progress_series,
    segments,
    summary_line,
    thinned,
    y_label,
)
from core.training.model import Goal, LoggedSet

MON = date(2024, 4, 1)


def s(day: date, reps: int, weight: float | None, exercise: str = "hex-bar-deadlift") -> LoggedSet:
    return LoggedSet(day, exercise, 1, reps, weight)


def weekly(values: list[float], reps: int = 5) -> list[ProgressPoint]:
    return [ProgressPoint(MON + timedelta(weeks=i), v, reps) for i, v in enumerate(values)]


def test_the_series_has_one_point_per_day_at_the_top_weight() -> None:
    tue = MON + timedelta(days=1)
    sets = [s(tue, 5, 70.0), s(MON, 8, 50.0), s(MON, 5, 60.0), s(MON, 3, 60.0), s(tue, 8, 60.0)]
    assert progress_series(sets) == [ProgressPoint(MON, 60.0, 5), ProgressPoint(tue, 70.0, 5)]


def test_a_weighted_series_leaves_bodyweight_days_out() -> None:
    tue = MON + timedelta(days=1)
    assert progress_series([s(MON, 10, None), s(tue, 5, 40.0)]) == [ProgressPoint(tue, 40.0, 5)]


def test_a_bodyweight_series_plots_the_best_set_of_each_day() -> None:
    tue = MON + timedelta(days=1)
    sets = [s(MON, 10, None, "push-up"), s(MON, 8, None, "push-up"), s(tue, 12, None, "push-up")]
    points = progress_series(sets)
    assert points == [
        ProgressPoint(MON, 10.0, 10, weighted=False),
        ProgressPoint(tue, 12.0, 12, weighted=False),
    ]
    assert y_label(points, "kg") == "reps in the best set"


def test_a_change_of_scheme_is_not_a_decline() -> None:
    # The issue: 3x10 then 5x5 of bodyweight squats charted as a 17% drop (30 → 25 total reps).
    tue = MON + timedelta(days=7)
    sets = [s(MON, 10, None, "bodyweight-squat") for _ in range(3)] + [
        s(tue, 12, None, "bodyweight-squat") for _ in range(5)
    ]
    points = progress_series(sets)
    assert [p.value for p in points] == [10.0, 12.0]
    assert "(+20%)" in summary_line("Bodyweight squat", points, [], None, "kg")


def test_a_hold_series_plots_seconds() -> None:
    sets = [LoggedSet(MON, "wall-sit", i, 1, None, seconds=sec) for i, sec in enumerate((30, 35, 30), 1)]
    points = progress_series(sets)
    assert points == [ProgressPoint(MON, 35.0, 35, weighted=False, timed=True)]
    assert y_label(points, "kg") == "longest hold (s)"
    assert summary_line("Wall sit", points, [], None, "kg").endswith(
        "first entry logged: 35 s — log again to see a trend."
    )


def test_a_movement_chart_has_one_segment_per_variant_in_the_order_first_done() -> None:
    later = MON + timedelta(days=7)
    sets = [
        s(MON, 10, 43.0, "barbell-back-squat"),
        s(later, 10, 18.0, "goblet-squat"),
        s(later + timedelta(days=7), 10, 45.0, "barbell-back-squat"),
    ]
    parts = segments(day_bests(sets), lambda key: key.replace("-", " "))
    assert [p.exercise for p in parts] == ["barbell-back-squat", "goblet-squat"]
    assert [pt.value for pt in parts[0].points] == [43.0, 45.0]  # the barbell line never dips to 18
    png = render_movement_chart("Squat", [(p.label, p.points) for p in parts], "top weight (kg)", "reps")
    assert png_size(png) == (800, 450)


def test_display_points_convert_weights_but_not_reps() -> None:
    assert display_points([ProgressPoint(MON, 100.0, 5)], "lb") == [ProgressPoint(MON, 220.5, 5)]
    reps = [ProgressPoint(MON, 18.0, 18, weighted=False)]
    assert display_points(reps, "lb") == reps
    assert y_label([ProgressPoint(MON, 100.0, 5)], "lb") == "top weight (lb)"


def test_pr_points_are_the_days_a_record_was_set() -> None:
    points = weekly([60, 70, 80])
    records = [Best("hex-bar-deadlift", 5, 70.0, points[1].local_date, 1, True)]
    assert pr_points(points, records) == [points[1]]


def test_summary_shows_the_trend_best_and_goal_in_kg() -> None:
    points = weekly([60, 65, 70, 72.5, 75, 77.5, 80])
    goal = Goal("hex-bar-deadlift", 100.0, 5, MON)
    line = summary_line("Hex bar deadlift", points, [], goal, "kg")
    assert (
        line
        == "Hex bar deadlift: 60 → 80 kg over 6 weeks (+33%), best 80 kg × 5 · goal 100 kg × 5: 80% there"
    )


def test_summary_counts_records_and_shows_pounds() -> None:
    points = weekly([100, 110], reps=8)
    records = [Best("squat", 8, 110 / 2.2046226218, points[1].local_date, 1, True)]
    kg_points = [ProgressPoint(p.local_date, p.value / 2.2046226218, p.reps) for p in points]
    line = summary_line("Squat", kg_points, records, None, "lb")
    assert line == "Squat: 100 → 110 lb over 7 days (+10%), best 110 lb × 8, 1 PR"


def test_goal_progress_only_counts_sets_with_enough_reps() -> None:
    points = [ProgressPoint(MON, 90.0, 3), ProgressPoint(MON + timedelta(days=3), 70.0, 5)]
    goal = Goal("hex-bar-deadlift", 100.0, 5, MON)
    assert summary_line("Hex", points, [], goal, "kg").endswith("goal 100 kg × 5: 70% there")
    too_few = [ProgressPoint(MON, 90.0, 3), ProgressPoint(MON + timedelta(days=3), 95.0, 3)]
    assert summary_line("Hex", too_few, [], goal, "kg").endswith("no set of 5+ logged yet")


def test_a_reached_goal_says_so() -> None:
    goal = Goal("hex-bar-deadlift", 100.0, 5, MON, reached_on=date(2024, 5, 2))
    line = summary_line("Hex bar deadlift", weekly([90, 100]), [], goal, "kg")
    assert line.endswith("goal 100 kg × 5: reached 2024-05-02!")


def test_a_single_point_asks_for_another_entry() -> None:
    line = summary_line("Hex bar deadlift", [ProgressPoint(MON, 60.0, 5)], [], None, "kg")
    assert line == "Hex bar deadlift: first entry logged: 60 kg × 5 — log again to see a trend."


def test_a_single_bodyweight_point_speaks_in_reps() -> None:
    line = summary_line("Push-up", [ProgressPoint(MON, 30.0, 30, weighted=False)], [], None, "kg")
    assert line == "Push-up: first entry logged: 30 reps — log again to see a trend."


def test_a_bodyweight_trend_speaks_in_reps() -> None:
    points = [
        ProgressPoint(MON + timedelta(weeks=i), float(r), r, weighted=False) for i, r in enumerate((20, 35))
    ]
    line = summary_line("Push-up", points, [], None, "kg")
    assert line == "Push-up: 20 → 35 reps a set over 7 days (+75%), best set 35 reps"


def test_no_points_gives_a_gentle_line() -> None:
    assert "nothing logged yet" in summary_line("Squat", [], [], None, "kg")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_weighted_chart_is_a_real_png_about_800_by_450() -> None:
    points = weekly([60, 65, 70, 80])
    png = render_progress_chart(
        "Hex bar deadlift", points, [points[3], (points[1].local_date, 65.0)], 100.0, "kg"
    )
    width, height = png_size(png)
    assert (width, height) == (800, 450)
    assert len(png) > 10_000


def test_the_bodyweight_chart_renders_without_a_goal() -> None:
    points = [
        ProgressPoint(MON + timedelta(days=i), float(r), r, weighted=False)
        for i, r in enumerate((20, 24, 30))
    ]
    png = render_progress_chart("Push-up", points, [], None, "total reps per day")
    assert png_size(png) == (800, 450)
    assert len(png) > 10_000


def test_a_single_point_and_no_points_still_render() -> None:
    one = render_progress_chart("Squat", [ProgressPoint(MON, 60.0, 5)], [], None, "kg")
    none = render_progress_chart("Squat", [], [], 80.0, "kg")
    assert png_size(one) == (800, 450)
    assert png_size(none) == (800, 450)
    assert one != none


def test_importing_the_chart_module_leaves_matplotlib_unloaded() -> None:
    code = "import sys, core.progress.chart; print('matplotlib' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


days_and_values = st.lists(
    st.tuples(st.integers(0, 3700), st.floats(10, 300, allow_nan=False), st.integers(1, 20)),
    min_size=1,
    max_size=600,
    unique_by=lambda t: t[0],
)


@given(days_and_values, st.integers(2, 200))
def test_a_thinned_series_fits_the_chart_keeps_its_peak_and_only_real_days(
    raw: list[tuple[int, float, int]], limit: int
) -> None:
    points = [ProgressPoint(MON + timedelta(days=d), v, r) for d, v, r in sorted(raw)]
    shown = thinned(points, limit)
    assert len(shown) <= limit
    assert all(p in points for p in shown)  # nothing invented: every point is a real day
    assert [p.local_date for p in shown] == sorted({p.local_date for p in shown})
    best = max(points, key=lambda p: (p.value, p.reps))
    assert max((p.value, p.reps) for p in shown) == (best.value, best.reps)
    if len(points) <= limit:
        assert shown == points
    else:  # the spans cover the whole history: the first and the last span each keep a day
        width = -(-((points[-1].local_date - points[0].local_date).days + 1) // limit)
        assert (shown[0].local_date - points[0].local_date).days < width
        assert (points[-1].local_date - shown[-1].local_date).days < width


def test_ten_years_of_sessions_chart_as_at_most_the_chart_points() -> None:
    sessions = [ProgressPoint(MON + timedelta(days=2 * i), 60 + i * 0.05, 5) for i in range(1825)]
    shown = thinned(sessions)
    assert 150 <= len(shown) <= 180
    assert shown[-1].value == sessions[-1].value  # the latest top weight is what the chart ends on
    png = render_progress_chart("Squat", shown, shown[-20:], None, "top weight (kg)")
    assert png.startswith(b"\x89PNG")


def _per_set_series(sets: list[LoggedSet]) -> list[ProgressPoint]:
    """The series read set by set (how it was computed before days were summed up first)."""
    weighted = [x for x in sets if x.weight_kg is not None and x.seconds is None]
    days: dict[date, ProgressPoint] = {}
    if weighted:
        for x in weighted:
            held = days.get(x.local_date)
            w = float(x.weight_kg or 0)
            if held is None or w > held.value or (w == held.value and x.reps > held.reps):
                days[x.local_date] = ProgressPoint(x.local_date, w, x.reps)
        return [days[d] for d in sorted(days)]
    timed = any(x.seconds is not None for x in sets)
    best: dict[date, int] = {}
    for x in sets:
        best[x.local_date] = max(best.get(x.local_date, 0), x.amount)
    return [ProgressPoint(d, float(v), v, weighted=False, timed=timed) for d, v in sorted(best.items())]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(1, 12),
            st.one_of(st.none(), st.sampled_from((20.0, 40.0, 40.0, 62.5))),
            st.one_of(st.none(), st.integers(5, 60)),
        ),
        max_size=30,
    )
)
def test_summing_days_up_first_draws_the_series_the_sets_draw(
    raw: list[tuple[int, int, float | None, int | None]],
) -> None:
    sets = [
        LoggedSet(MON + timedelta(days=d), "push-up", n, 1 if sec else reps, w, seconds=sec)
        for n, (d, reps, w, sec) in enumerate(raw, start=1)
    ]
    assert progress_series(sets) == _per_set_series(sets)

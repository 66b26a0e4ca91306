"""Progress over time for one exercise: the daily series, PR days and a one-line summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from core.ledger.model import Best
from core.training.model import Goal, LoggedSet
from core.training.profile import Units
from core.training.units import from_kg, show_weight


@dataclass(frozen=True)
class ProgressPoint:
    """One day of one exercise.

    For a weighted series ``value`` is the day's top weight (kg, or display
    units after :func:`display_points`) and ``reps`` the most reps done at it;
    for a bodyweight series ``value`` and ``reps`` are both the day's best set (its
    reps, or its seconds when ``timed``): how many sets the plan asked for does not
    move the line, so a change of scheme never reads as a decline.
    """

    local_date: date
    value: float
    reps: int
    weighted: bool = True
    timed: bool = False


@dataclass(frozen=True)
class Segment:
    """One variant's stretch of a movement's chart."""

    exercise: str
    label: str
    points: tuple[ProgressPoint, ...]


@dataclass(frozen=True)
class DayBest:
    """What one exercise's sets of one day come to for the progress series: the store can sum a
    day up in the database, so ten years of sets cross as one row a session, not one a set."""

    exercise: str
    local_date: date
    top_kg: float | None  # the heaviest weighted set (a weight, not a hold), if any
    reps_at_top: int  # the most reps done at that weight (0 without one)
    best_amount: int  # the day's best set by what it counts (reps, or seconds for a hold)
    timed: bool  # any set of the day was a hold


def day_bests(sets: Iterable[LoggedSet]) -> list[DayBest]:
    """The sets summed up per exercise and day, ordered by exercise then day."""
    days: dict[tuple[str, date], DayBest] = {}
    for s in sets:
        key = (s.exercise, s.local_date)
        held = days.get(key) or DayBest(s.exercise, s.local_date, None, 0, 0, False)
        top, reps = held.top_kg, held.reps_at_top
        if s.weight_kg is not None and s.seconds is None:
            if top is None or s.weight_kg > top:
                top, reps = s.weight_kg, s.reps
            elif s.weight_kg == top:
                reps = max(reps, s.reps)
        days[key] = DayBest(
            s.exercise,
            s.local_date,
            top,
            reps,
            max(held.best_amount, s.amount),
            held.timed or s.seconds is not None,
        )
    return [days[k] for k in sorted(days)]


def series_of_days(days: Sequence[DayBest]) -> list[ProgressPoint]:
    """One point per day, oldest first, for the days of one exercise.

    When any set carries a weight the series follows the top weight per day and
    bodyweight-only days are left out; otherwise it follows the best set of each day.
    """
    ordered = sorted(days, key=lambda d: d.local_date)
    if any(d.top_kg is not None for d in ordered):
        return [ProgressPoint(d.local_date, d.top_kg, d.reps_at_top) for d in ordered if d.top_kg is not None]
    timed = any(d.timed for d in ordered)
    return [
        ProgressPoint(d.local_date, float(d.best_amount), d.best_amount, weighted=False, timed=timed)
        for d in ordered
    ]


def progress_series(sets: Sequence[LoggedSet]) -> list[ProgressPoint]:
    """:func:`series_of_days` of the sets of one exercise."""
    return series_of_days(day_bests(sets))


CHART_POINTS = 180  # what an 800-px chart can show: ten years of sessions read as one point a fortnight


def thinned(points: Sequence[ProgressPoint], limit: int = CHART_POINTS) -> list[ProgressPoint]:
    """At most ``limit`` points for a chart: the series cut into equal spans of days, each span's
    best day kept (top value, then reps), so a long history draws fast and its peaks still show.

    A series that fits is returned as it is; the summary line and records always read the full one.
    """
    if len(points) <= limit:
        return list(points)
    first, last = points[0].local_date, points[-1].local_date
    width = -(-((last - first).days + 1) // limit)  # days per span, rounded up
    best: dict[int, ProgressPoint] = {}
    for p in points:
        span = (p.local_date - first).days // width
        held = best.get(span)
        if held is None or (p.value, p.reps) > (held.value, held.reps):
            best[span] = p
    return [best[k] for k in sorted(best)]


def segments(days: Sequence[DayBest], label: Callable[[str], str]) -> list[Segment]:
    """A movement's days as one series per variant, in the order the variants were first done."""
    firsts: dict[str, date] = {}
    for d in days:
        firsts[d.exercise] = min(firsts.get(d.exercise, d.local_date), d.local_date)
    ordered = sorted(firsts, key=lambda k: (firsts[k], k))
    return [
        Segment(k, label(k), tuple(series_of_days([d for d in days if d.exercise == k]))) for k in ordered
    ]


def pr_points(points: Sequence[ProgressPoint], records: Iterable[Best]) -> list[ProgressPoint]:
    """The points of the series on days a record was set (to mark them on the chart)."""
    record_days = {r.local_date for r in records}
    return [p for p in points if p.local_date in record_days]


def display_points(points: Sequence[ProgressPoint], units: Units) -> list[ProgressPoint]:
    """The series with weights converted from kg to the runner's units (reps stay as they are)."""
    return [replace(p, value=round(from_kg(p.value, units), 1)) if p.weighted else p for p in points]


def y_label(points: Sequence[ProgressPoint], units: Units) -> str:
    if points and points[0].timed:
        return "longest hold (s)"
    if points and not points[0].weighted:
        return "reps in the best set"
    return f"top weight ({units})"


def _number(weight_kg: float, units: Units) -> str:
    return show_weight(weight_kg, units).rsplit(" ", 1)[0]


def _amount(point: ProgressPoint) -> str:
    return f"{point.reps} s" if point.timed else f"{point.reps} reps"


def _span(first: date, last: date) -> str:
    days = (last - first).days
    if days < 14:
        return f"{days} day" + ("" if days == 1 else "s")
    weeks = round(days / 7)
    return f"{weeks} weeks"


def _percent(first: float, last: float) -> str:
    if first <= 0:
        return ""
    return f" ({round((last - first) / first * 100):+d}%)"


def _best(points: Sequence[ProgressPoint]) -> ProgressPoint:
    return max(points, key=lambda p: (p.value, p.reps, p.local_date))


def _goal_part(goal: Goal, points: Sequence[ProgressPoint], records: Sequence[Best], units: Units) -> str:
    target = f"goal {show_weight(goal.weight_kg, units)} × {goal.reps}"
    if goal.reached_on is not None:
        return f"{target}: reached {goal.reached_on.isoformat()}!"
    if goal.weight_kg <= 0 or (points and not points[0].weighted):
        return target
    # A heavier top set done for enough reps, or a record at enough reps, counts toward the goal.
    lifted = [p.value for p in points if p.weighted and p.reps >= goal.reps]
    lifted += [r.weight_kg for r in records if r.exercise == goal.exercise and r.reps >= goal.reps]
    if not lifted:
        return f"{target}: no set of {goal.reps}+ logged yet"
    percent = round(max(lifted) / goal.weight_kg * 100)
    if percent >= 100:
        return f"{target}: reached!"
    return f"{target}: {percent}% there"


def summary_line(
    exercise_name: str,
    points: Sequence[ProgressPoint],
    records: Sequence[Best],
    goal: Goal | None,
    units: Units,
) -> str:
    """One line under the chart; ``points`` in kg (as :func:`progress_series` returns them)."""
    goal_text = f" · {_goal_part(goal, points, records, units)}" if goal is not None else ""
    if not points:
        return f"{exercise_name}: nothing logged yet — log a set and your trend starts here.{goal_text}"
    first, last = points[0], points[-1]
    weighted = first.weighted
    if len(points) == 1:
        shown = f"{show_weight(first.value, units)} × {first.reps}" if weighted else _amount(first)
        return f"{exercise_name}: first entry logged: {shown} — log again to see a trend.{goal_text}"
    best = _best(points)
    span = _span(first.local_date, last.local_date)
    change = _percent(first.value, last.value)
    prs = f", {len(records)} PR" + ("" if len(records) == 1 else "s") if records else ""
    if weighted:
        trend = f"{_number(first.value, units)} → {show_weight(last.value, units)}"
        best_text = f"best {show_weight(best.value, units)} × {best.reps}"
    else:
        trend = f"{first.reps} → {_amount(last)} a set"
        best_text = f"best set {_amount(best)}"
    return f"{exercise_name}: {trend} over {span}{change}, {best_text}{prs}{goal_text}"

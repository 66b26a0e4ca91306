"""Where the week's lifts go: on hard run days first, never the day before one if avoidable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

from core.calendar.plan import CalendarPlan, PlannedRun
from core.calendar.taper import taper_of
from core.training.profile import HARD_RUNS, Profile, RunType
from core.weeks import week_start


@dataclass(frozen=True)
class PlannedDay:
    """One day of the week plan: the run on it (``None`` for rest) and whether to lift."""

    day: date
    run: RunType | None
    lift: bool


def week_index(day: date, cycle_start: date) -> int:
    """Whole weeks from ``cycle_start``'s week to ``day``'s week (negative before it)."""
    return (week_start(day) - week_start(cycle_start)).days // 7


def _adjacent_pairs(days: tuple[int, ...]) -> int:
    """Lift days that follow another lift day, counting Sunday → next Monday."""
    if len(days) < 2:
        return 0
    return sum((days[(i + 1) % len(days)] - days[i]) % 7 == 1 for i in range(len(days)))


def _spread(days: tuple[int, ...]) -> tuple[int, ...]:
    """Smaller is better spread: the gaps between lift days, smallest first, negated."""
    if len(days) < 2:
        return (-7,)
    gaps = sorted((days[(i + 1) % len(days)] - days[i]) % 7 for i in range(len(days)))
    return tuple(-g for g in gaps)


def _before_hard(days: Iterable[int], hard: Iterable[int]) -> int:
    hard_set = set(hard)
    return sum((d + 1) % 7 in hard_set for d in days)


@dataclass(frozen=True)
class WeekShape:
    """What placement reads of one week: the run on each weekday, the weekdays a lift may not
    go on (a race taper, the coach's own strength session), and where the runs came from."""

    runs: tuple[tuple[int, str], ...]
    blocked: tuple[int, ...] = ()
    from_calendar: bool = False

    def run(self, weekday: int) -> RunType | None:
        kind = dict(self.runs).get(weekday)
        return kind if kind in ("speed", "long", "easy") else None  # type: ignore[return-value]


def calendar_kind(kind: str) -> str:
    """A calendar session as placement sees it: speed and long are hard, a race blocks, other runs
    (``run?`` too) are easy."""
    return kind if kind in ("speed", "long", "race") else "easy"


@lru_cache(maxsize=4096)
def _calendar_shape(plan: CalendarPlan, monday: date) -> WeekShape:
    taper = taper_of(plan)
    runs: dict[int, str] = {}
    blocked: set[int] = set()
    for d in range(7):
        day = monday + timedelta(days=d)
        main = plan.main_on(day)
        if main is not None and main.is_run:
            runs[d] = calendar_kind(main.kind)
        if day in taper.no_lift or day in taper.mobility or any(r.kind == "strength" for r in plan.on(day)):
            blocked.add(d)
    return WeekShape(tuple(sorted(runs.items())), tuple(sorted(blocked)), True)


def week_shape(profile: Profile, day: date) -> WeekShape:
    """The week of ``day``: from the calendar when it covers that week, else the ``runs=`` setting."""
    plan = profile.calendar
    if plan is not None and plan.covers(day):
        return _calendar_shape(plan, week_start(day))
    runs = tuple(sorted(profile.runs.items()))
    if plan is not None and plan.races():  # the days after a race stay for mobility all the same
        return WeekShape(runs, _taper_days(plan, week_start(day)))
    return WeekShape(runs)


def _taper_days(plan: CalendarPlan, monday: date) -> tuple[int, ...]:
    taper = taper_of(plan)
    return tuple(d for d in range(7) if (monday + timedelta(days=d)) in taper.no_lift | taper.mobility)


def calendar_run(profile: Profile, day: date) -> PlannedRun | None:
    """The calendar's run on ``day`` (the one that decides the day), when a calendar covers it."""
    plan = profile.calendar
    if plan is None or not plan.covers(day):
        return None
    main = plan.main_on(day)
    return main if main is not None and main.is_run else None


def run_on(profile: Profile, day: date) -> RunType | None:
    """The run planned on ``day`` (speed, long or easy; ``None`` for rest or a race)."""
    return week_shape(profile, day).run(day.weekday())


@lru_cache(maxsize=512)
def _weekdays_for(
    runs: tuple[tuple[int, str], ...], sessions: int, blocked: tuple[int, ...] = ()
) -> tuple[int, ...]:
    if blocked:
        free = [d for d in range(7) if d not in blocked]
        if not free:
            return ()
        return _weekdays_among(runs, min(sessions, len(free)), frozenset(blocked))
    return _weekdays_among(runs, max(1, min(sessions, 7)), frozenset())


def _weekdays_among(runs: tuple[tuple[int, str], ...], n: int, blocked: frozenset[int]) -> tuple[int, ...]:
    by_day = dict(runs)
    hard_all = tuple(sorted(d for d, kind in by_day.items() if kind in HARD_RUNS))
    hard = tuple(d for d in hard_all if d not in blocked)
    if len(hard) >= n:
        # Enough hard days: lift only on them, spread as far apart as they allow.
        return min(
            combinations(hard, n),
            key=lambda c: (_adjacent_pairs(c), _spread(c), _before_hard(c, hard), c),
        )
    others = [d for d in range(7) if d not in hard and d not in blocked]

    def score(extra: tuple[int, ...]) -> tuple[int, int, int, tuple[int, ...], tuple[int, ...]]:
        days = tuple(sorted((*hard, *extra)))
        # Order = priority: the day-before-hard rule is relaxed last, consecutive days
        # before it; rest days beat easy days; then the widest spread; then earliest.
        easy = sum(d in by_day for d in extra)
        return (_before_hard(extra, hard_all), _adjacent_pairs(days), easy, _spread(days), days)

    extra = min(combinations(others, n - len(hard)), key=score)
    return tuple(sorted((*hard, *extra)))


def lift_weekdays(profile: Profile, week_of: date | None = None) -> tuple[int, ...]:
    """The weekdays (Monday = 0) the profile lifts on in the week of ``week_of``.

    Without a calendar every week is the same (``week_of`` may then be left out); a week the
    calendar covers follows its runs and its race taper, and may have fewer lifts (or none).
    """
    if week_of is None or profile.calendar is None:
        return _weekdays_for(tuple(sorted(profile.runs.items())), profile.sessions)
    shape = week_shape(profile, week_of)
    return _weekdays_for(shape.runs, profile.sessions, shape.blocked)


def week_target(profile: Profile, week_of: date) -> int:
    """The sessions that meet the week's streak target: the setting, or what a race taper leaves
    (at least one)."""
    if profile.calendar is None:
        return profile.sessions
    return max(1, min(profile.sessions, len(lift_weekdays(profile, week_of))))


def lift_days(profile: Profile, week_of: date) -> list[date]:
    monday = week_start(week_of)
    return [monday + timedelta(days=d) for d in lift_weekdays(profile, monday)]


def plan_week(profile: Profile, week_of: date) -> list[PlannedDay]:
    monday = week_start(week_of)
    lifts = set(lift_weekdays(profile, monday))
    shape = week_shape(profile, monday)
    return [PlannedDay(monday + timedelta(days=d), shape.run(d), d in lifts) for d in range(7)]


def is_lift_day(profile: Profile, day: date) -> bool:
    return day.weekday() in lift_weekdays(profile, day)


def next_lift_day(profile: Profile, after: date) -> date:
    """The first lift day strictly after ``after`` (a calendar may leave a week without one)."""
    for offset in range(1, 7 * 12):
        candidate = after + timedelta(days=offset)
        if candidate.weekday() in lift_weekdays(profile, candidate):
            return candidate
    raise AssertionError("twelve weeks always have a lift day")  # pragma: no cover


def slot_index(profile: Profile, day: date, cycle_start: date) -> int:
    """The session's position among all lift days since ``cycle_start``'s week.

    A day that is not a lift day gets the slot of the next session in its week.
    """
    lifts = lift_weekdays(profile, day)
    earlier = sum(d < day.weekday() for d in lifts)
    # The rotation counts the setting's sessions a week (what a week without a taper lifts), so a
    # calendar week with fewer lifts does not shift the weeks after it.
    return week_index(day, cycle_start) * max(1, profile.sessions) + earlier

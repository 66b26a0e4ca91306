"""Where the week's lifts go: on hard run days first, never the day before one if avoidable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

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


@lru_cache(maxsize=512)
def _weekdays_for(runs: tuple[tuple[int, str], ...], sessions: int) -> tuple[int, ...]:
    by_day = dict(runs)
    hard = tuple(sorted(d for d, kind in by_day.items() if kind in HARD_RUNS))
    n = max(1, min(sessions, 7))
    if len(hard) >= n:
        # Enough hard days: lift only on them, spread as far apart as they allow.
        return min(
            combinations(hard, n),
            key=lambda c: (_adjacent_pairs(c), _spread(c), _before_hard(c, hard), c),
        )
    others = [d for d in range(7) if d not in hard]

    def score(extra: tuple[int, ...]) -> tuple[int, int, int, tuple[int, ...], tuple[int, ...]]:
        days = tuple(sorted((*hard, *extra)))
        # Order = priority: the day-before-hard rule is relaxed last, consecutive days
        # before it; rest days beat easy days; then the widest spread; then earliest.
        easy = sum(d in by_day for d in extra)
        return (_before_hard(extra, hard), _adjacent_pairs(days), easy, _spread(days), days)

    extra = min(combinations(others, n - len(hard)), key=score)
    return tuple(sorted((*hard, *extra)))


def lift_weekdays(profile: Profile) -> tuple[int, ...]:
    """The weekdays (Monday = 0) the profile lifts on, the same every week."""
    return _weekdays_for(tuple(sorted(profile.runs.items())), profile.sessions)


def lift_days(profile: Profile, week_of: date) -> list[date]:
    monday = week_start(week_of)
    return [monday + timedelta(days=d) for d in lift_weekdays(profile)]


def plan_week(profile: Profile, week_of: date) -> list[PlannedDay]:
    monday = week_start(week_of)
    lifts = set(lift_weekdays(profile))
    return [PlannedDay(monday + timedelta(days=d), profile.runs.get(d), d in lifts) for d in range(7)]


def is_lift_day(profile: Profile, day: date) -> bool:
    return day.weekday() in lift_weekdays(profile)


def next_lift_day(profile: Profile, after: date) -> date:
    """The first lift day strictly after ``after``."""
    lifts = lift_weekdays(profile)
    for offset in range(1, 8):
        candidate = after + timedelta(days=offset)
        if candidate.weekday() in lifts:
            return candidate
    raise AssertionError("a week always has a lift day")  # pragma: no cover


def slot_index(profile: Profile, day: date, cycle_start: date) -> int:
    """The session's position among all lift days since ``cycle_start``'s week.

    A day that is not a lift day gets the slot of the next session in its week.
    """
    lifts = lift_weekdays(profile)
    earlier = sum(d < day.weekday() for d in lifts)
    return week_index(day, cycle_start) * len(lifts) + earlier

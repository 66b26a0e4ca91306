"""A week's inputs from the record: which days were done, the target and hard days then, and pauses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.ledger.model import WeekInputs
from core.training.model import Pause
from core.training.placement import week_shape, week_target
from core.training.profile import HARD_RUNS, Profile
from core.weeks import week_end, week_start

SESSION_EXERCISES = 3


def is_done(marked: bool, exercises: int) -> bool:
    """A completed session: ``/done`` on the day, or sets of at least three exercises that day."""
    return marked or exercises >= SESSION_EXERCISES


@dataclass(frozen=True)
class PlanChange:
    """The plan (sessions a week, hard run weekdays) in effect from ``effective`` on."""

    effective: date
    sessions: int
    hard: frozenset[int]


@dataclass(frozen=True)
class Plan:
    """Which target and hard days applied on a date.

    The profile holds the plan since ``since``; ``history`` the plans before, oldest
    first (only needed for dates before ``since``).
    """

    profile: Profile
    since: date | None = None
    history: tuple[PlanChange, ...] = ()

    def needs_history(self, day: date) -> bool:
        return self.since is not None and day < self.since

    def _at(self, day: date) -> tuple[int, frozenset[int]]:
        if not self.needs_history(day) or not self.history:
            return self.profile.sessions, self.profile.hard_weekdays
        chosen = self.history[0]
        for change in self.history:
            if change.effective <= day:
                chosen = change
        return chosen.sessions, chosen.hard

    def target(self, monday: date) -> int:
        """A week's target is the one set by its last day (a change mid-week applies to that week);
        a week of the current plan that a calendar tapers for a race needs what the taper leaves."""
        sunday = week_end(monday)
        if not self.needs_history(sunday) and self.profile.calendar is not None:
            return week_target(self.profile, monday)
        return self._at(sunday)[0]

    def hard_weekdays(self, day: date) -> frozenset[int]:
        if not self.needs_history(day) and self.profile.calendar is not None:
            return frozenset(d for d, kind in week_shape(self.profile, day).runs if kind in HARD_RUNS)
        return self._at(day)[1]


def target_of(profile: Profile) -> int | Callable[[date], int]:
    """The profile's week target: its sessions setting, or per week when a calendar may taper it."""
    if profile.calendar is None:
        return profile.sessions
    return lambda monday: week_target(profile, monday)


def week_paused(pauses: Iterable[Pause], monday: date) -> bool:
    """A week is paused when a pause covers any of its days."""
    sunday = week_end(monday)
    return any(p.start <= sunday and monday < p.until for p in pauses)


def week_inputs(monday: date, done_days: Iterable[date], plan: Plan, pauses: Sequence[Pause]) -> WeekInputs:
    """The inputs of the week of ``monday`` from its done days, the plan and the pauses."""
    mask = hard = 0
    for day in done_days:
        if week_start(day) != monday:
            continue
        bit = 1 << day.weekday()
        mask |= bit
        if day.weekday() in plan.hard_weekdays(day):
            hard |= bit
    return WeekInputs(monday, mask, hard, plan.target(monday), week_paused(pauses, monday))

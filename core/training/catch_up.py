"""A plan that bends: a missed lift made up on the next day the placement rules allow.

The week still needs its target; the planned days left give some of it, and what they
cannot give goes on the days left that keep the rules: never the day after or before
another lift, the day before a hard run only when nothing else is left (that lift is kept
lighter), a rest day before an easy-run day, the earliest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.training.placement import lift_days, run_on, week_target
from core.training.profile import HARD_RUNS, Profile
from core.weeks import days, week_end, week_start

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CatchUp:
    """A lift on ``day`` that makes up for the planned lift of ``missed``."""

    day: date
    missed: date


def _lifting(profile: Profile, today: date, done: set[date]) -> set[date]:
    """Days that have or will have a lift: the done ones and the planned ones still ahead."""
    monday = week_start(today)
    planned = [*lift_days(profile, monday - timedelta(days=7)), *lift_days(profile, monday)]
    planned += lift_days(profile, monday + timedelta(days=7))
    return set(done) | {d for d in planned if d >= today}


def missed_days(profile: Profile, today: date, done: Iterable[date], since: date | None = None) -> list[date]:
    """This week's planned lift days before ``today`` without a completed session.

    Days before ``since`` (the runner's first day) were never theirs to miss.
    """
    finished = set(done)
    first = since or date.min
    return [d for d in lift_days(profile, today) if first <= d < today and d not in finished]


def catch_ups(
    profile: Profile, today: date, done: Iterable[date], paused: bool = False, since: date | None = None
) -> list[CatchUp]:
    """The catch-up lifts of ``today``'s week, as of ``today`` (none in a paused week)."""
    if paused:
        return []
    finished = {d for d in done if week_start(d) == week_start(today)}
    planned_left = [d for d in lift_days(profile, today) if d >= today and d not in finished]
    short = week_target(profile, today) - len(finished) - len(planned_left)
    missed = missed_days(profile, today, finished, since)
    if short <= 0 or not missed:
        return []
    lifting = _lifting(profile, today, set(done))
    chosen: list[date] = []
    for _ in range(min(short, len(missed))):
        taken = lifting | set(chosen)
        free = [
            d
            for d in days(today, week_end(week_start(today)))
            if d not in taken and d - ONE_DAY not in taken and d + ONE_DAY not in taken
        ]
        if not free:
            break
        chosen.append(
            min(
                free,
                key=lambda d: (
                    run_on(profile, d + ONE_DAY) in HARD_RUNS,
                    run_on(profile, d) is not None,
                    d,
                ),
            )
        )
    makes_up = missed[-len(chosen) :] if chosen else []
    return [CatchUp(d, m) for d, m in zip(sorted(chosen), makes_up, strict=True)]

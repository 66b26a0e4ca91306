"""Around a race: no lift in the days before it (two up to a half marathon, four for a marathon or
longer), none on race day, easy mobility for two days after, and a lighter race week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from core.calendar.plan import CalendarPlan
from core.weeks import week_start

MARATHON_KM = 42.0
DAYS_BEFORE_SHORT = 2
DAYS_BEFORE_LONG = 4
MOBILITY_DAYS = 2


@dataclass(frozen=True)
class Taper:
    """The days a calendar's races keep free of lifting, those for mobility, and the race weeks."""

    no_lift: frozenset[date]
    mobility: frozenset[date]
    race_weeks: frozenset[date]

    def lighter(self, day: date) -> bool:
        return week_start(day) in self.race_weeks


def days_before(race_km: float | None) -> int:
    return DAYS_BEFORE_LONG if race_km is not None and race_km >= MARATHON_KM else DAYS_BEFORE_SHORT


@lru_cache(maxsize=1024)
def taper_of(plan: CalendarPlan) -> Taper:
    no_lift: set[date] = set()
    mobility: set[date] = set()
    for race in plan.races():
        before = days_before(race.race_km)
        no_lift.update(race.day - timedelta(days=k) for k in range(before + 1))
        mobility.update(race.day + timedelta(days=k) for k in range(1, MOBILITY_DAYS + 1))
    mobility -= no_lift
    return Taper(frozenset(no_lift), frozenset(mobility), frozenset(week_start(r.day) for r in plan.races()))

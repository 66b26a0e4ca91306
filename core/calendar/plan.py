"""The runs a calendar plans, day by day: built from a feed's events, kept as text, read per week."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.calendar.classify import classify
from core.calendar.events import CalendarEvent, localize
from core.calendar.keywords import RUN_KINDS, Kind
from core.weeks import days, week_start

TITLE_LIMIT = 60
# How far a fetch looks: the two weeks before this one (catch-ups, the streak) and eight ahead.
WEEKS_BEFORE = 2
WEEKS_AHEAD = 8
# On one day with several sessions, the one that decides the day's kind.
PRIORITY: dict[str, int] = {"race": 0, "speed": 1, "long": 2, "easy": 3, "run?": 4, "strength": 5, "rest": 6}


@dataclass(frozen=True)
class PlannedRun:
    """One session of the calendar on a local day; ``ends`` is the local end of a timed event."""

    day: date
    kind: Kind
    title: str
    ends: time | None = None
    race_km: float | None = None

    @property
    def is_run(self) -> bool:
        return self.kind in RUN_KINDS


@dataclass(frozen=True)
class CalendarPlan:
    """The calendar's sessions and the weeks (Mondays) it speaks for; a week it covers with no
    session in it is a week of rest."""

    runs: tuple[PlannedRun, ...]
    weeks: frozenset[date]

    def covers(self, day: date) -> bool:
        return week_start(day) in self.weeks

    def on(self, day: date) -> tuple[PlannedRun, ...]:
        return tuple(r for r in self.runs if r.day == day)

    def main_on(self, day: date) -> PlannedRun | None:
        """The session that decides what ``day`` is (a race over a workout over a jog)."""
        found = self.on(day)
        return min(found, key=lambda r: PRIORITY[r.kind]) if found else None

    def races(self) -> tuple[PlannedRun, ...]:
        return tuple(r for r in self.runs if r.kind == "race")

    def has_runs(self) -> bool:
        return any(r.is_run for r in self.runs)


def window(today: date) -> tuple[date, date]:
    """The days a fetch on ``today`` reads: ``first <= day < stop``."""
    monday = week_start(today)
    return monday - timedelta(weeks=WEEKS_BEFORE), monday + timedelta(weeks=WEEKS_AHEAD)


def _title(text: str) -> str:
    clean = " ".join(text.split()) or "run"
    return clean if len(clean) <= TITLE_LIMIT else clean[: TITLE_LIMIT - 1].rstrip() + "…"


def build_plan(events: Iterable[CalendarEvent], tz: str, today: date) -> CalendarPlan:
    """The plan a feed's events make for a runner in zone ``tz``, read on ``today``.

    A run lands on its first local day; rest and cross-training cover every day of a multi-day
    event. A week without a long run gets one when its longest run is strictly the longest.
    """
    first, stop = window(today)
    found: list[tuple[PlannedRun, int | None]] = []
    for event in events:
        local = localize(event, tz)
        if local.last_day < first or local.day >= stop:
            continue
        sort = classify(local.title, local.description, local.minutes)
        ends = (
            local.ends.time().replace(second=0, microsecond=0) if isinstance(local.ends, datetime) else None
        )
        span = [local.day] if sort.kind in RUN_KINDS else list(days(local.day, local.last_day))
        for day in span:
            if first <= day < stop:
                run = PlannedRun(day, sort.kind, _title(local.title), ends, sort.race_km)
                found.append((run, local.minutes))
    runs = _promote_long([r for r, _ in found], {id(r): m for r, m in found})
    runs.sort(key=lambda r: (r.day, PRIORITY[r.kind], r.title))
    # The calendar speaks for the weeks up to its last session's; later ones fall back to runs=.
    last = max((r.day for r in runs), default=None)
    weeks = frozenset(week_start(d) for d in days(first, last)) if last is not None else frozenset()
    return CalendarPlan(tuple(runs), weeks)


def _promote_long(runs: list[PlannedRun], minutes: dict[int, int | None]) -> list[PlannedRun]:
    by_week: dict[date, list[PlannedRun]] = {}
    for r in runs:
        by_week.setdefault(week_start(r.day), []).append(r)
    out: list[PlannedRun] = []
    for week in by_week.values():
        if not any(r.kind == "long" for r in week):
            sized = sorted(
                ((minutes[id(r)] or 0, i) for i, r in enumerate(week) if r.kind in ("easy", "run?")),
                reverse=True,
            )
            if sized and sized[0][0] >= 60 and (len(sized) == 1 or sized[0][0] > sized[1][0]):
                i = sized[0][1]
                week[i] = PlannedRun(week[i].day, "long", week[i].title, week[i].ends, None)
        out.extend(week)
    return out


def encode(plan: CalendarPlan) -> str:
    """The stored text of a plan (compact JSON)."""
    return json.dumps(
        {
            "weeks": sorted(d.isoformat() for d in plan.weeks),
            "runs": [
                [r.day.isoformat(), r.kind, r.title, r.ends.strftime("%H:%M") if r.ends else "", r.race_km]
                for r in plan.runs
            ],
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def decode(text: str | None) -> CalendarPlan | None:
    if not text:
        return None
    data = json.loads(text)
    runs: Sequence[list[object]] = data["runs"]
    return CalendarPlan(
        tuple(
            PlannedRun(
                date.fromisoformat(str(d)),
                k,  # type: ignore[arg-type]
                str(t),
                time.fromisoformat(str(e)) if e else None,
                float(km) if isinstance(km, int | float) else None,
            )
            for d, k, t, e, km in runs
        ),
        frozenset(date.fromisoformat(d) for d in data["weeks"]),
    )

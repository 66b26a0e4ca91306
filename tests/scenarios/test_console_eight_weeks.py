"""Eight scripted weeks in `runlift console`: a gym runner in kg, a home runner in lb, a bodyweight runner.

One call per lift day logs what the previous call's /today prescribed and asks for the next
lift day; a missed Tuesday, a week's pause and a swap on the way. Every session names only
equipment the runner has and every load is one their rack has, in their units.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.training.catalog import VARIANTS
from core.training.identity import kit_of
from core.training.loads import grid
from tests.conftest import fresh_database_url
from tests.scenarios.console import Console

MONDAY = date(2026, 11, 30)
NAMES = {v.name: v for v in VARIANTS}
LINE = re.compile(
    r"^\d\. (?P<name>[^:]+): (?P<sets>\d)×(?P<reps>\d+)(?: s| a side)?(?: @ (?P<load>[\d.]+) (?P<unit>kg|lb))?"
)
FIRST = {"plates": 40.0, "dumbbell": 12.0, "kettlebell": 16.0, "machine": 30.0}
FIRST_LB = {"plates": 95.0, "dumbbell": 25.0, "kettlebell": 35.0, "machine": 60.0}
RUNNERS = [("gina", "gym", "kg", "/swap squat goblet"), ("hank", "home", "lb", "/swap squat split squat"),
           ("bo", "bodyweight", "kg", "/swap row table row")]  # fmt: skip


@pytest.fixture
def console(tmp_path: Path) -> Console:
    return Console(tmp_path, fresh_database_url(tmp_path, "console_eight_weeks"))


def at(day: date, hour: int = 19) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+00:00"


def session(out: str, equipment: str, units: str) -> list[re.Match[str]]:
    """The moves of the last session in ``out``, checked against the runner's kit and rack."""
    lines = [m for line in out.split("'s session ==")[-1].splitlines() if (m := LINE.match(line))]
    assert len(lines) == 5, out
    for m in lines:
        variant = NAMES[m["name"]]
        assert variant.fits(kit_of(equipment)), (equipment, m.group(0))
        if m["load"]:
            assert m["unit"] == units and grid(variant.load, units).on_grid(float(m["load"])), m.group(0)
    return lines


def log_line(lines: list[re.Match[str]], units: str) -> str:
    first = FIRST_LB if units == "lb" else FIRST
    entries = []
    for m in lines:
        variant = NAMES[m["name"]]
        text = f"{variant.key} {m['sets']}x{m['reps']}" + ("s" if variant.timed else "")
        if variant.loaded:
            text += f" @{float(m['load'] or first[variant.load or 'plates']):g}{units}"
        entries.append(text)
    return "/log " + "; ".join(entries)


@pytest.mark.parametrize(("user", "equipment", "units", "swap"), RUNNERS, ids=[r[1] for r in RUNNERS])
def test_eight_scripted_weeks(console: Console, user: str, equipment: str, units: str, swap: str) -> None:
    r = lambda day, *lines, hour=19: console(at(day, hour), *lines, user=user)  # noqa: E731
    out = r(
        MONDAY, f"/setup runs=tue:speed,thu:easy,sun:long terrain=hilly equipment={equipment} units={units}"
    )
    assert "Saved" in out
    lift_days = [MONDAY + timedelta(weeks=w, days=d) for w in range(8) for d in (1, 6)]
    out = r(lift_days[0], "/today")
    done = 0
    for i, day in enumerate(lift_days):
        week = (day - MONDAY).days // 7
        if week == 4:
            continue  # paused (below)
        lines = session(out, equipment, units)
        following = lift_days[i + 1] if i + 1 < len(lift_days) else None
        if week == 2 and day.weekday() == 1:  # a missed Tuesday: made up on Wednesday
            out = r(day + timedelta(days=1), "/today", "/plan")
            assert "Catch-up for Tuesday's lift" in out and "lift missed · catch-up Wed 16 Dec" in out
            lines = session(out.split("== This week ==")[0], equipment, units)
            day += timedelta(days=1)
        if week == 3 and day.weekday() == 6:
            r(day, log_line(lines, units))
            done += 1
            out = r(day + timedelta(days=1), "/pause 1", "/today tue")
            assert "Paused for 1 week" in out and "paused until" in out
            out = r(MONDAY + timedelta(weeks=5), swap, "/today tue")
            assert "Kept:" in out
            continue
        asks = [f"/today {following.strftime('%a').lower()}"] if following else ["/streak", "/progress squat"]
        out = r(day, log_line(lines, units), *asks)
        assert "Logged:" in out and "Session complete" in out, out
        done += 1
    assert done == 8 * 2 - 2
    assert "Streak: 7 weeks" in out  # the paused week kept it going without adding to it
    assert "image: " in out

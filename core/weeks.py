"""Week arithmetic: Monday-to-Sunday weeks by their Monday date, and pauses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.model import Runner

WEEK = timedelta(days=7)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (never an ISO week number: those break at New Year)."""
    return day - timedelta(days=day.weekday())


def week_end(monday: date) -> date:
    return monday + timedelta(days=6)


def weeks_from(first: date, stop: date) -> Iterator[date]:
    """The Mondays from ``first`` up to (not including) ``stop``'s week."""
    monday, stop_monday = week_start(first), week_start(stop)
    while monday < stop_monday:
        yield monday
        monday += WEEK


def local_day(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def is_paused(runner: Runner, day: date) -> bool:
    """True while a ``/pause`` covers ``day`` (nudges stay silent)."""
    if runner.paused_from is None or runner.paused_until is None:
        return False
    return runner.paused_from <= day < runner.paused_until


def week_paused(runner: Runner, monday: date) -> bool:
    """A week is paused when any of its days is."""
    if runner.paused_from is None or runner.paused_until is None:
        return False
    return runner.paused_from <= week_end(monday) and monday < runner.paused_until


def first_week(runner: Runner) -> date | None:
    """The Monday of the week the runner first wrote, in their time zone."""
    if runner.created_at is None:
        return None
    return week_start(local_day(runner.created_at, runner.profile.tz))

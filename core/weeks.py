"""Calendar arithmetic every part shares: Monday–Sunday weeks, local days and instants, the zone list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

WEEK = timedelta(days=7)
DAY = timedelta(days=1)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (never an ISO week number: those break at New Year)."""
    return day - timedelta(days=day.weekday())


def week_end(monday: date) -> date:
    return monday + timedelta(days=6)


def mondays(first: date, stop: date) -> Iterator[date]:
    """The Mondays from ``first``'s week up to, not including, ``stop``'s week."""
    monday, last = week_start(first), week_start(stop)
    while monday < last:
        yield monday
        monday += WEEK


def days(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += DAY


def local_day(instant: datetime, tz: str) -> date:
    return instant.astimezone(zone(tz)).date()


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def zone_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower-case spelling (``utc`` → ``UTC``)."""
    names = {name.lower(): name for name in available_timezones()}
    names.setdefault("utc", "UTC")
    return names


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz``.

    A time in a repeated hour is its first occurrence; a time in a skipped hour
    is the first valid minute after the gap (the moment the clocks jump).
    """
    return _local_instant(day, at, tz)


@lru_cache(maxsize=65536)
def _local_instant(day: date, at: time, tz: str) -> datetime:
    place = zone(tz)
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=place).astimezone(UTC)
    if first.astimezone(place).replace(tzinfo=None) == naive:
        return first
    # In a gap: fold=1 reads the wall time with the later offset, giving the earlier
    # instant; the jump lies between the two readings. Find its first minute.
    lo = naive.replace(tzinfo=place, fold=1).astimezone(UTC).replace(second=0, microsecond=0)
    low, high = 0, int((first - lo).total_seconds() // 60) + 1
    while low < high:
        mid = (low + high) // 2
        if (lo + timedelta(minutes=mid)).astimezone(place).replace(tzinfo=None) >= naive:
            high = mid
        else:
            low = mid + 1
    return lo + timedelta(minutes=low)

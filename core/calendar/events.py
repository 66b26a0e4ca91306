"""Calendar events as the core sees them, and the local day each lands on in the runner's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.weeks import zone


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence from a feed (recurrences already expanded).

    An all-day event has dates (``end`` exclusive, as iCalendar has it); a timed one has
    instants — aware (UTC or a TZID) or naive (floating: the runner's wall clock).
    """

    title: str
    description: str
    start: date | datetime
    end: date | datetime | None = None


@dataclass(frozen=True)
class LocalEvent:
    """An event placed on the runner's calendar: its first local day, its last, and its local end
    time when it is timed (``None`` for all-day events)."""

    title: str
    description: str
    day: date
    last_day: date
    minutes: int | None
    ends: datetime | None


def _local(at: datetime, tz: str) -> datetime:
    if at.tzinfo is None:  # floating: the same wall clock wherever the runner is
        return at.replace(tzinfo=zone(tz))
    return at.astimezone(zone(tz))


def localize(event: CalendarEvent, tz: str) -> LocalEvent:
    """The local days of an event in zone ``tz``."""
    start, end = event.start, event.end
    if not isinstance(start, datetime):
        last = start
        if end is not None and not isinstance(end, datetime) and end > start:
            last = end - timedelta(days=1)
        return LocalEvent(event.title, event.description, start, last, None, None)
    begins = _local(start, tz)
    ends = _local(end, tz) if isinstance(end, datetime) else None
    if ends is not None and ends <= begins:
        ends = None
    minutes = round((ends - begins).total_seconds() / 60) if ends is not None else None
    # An event ending at midnight belongs to the day before.
    last = (ends - timedelta(microseconds=1)).date() if ends is not None else begins.date()
    return LocalEvent(event.title, event.description, begins.date(), max(last, begins.date()), minutes, ends)

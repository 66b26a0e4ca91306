"""iCalendar text → the core's events, recurrences expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID)
by ``recurring-ical-events`` and time zones (TZID, UTC, floating, X-WR-TIMEZONE) by ``icalendar``."""

from __future__ import annotations

import logging
from datetime import date, datetime

import icalendar
import recurring_ical_events

from core.calendar.events import CalendarEvent
from core.calendar.reading import FeedRead, failed

log = logging.getLogger(__name__)

NOT_ICALENDAR = "that is not an iCalendar (.ics) feed"
HTML = "that address gives a web page, not a calendar — copy the calendar's .ics or webcal link"
TEXT_LIMIT = 2000
MAX_OCCURRENCES = 2000


def _text(value: object) -> str:
    return str(value or "")[:TEXT_LIMIT]


def _when(value: object) -> date | datetime | None:
    moment = getattr(value, "dt", None)
    return moment if isinstance(moment, date | datetime) else None


def parse_ics(body: bytes, first: date, stop: date) -> FeedRead:
    """The events of ``body`` with an occurrence from ``first`` up to ``stop``; a failed read when
    ``body`` is not iCalendar."""
    head = body[:2000].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        return failed(HTML)
    if b"begin:vcalendar" not in head:
        return failed(NOT_ICALENDAR)
    try:
        calendar = icalendar.Calendar.from_ical(body)
        occurrences = recurring_ical_events.of(calendar).between(first, stop)
    except Exception as error:  # icalendar and dateutil raise many kinds on broken input
        log.info("calendar feed not readable: %s", type(error).__name__)
        return failed(NOT_ICALENDAR)
    events: list[CalendarEvent] = []
    for component in occurrences:
        if component.name != "VEVENT" or str(component.get("STATUS", "")).upper() == "CANCELLED":
            continue
        start = _when(component.get("DTSTART"))
        if start is None:
            continue
        events.append(
            CalendarEvent(
                _text(component.get("SUMMARY")),
                _text(component.get("DESCRIPTION")),
                start,
                _when(component.get("DTEND")),
            )
        )
        if len(events) >= MAX_OCCURRENCES:
            break
    return FeedRead("ok", tuple(events))

"""A calendar link: shown masked, read at most hourly, backing off when it fails, a problem told once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.calendar.link import CalendarLink, masked
from core.parsing.errors import ParseError
from core.parsing.setup import CalendarChoice, parse_setup

AT = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("https://www.trainingpeaks.com/ical/ABCD1234EFGH.ics", "www.trainingpeaks.com …EFGH"),
        (
            "https://calendar.google.com/calendar/ical/x%40group/private-9f8e7d/basic.ics",
            "calendar.google.com …asic",
        ),
        ("https://intervals.icu/api/v1/athlete/i123/calendar/a1b2c3", "intervals.icu …b2c3"),
        ("https://example.com/feed/", "example.com …feed"),
        ("file:runna.ics", "file runna.ics"),
    ],
)
def test_a_feed_is_shown_by_its_host_and_last_four_characters(source: str, shown: str) -> None:
    assert masked(source) == shown
    if not source.startswith("file:"):
        assert source not in shown


def test_reads_back_off_when_they_fail_and_a_new_problem_is_told_once() -> None:
    link = CalendarLink(1, "https://example.com/a.ics").succeeded(AT, '"e1"', "")
    assert link.next_check_at == AT + timedelta(hours=1) and link.told
    waits = []
    for k in range(7):
        link = link.failed(AT + timedelta(hours=k), "the calendar server answered 500")
        waits.append(link.next_check_at - link.checked_at)  # type: ignore[operator]
    assert waits == [timedelta(hours=h) for h in (1, 2, 4, 8, 16, 24, 24)]
    assert not link.told
    told = CalendarLink(1, "x", problem="p", told=True, failures=1)
    assert told.failed(AT, "p").told and not told.failed(AT, "q").told
    assert CalendarLink(1, "file:a.ics").succeeded(AT, "", "").next_check_at is None


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("calendar=off", CalendarChoice("off")),
        ("calendar=OFF", CalendarChoice("off")),
        (
            "calendar=https://Example.com/Feed/AbC.ics",
            CalendarChoice("url", "https://Example.com/Feed/AbC.ics"),
        ),
        ("calendar=webcal://example.com/x.ics", CalendarChoice("url", "https://example.com/x.ics")),
        ("calendar=http://127.0.0.1:8080/x.ics", CalendarChoice("url", "http://127.0.0.1:8080/x.ics")),
        ("calendar=~/plans/runna.ics", CalendarChoice("path", "~/plans/runna.ics")),
    ],
)
def test_calendar_values_keep_their_case(text: str, choice: CalendarChoice) -> None:
    changes = parse_setup(text)
    assert not isinstance(changes, ParseError) and changes.calendar == choice


@pytest.mark.parametrize(
    "text",
    [
        "calendar=ftp://example.com/x.ics",
        "calendar=https://",
        "calendar=plan",
        "calendar=https://[bad",
        f"calendar=https://e.com/{'x' * 600}",
    ],
)
def test_what_is_not_a_feed_is_refused_with_the_form(text: str) -> None:
    error = parse_setup(text)
    assert isinstance(error, ParseError) and "e.g. /setup calendar=" in error.message

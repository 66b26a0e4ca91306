"""Every event lands on the runner's local day: all-day (with and without VALUE=DATE), TZID, UTC,
floating, multi-day, recurring with exceptions, DST weeks, and zones where the day differs from UTC."""

from __future__ import annotations

from datetime import date, time

import pytest

from adapters.feeds.ics_reader import HTML, NOT_ICALENDAR, parse_ics
from core.calendar.plan import CalendarPlan, build_plan, window

TODAY = date(2026, 12, 1)
BERLIN_TZ = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def ics(*events: str, head: str = "") -> bytes:
    body = "".join(
        "BEGIN:VEVENT\n"
        + ("" if "UID:" in e else f"UID:e{i}@test\n")
        + f"DTSTAMP:20261128T120000Z\n{e.strip()}\nEND:VEVENT\n"
        for i, e in enumerate(events)
    )
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{head}{BERLIN_TZ}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def plan_of(body: bytes, tz: str, today: date = TODAY) -> CalendarPlan:
    first, stop = window(today)
    read = parse_ics(body, first, stop)
    assert read.status == "ok", read.problem
    return build_plan(read.events, tz, today)


def days(plan: CalendarPlan) -> list[tuple[date, str]]:
    return [(r.day, r.kind) for r in plan.runs]


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Auckland"])
@pytest.mark.parametrize(
    "start",
    [
        "DTSTART;VALUE=DATE:20261206\nDTEND;VALUE=DATE:20261207",
        "DTSTART:20261206",
        "DTSTART;VALUE=DATE:20261206",
    ],
)
def test_an_all_day_event_is_on_its_date_in_every_zone(tz: str, start: str) -> None:
    plan = plan_of(ics(f"{start}\nSUMMARY:Long run"), tz)
    assert days(plan) == [(date(2026, 12, 6), "long")]


@pytest.mark.parametrize(
    ("event", "tz", "day", "ends"),
    [
        # 23:30 in Berlin: the same day there, earlier in New York, the next day in Tokyo
        (
            "DTSTART;TZID=Europe/Berlin:20261201T223000\nDTEND;TZID=Europe/Berlin:20261201T233000",
            "Europe/Berlin",
            1,
            time(23, 30),
        ),
        (
            "DTSTART;TZID=Europe/Berlin:20261201T223000\nDTEND;TZID=Europe/Berlin:20261201T233000",
            "America/New_York",
            1,
            time(17, 30),
        ),
        (
            "DTSTART;TZID=Europe/Berlin:20261201T223000\nDTEND;TZID=Europe/Berlin:20261201T233000",
            "Asia/Tokyo",
            2,
            time(7, 30),
        ),
        # UTC: 23:00Z is already tomorrow in Berlin, still today in Los Angeles
        ("DTSTART:20261201T230000Z\nDTEND:20261201T234500Z", "UTC", 1, time(23, 45)),
        ("DTSTART:20261201T230000Z\nDTEND:20261201T234500Z", "Europe/Berlin", 2, time(0, 45)),
        ("DTSTART:20261201T230000Z\nDTEND:20261201T234500Z", "America/Los_Angeles", 1, time(15, 45)),
        # Floating: the runner's own wall clock, wherever they are
        ("DTSTART:20261201T063000\nDTEND:20261201T073000", "Asia/Tokyo", 1, time(7, 30)),
        ("DTSTART:20261201T063000\nDTEND:20261201T073000", "America/Los_Angeles", 1, time(7, 30)),
        # No DTEND: a moment, no end time
        ("DTSTART:20261201T063000Z", "UTC", 1, None),
        # Ending at midnight: the day it ran
        (
            "DTSTART;TZID=Europe/Berlin:20261201T230000\nDTEND;TZID=Europe/Berlin:20261202T000000",
            "Europe/Berlin",
            1,
            time(0, 0),
        ),
    ],
)
def test_a_timed_event_lands_on_the_runners_local_day(
    event: str, tz: str, day: int, ends: time | None
) -> None:
    plan = plan_of(ics(f"{event}\nSUMMARY:Intervals 6x800m"), tz)
    (run,) = plan.runs
    assert (run.day, run.kind, run.ends) == (date(2026, 12, day), "speed", ends)


def test_google_floating_times_follow_the_calendars_x_wr_timezone() -> None:
    body = ics("DTSTART:20261201T233000\nSUMMARY:Tempo", head="X-WR-TIMEZONE:Europe/Berlin\n")
    assert days(plan_of(body, "UTC")) == [(date(2026, 12, 1), "speed")]
    assert days(plan_of(body, "Asia/Tokyo")) == [(date(2026, 12, 2), "speed")]


def test_a_multi_day_rest_covers_every_day_and_a_run_only_its_first() -> None:
    body = ics(
        "DTSTART;VALUE=DATE:20261207\nDTEND;VALUE=DATE:20261210\nSUMMARY:Rest week (travel)",
        "DTSTART;TZID=Europe/Berlin:20261212T220000\nDTEND;TZID=Europe/Berlin:20261213T020000\nSUMMARY:Night trail run 20 km",
    )
    assert days(plan_of(body, "Europe/Berlin")) == [
        (date(2026, 12, 7), "rest"),
        (date(2026, 12, 8), "rest"),
        (date(2026, 12, 9), "rest"),
        (date(2026, 12, 12), "long"),
    ]


def test_a_weekly_rule_with_an_exdate_and_a_moved_occurrence() -> None:
    body = ics(
        "UID:track@test\nDTSTART;TZID=Europe/Berlin:20261201T180000\nDTEND;TZID=Europe/Berlin:20261201T190000\n"
        "RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID=Europe/Berlin:20261208T180000\nSUMMARY:Track 8x400m",
        "UID:track@test\nRECURRENCE-ID;TZID=Europe/Berlin:20261215T180000\nDTSTART;TZID=Europe/Berlin:20261217T070000\n"
        "DTEND;TZID=Europe/Berlin:20261217T080000\nSUMMARY:Track 8x400m (moved)",
    )
    assert days(plan_of(body, "Europe/Berlin")) == [
        (date(2026, 12, 1), "speed"),
        (date(2026, 12, 17), "speed"),
        (date(2026, 12, 22), "speed"),
    ]


def test_a_cancelled_event_is_no_session() -> None:
    body = ics(
        "DTSTART;VALUE=DATE:20261203\nSUMMARY:Intervals\nSTATUS:CANCELLED",
        "DTSTART;VALUE=DATE:20261206\nSUMMARY:Long run",
    )
    assert days(plan_of(body, "UTC")) == [(date(2026, 12, 6), "long")]


@pytest.mark.parametrize(
    ("tz", "today", "expected"),
    [
        # Europe leaves summer time on Sun 25 Oct 2026, the US on Sun 1 Nov: 07:00 Berlin stays on its day
        ("Europe/Berlin", date(2026, 10, 20), [date(2026, 10, 21), date(2026, 10, 28), date(2026, 11, 4)]),
        ("UTC", date(2026, 10, 20), [date(2026, 10, 21), date(2026, 10, 28), date(2026, 11, 4)]),
        # 01:30 Berlin is 23:30 UTC the evening before in summer, 00:30 UTC the same day in winter
    ],
)
def test_a_weekly_run_keeps_its_day_across_a_dst_change(tz: str, today: date, expected: list[date]) -> None:
    body = ics(
        "DTSTART;TZID=Europe/Berlin:20261021T070000\nDTEND;TZID=Europe/Berlin:20261021T080000\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Tempo"
    )
    plan = plan_of(body, tz, today)
    assert [r.day for r in plan.runs] == expected
    assert {r.ends for r in plan.runs} == (
        {time(8, 0)} if tz == "Europe/Berlin" else {time(6, 0), time(7, 0)}
    )


def test_an_early_morning_run_moves_to_the_evening_before_in_utc_only_in_summer() -> None:
    body = ics(
        "DTSTART;TZID=Europe/Berlin:20261021T013000\nDTEND;TZID=Europe/Berlin:20261021T020000\n"
        "RRULE:FREQ=WEEKLY;COUNT=2\nSUMMARY:Night intervals"
    )
    plan = plan_of(body, "UTC", date(2026, 10, 20))
    assert [r.day for r in plan.runs] == [date(2026, 10, 20), date(2026, 10, 28)]


def test_only_the_weeks_around_now_are_read_and_the_calendar_speaks_for_them() -> None:
    body = ics(
        "DTSTART;VALUE=DATE:20260101\nSUMMARY:Long run", "DTSTART;VALUE=DATE:20261215\nSUMMARY:Easy run"
    )
    plan = plan_of(body, "UTC")
    assert days(plan) == [(date(2026, 12, 15), "easy")]
    assert min(plan.weeks) == date(2026, 11, 16) and max(plan.weeks) == date(2026, 12, 14)
    assert not plan.covers(date(2026, 12, 21))


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", HTML),
        (b"  <html>", HTML),
        (b"BEGIN:VCARD\r\nEND:VCARD\r\n", NOT_ICALENDAR),
        (b"\x00\x01\x02", NOT_ICALENDAR),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            NOT_ICALENDAR,
        ),
        (b"", NOT_ICALENDAR),
    ],
)
def test_what_is_not_a_calendar_is_one_short_problem(body: bytes, problem: str) -> None:
    read = parse_ics(body, date(2026, 11, 16), date(2027, 1, 25))
    assert read.status == "failed" and read.problem == problem

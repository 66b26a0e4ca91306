"""A runner's calendar feed end to end: connected privately, read from a local HTTP server, mirrored
by /plan, refreshed hourly with conditional GET, followed when the coach moves a run, kept when the
feed breaks (one notice), and never shown, logged or posted in full."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from adapters.feeds.feed_http import FeedLimits, FeedReader
from core.calendar.refresh import refresh_calendars
from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from tests.fakes import Conversation
from tests.feed_server import FIXTURES, FeedServer, Route, feed_server

START = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # Tuesday 07:00 in Berlin
SECRET = "/feeds/u/8f3a9c2e7b1d4a6f/plan.ics"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


def reader_for(talk: Conversation, limits: FeedLimits | None = None) -> FeedReader:
    return FeedReader(lambda: talk.clock.now().date(), limits or FeedLimits(timeout=2.0))


def connected(
    store: Any, server: FeedServer, fixture: str = "runna.ics", **kw: Any
) -> tuple[Conversation, str]:
    url = server.serve_fixture(SECRET, fixture)
    talk = Conversation(store, START, **kw)
    talk.core.config = type(talk.core.config)(calendar_reader=reader_for(talk))
    talk.say("/setup tz=Europe/Berlin")
    answer = talk.say(f"/setup calendar={url}")
    assert "Calendar connected" in answer, answer
    return talk, url


def refresh(store: Any, talk: Conversation) -> Any:
    return refresh_calendars(store, reader_for(talk), talk.clock.now())


def test_a_connected_feed_is_mirrored_by_plan_for_this_week_and_next(store: Any, server: FeedServer) -> None:
    talk, url = connected(store, server)
    answer = talk.last[0].text
    assert "127.0.0.1 …plan — 9 runs found" in answer and url not in answer and SECRET not in answer
    this_week = talk.say("/plan")
    assert "Tue 1 Dec: speed · Intervals · 6 x 800m → lift" in this_week
    assert "Thu 3 Dec: easy · Easy Run · 6km\n" in this_week
    assert "Sun 6 Dec: long · Long Run · 20km → lift" in this_week
    next_week = talk.say("/plan next week")
    assert "Tue 8 Dec: speed · Tempo Run · 8km → lift" in next_week
    assert "Sun 13 Dec: long · Long Run · 22km → lift" in next_week
    assert "Intervals · 6 x 800m" in talk.say("/today")
    overview = talk.say("/setup")
    assert "Calendar: 127.0.0.1 …plan — /setup calendar=off" in overview and url not in overview


def test_the_coach_moves_the_long_run_and_plan_and_nudges_follow_a_done_lift_stays_done(
    store: Any, server: FeedServer
) -> None:
    talk, _ = connected(store, server)
    talk.say("/done")  # Tuesday's lift
    first_etag = server.routes[SECRET].etag
    server.routes[SECRET] = Route((FIXTURES / "runna_moved.ics").read_bytes())
    talk.advance(minutes=59)
    assert refresh(store, talk).read == 0  # at most once an hour
    talk.advance(minutes=1)
    report = refresh(store, talk)
    assert (report.read, report.changed) == (1, 1)
    assert server.seen[-1].if_none_match == first_etag and server.seen[-1].status == 200
    week = talk.say("/plan")
    assert (
        "Tue 1 Dec: speed · Intervals · 6 x 800m → lift (" in week
        and "✓" in week.split("Tue 1 Dec")[1].split("\n")[0]
    )
    assert "Sat 5 Dec: long · Long Run · 20km → lift" in week
    assert "Sun 6 Dec: rest\n" in week + "\n"
    sent: list[Outgoing] = []
    saturday_evening = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
    run_nudge_pass(store, saturday_evening, sent.append)
    assert [o.reply.text.splitlines()[0] for o in sent] == [
        "Long Run · 20km today: lift after your session — 5 moves, ~30 min. /today"
    ]
    sent.clear()
    run_nudge_pass(store, saturday_evening + timedelta(days=1), sent.append)
    assert sent == []


def test_an_unchanged_feed_answers_304_and_is_not_parsed_again(store: Any, server: FeedServer) -> None:
    talk, _ = connected(store, server)
    talk.advance(hours=1)
    report = refresh(store, talk)
    assert (report.read, report.unchanged, report.changed) == (1, 1, 0)
    assert server.seen[-1].status == 304 and server.seen[-1].if_none_match == server.routes[SECRET].etag
    assert "Intervals · 6 x 800m" in talk.say("/plan")


def test_a_broken_feed_keeps_the_last_good_plan_and_says_so_once_then_backs_off(
    store: Any, server: FeedServer
) -> None:
    talk, url = connected(store, server)
    server.routes[SECRET] = Route(b"<!DOCTYPE html><html><body>Log in</body></html>", "text/html")
    talk.advance(hours=1)
    assert refresh(store, talk).failed == 1
    first = talk.say("/streak")
    assert first.count("can't be read") == 1 and "web page" in first and url not in first
    assert "can't be read" not in talk.say("/streak")  # told once
    assert "Intervals · 6 x 800m" in talk.say("/plan")  # the last good plan stays
    with store.unit() as uow:
        link = uow.calendars.get(talk_runner_id(store))
    assert link.next_check_at == talk.clock.now() + timedelta(hours=1)
    talk.advance(hours=1)
    refresh(store, talk)
    with store.unit() as uow:
        link = uow.calendars.get(talk_runner_id(store))
    assert link.failures == 2 and link.next_check_at == talk.clock.now() + timedelta(hours=2)
    assert "can't be read" not in talk.say("/streak")  # the same problem is not told again
    server.serve_fixture(SECRET, "runna.ics")
    talk.advance(hours=2)
    assert refresh(store, talk).failed == 0
    with store.unit() as uow:
        link = uow.calendars.get(talk_runner_id(store))
    assert link.failures == 0 and link.problem == ""


def talk_runner_id(store: Any) -> int:
    with store.unit() as uow:
        found = uow.runners.find("test", "ana")
    assert found is not None
    return found[0].id


BIG = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + b"X-FILLER:" + b"x" * 50_000_000 + b"\r\nEND:VCALENDAR\r\n"


@pytest.mark.parametrize(
    ("route", "problem"),
    [
        (Route(b"<html><body>Sign in to Google</body></html>", "text/html"), "web page"),
        (Route(b"this is not a calendar", "text/plain"), "not an iCalendar"),
        (Route(BIG), "larger than 5 MB"),
        (Route(BIG, chunked=True), "larger than 5 MB"),
        (Route((FIXTURES / "runna.ics").read_bytes(), delay=1.5), "did not answer within 0.5 s"),
        (Route((FIXTURES / "empty.ics").read_bytes()), "no events"),
        (Route((FIXTURES / "not_running.ics").read_bytes()), "no runs in it"),
        (Route(status=404), "answered 404"),
        (Route(status=500), "answered 500"),
    ],
)
def test_a_bad_feed_gets_one_short_answer_and_the_previous_plan_stays(
    store: Any, server: FeedServer, route: Route, problem: str
) -> None:
    talk, _ = connected(store, server)
    talk.core.config = type(talk.core.config)(
        calendar_reader=reader_for(talk, FeedLimits(timeout=0.5, max_bytes=5_000_000))
    )
    server.routes["/bad.ics"] = route
    before = snapshot_of(store)
    answer = talk.say(f"/setup calendar={server.url('/bad.ics')}")
    assert problem in answer and "Your plan stays as it was" in answer and len(answer.splitlines()) == 1
    assert snapshot_of(store) == before
    assert "Intervals · 6 x 800m" in talk.say("/plan")


def snapshot_of(store: Any) -> Any:
    with store.unit() as uow:
        runner_id = talk_runner_id(store)
        found = uow.runners.get(runner_id)
        return found[0].profile if found else None, uow.calendars.get(runner_id)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("ftp://example.com/plan.ics", "https:// or webcal://"),
        ("plan", "https:// or webcal://"),
        ("https://", "with a host"),
        ("/etc/passwd.ics", "takes a feed URL here"),  # a path is the console's alone
    ],
)
def test_what_is_not_a_feed_url_is_refused_before_anything_is_read(
    store: Any, server: FeedServer, value: str, says: str
) -> None:
    talk = Conversation(store, START)
    talk.core.config = type(talk.core.config)(calendar_reader=reader_for(talk))
    answer = talk.say(f"/setup calendar={value}")
    assert says in answer and "e.g. /setup calendar=" in answer
    assert server.seen == []


def test_a_group_never_sees_the_link_and_nothing_is_saved(store: Any, server: FeedServer) -> None:
    url = server.serve_fixture(SECRET, "runna.ics")
    talk = Conversation(store, START)
    talk.core.config = type(talk.core.config)(calendar_reader=reader_for(talk))
    answer = talk.say(f"/setup calendar={url}", chat="club")
    assert "direct message" in answer and url not in answer and SECRET not in answer
    assert server.seen == []
    with store.unit() as uow:
        found = uow.runners.find("test", "ana")
        assert found is None or (uow.calendars.get(found[0].id) is None and found[0].profile.calendar is None)


def test_the_link_is_never_logged(store: Any, server: FeedServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    talk, url = connected(store, server)
    server.routes[SECRET] = Route(status=503)
    talk.advance(hours=1)
    refresh(store, talk)
    talk.say("/plan")
    talk.say("/setup calendar=off")
    logged = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert SECRET.split("/")[3] not in logged and url not in logged


def test_off_disconnects_and_the_week_follows_runs_again(store: Any, server: FeedServer) -> None:
    talk, url = connected(store, server)
    answer = talk.say("/setup calendar=off")
    assert "disconnected" in answer and url not in answer
    week = talk.say("/plan")
    assert "Intervals" not in week and "Tue 1 Dec: speed run → lift" in week
    talk.advance(hours=2)
    assert refresh(store, talk).read == 0
    assert "No calendar was connected" in talk.say("/setup calendar=off")
    assert "Calendar: none" in talk.say("/setup")


def test_a_marathon_week_tapers_and_the_streak_holds(store: Any, server: FeedServer) -> None:
    talk, _ = connected(store, server, fixture="intervals_es.ics")
    talk.say("/setup sessions=3")
    lifted = [date(2026, 12, 1), date(2026, 12, 3), date(2026, 12, 5)]  # Tue speed, Thu, Sat long
    week = talk.say("/plan")
    for d in lifted:
        assert f"{d.strftime('%a')} {d.day} Dec: " in week
    for d in lifted:
        talk.at(datetime(d.year, d.month, d.day, 19, 0, tzinfo=UTC)).say("/done")
    talk.at(datetime(2026, 12, 7, 6, 0, tzinfo=UTC))
    race_week = talk.say("/plan")
    assert "🏁 Maratón de Valencia on Sun 13 Dec" in race_week and "2 sessions keep your streak" in race_week
    assert "Wed 9 Dec: rest · no lift (race taper)" in race_week
    assert "Sun 13 Dec: race · Maratón de Valencia · no lift (race taper)" in race_week
    lifts = [line for line in race_week.splitlines() if "→ lift" in line]
    assert [line[:9] for line in lifts] == ["Mon 7 Dec", "Tue 8 Dec"]
    assert all("lighter" in line for line in lifts)
    talk.say("/done")
    talk.at(datetime(2026, 12, 8, 19, 0, tzinfo=UTC)).say("/done")
    streak = talk.say("/streak")
    assert "This week: 2/2 sessions — target met ✓" in streak and "Streak: 2 weeks" in streak
    talk.at(datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    assert "Mon 14 Dec: rest · easy mobility" in talk.say("/plan")
    assert "Streak: 2 weeks" in talk.say("/streak")


def test_a_calendar_file_is_read_once_from_the_console(store: Any, server: FeedServer) -> None:
    talk = Conversation(store, START, platform="console")
    talk.core.config = type(talk.core.config)(calendar_reader=reader_for(talk))
    answer = talk.say(f"/setup calendar={FIXTURES / 'trainingpeaks.ics'}")
    assert "Calendar connected: file trainingpeaks.ics — 6 runs found, read once" in answer
    week = talk.say("/plan")
    assert "Wed 2 Dec: strength · Strength: Core & Stability\n" in week
    # Three hard days for two sessions: the placement rules spread them (Tue, Sat), none back to back.
    assert "Tue 1 Dec: speed · Run: Threshold 3x10min → lift" in week
    assert "Sat 5 Dec: speed · Run: Hill Repeats 8x60s → lift" in week
    assert "Sun 6 Dec: long · Run\n" in week + "\n"
    talk.advance(hours=3)
    assert refresh(store, talk).read == 0
    assert server.seen == []


def test_export_names_the_feed_masked_unless_asked_for_it(store: Any, server: FeedServer) -> None:
    talk, url = connected(store, server)

    def profile_doc(command: str) -> Any:
        (reply,) = talk.replies(command)
        (document,) = [a for a in reply.attachments if a.filename == "runlift-profile.json"]
        return json.loads(document.data)["profile"]

    assert profile_doc("/export")["calendar"] == "127.0.0.1 …plan"
    assert profile_doc("/export calendar")["calendar"] == url


def test_runners_with_and_without_a_calendar_never_share_a_nudge_text(store: Any) -> None:
    from core.calendar.plan import CalendarPlan, PlannedRun
    from core.nudges.passes import refresh_next_nudge
    from core.training.model import Runner
    from core.training.profile import Profile

    tuesday = date(2026, 12, 1)
    plan = CalendarPlan((PlannedRun(tuesday, "speed", "Track 12x400m"),), frozenset({date(2026, 11, 30)}))
    created = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    with store.unit() as uow:
        for user, calendar in (("ana", None), ("ben", plan), ("cy", None), ("dee", plan)):
            runner = uow.runners.add(
                Runner(
                    0,
                    "test",
                    user,
                    user,
                    Profile(calendar=calendar),
                    created_at=created,
                    created_on=created.date(),
                )
            )
            refresh_next_nudge(uow, runner.id, created)
        uow.commit()
    sent: list[Outgoing] = []
    run_nudge_pass(store, datetime(2026, 12, 1, 18, 0, tzinfo=UTC), sent.append)
    heads = {o.address.chat_id: o.reply.text.splitlines()[0] for o in sent}
    assert heads["ana"] == heads["cy"] and heads["ana"].startswith("Speed day: lift after your run")
    assert heads["ben"] == heads["dee"] and heads["ben"].startswith(
        "Track 12x400m today: lift after your session"
    )


def test_a_new_time_zone_reads_the_feed_whole_at_the_next_tick(store: Any, server: FeedServer) -> None:
    talk, _ = connected(store, server)
    talk.advance(minutes=5)
    talk.say("/setup tz=America/New_York")
    report = refresh(store, talk)
    assert report.read == 1 and server.seen[-1].if_none_match is None and server.seen[-1].status == 200
    # 07:00 in London is 02:00 in New York: the same days, the run's end in the new zone.
    assert "Tue 1 Dec: speed · Intervals · 6 x 800m → lift" in talk.say("/plan")

"""A scripted console week with a calendar feed: `runlift nudges --at …` reads the feed in its tick as
the running bot does, so the coach's moved long run moves the nudge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.test_console_nudges import Runlift
from tests.feed_server import FIXTURES, FeedServer, Route, feed_server

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


def test_the_nudge_pass_reads_the_feed_and_the_nudges_follow_the_coach(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, server: FeedServer
) -> None:
    runlift = Runlift(monkeypatch, capsys, tmp_path)
    url = server.serve_fixture("/ical/3c1d9e77b2a4.ics", "runna.ics")
    out = runlift.console(MONDAY, "ana", "/setup tz=Europe/London remind=18:00", f"/setup calendar={url}")
    assert "Calendar connected: 127.0.0.1 …b2a4" in out and url not in out
    tuesday = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert runlift.nudges(tuesday).splitlines()[0] == (
        "[console:ana] Intervals · 6 x 800m today: lift after your session — 5 moves, ~30 min. /today"
    )
    server.routes["/ical/3c1d9e77b2a4.ics"] = Route((FIXTURES / "runna_moved.ics").read_bytes())
    printed = []
    at = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    while at < datetime(2026, 12, 7, 0, 0, tzinfo=UTC):
        out = runlift.nudges(at)
        if out:
            printed.append((at, out.splitlines()[0]))
        at += timedelta(minutes=30)
    assert printed == [
        (
            datetime(2026, 12, 5, 18, 0, tzinfo=UTC),
            "[console:ana] Long Run · 20km today: lift after your session — 5 moves, ~30 min. /today",
        )
    ]
    # One read at /setup, then at most one an hour of the passes (Tuesday's, and 72 hours of them).
    assert 2 <= len(server.seen) <= 1 + 1 + 72
    assert all(s.if_none_match for s in server.seen[1:3])  # conditional reads
    saturday = runlift.console(datetime(2026, 12, 5, 9, 0, tzinfo=UTC), "ana", "/plan")
    assert "Sat 5 Dec: long · Long Run · 20km → lift" in saturday and "Sun 6 Dec: rest" in saturday

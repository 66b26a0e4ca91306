"""The running App in figures: each pass recorded for `runlift status`, late and dropped nudges after
downtime, the outbox depth while a pass delivers, and the status text both tools show."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.store.engine import newest_revision
from adapters.store.operations import last_pass
from bot.app import App
from bot.operations.status import gather, render
from bot.settings import Settings
from core.clock import FixedClock
from core.messages import Incoming
from tests.conftest import fresh_database_url
from tests.fakes import RecordingChat, SlowChat

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TUESDAY_SIX = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # every default runner's lift-day moment (UTC)


def _app(tmp_path: Path, name: str) -> App:
    return App(Settings(database_url=fresh_database_url(tmp_path, name)), FixedClock(MONDAY))


async def _runners(app: App, *users: str) -> None:
    for user in users:
        await app.handle(Incoming("test", user, user.capitalize(), user, False, "/today", MONDAY))


async def test_the_outbox_depth_counts_what_is_queued_and_falls_as_the_sender_catches_up(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path, "ops_outbox")
    try:
        await _runners(app, "ana", "ben", "cy")
        app.clock.set(TUESDAY_SIX)  # type: ignore[attr-defined]
        report = await app.nudge_pass(TUESDAY_SIX)  # no adapter yet: everything waits in the outbox
        assert report.queued == 3 and app.outbox_depth() == {"test": 3}
        chat = SlowChat()
        app.attach(chat)
        await asyncio.wait_for(chat.waiting.wait(), 10)
        while len(chat.sent) < 3:
            chat.go.set()
            await asyncio.sleep(0.01)
        await app.outbox_idle()
        for _ in range(100):  # the backlog is counted again once the sender has caught up
            if app.outbox_depth() == {}:
                break
            await asyncio.sleep(0.02)
        assert app.outbox_depth() == {}
    finally:
        await app.stop_senders()
        app.close()


async def test_each_pass_is_recorded_and_the_senders_count_late_unreachable_and_missed_nudges(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path, "ops_passes")
    metrics = app.observe()
    chat = RecordingChat(unreachable={"cy"})
    app.attach(chat)
    try:
        await _runners(app, "ana", "ben", "cy")
        app.clock.set(TUESDAY_SIX - timedelta(days=1))  # type: ignore[attr-defined]
        await app.nudge_pass(TUESDAY_SIX - timedelta(days=1))  # Monday 18:00: nothing due
        quiet = last_pass(app.engine)
        assert quiet is not None and (quiet.queued, quiet.missed) == (0, 0)
        # Down all Tuesday evening: back 40 minutes after the moment, within the 2-hour window.
        back = TUESDAY_SIX + timedelta(minutes=40)
        app.clock.set(back)  # type: ignore[attr-defined]
        report = await app.nudge_pass(back)
        await app.outbox_idle()
        assert report.queued == 3 and len(chat.sent) == 2
        record = last_pass(app.engine)
        assert record is not None and record.at == back
        assert (record.candidates, record.queued, record.missed) == (3, 3, 0)
        text = metrics.exposition().decode()
        assert 'runlift_nudges_due_total{kind="lift"} 3.0' in text
        assert 'runlift_nudges_sent_total{kind="lift",platform="test"} 2.0' in text
        assert 'runlift_nudges_late_total{kind="lift",platform="test"} 2.0' in text
        assert 'runlift_nudges_unreachable_total{platform="test"} 1.0' in text
        # Down from then until Sunday 19:30: Saturday 18:00 (streak at risk) is more than 2 hours
        # late and missed; Sunday 18:00 (a lift day) is 90 minutes late and caught up.
        sunday = datetime(2026, 12, 6, 19, 30, tzinfo=UTC)
        app.clock.set(sunday)  # type: ignore[attr-defined]
        await app.nudge_pass(sunday)
        await app.outbox_idle()
        after = last_pass(app.engine)
        assert after is not None and after.missed == 2  # ana's and ben's Saturday moments (cy is unreachable)
        assert len(chat.sent) == 4  # Sunday 18:00, less than two hours ago: caught up
        text = metrics.exposition().decode()
        assert 'runlift_nudges_dropped_total{reason="missed"} 2.0' in text
        assert 'runlift_nudges_late_total{kind="lift",platform="test"} 4.0' in text
        figures = render(gather(app.settings, app.engine, sunday), sunday)
        assert "outbox: 0 queued, 0 to retry; last 24 h: 2 sent (2 late)" in figures
    finally:
        await app.stop_senders()
        app.close()


async def test_the_status_shows_schema_counts_the_last_pass_and_adapters(tmp_path: Path) -> None:
    settings = Settings(
        database_url=fresh_database_url(tmp_path, "ops_status"),
        telegram_bot_token="123:abc",
        runlift_operators="telegram:1",
    )
    app = App(settings, FixedClock(MONDAY))
    try:
        await _runners(app, "ana")
        await app.nudge_pass(TUESDAY_SIX)
        text = render(gather(settings, app.engine, TUESDAY_SIX + timedelta(minutes=5)), TUESDAY_SIX)
        assert f"schema: {newest_revision()} (up to date)" in text
        assert "runners: 1, groups: 0, sets logged: 0" in text
        assert "last nudge pass: 2026-12-01T18:00+00:00 (0 s ago): 1 due, 1 queued, 0 missed" in text
        assert "adapters configured: telegram" in text and "operators: 1" in text
        assert "123:abc" not in text and "abc" not in text.split("adapters")[1]
        live = app.status_text()
        assert (
            "telegram (not connected: starting)" in live and "scheduler: FAILING — has not ticked yet" in live
        )
    finally:
        app.close()


def test_the_status_of_a_database_that_does_not_answer_is_said(tmp_path: Path) -> None:
    from adapters.store.engine import make_engine

    settings = Settings(database_url=f"sqlite:///{tmp_path}/missing/dir/runlift.db")
    engine = make_engine(settings.database_url)
    facts = gather(settings, engine, MONDAY)
    engine.dispose()
    assert facts.error and "NOT ANSWERING" in render(facts, MONDAY)


async def test_with_a_backup_folder_the_running_bot_backs_up_at_start_and_keeps_the_newest(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "backups"
    settings = Settings(
        database_url=fresh_database_url(tmp_path, "ops_daily"),
        runlift_backup_dir=str(folder),
        runlift_backup_keep="2",
    )
    app = App(settings, FixedClock(MONDAY))
    scheduler = app.start_scheduler(catch_up=False)
    try:
        await _runners(app, "ana")
        suffix = "db" if app.engine.dialect.name == "sqlite" else "pgdump"  # a SQLite file, or pg_dump's
        folder.mkdir()
        for day in ("20261101", "20261102"):  # older ones, taken days before
            (folder / f"runlift-{day}-031700.{suffix}").write_bytes(b"old")
        app.start_backups(scheduler)
        await asyncio.wait_for(app._backup_now, 30)
        kept = sorted(p.name for p in folder.iterdir())
        assert kept == [f"runlift-20261102-031700.{suffix}", f"runlift-20261130-090000.{suffix}"]
        assert (folder / kept[-1]).stat().st_size > 1000
        assert [j.id for j in scheduler.scheduler.get_jobs()] == ["nudge-pass", "daily-backup"]
        assert app.observe().last_backup_at == MONDAY
        app.start_backups(scheduler)  # the newest is fresh now: no second backup at start
        assert app._backup_now.done()
    finally:
        await scheduler.stop()
        app.close()

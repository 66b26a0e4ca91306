"""The APScheduler tick: one job, every minute on the minute, the clock's instant, surviving a failing pass."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.scheduler import JOB_ID, NudgeScheduler
from core.clock import FixedClock, SystemClock
from core.nudges.passes import PassReport

AT = datetime(2026, 12, 1, 17, 59, 42, 123, tzinfo=UTC)


async def nothing(_at: datetime) -> PassReport:
    return PassReport()


async def test_one_job_runs_at_start_then_every_minute_on_the_minute_and_never_piles_up() -> None:
    started = SystemClock().now()
    scheduler = NudgeScheduler(nothing, FixedClock(AT)).start()
    try:
        [job] = scheduler.scheduler.get_jobs()
        assert job.id == JOB_ID
        assert (job.coalesce, job.max_instances) == (True, 1)
        assert isinstance(job.trigger, CronTrigger)
        assert str(job.trigger.fields[-1]) == "0"  # second=0
        # The first pass catches up at once; the ones after it fall on the minute.
        assert (job.next_run_time - started).total_seconds() < 5
        following = job.trigger.get_next_fire_time(None, job.next_run_time + timedelta(seconds=1))
        assert following.second == 0 and following.microsecond == 0
    finally:
        await scheduler.stop()


async def test_without_catch_up_the_first_pass_waits_for_the_minute() -> None:
    scheduler = NudgeScheduler(nothing, FixedClock(AT), catch_up=False).start()
    try:
        [job] = scheduler.scheduler.get_jobs()
        assert job.next_run_time.second == 0
    finally:
        await scheduler.stop()


async def test_a_pass_runs_at_the_clocks_minute_and_a_failing_one_does_not_stop_the_next() -> None:
    seen: list[datetime] = []

    async def run_pass(at: datetime) -> PassReport:
        seen.append(at)
        if len(seen) == 1:
            raise RuntimeError("database went away")
        return PassReport()

    clock = FixedClock(AT)
    scheduler = NudgeScheduler(run_pass, clock)
    await scheduler.tick()
    clock.advance(minutes=1)
    await scheduler.tick()
    assert seen == [datetime(2026, 12, 1, 17, 59, tzinfo=UTC), datetime(2026, 12, 1, 18, 0, tzinfo=UTC)]


async def test_stopping_during_a_pass_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    running = asyncio.Event()

    async def slow(_at: datetime) -> PassReport:
        running.set()
        await asyncio.sleep(3600)
        return PassReport()

    scheduler = NudgeScheduler(slow, FixedClock(AT)).start()
    await asyncio.wait_for(running.wait(), 5)
    with caplog.at_level(logging.INFO):
        await scheduler.stop(timeout=0.05)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "stopped by shutdown" in caplog.text

"""The APScheduler tick: one job, every minute on the minute, surviving a failing pass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.scheduler import JOB_ID, NudgeScheduler
from core.nudge_pass import PassReport


async def test_one_job_runs_at_start_then_every_minute_on_the_minute_and_never_piles_up() -> None:
    started = datetime.now(UTC)
    scheduler = NudgeScheduler(lambda _at: PassReport()).start()
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
        scheduler.shutdown()


async def test_a_failing_pass_is_logged_and_the_next_tick_runs() -> None:
    seen: list[datetime] = []

    def run_pass(at: datetime) -> PassReport:
        seen.append(at)
        if len(seen) == 1:
            raise RuntimeError("database went away")
        return PassReport()

    scheduler = NudgeScheduler(run_pass)
    await scheduler.tick()
    await scheduler.tick()
    assert len(seen) == 2
    assert all(at.second == 0 and at.microsecond == 0 for at in seen)

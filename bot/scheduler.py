"""APScheduler runs the nudge pass once a minute, on the minute; the schedule itself lives in our tables."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from core.clock import Clock, SystemClock
from core.nudges.passes import PassReport

log = logging.getLogger(__name__)

JOB_ID = "nudge-pass"
MISFIRE_GRACE_S = 50
RunPass = Callable[[datetime], Awaitable[PassReport]]


class NudgeScheduler:
    """One in-memory job, no per-user jobs: each tick asks the store what is due.

    The instant of a pass comes from ``clock`` (APScheduler only decides when to
    tick). A failing pass is logged and the next tick runs as usual. ``catch_up``
    runs a first pass at once, for nudges missed while the bot was down.
    """

    def __init__(self, run_pass: RunPass, clock: Clock, catch_up: bool = True) -> None:
        self.run_pass = run_pass
        self.clock = clock
        self.catch_up = catch_up
        self.scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
        self._in_flight: asyncio.Task[None] | None = None
        self.last_tick: datetime | None = None

    def start(self) -> NudgeScheduler:
        options: dict[str, object] = {}
        if self.catch_up:
            # When APScheduler fires it, by the real time; the pass itself reads the injected clock.
            options["next_run_time"] = SystemClock().now()
        self.scheduler.add_job(
            self.tick,
            CronTrigger(second=0, timezone=UTC),
            id=JOB_ID,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_S,
            replace_existing=True,
            **options,
        )
        self.scheduler.start()
        log.info("nudge scheduler running (every minute)")
        return self

    def daily(self, job: Callable[[], Awaitable[None]], hour: int, minute: int, job_id: str) -> None:
        """Run ``job`` once a day at ``hour:minute`` UTC (by the real time, as the pass's tick is)."""
        self.scheduler.add_job(
            job,
            CronTrigger(hour=hour, minute=minute, timezone=UTC),
            id=job_id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
            replace_existing=True,
        )

    async def tick(self) -> None:
        # Slots are whole minutes: the tick's own minute is the instant of the pass.
        at = self.clock.now().replace(second=0, microsecond=0)
        self.last_tick = at
        self._in_flight = asyncio.current_task()  # type: ignore[assignment]
        try:
            report = await self.run_pass(at)
        except asyncio.CancelledError:
            log.info("nudge pass at %s stopped by shutdown", at.isoformat())
            return
        except Exception:
            log.exception("nudge pass at %s failed", at.isoformat())
            return
        finally:
            self._in_flight = None
        if report.queued:
            log.info(
                "nudge pass %s: %d of %d runners due queued for delivery",
                at.isoformat(),
                report.queued,
                report.candidates,
            )

    async def stop(self, timeout: float = 2.0) -> None:
        """No new passes; give one in flight ``timeout`` seconds to finish, then stop it.

        APScheduler cancels a running job when it shuts down, so the pass is waited for first.
        """
        if self.scheduler.running:
            self.scheduler.pause()
        in_flight = self._in_flight
        if in_flight is not None and not in_flight.done():
            done, _ = await asyncio.wait({in_flight}, timeout=timeout)
            if not done:
                in_flight.cancel()
                await asyncio.gather(in_flight, return_exceptions=True)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

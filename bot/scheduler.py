"""APScheduler runs the nudge pass once a minute, on the minute; the schedule itself lives in our tables."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from core.nudge_pass import PassReport

log = logging.getLogger(__name__)

JOB_ID = "nudge-pass"
MISFIRE_GRACE_S = 50


class NudgeScheduler:
    """One in-memory job, no per-user jobs: each tick asks the store what is due.

    ``run_pass(at)`` is blocking (database and delivery); it runs in a worker
    thread so the event loop keeps serving chats. A failing pass is logged and
    the next tick runs as usual.
    """

    def __init__(self, run_pass: Callable[[datetime], PassReport]) -> None:
        self.run_pass = run_pass
        self.scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
        self._in_flight: asyncio.Future[PassReport] | None = None

    def start(self) -> NudgeScheduler:
        self.scheduler.add_job(
            self.tick,
            CronTrigger(second=0, timezone=UTC),
            id=JOB_ID,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_S,
            replace_existing=True,
            # A first pass right away catches up on nudges missed while the bot was down.
            next_run_time=datetime.now(UTC),
        )
        self.scheduler.start()
        log.info("nudge scheduler running (every minute)")
        return self

    async def tick(self) -> None:
        # Slots are whole minutes: the tick's own minute is the instant of the pass.
        at = datetime.now(UTC).replace(second=0, microsecond=0)
        self._in_flight = asyncio.ensure_future(asyncio.to_thread(self.run_pass, at))
        try:
            report = await asyncio.shield(self._in_flight)
        except asyncio.CancelledError:
            # Shutting down: the pass finishes in its thread or is abandoned with the process;
            # what it claimed and did not deliver is dropped (never sent twice).
            log.info("nudge pass at %s interrupted by shutdown", at.isoformat())
            return
        except Exception:
            log.exception("nudge pass at %s failed", at.isoformat())
            return
        finally:
            self._in_flight = None
        if report.claimed:
            log.info(
                "nudge pass %s: %d sent, %d to retry, %d unreachable",
                at.isoformat(),
                len(report.sent),
                report.retried,
                report.unreachable,
            )

    def shutdown(self, wait: bool = False) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)

    async def stop(self, timeout: float = 2.0) -> None:
        """No new passes; give one in flight ``timeout`` seconds to finish its deliveries."""
        self.shutdown(wait=False)
        in_flight = self._in_flight
        if in_flight is not None:
            done, _ = await asyncio.wait({in_flight}, timeout=timeout)
            if not done:
                log.warning("nudge pass still running at shutdown; leaving it")

"""The scheduler's feed refresh: read each calendar that is due (at most once an hour, backing off
when it fails), keep the plan a good read gives, keep the last good plan when a read fails."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from core.calendar.adopt import adopt
from core.calendar.link import CalendarLink
from core.calendar.reading import FeedRead
from core.nudges.passes import refresh_next_nudge
from core.ports import CalendarReader, Store
from core.weeks import local_day, week_start

log = logging.getLogger(__name__)

BATCH = 50


@dataclass
class RefreshReport:
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0


def _validators(link: CalendarLink, tz: str, now: datetime) -> tuple[str, str]:
    """The validators to send: none once the week moved on (the plan's window must move too)."""
    if link.checked_at is None or week_start(local_day(link.checked_at, tz)) != week_start(
        local_day(now, tz)
    ):
        return "", ""
    return link.etag, link.last_modified


def refresh_calendars(
    store: Store, reader: CalendarReader, now: datetime, limit: int = BATCH
) -> RefreshReport:
    """Read the feeds due at ``now`` (no transaction is open while a feed is read)."""
    now = now.astimezone(UTC)
    report = RefreshReport()
    with store.unit() as uow:
        links = uow.calendars.due(now, limit)
        runners = {r.id: r for r in uow.nudges.runners([link.runner_id for link in links])}
    for link in links:
        runner = runners.get(link.runner_id)
        if runner is None:
            continue
        etag, modified = _validators(link, runner.profile.tz, now)
        read = reader.read(link.source, etag, modified)
        report.read += 1
        _keep(store, link.runner_id, read, now, report)
    return report


def _keep(store: Store, runner_id: int, read: FeedRead, now: datetime, report: RefreshReport) -> None:
    with store.unit() as uow:
        found = uow.runners.get(runner_id)
        if found is not None:  # the lock a command of this runner holds: one writer of the runner
            uow.locks.hold(f"runner:{found[0].platform}:{found[0].user_id}")
            found = uow.runners.get(runner_id)
        link = uow.calendars.get(runner_id)
        if link is None or found is None:  # disconnected or forgotten while the feed was read
            return
        runner = found[0]
        today = local_day(now, runner.profile.tz)
        adopted = adopt(read, runner.profile.tz, today)
        if adopted.problem:
            report.failed += 1
            uow.calendars.save(link.failed(now, adopted.problem))
            log.info("calendar of runner %s not read: %s", runner_id, adopted.problem)
        else:
            uow.calendars.save(
                link.succeeded(now, read.etag or link.etag, read.last_modified or link.last_modified)
            )
            if adopted.plan is not None and adopted.plan != runner.profile.calendar:
                report.changed += 1
                runner.profile = replace(runner.profile, calendar=adopted.plan)
                uow.runners.save(runner)
                refresh_next_nudge(uow, runner_id, now)
            else:
                report.unchanged += 1
        uow.commit()

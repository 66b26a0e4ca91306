"""A nudge pass in figures: what it queued, what was missed after downtime, and the record kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from adapters.store.operations import PassRecord, last_pass, record_pass
from core.nudges.missed import missed
from core.nudges.passes import CHUNK, PassReport
from core.nudges.rules import RULES
from core.ports import Store


def previous_pass(engine: Engine) -> datetime | None:
    record = last_pass(engine)
    return record.at if record is not None else None


def missed_since(store: Store, since: datetime | None, now: datetime) -> int:
    """Nudge moments no pass saw in time since ``since`` (the previous pass): only after downtime."""
    if since is None or now - since <= RULES.late_window:
        return 0
    total = 0
    after: tuple[datetime, int] | None = None
    with store.unit() as uow:
        while page := uow.nudges.due(now, after, CHUNK):
            total += missed([r for _, r in page], since, now)
            after = (page[-1][0], page[-1][1].id)
            if len(page) < CHUNK:
                break
    return total


def keep(engine: Engine, at: datetime, report: PassReport, seconds: float, missed: int) -> PassRecord:
    record = PassRecord(
        at=at,
        candidates=report.candidates,
        queued=report.queued,
        missed=missed,
        duration_ms=round(seconds * 1000),
    )
    record_pass(engine, record)
    return record

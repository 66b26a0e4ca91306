"""A nudge pass in figures: what went out late, what was dropped after downtime, and the record kept."""

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


def dropped(store: Store, since: datetime | None, now: datetime) -> int:
    """Nudge moments no pass saw in time since ``since`` (the previous pass): only after downtime."""
    if since is None or now - since <= RULES.late_window:
        return 0
    total = 0
    with store.unit() as uow:
        ids = uow.nudges.candidates(now)
        for i in range(0, len(ids), CHUNK):
            total += missed(uow.nudges.runners(ids[i : i + CHUNK]), since, now)
    return total


def keep(
    engine: Engine,
    at: datetime,
    report: PassReport,
    seconds: float,
    dropped: int,
    late: int,
) -> PassRecord:
    record = PassRecord(
        at=at,
        candidates=report.candidates,
        due=report.claimed,
        sent=len(report.sent),
        retried=report.retried,
        unreachable=report.unreachable,
        dropped=dropped,
        late=late,
        duration_ms=round(seconds * 1000),
    )
    record_pass(engine, record)
    return record

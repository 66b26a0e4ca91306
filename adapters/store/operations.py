"""What the operator's tools read and write in the database: counts, the last pass, every table's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from adapters.store.rows import aware, utc
from adapters.store.tables import groups, metadata, nudge_passes, nudge_schedule, outbox, runners, set_logs

LAST = "last"


@dataclass(frozen=True)
class PassRecord:
    """One nudge pass in figures: ``queued`` went into the outbox, ``missed`` came due while no pass
    ran and were too late to send by then."""

    at: datetime
    candidates: int = 0
    queued: int = 0
    missed: int = 0
    duration_ms: int = 0


@dataclass(frozen=True)
class OutboxFigures:
    """The outbox now (queued per platform, how many wait for a retry) and what it settled since a moment."""

    queued: dict[str, int]
    retrying: int
    sent: int
    late: int
    dropped: int
    skipped: int
    unreachable: int


@dataclass(frozen=True)
class Counts:
    runners: int
    groups: int
    sets: int
    due_next_hour: int


def record_pass(engine: Engine, record: PassRecord) -> None:
    """Keep ``record`` as the last pass (one row, replaced each time)."""
    values: dict[str, Any] = {**record.__dict__, "at": utc(record.at)}
    with engine.begin() as conn:
        done = conn.execute(update(nudge_passes).where(nudge_passes.c.name == LAST).values(**values))
        if done.rowcount:
            return
    try:
        with engine.begin() as conn:
            conn.execute(nudge_passes.insert().values(name=LAST, **values))
    except IntegrityError:  # another process wrote the first row meanwhile
        with engine.begin() as conn:
            conn.execute(update(nudge_passes).where(nudge_passes.c.name == LAST).values(**values))


def last_pass(engine: Engine) -> PassRecord | None:
    with engine.connect() as conn:
        row = conn.execute(select(nudge_passes).where(nudge_passes.c.name == LAST)).mappings().first()
    if row is None:
        return None
    values = {k: v for k, v in row.items() if k != "name"}
    values["at"] = aware(values["at"])
    return PassRecord(**values)


def counts(engine: Engine, now: datetime) -> Counts:
    """Runners, groups, sets logged, and runners with a nudge moment within the next hour."""
    soon = utc(now + timedelta(hours=1))
    with engine.connect() as conn:

        def count(query: Any) -> int:
            return int(conn.execute(query).scalar_one())

        return Counts(
            runners=count(select(func.count()).select_from(runners)),
            groups=count(select(func.count()).select_from(groups)),
            sets=count(select(func.count()).select_from(set_logs)),
            due_next_hour=count(
                select(func.count()).select_from(nudge_schedule).where(nudge_schedule.c.next_at <= soon)
            ),
        )


def outbox_figures(engine: Engine, since: datetime) -> OutboxFigures:
    """What the senders did since ``since``; late = delivered more than a minute after its moment."""
    at = utc(since)
    if engine.dialect.name == "postgresql":
        late = outbox.c.settled_at - outbox.c.due_at > text("interval '1 minute'")
    else:
        late = func.julianday(outbox.c.settled_at) - func.julianday(outbox.c.due_at) > 1 / 1440
    with engine.connect() as conn:
        queued = {
            p: int(n)
            for p, n in conn.execute(
                select(outbox.c.platform, func.count())
                .where(outbox.c.state == "queued")
                .group_by(outbox.c.platform)
            )
        }
        retrying = int(
            conn.execute(
                select(func.count()).where(outbox.c.state == "queued", outbox.c.attempts > 0)
            ).scalar_one()
        )
        settled: dict[str, int] = dict(
            conn.execute(
                select(outbox.c.state, func.count()).where(outbox.c.settled_at >= at).group_by(outbox.c.state)
            ).all()
        )
        late_n = int(
            conn.execute(
                select(func.count()).where(outbox.c.state == "sent", outbox.c.settled_at >= at, late)
            ).scalar_one()
        )
    return OutboxFigures(
        queued=queued,
        retrying=retrying,
        sent=int(settled.get("sent", 0)),
        late=late_n,
        dropped=int(settled.get("dropped", 0)),
        skipped=int(settled.get("skipped", 0)),
        unreachable=int(settled.get("unreachable", 0)),
    )


def table_names(engine: Engine) -> list[str]:
    """Runlift's tables present in the database (``alembic_version`` included), in dependency order."""
    present = set(inspect(engine).get_table_names())
    ours = [t.name for t in metadata.sorted_tables if t.name in present]
    return [*ours, *(["alembic_version"] if "alembic_version" in present else [])]


def row_counts(engine: Engine) -> dict[str, int]:
    """Every table's number of rows."""
    with engine.connect() as conn:
        return {
            name: int(conn.execute(text(f'select count(*) from "{name}"')).scalar_one())
            for name in table_names(engine)
        }


def all_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, for comparing two databases."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name in table_names(engine):
            rows = conn.execute(text(f'select * from "{name}"')).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def holds_data(engine: Engine) -> bool:
    """Whether any of Runlift's tables has a row (a database only migrated is empty)."""
    counted = row_counts(engine)
    return any(n for name, n in counted.items() if name != "alembic_version")

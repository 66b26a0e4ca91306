"""The nudge schedule in the tables: each runner's next moment, paged in (moment, id) order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, bindparam, select, tuple_, update

from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import aware, runner_from, utc
from adapters.store.tables import runners
from core.training.model import Runner

_ORDER = (runners.c.next_nudge_at, runners.c.id)
_DUE_FIRST = (
    select(runners).where(runners.c.next_nudge_at <= bindparam("now")).order_by(*_ORDER).limit(bindparam("n"))
)
_DUE_AFTER = (
    select(runners)
    .where(
        runners.c.next_nudge_at <= bindparam("now"),
        tuple_(*_ORDER)
        > tuple_(bindparam("at", type_=runners.c.next_nudge_at.type), bindparam("rid", type_=Integer)),
    )
    .order_by(*_ORDER)
    .limit(bindparam("n"))
)
_SET_NEXT = (
    update(runners)
    .where(runners.c.id == bindparam("rid"))
    .values(next_nudge_at=bindparam("nxt"))
    .execution_options(synchronize_session=False)
)


class SqlNudges(Repository):
    def due(
        self, now: datetime, after: tuple[datetime, int] | None, limit: int
    ) -> list[tuple[datetime, Runner]]:
        if after is None:
            rows = self.conn.execute(_DUE_FIRST, {"now": utc(now), "n": limit})
        else:
            rows = self.conn.execute(
                _DUE_AFTER, {"now": utc(now), "n": limit, "at": utc(after[0]), "rid": after[1]}
            )
        return [(aware(r.next_nudge_at), runner_from(r._mapping)) for r in rows]

    def runners(self, runner_ids: Sequence[int]) -> list[Runner]:
        found: list[Runner] = []
        for part in chunks(list(runner_ids)):
            rows = self.conn.execute(select(runners).where(runners.c.id.in_(part)))
            found += [runner_from(r._mapping) for r in rows]
        order = {rid: i for i, rid in enumerate(runner_ids)}
        return sorted(found, key=lambda r: order[r.id])

    def set_next(self, next_at: dict[int, datetime | None]) -> None:
        if next_at:
            self.conn.execute(
                _SET_NEXT, [{"rid": rid, "nxt": utc(at) if at else None} for rid, at in next_at.items()]
            )

    def mark_unreachable(self, runner_ids: Sequence[int]) -> None:
        for part in chunks(list(runner_ids)):
            self.conn.execute(
                update(runners).where(runners.c.id.in_(part)).values(unreachable=True, next_nudge_at=None)
            )

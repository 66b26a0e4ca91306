"""The nudge schedule in the tables: each runner's next moment, paged in (moment, id) order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from adapters.store.hot import Hot
from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import runner_from, shared_profile
from adapters.store.tables import runners
from core.training.model import Runner

# The pass's hot path, as driver-level SQL (see adapters/store/hot.py).
_DUE_FIRST = "SELECT * FROM runners WHERE next_nudge_at <= ? ORDER BY next_nudge_at, id LIMIT ?"
_DUE_AFTER = (
    "SELECT * FROM runners WHERE next_nudge_at <= ? AND (next_nudge_at, id) > (?, ?)"
    " ORDER BY next_nudge_at, id LIMIT ?"
)
_SHARD = " AND id % ? = ?"  # one worker of several: the runners whose id falls to it
_SET_NEXT = "UPDATE runners SET next_nudge_at = ? WHERE id = ?"


class SqlNudges(Repository):
    def due(
        self,
        now: datetime,
        after: tuple[datetime, int] | None,
        limit: int,
        shard: tuple[int, int] | None = None,
    ) -> list[tuple[datetime, Runner]]:
        hot = Hot(self.conn)
        if after is None:
            statement, params = _DUE_FIRST, [hot.instant(now), limit]
        else:
            statement, params = _DUE_AFTER, [hot.instant(now), hot.instant(after[0]), after[1], limit]
        if shard is not None:
            modulo = _SHARD.replace("%", "%%") if hot.pg else _SHARD  # psycopg's placeholders use %
            statement = statement.replace(" ORDER BY", f"{modulo} ORDER BY")
            params[-1:-1] = [shard[1], shard[0]]
        rows = hot.records(runners, statement, params)
        return [
            (hot.read_instant(row["next_nudge_at"]), runner_from(row, shared_profile(row))) for row in rows
        ]

    def runners(self, runner_ids: Sequence[int]) -> list[Runner]:
        found: list[Runner] = []
        for part in chunks(list(runner_ids)):
            rows = self.conn.execute(select(runners).where(runners.c.id.in_(part)))
            found += [runner_from(r._mapping) for r in rows]
        order = {rid: i for i, rid in enumerate(runner_ids)}
        return sorted(found, key=lambda r: order[r.id])

    def set_next(self, next_at: dict[int, datetime | None]) -> None:
        hot = Hot(self.conn)
        hot.many(_SET_NEXT, [(hot.instant(at), rid) for rid, at in next_at.items()])

    def mark_unreachable(self, runner_ids: Sequence[int]) -> None:
        for part in chunks(list(runner_ids)):
            self.conn.execute(
                update(runners).where(runners.c.id.in_(part)).values(unreachable=True, next_nudge_at=None)
            )

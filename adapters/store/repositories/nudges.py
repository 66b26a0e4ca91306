"""The nudge schedule in the tables: each runner's next moment, paged in (moment, id) order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from adapters.store.hot import Hot
from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import runner_from, schedule_profile, shared_profile
from adapters.store.tables import nudge_schedule, runners
from core.training.model import Runner
from core.training.profile import Profile

# The pass's hot path, as driver-level SQL (see adapters/store/hot.py). The moments are in a narrow
# table of their own (migration 0017), paged in (moment, runner id) order.
_DUE = (
    " FROM nudge_schedule s JOIN runners ON runners.id = s.runner_id WHERE s.next_at <= ?"
    " ORDER BY s.next_at, s.runner_id LIMIT ?"
)
_DUE_RUNNERS = "SELECT runners.*, s.next_at AS next_nudge_at" + _DUE
_SHARD = " AND s.runner_id % ? = ?"  # one worker of several: the runners whose id falls to it
# A runner without a row has no moment; a runner gone (forgotten) gets none.
_SET_NEXT = (
    "INSERT INTO nudge_schedule (runner_id, next_at) SELECT id, ? FROM runners WHERE id = ?"
    " ON CONFLICT (runner_id) DO UPDATE SET next_at = excluded.next_at"
)
# A schedule is shared when the profile alone decides it (see core/nudges/claims.py).
_DUE_SCHEDULES = (
    "SELECT runners.id, tz, remind, reminders, runs, sessions, paused_from IS NULL AND calendar_plan IS NULL"
    " AND NOT unreachable AND NOT EXISTS (SELECT 1 FROM runner_merges m WHERE m.runner_id = runners.id)"
    " AND NOT EXISTS (SELECT 1 FROM runner_merges m WHERE m.other_id = runners.id), s.next_at" + _DUE
)


def _paged(
    statement: str,
    hot: Hot,
    now: datetime,
    after: tuple[datetime, int] | None,
    limit: int,
    shard: tuple[int, int] | None,
) -> tuple[str, list[object]]:
    """``statement`` (one of the due pages) for the page after ``after``, of one shard."""
    if after is None:
        params: list[object] = [hot.instant(now), limit]
    else:
        statement = statement.replace(" ORDER BY", " AND (s.next_at, s.runner_id) > (?, ?) ORDER BY")
        params = [hot.instant(now), hot.instant(after[0]), after[1], limit]
    if shard is not None:
        modulo = _SHARD.replace("%", "%%") if hot.pg else _SHARD  # psycopg's placeholders use %
        statement = statement.replace(" ORDER BY", f"{modulo} ORDER BY")
        params[-1:-1] = [shard[1], shard[0]]
    return statement, params


class SqlNudges(Repository):
    def due(
        self,
        now: datetime,
        after: tuple[datetime, int] | None,
        limit: int,
        shard: tuple[int, int] | None = None,
    ) -> list[tuple[datetime, Runner]]:
        hot = Hot(self.conn)
        statement, params = _paged(_DUE_RUNNERS, hot, now, after, limit, shard)
        rows = hot.records(runners, statement, params)
        return [
            (hot.read_instant(row["next_nudge_at"]), runner_from(row, shared_profile(row))) for row in rows
        ]

    def due_schedules(
        self,
        now: datetime,
        after: tuple[datetime, int] | None,
        limit: int,
        shard: tuple[int, int] | None = None,
    ) -> tuple[list[tuple[int, Profile | None]], tuple[datetime, int] | None]:
        hot = Hot(self.conn)
        statement, params = _paged(_DUE_SCHEDULES, hot, now, after, limit, shard)
        rows = hot.rows(statement, params)
        if not rows:
            return [], None
        page = [
            (rid, schedule_profile(tz, remind, bool(on), runs, sessions) if shared else None)
            for rid, tz, remind, on, runs, sessions, shared, _ in rows
        ]
        return page, (hot.read_instant(rows[-1][-1]), rows[-1][0])

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

    def set_next_all(self, runner_ids: Sequence[int], at: datetime | None) -> None:
        if runner_ids:
            hot = Hot(self.conn)
            among, ids = hot.among("runner_id", runner_ids)
            hot.rows_changed(f"UPDATE nudge_schedule SET next_at = ? WHERE {among}", (hot.instant(at), ids))

    def mark_unreachable(self, runner_ids: Sequence[int]) -> None:
        for part in chunks(list(runner_ids)):
            self.conn.execute(update(runners).where(runners.c.id.in_(part)).values(unreachable=True))
            self.conn.execute(
                update(nudge_schedule).where(nudge_schedule.c.runner_id.in_(part)).values(next_at=None)
            )

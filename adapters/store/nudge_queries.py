"""Store queries for the nudge pass: due candidates, next moments and the record of nudges sent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from adapters.store.rows import aware, profile_from_row
from adapters.store.tables import groups, nudges_sent, runners, sessions_done
from core.accountability_model import Group
from core.nudges import NudgeClaim, NudgeRunner

_IN_CHUNK = 500


def _utc(value: datetime) -> datetime:
    """Every instant is stored as UTC (SQLite keeps the wall time and drops the offset)."""
    return value.astimezone(UTC)


_RUNNER_COLUMNS = (
    runners.c.id,
    runners.c.platform,
    runners.c.user_id,
    runners.c.tz,
    runners.c.runs,
    runners.c.equipment,
    runners.c.terrain,
    runners.c.sessions,
    runners.c.remind,
    runners.c.units,
    runners.c.playlist,
    runners.c.created_at,
    runners.c.paused_from,
    runners.c.paused_until,
    runners.c.unreachable,
)


def _nudge_runner(row: object) -> NudgeRunner:
    r = row._mapping  # type: ignore[attr-defined]
    profile = profile_from_row(r)
    return NudgeRunner(
        id=r["id"],
        platform=r["platform"],
        user_id=r["user_id"],
        profile=profile,
        created_at=aware(r["created_at"]),
        paused_from=r["paused_from"],
        paused_until=r["paused_until"],
        unreachable=bool(r["unreachable"]),
    )


def _chunks(items: Sequence[object], size: int = _IN_CHUNK) -> list[Sequence[object]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class NudgeQueries:
    conn: Connection

    def nudge_candidates(self, now: datetime) -> list[int]:
        rows = self.conn.execute(
            select(runners.c.id)
            .where(runners.c.next_nudge_at <= _utc(now))
            .order_by(runners.c.next_nudge_at, runners.c.id)
        )
        return list(rows.scalars())

    def nudge_runners(self, runner_ids: Sequence[int]) -> list[NudgeRunner]:
        found: list[NudgeRunner] = []
        for part in _chunks(runner_ids):
            rows = self.conn.execute(select(*_RUNNER_COLUMNS).where(runners.c.id.in_(part)))
            found += [_nudge_runner(r) for r in rows]
        order = {rid: i for i, rid in enumerate(runner_ids)}
        return sorted(found, key=lambda r: order[r.id])

    def sent_nudges(self, recipients: Sequence[str], start: date, end: date) -> list[NudgeClaim]:
        claims: list[NudgeClaim] = []
        for part in _chunks(recipients):
            rows = self.conn.execute(
                select(nudges_sent.c.recipient, nudges_sent.c.kind, nudges_sent.c.local_date).where(
                    nudges_sent.c.recipient.in_(part),
                    nudges_sent.c.local_date >= start,
                    nudges_sent.c.local_date <= end,
                )
            )
            claims += [NudgeClaim(r, k, d) for r, k, d in rows]
        return claims

    def done_days_of(self, runner_ids: Sequence[int], start: date, end: date) -> dict[int, set[date]]:
        days: dict[int, set[date]] = defaultdict(set)
        for part in _chunks(runner_ids):
            rows = self.conn.execute(
                select(sessions_done.c.runner_id, sessions_done.c.local_date).where(
                    sessions_done.c.runner_id.in_(part),
                    sessions_done.c.local_date >= start,
                    sessions_done.c.local_date <= end,
                )
            )
            for runner_id, day in rows:
                days[runner_id].add(day)
        return dict(days)

    def claim_nudges(self, claims: Sequence[NudgeClaim], at: datetime) -> list[NudgeClaim]:
        """One insert that skips rows another pass already holds: the unique key decides."""
        if not claims:
            return []
        values = [
            {"recipient": c.recipient, "kind": c.kind, "local_date": c.local_date, "sent_at": _utc(at)}
            for c in claims
        ]
        dialect = self.conn.dialect.name
        if dialect not in ("postgresql", "sqlite"):
            return [c for c, v in zip(claims, values, strict=True) if self._claim_one(v)]
        build = pg_insert if dialect == "postgresql" else sqlite_insert
        won: set[tuple[str, str, date]] = set()
        for part in _chunks(values, 200):
            statement = (
                build(nudges_sent)
                .values(list(part))
                .on_conflict_do_nothing(index_elements=["recipient", "local_date", "kind"])
                .returning(nudges_sent.c.recipient, nudges_sent.c.kind, nudges_sent.c.local_date)
            )
            won |= {(r, k, d) for r, k, d in self.conn.execute(statement)}
        return [c for c in claims if (c.recipient, c.kind, c.local_date) in won]

    def _claim_one(self, values: dict[str, object]) -> bool:
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(nudges_sent).values(**values))
        except IntegrityError:
            return False
        return True

    def release_nudges(self, claims: Sequence[NudgeClaim]) -> None:
        for part in _chunks(claims):
            keys = [(c.recipient, c.kind, c.local_date) for c in part]  # type: ignore[attr-defined]
            self.conn.execute(
                delete(nudges_sent).where(
                    tuple_(nudges_sent.c.recipient, nudges_sent.c.kind, nudges_sent.c.local_date).in_(keys)
                )
            )

    def set_next_nudges(self, next_at: dict[int, datetime | None]) -> None:
        if not next_at:
            return
        self.conn.execute(
            update(runners)
            .where(runners.c.id == bindparam("rid"))
            .values(next_nudge_at=bindparam("nxt"))
            .execution_options(synchronize_session=False),
            [{"rid": rid, "nxt": _utc(at) if at else None} for rid, at in next_at.items()],
        )

    def retry_nudge_by(self, runner_id: int, at: datetime) -> None:
        self.conn.execute(
            update(runners)
            .where(
                runners.c.id == runner_id,
                or_(runners.c.next_nudge_at.is_(None), runners.c.next_nudge_at > _utc(at)),
            )
            .values(next_nudge_at=_utc(at))
        )

    def mark_runner_unreachable(self, runner_id: int) -> None:
        self.conn.execute(
            update(runners).where(runners.c.id == runner_id).values(unreachable=True, next_nudge_at=None)
        )

    def group_zones(self) -> list[str]:
        return list(self.conn.execute(select(groups.c.tz).distinct()).scalars())

    def groups_in_zones(self, zones: Sequence[str]) -> list[Group]:
        found: list[Group] = []
        for part in _chunks(zones):
            rows = self.conn.execute(
                select(groups.c.id, groups.c.platform, groups.c.chat_id, groups.c.title, groups.c.tz)
                .where(groups.c.tz.in_(part))
                .order_by(groups.c.id)
            )
            found += [Group(*row) for row in rows]
        return sorted(found, key=lambda g: g.id)

    def prune_nudges(self, before: date) -> int:
        result = self.conn.execute(delete(nudges_sent).where(and_(nudges_sent.c.local_date < before)))
        return int(result.rowcount or 0)

"""The nudge schedule in the tables: due candidates, next moments and the record of nudges sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, delete, or_, select, tuple_, update

from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import runner_from, utc
from adapters.store.tables import nudges_sent, runners
from core.nudges.schedule import NudgeClaim
from core.training.model import Runner


class SqlNudges(Repository):
    def candidates(self, now: datetime, limit: int | None = None) -> list[int]:
        query = (
            select(runners.c.id)
            .where(runners.c.next_nudge_at <= utc(now))
            .order_by(runners.c.next_nudge_at, runners.c.id)
        )
        if limit is not None:
            query = query.limit(limit)
        return list(self.conn.execute(query).scalars())

    def runners(self, runner_ids: Sequence[int]) -> list[Runner]:
        found: list[Runner] = []
        for part in chunks(list(runner_ids)):
            rows = self.conn.execute(select(runners).where(runners.c.id.in_(part)))
            found += [runner_from(r._mapping) for r in rows]
        order = {rid: i for i, rid in enumerate(runner_ids)}
        return sorted(found, key=lambda r: order[r.id])

    def sent(self, recipients: Sequence[str], start: date, end: date) -> list[NudgeClaim]:
        claims: list[NudgeClaim] = []
        for part in chunks(list(recipients)):
            rows = self.conn.execute(
                select(nudges_sent.c.recipient, nudges_sent.c.kind, nudges_sent.c.local_date).where(
                    nudges_sent.c.recipient.in_(part),
                    nudges_sent.c.local_date >= start,
                    nudges_sent.c.local_date <= end,
                )
            )
            claims += [NudgeClaim(r, k, d) for r, k, d in rows]
        return claims

    def claim(self, claims: Sequence[NudgeClaim], at: datetime) -> list[NudgeClaim]:
        """One insert that skips rows another pass already holds: the unique key decides."""
        if not claims:
            return []
        values = [
            {"recipient": c.recipient, "kind": c.kind, "local_date": c.local_date, "sent_at": utc(at)}
            for c in claims
        ]
        won: set[tuple[str, str, date]] = set()
        for part in chunks(values, 200):
            statement = (
                self.insert(nudges_sent)
                .values(list(part))
                .on_conflict_do_nothing(index_elements=["recipient", "local_date", "kind"])
                .returning(nudges_sent.c.recipient, nudges_sent.c.kind, nudges_sent.c.local_date)
            )
            won |= {(r, k, d) for r, k, d in self.conn.execute(statement)}
        return [c for c in claims if (c.recipient, c.kind, c.local_date) in won]

    def release(self, claims: Sequence[NudgeClaim]) -> None:
        for part in chunks(list(claims)):
            keys = [(c.recipient, c.kind, c.local_date) for c in part]
            self.conn.execute(
                delete(nudges_sent).where(
                    tuple_(nudges_sent.c.recipient, nudges_sent.c.kind, nudges_sent.c.local_date).in_(keys)
                )
            )

    def set_next(self, next_at: dict[int, datetime | None]) -> None:
        if not next_at:
            return
        self.conn.execute(
            update(runners)
            .where(runners.c.id == bindparam("rid"))
            .values(next_nudge_at=bindparam("nxt"))
            .execution_options(synchronize_session=False),
            [{"rid": rid, "nxt": utc(at) if at else None} for rid, at in next_at.items()],
        )

    def retry_by(self, runner_id: int, at: datetime) -> None:
        self.conn.execute(
            update(runners)
            .where(
                runners.c.id == runner_id,
                or_(runners.c.next_nudge_at.is_(None), runners.c.next_nudge_at > utc(at)),
            )
            .values(next_nudge_at=utc(at))
        )

    def mark_unreachable(self, runner_id: int) -> None:
        self.conn.execute(
            update(runners).where(runners.c.id == runner_id).values(unreachable=True, next_nudge_at=None)
        )

    def prune(self, before: date) -> int:
        result = self.conn.execute(delete(nudges_sent).where(nudges_sent.c.local_date < before))
        return int(result.rowcount or 0)

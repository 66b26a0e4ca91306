"""The delivery outbox in its table: enqueue with the unique key deciding, lease, settle, prune."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, case, delete, func, or_, select, update

from adapters.store.hot import Hot
from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import aware, utc
from adapters.store.tables import outbox
from core.messages import ChatAddress
from core.nudges.claims import UNWORDED, ClaimSlot
from core.nudges.outbox import DROPPED, QUEUED, SENT, UNREACHABLE, OutboxEntry
from core.nudges.schedule import NudgeClaim

_COLUMNS = (
    outbox.c.id,
    outbox.c.recipient,
    outbox.c.kind,
    outbox.c.local_date,
    outbox.c.platform,
    outbox.c.chat_id,
    outbox.c.is_group,
    outbox.c.runner_id,
    outbox.c.title,
    outbox.c.body,
    outbox.c.due_at,
    outbox.c.expires_at,
    outbox.c.attempts,
)
_ENQUEUE = (
    "INSERT INTO outbox (recipient, local_date, kind, platform, chat_id, is_group, runner_id, title, body,"
    " state, due_at, expires_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
    " ON CONFLICT (local_date, recipient, kind) DO NOTHING"
)
# A chunk of runners on one shared schedule claimed at once (core/nudges/claims.py says which are due):
# signed up by the slot, not trained that day (the ledger week's mask), the kind not yet claimed that
# day (the unique key) and fewer than the daily cap claimed that day. The words are not stored.
_CLAIM = (
    "INSERT INTO outbox (recipient, local_date, kind, platform, chat_id, is_group, runner_id, title, body,"
    " state, due_at, expires_at, attempts)"
    " SELECT 'runner:' || r.id, ?, ?, r.platform, r.user_id, ?, r.id, '', ?, ?, ?, ?, 0 FROM runners r"
    " WHERE {among} AND r.created_at <= ?"
    " AND NOT EXISTS (SELECT 1 FROM weeks w WHERE w.runner_id = r.id AND w.monday = ? AND (w.mask & ?) <> 0)"
    " AND (SELECT count(*) FROM outbox o WHERE o.recipient = 'runner:' || r.id AND o.local_date = ?) < ?"
    " ON CONFLICT (local_date, recipient, kind) DO NOTHING"
)
_RETRY = (
    update(outbox)
    .where(outbox.c.id == bindparam("oid"))
    .values(due_at=bindparam("due"), lease_until=None, attempts=outbox.c.attempts + 1)
    .execution_options(synchronize_session=False)
)


def _entry(r: object) -> OutboxEntry:
    row = r._mapping  # type: ignore[attr-defined]
    return OutboxEntry(
        claim=NudgeClaim(row["recipient"], row["kind"], row["local_date"]),
        address=ChatAddress(row["platform"], row["chat_id"], bool(row["is_group"])),
        title=row["title"],
        text=row["body"],
        runner_id=row["runner_id"],
        due_at=aware(row["due_at"]),
        expires_at=aware(row["expires_at"]),
        id=row["id"],
        attempts=row["attempts"],
    )


class SqlOutbox(Repository):
    def taken(self, recipients: Sequence[str], start: date, end: date) -> list[NudgeClaim]:
        # Day by day: the key is led by the day, so each (day, recipient) is one lookup in it.
        hot = Hot(self.conn)
        claims: list[NudgeClaim] = []
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        for day in days:
            for part in chunks(list(recipients)):
                among, values = hot.among("recipient", part)
                rows = hot.rows(
                    f"SELECT recipient, kind FROM outbox WHERE local_date = ? AND {among}",
                    (hot.day(day), values),
                )
                claims += [NudgeClaim(r, k, day) for r, k in rows]
        return claims

    def enqueue(self, entries: Sequence[OutboxEntry]) -> int:
        hot = Hot(self.conn)
        return hot.many(
            _ENQUEUE,
            (
                (
                    e.claim.recipient,
                    hot.day(e.claim.local_date),
                    e.claim.kind,
                    e.address.platform,
                    e.address.chat_id,
                    e.address.is_group,
                    e.runner_id,
                    e.title[:200],
                    e.text,
                    QUEUED,
                    hot.instant(e.due_at),
                    hot.instant(e.expires_at),
                )
                for e in entries
            ),
        )

    def claim(self, runner_ids: Sequence[int], slot: ClaimSlot, daily_cap: int) -> int:
        if not runner_ids:
            return 0
        hot = Hot(self.conn)
        among, ids = hot.among("r.id", runner_ids)
        day = hot.day(slot.local_date)
        params = (
            day,
            slot.kind,
            False,
            UNWORDED,
            QUEUED,
            hot.instant(slot.due_at),
            hot.instant(slot.expires_at),
            ids,
            hot.instant(slot.due_at),
            hot.day(slot.monday),
            slot.day_bit,
            day,
            daily_cap,
        )
        return hot.rows_changed(_CLAIM.format(among=among), params)

    def lease(
        self, platform: str | None, now: datetime, limit: int, until: datetime
    ) -> tuple[list[OutboxEntry], list[OutboxEntry]]:
        """One UPDATE … RETURNING: SQLite takes its write lock before it reads, PostgreSQL skips the
        rows another sender holds, so two senders never lease the same entry."""
        at = utc(now)
        ready = (
            select(outbox.c.id)
            .where(
                outbox.c.state == QUEUED,
                outbox.c.due_at <= at,
                or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= at),
            )
            .order_by(outbox.c.due_at, outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if platform is not None:
            ready = ready.where(outbox.c.platform == platform)
        late = outbox.c.expires_at <= at
        statement = (
            update(outbox)
            .where(outbox.c.id.in_(ready.scalar_subquery()))
            .values(
                lease_until=case((late, None), else_=utc(until)),
                state=case((late, DROPPED), else_=outbox.c.state),
                settled_at=case((late, at), else_=outbox.c.settled_at),
            )
            .returning(*_COLUMNS, outbox.c.state)
        )
        rows = [(_entry(r), r.state) for r in self.conn.execute(statement)]
        found = sorted(rows, key=lambda pair: (pair[0].due_at, pair[0].id))
        leased = [e for e, state in found if state == QUEUED]
        dropped = [e for e, state in found if state == DROPPED]
        return leased, dropped

    def finish(self, ids: Sequence[int], state: str, at: datetime) -> None:
        tried = state in (SENT, UNREACHABLE)
        for part in chunks(list(ids)):
            self.conn.execute(
                update(outbox)
                .where(outbox.c.id.in_(part))
                .values(
                    state=state,
                    settled_at=utc(at),
                    lease_until=None,
                    attempts=outbox.c.attempts + (1 if tried else 0),
                )
            )

    def retry(self, due: dict[int, datetime]) -> None:
        if due:
            self.conn.execute(_RETRY, [{"oid": oid, "due": utc(at)} for oid, at in due.items()])

    def release(self, ids: Sequence[int]) -> None:
        for part in chunks(list(ids)):
            self.conn.execute(update(outbox).where(outbox.c.id.in_(part)).values(lease_until=None))

    def release_all(self, platform: str) -> int:
        result = self.conn.execute(
            update(outbox)
            .where(outbox.c.platform == platform, outbox.c.state == QUEUED, outbox.c.lease_until.is_not(None))
            .values(lease_until=None)
        )
        return int(result.rowcount or 0)

    def backlog(self) -> dict[str, int]:
        rows = self.conn.execute(
            select(outbox.c.platform, func.count())
            .where(outbox.c.state == QUEUED)
            .group_by(outbox.c.platform)
        )
        return {platform: int(n) for platform, n in rows}

    def prune(self, before: date) -> int:
        result = self.conn.execute(delete(outbox).where(outbox.c.local_date < before))
        return int(result.rowcount or 0)

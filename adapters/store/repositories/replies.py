"""Kept answers: written with their command, deleted once the adapter says they went out."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, delete, select, update

from adapters.store.later import Later
from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import aware, utc
from adapters.store.tables import kept_replies
from core.ports import KeptReply

# Built once: the keep is on every command's path.
_KEEP = (
    "INSERT INTO kept_replies (event_id, platform, chat_id, is_group, user_id, replies, kept_at, lease_until)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_DONE = delete(kept_replies).where(kept_replies.c.event_id.in_(bindparam("ids", expanding=True)))


def _kept(row: object) -> KeptReply | None:
    try:
        replies = pickle.loads(row.replies)  # type: ignore[attr-defined]
    except Exception:  # written by an older version that no longer reads: dropped with it
        return None
    return KeptReply(
        row.event_id,  # type: ignore[attr-defined]
        row.platform,  # type: ignore[attr-defined]
        row.chat_id,  # type: ignore[attr-defined]
        bool(row.is_group),  # type: ignore[attr-defined]
        row.user_id,  # type: ignore[attr-defined]
        tuple(replies),
        aware(row.kept_at),  # type: ignore[attr-defined]
    )


class SqlReplies(Repository):
    def keep(self, kept: KeptReply, lease_until: datetime) -> None:
        later = Later.of(self.conn)
        replies = pickle.dumps(kept.replies, protocol=pickle.HIGHEST_PROTOCOL)
        values = (kept.event_id, kept.platform, kept.chat_id, kept.is_group, kept.user_id, replies)
        later.write(_KEEP, (*values, later.hot.instant(kept.kept_at), later.hot.instant(lease_until)))

    def done(self, event_ids: Sequence[str]) -> None:
        for part in chunks(list(event_ids)):
            self.conn.execute(_DONE, {"ids": list(part)})

    def take_due(self, platform: str, now: datetime, lease_until: datetime, limit: int) -> list[KeptReply]:
        query = (
            select(kept_replies)
            .where(kept_replies.c.platform == platform, kept_replies.c.lease_until <= utc(now))
            .order_by(kept_replies.c.kept_at)
            .limit(limit)
        )
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = self.conn.execute(query).all()
        if not rows:
            return []
        ids = [r.event_id for r in rows]
        for part in chunks(ids):
            self.conn.execute(
                update(kept_replies)
                .where(kept_replies.c.event_id.in_(list(part)))
                .values(lease_until=utc(lease_until))
            )
        found = [_kept(r) for r in rows]
        unreadable = [r.event_id for r, k in zip(rows, found, strict=True) if k is None]
        if unreadable:
            self.done(unreadable)
        return [k for k in found if k is not None]

    def hold(self, event_ids: Sequence[str], until: datetime) -> None:
        self._lease(event_ids, until, kept_replies.c.lease_until < utc(until))

    def release(self, event_ids: Sequence[str], at: datetime) -> None:
        self._lease(event_ids, at)

    def _lease(self, event_ids: Sequence[str], until: datetime, *only: ColumnElement[bool]) -> None:
        for part in chunks(list(event_ids)):
            self.conn.execute(
                update(kept_replies)
                .where(kept_replies.c.event_id.in_(list(part)), *only)
                .values(lease_until=utc(until))
            )

    def forget_before(self, before: datetime) -> int:
        result = self.conn.execute(delete(kept_replies).where(kept_replies.c.kept_at < utc(before)))
        return int(result.rowcount or 0)

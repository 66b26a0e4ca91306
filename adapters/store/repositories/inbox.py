"""The inbox: fetched platform events, kept until handled (handled = the event id was claimed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select

from adapters.store.repositories.base import Repository
from adapters.store.rows import aware, utc
from adapters.store.tables import inbox, processed_events
from core.messages import InboxEvent


class SqlInbox(Repository):
    def add(self, events: Sequence[InboxEvent]) -> None:
        if not events:
            return
        rows = [
            {
                "event_id": e.event_id,
                "platform": e.platform,
                "chat_id": e.chat_id,
                "payload": e.payload,
                "received_at": utc(e.received_at),
            }
            for e in events
        ]
        self.conn.execute(self.insert(inbox).on_conflict_do_nothing(index_elements=["event_id"]), rows)

    def pending(self, platform: str, chat_id: str | None = None, limit: int = 10_000) -> list[InboxEvent]:
        query = (
            select(inbox)
            .outerjoin(processed_events, processed_events.c.event_id == inbox.c.event_id)
            .where(inbox.c.platform == platform, processed_events.c.event_id.is_(None))
        )
        if chat_id is not None:
            query = query.where(inbox.c.chat_id == chat_id)
        rows = self.conn.execute(query.order_by(inbox.c.seq).limit(limit))
        return [InboxEvent(r.event_id, r.platform, r.chat_id, r.payload, aware(r.received_at)) for r in rows]

    def prune(self, before: datetime) -> int:
        handled = select(processed_events.c.event_id)
        result = self.conn.execute(
            delete(inbox).where(or_(inbox.c.event_id.in_(handled), inbox.c.received_at < utc(before)))
        )
        return int(result.rowcount or 0)

"""Platform events already handled, so a redelivered update takes effect once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from adapters.store.repositories.base import Repository
from adapters.store.rows import utc
from adapters.store.tables import processed_events


class SqlEvents(Repository):
    def claim(self, event_id: str, at: datetime) -> bool:
        # RETURNING names the row only when this insert made it (rowcount is not reliable here).
        statement = (
            self.insert(processed_events).on_conflict_do_nothing().returning(processed_events.c.event_id)
        )
        return self.conn.execute(statement, {"event_id": event_id, "handled_at": utc(at)}).first() is not None

    def prune(self, before: datetime) -> int:
        result = self.conn.execute(
            delete(processed_events).where(processed_events.c.handled_at < utc(before))
        )
        return int(result.rowcount or 0)

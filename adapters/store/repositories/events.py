"""Platform events already handled, so a redelivered update takes effect once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from adapters.store.hot import Hot
from adapters.store.repositories.base import Repository
from adapters.store.rows import utc
from adapters.store.tables import processed_events

# RETURNING names the row only when this insert made it (rowcount is not reliable here).
_CLAIM = (
    "INSERT INTO processed_events (event_id, handled_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING 1"
)
# PostgreSQL: the claim and the runner's lock in one statement. The lock is taken before the
# statement ends, and under READ COMMITTED the next statement's snapshot is taken after that.
_CLAIM_AND_LOCK = (
    "WITH claimed AS (INSERT INTO processed_events (event_id, handled_at) VALUES (?, ?)"
    " ON CONFLICT DO NOTHING RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM claimed), pg_advisory_xact_lock(hashtext(?))"
)


class SqlEvents(Repository):
    def claim(self, event_id: str, at: datetime, lock: str = "") -> bool:
        hot = Hot(self.conn)
        if lock and hot.pg:
            found = hot.rows(_CLAIM_AND_LOCK, (event_id, hot.instant(at), lock))
            return bool(found[0][0])
        # SQLite lets one writer in at a time: no lock to take.
        return bool(hot.rows(_CLAIM, (event_id, hot.instant(at))))

    def prune(self, before: datetime) -> int:
        result = self.conn.execute(
            delete(processed_events).where(processed_events.c.handled_at < utc(before))
        )
        return int(result.rowcount or 0)

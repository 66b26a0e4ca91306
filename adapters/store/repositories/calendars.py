"""Runners' calendar links: the feed, its validators, when to read it next and what went wrong."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from adapters.store.repositories.base import Repository
from adapters.store.rows import aware, utc
from adapters.store.tables import calendars
from core.calendar.link import CalendarLink


def _link(r: Any) -> CalendarLink:
    return CalendarLink(
        runner_id=r["runner_id"],
        source=r["source"],
        etag=r["etag"],
        last_modified=r["last_modified"],
        checked_at=aware(r["checked_at"]) if r["checked_at"] is not None else None,
        next_check_at=aware(r["next_check_at"]) if r["next_check_at"] is not None else None,
        failures=r["failures"],
        problem=r["problem"],
        told=bool(r["told"]),
    )


class SqlCalendars(Repository):
    def get(self, runner_id: int) -> CalendarLink | None:
        row = self.conn.execute(select(calendars).where(calendars.c.runner_id == runner_id)).first()
        return _link(row._mapping) if row is not None else None

    def save(self, link: CalendarLink) -> None:
        self.upsert(
            calendars,
            [
                {
                    "runner_id": link.runner_id,
                    "source": link.source,
                    "etag": link.etag[:200],
                    "last_modified": link.last_modified[:64],
                    "checked_at": utc(link.checked_at) if link.checked_at else None,
                    "next_check_at": utc(link.next_check_at) if link.next_check_at else None,
                    "failures": link.failures,
                    "problem": link.problem[:200],
                    "told": link.told,
                }
            ],
            ("runner_id",),
        )

    def delete(self, runner_id: int) -> None:
        self.conn.execute(delete(calendars).where(calendars.c.runner_id == runner_id))

    def due(self, now: datetime, limit: int) -> list[CalendarLink]:
        rows = self.conn.execute(
            select(calendars)
            .where(calendars.c.next_check_at.is_not(None), calendars.c.next_check_at <= utc(now))
            .order_by(calendars.c.next_check_at, calendars.c.runner_id)
            .limit(limit)
        )
        return [_link(r._mapping) for r in rows]

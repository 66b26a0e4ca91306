"""Writes a command needs nothing back from, sent in one round trip with what comes next (PostgreSQL).

A ``/log`` ends with four such writes (its sets, its bests, the book, the kept answer) and the
COMMIT. On PostgreSQL they wait in the unit of work's queue and go to the server together, in
psycopg's pipeline mode: with the COMMIT (one round trip for the lot), or just before any other
statement of the same connection (the engine's ``before_cursor_execute`` hook), so every read
sees them and the order of writes is the order they were asked for. A failing write fails the
statement it went with, as it would have on its own. SQLite is in the process: there they run
at once. Statements are driver-level SQL with ``?`` marks (:class:`~adapters.store.hot.Hot`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, event

from adapters.store.hot import Hot

_KEY = "runlift.later"


@cache
def values_text(columns: int, rows: int) -> str:
    """``(?, ?), (?, ?)`` for a multi-row VALUES list."""
    one = "(" + ", ".join(["?"] * columns) + ")"
    return ", ".join([one] * rows)


class Later:
    """The queue of one connection's unit of work."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.hot = Hot(conn)
        self.queue: list[tuple[str, tuple[Any, ...]]] = []

    @staticmethod
    def of(conn: Connection) -> Later:
        later = conn.info.get(_KEY)
        if later is None or later.conn is not conn:
            later = conn.info[_KEY] = Later(conn)
        return later

    def write(self, statement: str, params: Sequence[Any]) -> None:
        if self.hot.pg:
            if not self.conn.in_transaction():  # else a unit that only waits would not commit
                self.conn.begin()
            self.queue.append((self.hot.sql(statement), tuple(params)))
        else:
            self.conn.exec_driver_sql(statement, tuple(params))

    def _send(self) -> None:
        """Queue what waits on the driver's pipeline (the caller syncs it)."""
        queue, self.queue = self.queue, []
        cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for statement, params in queue:
            cursor.execute(statement, params)

    def flush(self) -> None:
        if self.queue:
            with self.conn.connection.driver_connection.pipeline():  # type: ignore[union-attr]
                self._send()

    def commit(self) -> None:
        """What waits and the COMMIT in one round trip."""
        if not self.queue:
            self.conn.commit()
            return
        with self.conn.connection.driver_connection.pipeline():  # type: ignore[union-attr]
            self._send()
            self.conn.commit()  # queued behind the writes; psycopg syncs the pipeline here

    def drop(self) -> None:
        self.queue.clear()


def _before_statement(conn: Connection, *_: Any) -> None:
    later = conn.info.get(_KEY)
    if later is not None and later.queue:
        later.flush()


def _before_commit(conn: Connection) -> None:
    later = conn.info.get(_KEY)
    if later is not None and later.queue:  # a COMMIT not made through Later.commit
        later.flush()


def _after_rollback(conn: Connection) -> None:
    if conn.invalidated:  # its queue went with the connection (``info`` would reconnect)
        return
    later = conn.info.get(_KEY)
    if later is not None:
        later.drop()


def watch(engine: Engine) -> None:
    """Send what waits before any other statement or COMMIT of the engine's connections."""
    if engine.dialect.name != "postgresql" or event.contains(engine, "rollback", _after_rollback):
        return
    event.listen(engine, "before_cursor_execute", _before_statement)
    event.listen(engine, "commit", _before_commit)
    event.listen(engine, "rollback", _after_rollback)

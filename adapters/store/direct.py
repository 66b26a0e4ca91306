"""A PostgreSQL connection of a process's own, outside SQLAlchemy's pool (autocommit): for session
advisory locks and other work that must not share a pooled connection. Named in ``pg_stat_activity``;
made on first use and again after it was dropped."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import Any

from sqlalchemy.engine import make_url

from adapters.store.engine import normalize_url

CONNECT_TIMEOUT_S = 5


def libpq(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg takes it (its query, e.g. ``options``, kept)."""
    url = make_url(normalize_url(database_url))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class DirectConnection:
    def __init__(self, database_url: str, application_name: str) -> None:
        self._url = libpq(database_url)
        self._name = application_name
        self._conn: Any = None
        self._connecting = asyncio.Lock()

    async def get(self) -> tuple[Any, bool]:
        """The live connection, and whether it was made just now."""
        async with self._connecting:
            if self._conn is not None and not self._conn.closed:
                return self._conn, False
            import psycopg
            from psycopg.conninfo import make_conninfo

            conninfo = make_conninfo(
                self._url, connect_timeout=CONNECT_TIMEOUT_S, application_name=self._name
            )
            self._conn = await asyncio.wait_for(
                psycopg.AsyncConnection.connect(conninfo, autocommit=True), CONNECT_TIMEOUT_S + 1
            )
            return self._conn, True

    async def drop(self) -> None:
        """Close it (a session's advisory locks go with it); the next ``get`` connects again."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):
                await asyncio.wait_for(conn.close(), 2)

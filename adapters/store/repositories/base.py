"""What every repository shares: the connection, the dialect's upsert, and chunked IN lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

T = TypeVar("T")
IN_CHUNK = 500


# Upsert statements by (dialect, table, key columns, updated columns).
_UPSERTS: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Any] = {}


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class Repository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, table: Table) -> Any:
        """An INSERT that can take ``on_conflict_do_*`` (both supported dialects have it)."""
        build = pg_insert if self.conn.dialect.name == "postgresql" else sqlite_insert
        return build(table)

    def upsert(self, table: Table, rows: Sequence[dict[str, object]], keys: Sequence[str]) -> None:
        """Insert ``rows``, replacing the other columns of any row already there with the same ``keys``."""
        if not rows:
            return
        columns = tuple(c for c in rows[0] if c not in keys)
        shape = (self.conn.dialect.name, table.name, tuple(keys), columns)
        statement = _UPSERTS.get(shape)
        if statement is None:  # built once per shape: `excluded` makes an alias of every column
            built = self.insert(table)
            statement = _UPSERTS[shape] = built.on_conflict_do_update(
                index_elements=list(keys), set_={c: built.excluded[c] for c in columns}
            )
        self.conn.execute(statement, list(rows))

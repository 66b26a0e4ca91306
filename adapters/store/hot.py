"""Driver-level SQL for the hot paths (the nudge pass, /log): no SQLAlchemy expression work per row.

The statements are written once with ``?`` placeholders and given to the DBAPI driver
as they are (``%s`` for psycopg). Values cross in the forms SQLAlchemy itself stores, so
rows written here read back the same through the table definitions and vice versa:
on SQLite an instant is ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC and a day ``YYYY-MM-DD``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table

from adapters.store import raw

_SQLITE_INSTANT = "%Y-%m-%d %H:%M:%S.%f"


@lru_cache(maxsize=4096)  # a pass writes the same few slot moments for thousands of runners
def _sqlite_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime(_SQLITE_INSTANT)


@cache
def _kinds(table: Table) -> dict[str, str]:
    """Columns whose SQLite text needs decoding: instants and days."""
    kinds = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            kinds[column.name] = "instant"
        elif isinstance(column.type, Date):
            kinds[column.name] = "day"
    return kinds


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pg_array(values: Sequence[int] | Sequence[str]) -> str:
    """A PostgreSQL array literal (``{1,2,3}``, ``{"a","b"}``): written in one join, where psycopg's
    list adapter inspects every element (a tenth of a busy pass's time at 150,000 runners)."""
    if all(isinstance(v, int) for v in values):
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(_quoted(str(v)) for v in values) + "}"


class Hot:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.pg else statement

    def marks(self, n: int) -> str:
        """``?, ?, …`` for an IN list of ``n`` values."""
        return ", ".join(["?"] * n)

    def among(self, column: str, ids: Sequence[int] | Sequence[str]) -> tuple[str, Any]:
        """``column`` is one of ``ids``, as SQL and its one parameter (a JSON array read by
        ``json_each`` on SQLite, an array on PostgreSQL): a chunk of ids costs one bind."""
        if self.pg:
            # The literal crosses untyped: the server reads it as an array of the column's type.
            return f"{column} = ANY(?)", pg_array(ids)
        return f"{column} IN (SELECT value FROM json_each(?))", json.dumps(list(ids))

    # values in and out

    def instant(self, value: datetime | None) -> Any:
        if value is None:
            return None
        return value.astimezone(UTC) if self.pg else _sqlite_instant(value)

    def read_instant(self, value: Any) -> datetime:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def day(self, value: date) -> Any:
        return value if self.pg else value.isoformat()

    def read_day(self, value: Any) -> date:
        return date.fromisoformat(value) if isinstance(value, str) else value

    # statements

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        if self.pg:
            return raw.rows(self.conn, self.sql(statement), tuple(params))
        return list(self.conn.exec_driver_sql(statement, tuple(params)).all())

    def records(self, table: Table, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of ``SELECT * FROM table …`` as dicts with the values the table's types give."""
        if self.pg:
            cursor = raw.execute(self.conn, self.sql(statement), tuple(params))
            names = raw.names(cursor)
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        result = self.conn.exec_driver_sql(statement, tuple(params))
        names = list(result.keys())
        kinds = _kinds(table)
        decode = [(i, kinds.get(name)) for i, name in enumerate(names)]
        decode = [(i, k) for i, k in decode if k is not None]
        out = []
        for row in result:
            values = list(row)
            for i, kind in decode:
                v = values[i]
                if v is not None:
                    values[i] = self.read_instant(v) if kind == "instant" else date.fromisoformat(v)
            out.append(dict(zip(names, values, strict=True)))
        return out

    def rows_changed(self, statement: str, params: Sequence[Any] = ()) -> int:
        """One statement that writes; the number of rows it changed."""
        if self.pg:
            return raw.changed(self.conn, self.sql(statement), tuple(params))
        return int(self.conn.exec_driver_sql(self.sql(statement), tuple(params)).rowcount or 0)

    def many(self, statement: str, rows: Iterable[Sequence[Any]]) -> int:
        """One statement for every row (executemany); the number of rows it changed."""
        batch = [tuple(r) for r in rows]
        if not batch:
            return 0
        if self.pg:
            return raw.changed(self.conn, self.sql(statement), batch, many=True)
        return int(self.conn.exec_driver_sql(self.sql(statement), batch).rowcount or 0)

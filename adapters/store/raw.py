"""Statements handed to psycopg's cursor directly, outside SQLAlchemy's execution machinery (PostgreSQL).

A group ``/log`` runs a dozen short statements; through ``Connection.exec_driver_sql`` each one
also builds an execution context, a result with its metadata and row objects — about 40 µs of
CPU a statement, more than psycopg spends sending it. Here the statement goes to a psycopg
cursor and its rows come back as tuples, while everything the engine promises stays as it was:

- the SQLAlchemy connection's transaction is begun first (so ``commit`` and ``rollback`` act on it);
- ``before_cursor_execute`` / ``after_cursor_execute`` listeners run as for any statement (the
  deferred writes of :mod:`adapters.store.later` go out before it; tests count statements);
- a driver error goes through SQLAlchemy's own handling: ``handle_error`` listeners, a lost
  connection invalidated with its pool, and the error raised as the ``DBAPIError`` the store's
  retry rule reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Executable


def _cursor(conn: Connection) -> Any:
    if not conn.in_transaction():
        conn.begin()
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def execute(conn: Connection, statement: str, params: Any, many: bool = False) -> Any:
    """Run one statement (``%s`` or ``%(name)s`` marks) on the connection; the psycopg cursor."""
    cursor = _cursor(conn)
    events = conn._has_events or conn.engine._has_events
    try:
        if events:
            for fn in conn.dispatch.before_cursor_execute:
                statement, params = fn(conn, cursor, statement, params, None, many)
        if many:
            cursor.executemany(statement, params)
        else:
            cursor.execute(statement, params)
        if events:
            conn.dispatch.after_cursor_execute(conn, cursor, statement, params, None, many)
    except BaseException as error:
        conn._handle_dbapi_exception(error, statement, params, cursor, None)
    return cursor


def rows(conn: Connection, statement: str, params: Any) -> list[tuple[Any, ...]]:
    return execute(conn, statement, params).fetchall()  # type: ignore[no-any-return]


def names(cursor: Any) -> list[str]:
    """The result's column names, as the statement labels them."""
    return [column[0] for column in cursor.description or ()]


def changed(conn: Connection, statement: str, params: Any, many: bool = False) -> int:
    return int(execute(conn, statement, params, many).rowcount or 0)


class Prepared:
    """A Core statement compiled once for PostgreSQL and run through :func:`execute` there; on other
    databases it runs through SQLAlchemy as usual. :meth:`run` gives the column names and the rows
    (tuples on PostgreSQL, SQLAlchemy rows elsewhere): the same values either way, for statements
    whose types need no conversion by SQLAlchemy on PostgreSQL (checked when first compiled)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._pg: tuple[str, dict[str, Any]] | None = None

    def run(self, conn: Connection, params: dict[str, Any]) -> tuple[list[str], Iterable[Sequence[Any]]]:
        if conn.dialect.name != "postgresql":
            result = conn.execute(self.statement, params)
            return list(result.keys()), result
        if self._pg is None:
            self._pg = _compiled(self.statement, conn.dialect)
        sql, fixed = self._pg
        cursor = execute(conn, sql, {**fixed, **params} if fixed else params)
        return names(cursor), cursor.fetchall()


def _compiled(statement: Executable, dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """The SQL (``%(name)s`` marks) and the values of the statement's own binds (literals)."""
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    binds = compiled.binds.values()
    columns = getattr(statement, "selected_columns", ())
    converted = [b.key for b in binds if _converts(b.type, dialect, bind=True)]
    converted += [c.key for c in columns if _converts(c.type, dialect, bind=False)]
    if converted:
        raise ValueError(f"values SQLAlchemy converts on {dialect.name}: {', '.join(converted)}")
    required = {b.key for b in binds if b.required}
    return compiled.string, {k: v for k, v in compiled.params.items() if k not in required}


def _converts(kind: Any, dialect: Dialect, bind: bool) -> bool:
    impl = kind.dialect_impl(dialect)
    try:
        return (impl.bind_processor(dialect) if bind else impl.result_processor(dialect, None)) is not None
    except Exception:  # a processor that needs the column's type code (numerics): it converts
        return True

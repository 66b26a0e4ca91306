"""Engines from plain URLs, and migrations to head at start."""

from __future__ import annotations

import logging
import select
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def normalize_url(url: str) -> str:
    """Pick the driver for plain URLs: ``postgresql://`` and ``postgres://`` use psycopg 3."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _ended_while_idle(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection the server ended while it sat idle is replaced at checkout.

    Nothing is in flight on an idle connection, so anything to read on its socket is the
    server's goodbye (a restart, ``pg_terminate_backend``, an idle timeout) or end of file: one
    ``poll()`` and no round trip, where ``pool_pre_ping`` costs a statement per checkout. A
    connection that ends with a statement in flight fails that statement; SQLAlchemy then
    drops the whole pool and :meth:`SqlStore.retryable` runs the command again.
    """
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None:
        return
    if pgconn.status != 0:  # not CONNECTION_OK: psycopg already saw it end
        raise DisconnectionError("connection ended")
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
    if poller.poll(0):
        raise DisconnectionError("the server ended the connection while it was idle")


def _plain_descriptions(dbapi_connection: Any, _record: Any) -> None:
    from adapters.store.pg_cursor import PlainDescriptionCursor

    dbapi_connection.cursor_factory = PlainDescriptionCursor


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_size=5, max_overflow=10)
    event.listen(engine, "checkout", _ended_while_idle)
    event.listen(engine, "connect", _plain_descriptions)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def newest_revision() -> str:
    """The head revision, read from the migration file names (``0002_accountability.py`` → ``0002``)."""
    names = (p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))
    return max(names)


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("select version_num from alembic_version")).scalar()
    except DBAPIError:
        return None


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to run at every start.

    When the database is already at the newest revision, Alembic (slow to import)
    is not loaded at all: start-up cost matters for every `runlift console` call.
    """
    if revision == "head" and current_revision(engine) == newest_revision():
        return
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying and dropping it; with foreign keys on, dropping
            # a parent table would cascade into its children and lose their rows.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    # Two processes starting together (RUNLIFT_HA) migrate one after the other;
                    # the second finds the schema at head and does nothing.
                    connection.exec_driver_sql(
                        "select pg_advisory_xact_lock(hashtext('runlift-migrate:' || current_schema()))"
                    )
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()

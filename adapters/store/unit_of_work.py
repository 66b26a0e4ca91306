"""The SQLAlchemy unit of work: one transaction, its repositories as attributes; ``commit()`` commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from adapters.store.repositories.events import SqlEvents
from adapters.store.repositories.groups import SqlGroups, SqlRewards
from adapters.store.repositories.ledger import SqlLedger
from adapters.store.repositories.logbook import SqlLogbook
from adapters.store.repositories.nudges import SqlNudges
from adapters.store.repositories.runners import SqlRunners


class SqlUnitOfWork:
    """Repositories over one connection inside one transaction."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection
        self.events = SqlEvents(connection)
        self.runners = SqlRunners(connection)
        self.logbook = SqlLogbook(connection)
        self.ledger = SqlLedger(connection)
        self.groups = SqlGroups(connection)
        self.rewards = SqlRewards(connection)
        self.nudges = SqlNudges(connection)

    def commit(self) -> None:
        """Keep everything written so far; the unit of work goes on in a new transaction."""
        self.conn.commit()


class SqlStore:
    """Opens a unit of work per command; what was not committed is rolled back at the end."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def unit(self) -> Iterator[SqlUnitOfWork]:
        with self.engine.connect() as connection:
            try:
                yield SqlUnitOfWork(connection)
            finally:
                connection.rollback()

"""The SQLAlchemy unit of work: one transaction, its repositories as attributes; ``commit()`` commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from adapters.store.later import Later, watch
from adapters.store.repositories.calendars import SqlCalendars
from adapters.store.repositories.challenges import SqlChallenges
from adapters.store.repositories.events import SqlEvents
from adapters.store.repositories.groups import SqlGroups, SqlLinks, SqlRewards
from adapters.store.repositories.imports import SqlImports
from adapters.store.repositories.inbox import SqlInbox
from adapters.store.repositories.ledger import SqlLedger
from adapters.store.repositories.logbook import SqlLogbook
from adapters.store.repositories.merges import SqlMerges
from adapters.store.repositories.nudges import SqlNudges
from adapters.store.repositories.outbox import SqlOutbox
from adapters.store.repositories.replies import SqlReplies
from adapters.store.repositories.runners import SqlRunners

# PostgreSQL: serialization failure, deadlock, unique violation (a race both sides cannot see).
RETRYABLE_CODES = frozenset({"40001", "40P01", "23505"})
_HOLD = text("SELECT pg_advisory_xact_lock(hashtext(:key))")


class CommitInDoubt(RuntimeError):
    """The connection ended while COMMIT was on its way: what was written may or may not be kept."""


class SqlLocks:
    """Advisory transaction locks on PostgreSQL; SQLite already lets one writer in at a time."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection
        self.enabled = connection.dialect.name == "postgresql"

    def hold(self, key: str) -> None:
        if self.enabled:
            self.conn.execute(_HOLD, {"key": key})


class SqlUnitOfWork:
    """Repositories over one connection inside one transaction."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection
        self.locks = SqlLocks(connection)
        self.events = SqlEvents(connection)
        self.inbox = SqlInbox(connection)
        self.replies = SqlReplies(connection)
        self.runners = SqlRunners(connection)
        self.logbook = SqlLogbook(connection)
        self.imports = SqlImports(connection)
        self.ledger = SqlLedger(connection)
        self.groups = SqlGroups(connection)
        self.rewards = SqlRewards(connection)
        self.links = SqlLinks(connection)
        self.merges = SqlMerges(connection)
        self.challenges = SqlChallenges(connection)
        self.nudges = SqlNudges(connection)
        self.outbox = SqlOutbox(connection)
        self.calendars = SqlCalendars(connection)

    def commit(self) -> None:
        """Keep everything written so far; the unit of work goes on in a new transaction."""
        try:
            Later.of(self.conn).commit()
        except DBAPIError as error:
            if error.connection_invalidated:  # it may have been kept: never run again
                raise CommitInDoubt("the connection ended during COMMIT") from error
            raise


class SqlStore:
    """Opens a unit of work per command; what was not committed is rolled back at the end."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # PostgreSQL writes on several connections at once (the nudge pass claims on two); SQLite
        # lets one writer in at a time.
        self.writers = 2 if engine.dialect.name == "postgresql" else 1
        watch(engine)

    def retryable(self, error: BaseException) -> bool:
        if isinstance(error, DBAPIError):
            code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
            if code in RETRYABLE_CODES:
                return True
            if error.connection_invalidated:
                # A pooled connection that had ended (a restart, a failover): nothing was kept
                # (an ending COMMIT raises CommitInDoubt instead), and the pool holds only new ones.
                return True
            if isinstance(error, IntegrityError) and "UNIQUE" in str(error.orig):
                return True  # SQLite names the race in its message
            return "database is locked" in str(error.orig)
        return False

    @contextmanager
    def unit(self) -> Iterator[SqlUnitOfWork]:
        with self.engine.connect() as connection:
            try:
                yield SqlUnitOfWork(connection)
            finally:
                connection.rollback()

"""Leader election on PostgreSQL (``RUNLIFT_HA=on``): the process holding an advisory lock is the leader.

The lock lives on a dedicated connection outside SQLAlchemy's pool, so nothing else ever
runs on it or returns it. PostgreSQL releases a session lock when its session ends — a
crash, ``kill -9``, a lost machine or a terminated backend — and a standby retrying every
``retry_s`` seconds takes it. The leader checks its own connection every ``check_s``
seconds; a check that fails or takes longer than ``check_timeout_s`` means it may no
longer hold the lock, and it fences itself at once (``on_lost``) before anything else.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import socket
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from adapters.store.engine import normalize_url

if TYPE_CHECKING:
    from bot.app import App
    from core.ports import ChatAdapter

log = logging.getLogger(__name__)

RETRY_S = 2.0
CHECK_S = 1.0
CHECK_TIMEOUT_S = 3.0
CONNECT_TIMEOUT_S = 5
APPLICATION_NAME = "runlift-ha"
LOST_REST_S = 3 * RETRY_S  # a fenced leader waits this long before it competes again
# A new leader waits this long before it polls: an old leader that lost its connection has
# noticed by then (its check runs every CHECK_S) and stopped fetching.
TAKEOVER_GRACE_S = 2 * CHECK_S + 0.5
# The session ends within seconds when the leader's machine vanishes (no FIN): TCP keepalives.
KEEPALIVES = "keepalives=1 keepalives_idle=5 keepalives_interval=2 keepalives_count=2"

REFUSE_SQLITE = (
    "RUNLIFT_HA=on needs PostgreSQL: leader election holds a PostgreSQL advisory lock, and two "
    "processes cannot share a SQLite file safely. Set DATABASE_URL=postgresql://user@host/db "
    "(or unset RUNLIFT_HA to run one instance)."
)


class HaRefused(ValueError):
    """``RUNLIFT_HA=on`` with a database that cannot elect a leader."""


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg takes it (its query, e.g. ``options``, kept)."""
    url = make_url(normalize_url(database_url))
    if not url.drivername.startswith("postgresql"):
        raise HaRefused(REFUSE_SQLITE)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def lock_key(database: str, schema: str, role: str = "leader") -> int:
    """The advisory lock's 64-bit key: one per role (the leader, each Discord shard) and per database
    and schema, so two deployments never share it."""
    digest = hashlib.sha256(f"runlift-{role}:{database}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


HOLDER = """
select a.application_name, a.backend_start from pg_locks l join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory' and l.granted and l.objsubid = 1
  and l.database = (select oid from pg_database where datname = current_database())
  and l.classid::bigint = :high and l.objid::bigint = :low
"""


def holder(conn: Connection) -> str:
    """Who leads, as `runlift status` says it (read on any connection to the database)."""
    row = conn.execute(text("select current_database(), current_schema()")).one()
    key = lock_key(str(row[0]), str(row[1] or "public"))
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    found = conn.execute(text(HOLDER), {"high": unsigned >> 32, "low": unsigned & 0xFFFF_FFFF}).first()
    if found is None:
        return "no leader holds the lock now (a standby takes it within seconds)"
    name = str(found[0]).removeprefix(APPLICATION_NAME).strip() or "unknown"
    return f"leader {name}, connected since {found[1].isoformat(timespec='seconds')}"


def identity() -> str:
    """Who this process is, as the other processes and `runlift status` see it."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Leadership:
    """One process's side of the election: ``acquire`` until leader, then ``watch`` until lost."""

    def __init__(
        self,
        database_url: str,
        *,
        retry_s: float = RETRY_S,
        check_s: float = CHECK_S,
        check_timeout_s: float = CHECK_TIMEOUT_S,
        role: str = "leader",
        title: str = "the leader",
    ) -> None:
        """``role`` names the lock (``leader``; ``discord-shard-3`` for a shard's owner); ``title`` is
        how the logs say what this process became."""
        self.url = libpq_url(database_url)
        self.lock_role = role
        self.title = title
        self.retry_s = retry_s
        self.check_s = check_s
        self.check_timeout_s = check_timeout_s
        self.role = "standby"
        self.terms = 0  # how many times this process became the leader
        self.key: int | None = None
        self._conn: Any = None
        self._rest_until = 0.0

    @property
    def leading(self) -> bool:
        return self.role == "leader"

    async def _connect(self) -> Any:
        import psycopg
        from psycopg.conninfo import make_conninfo

        conninfo = make_conninfo(
            self.url,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name=self.application_name,
            **dict(item.split("=") for item in KEEPALIVES.split()),
        )
        conn = await asyncio.wait_for(
            psycopg.AsyncConnection.connect(conninfo, autocommit=True), CONNECT_TIMEOUT_S + 1
        )
        cursor = await conn.execute("select current_database(), current_schema()")
        row = await cursor.fetchone()
        assert row is not None
        self.key = lock_key(str(row[0]), str(row[1] or "public"), self.lock_role)
        return conn

    @property
    def application_name(self) -> str:
        """The lock connection's name in ``pg_stat_activity`` (``runlift-ha host:pid`` for the leader's)."""
        prefix = APPLICATION_NAME if self.lock_role == "leader" else f"runlift-{self.lock_role}"
        return f"{prefix} {identity()}"[:63]

    async def _try_lock(self) -> bool:
        if self._conn is None or self._conn.closed:
            self._conn = await self._connect()
        cursor = await asyncio.wait_for(
            self._conn.execute("select pg_try_advisory_lock(%s)", (self.key,)), self.check_timeout_s
        )
        row = await cursor.fetchone()
        return bool(row and row[0])

    async def acquire(self, stopping: asyncio.Event) -> bool:
        """Try the lock every ``retry_s`` seconds until this process holds it (True) or ``stopping`` (False)."""
        said_waiting = False
        rest = self._rest_until - time.monotonic()
        if rest > 0:  # a leader that just lost its lock lets the standbys try first
            with suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), rest)
        while not stopping.is_set():
            try:
                if await self._try_lock():
                    self.role = "leader"
                    self.terms += 1
                    log.info("HA: this process (%s) is now %s", identity(), self.title)
                    return True
                if not said_waiting:
                    if self.lock_role == "leader":
                        log.info(
                            "HA: standby (%s): another process leads; trying every %g s",
                            identity(),
                            self.retry_s,
                        )
                    else:
                        log.info("HA: another process is %s; trying every %g s", self.title, self.retry_s)
                    said_waiting = True
            except Exception as error:
                log.warning("HA: standby cannot reach PostgreSQL for the lock: %s", _first_line(error))
                await self._drop()
            with suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.retry_s)
        return False

    async def watch(self, on_lost: Callable[[], None], stopping: asyncio.Event) -> bool:
        """While leader: a cheap query every ``check_s``; on failure call ``on_lost`` at once and return True.

        Returns False when ``stopping`` is set first (the lock is still held: ``release`` it)."""
        while not stopping.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.check_s)
            if stopping.is_set():
                return False
            try:
                cursor = await asyncio.wait_for(self._conn.execute("select 1"), self.check_timeout_s)
                await cursor.fetchone()
            except (Exception, TimeoutError) as error:
                self.role = "standby"
                on_lost()  # fencing first: nothing below may delay it
                self._rest_until = time.monotonic() + LOST_REST_S
                what = "leadership" if self.lock_role == "leader" else self.title
                log.info("HA: %s lost (the lock's connection failed: %s); fenced", what, _first_line(error))
                await self._drop()
                return True
        return False

    async def release(self) -> None:
        """Give the lock up (a clean stop: a standby takes over at its next try) and close the connection."""
        if self._conn is not None and not self._conn.closed and self.leading:
            with suppress(Exception):
                await asyncio.wait_for(
                    self._conn.execute("select pg_advisory_unlock(%s)", (self.key,)), self.check_timeout_s
                )
                log.info("HA: %s released", "leadership" if self.lock_role == "leader" else self.title)
        self.role = "standby"
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):
                await asyncio.wait_for(conn.close(), 2)


def _first_line(error: BaseException) -> str:
    text = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


async def serve_elected(
    app: App, leadership: Leadership, adapters: list[ChatAdapter], stop: asyncio.Event
) -> None:
    """Standby until the lock is ours, then lead until stopped or the lock is lost (then standby again).

    Ingress adapters (Telegram in webhook mode) run in every process from the start, leader or
    standby, and are never fenced: they take updates a load balancer hands them. The leader alone
    registers them with the platform and sends nudges through them."""
    from bot.app import active_active

    ingress = [a for a in adapters if active_active(a)]
    adapters = [a for a in adapters if not active_active(a)]
    for adapter in ingress:
        await app.start_adapter(adapter, keep_going=True, sender=False)
    try:
        await _terms(app, leadership, adapters, ingress, stop)
    finally:
        for adapter in ingress:
            try:
                await asyncio.wait_for(adapter.stop(), timeout=12)
            except Exception:
                log.exception("stopping %s failed", adapter.platform)


async def _terms(
    app: App,
    leadership: Leadership,
    adapters: list[ChatAdapter],
    ingress: list[ChatAdapter],
    stop: asyncio.Event,
) -> None:
    from bot.app import active_active

    first = True
    while await leadership.acquire(stop):
        if not first:
            # A fresh set each term: nothing of the last one lingers.
            adapters = [a for a in app.build_adapters() if not active_active(a)]
        first = False
        lost = asyncio.Event()
        term = list(adapters)

        def fence(term: list[ChatAdapter] = term, lost: asyncio.Event = lost) -> None:
            for adapter in term:
                fenced = getattr(adapter, "fence", None)
                if callable(fenced):
                    fenced()
            for sender in app.senders.values():
                sender.halt()
            lost.set()

        watching = asyncio.create_task(leadership.watch(fence, stop))
        try:
            # An old leader whose connection died has fenced itself by now (it checks every second).
            with suppress(TimeoutError):
                await asyncio.wait_for(_either(stop, lost), TAKEOVER_GRACE_S)
            if not (stop.is_set() or lost.is_set()):
                await app.in_db(app.take_over_leases)
                await app.lead(term, Either(stop, lost), keep_going=True, lost=lost, ingress=ingress)
        finally:
            if lost.is_set():
                await watching
            else:
                watching.cancel()
                await asyncio.gather(watching, return_exceptions=True)
                await leadership.release()
        if stop.is_set():
            return


class Waitable(Protocol):
    """Anything with an awaitable ``wait()`` (an event, or ``Either``)."""

    async def wait(self) -> object: ...


async def _either(*events: asyncio.Event) -> None:
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()


class Either:
    """Set when any of the events is (what a leader's term waits for: a stop, or the lock lost)."""

    def __init__(self, *events: asyncio.Event) -> None:
        self.events = events

    async def wait(self) -> None:
        await _either(*self.events)

"""Whose turn it is to handle a chat's updates, across every process on one database.

In webhook mode any process may receive any update (a load balancer picks), so two updates of one
chat can arrive at two processes at once. A chat's updates are handled by one process at a time, in
the order Telegram numbered them: the process holding the chat's turn handles every update of the
chat kept in the inbox, then gives the turn up. On PostgreSQL the turn is a session-level advisory
lock, one per chat, on a connection of its own (one connection holds every turn the process has);
on SQLite only one process runs, and a turn is an in-process lock.

A turn's lock whose connection is lost is released by PostgreSQL. Nothing is done twice even then:
each update is handled in the transaction that claims its id; only the order could suffer.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from contextlib import suppress
from typing import Any

from sqlalchemy.engine import make_url

from adapters.store.direct import DirectConnection
from adapters.store.engine import normalize_url

log = logging.getLogger(__name__)

QUERY_TIMEOUT_S = 5.0
APPLICATION_NAME = "runlift-turns"


def turn_key(database: str, schema: str, platform: str, chat_id: str) -> int:
    """A chat's advisory lock key (64 bits, apart from the leader's by its prefix)."""
    digest = hashlib.sha256(f"runlift-chat:{database}:{schema}:{platform}:{chat_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class ChatTurns:
    """In-process turns: enough for one process (SQLite, or a single process on PostgreSQL)."""

    async def take(self, platform: str, chat_id: str) -> bool:
        """This process has the chat's turn (False: another process has it now; try again soon)."""
        return True

    async def give_up(self, platform: str, chat_id: str) -> None:
        """The chat's turn is free for any process."""

    async def close(self) -> None:
        """Give every turn up."""


class PgChatTurns(ChatTurns):
    """Turns as PostgreSQL advisory locks, on one connection of this process outside any pool."""

    def __init__(self, database_url: str) -> None:
        self._direct = DirectConnection(database_url, APPLICATION_NAME)
        self._prefix: tuple[str, str] | None = None

    async def _connection(self) -> Any:
        conn, fresh = await self._direct.get()
        if fresh or self._prefix is None:
            cursor = await conn.execute("select current_database(), current_schema()")
            row = await cursor.fetchone()
            assert row is not None
            self._prefix = (str(row[0]), str(row[1] or "public"))
        return conn

    async def _run(self, sql: str, platform: str, chat_id: str) -> bool:
        conn = await self._connection()
        assert self._prefix is not None
        key = turn_key(*self._prefix, platform, chat_id)
        cursor = await asyncio.wait_for(conn.execute(sql, (key,)), QUERY_TIMEOUT_S)
        row = await cursor.fetchone()
        return bool(row and row[0])

    async def take(self, platform: str, chat_id: str) -> bool:
        try:
            return await self._run("select pg_try_advisory_lock(%s)", platform, chat_id)
        except Exception as error:
            # Without the lock connection the order across processes is not kept, but nothing stops:
            # the claim by event id still keeps every update handled once.
            log.warning("chat turns: PostgreSQL did not answer (%s); handling without the turn", error)
            await self._direct.drop()
            return True

    async def give_up(self, platform: str, chat_id: str) -> None:
        with suppress(Exception):
            await self._run("select pg_advisory_unlock(%s)", platform, chat_id)

    async def close(self) -> None:
        await self._direct.drop()


def chat_turns(database_url: str) -> ChatTurns:
    """Advisory-lock turns on PostgreSQL, in-process turns elsewhere."""
    if make_url(normalize_url(database_url)).drivername.startswith("postgresql"):
        return PgChatTurns(database_url)
    return ChatTurns()

"""A chat's turn across processes on a real PostgreSQL: one holder at a time per chat, chats apart,
the turn free again once given up or once its holder's connection ends."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from adapters.chat_turns import ChatTurns, PgChatTurns, chat_turns, turn_key
from adapters.store.engine import make_engine

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="turns across processes need PostgreSQL (TEST_DATABASE_URL)",
)


async def test_one_process_at_a_time_has_a_chats_turn_and_chats_do_not_wait_on_each_other(
    database_url: str,
) -> None:
    a, b = PgChatTurns(database_url), PgChatTurns(database_url)
    try:
        assert await a.take("telegram", "-100")
        assert not await b.take("telegram", "-100")
        assert await b.take("telegram", "-101")  # another chat
        assert await b.take("discord", "-100")  # the same id on another platform is another chat
        assert not await a.take("telegram", "-101")
        await a.give_up("telegram", "-100")
        assert await b.take("telegram", "-100")
        assert not await a.take("telegram", "-100")
    finally:
        await a.close()
        await b.close()


async def test_a_turn_is_free_once_its_holders_connection_ends(database_url: str) -> None:
    a, b = PgChatTurns(database_url), PgChatTurns(database_url)
    try:
        assert await a.take("telegram", "42")
        assert not await b.take("telegram", "42")
        holder = (await a._connection()).info.backend_pid
        engine = make_engine(database_url)
        with engine.connect() as conn:
            name = conn.execute(
                text("select application_name from pg_stat_activity where pid = :pid"), {"pid": holder}
            ).scalar()
            assert name == "runlift-turns"
            # With a timeout it returns once the backend has ended (and its locks with it), not as
            # soon as the signal is sent: without one, the take below could run before the exit.
            assert conn.execute(text("select pg_terminate_backend(:pid, 10000)"), {"pid": holder}).scalar()
        engine.dispose()
        assert await b.take("telegram", "42")
        assert await a.take("telegram", "7")  # the holder whose connection ended connects again
    finally:
        await a.close()
        await b.close()


def test_turns_are_advisory_locks_on_postgresql_and_in_process_elsewhere(database_url: str) -> None:
    assert isinstance(chat_turns(database_url), PgChatTurns)
    assert type(chat_turns("sqlite:///runlift.db")) is ChatTurns
    keys = {turn_key("db", "public", p, c) for p in ("telegram", "discord") for c in ("1", "-1", "10")}
    assert len(keys) == 6 and all(-(2**63) <= k < 2**63 for k in keys)

"""Pooled connections the server ended (a restart, a failover, ``pg_terminate_backend``): the next
command still succeeds on a new connection and is written once — whether the connection ended
while it sat in the pool or under the command's first statement."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text

from adapters.store.engine import make_engine
from adapters.store.tables import entries, processed_events, set_logs
from adapters.store.unit_of_work import SqlStore
from core.commands.context import CoreConfig
from core.messages import Incoming
from core.service import Runlift

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="ending backends needs PostgreSQL (TEST_DATABASE_URL)"
)

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _log(event_id: str, reps: int) -> Incoming:
    text = f"/log squat 3x{reps} @40kg"
    return Incoming(
        "telegram", "7", "Ada", "-100", True, text, AT, chat_title="Crew", event_id=event_id, keep_reply=True
    )


def _backends(engine: Engine) -> set[int]:
    """The server pids of the connections in the engine's pool (each checked out once)."""
    held = [engine.connect() for _ in range(3)]
    try:
        return {c.connection.driver_connection.info.backend_pid for c in held}  # type: ignore[union-attr]
    finally:
        for c in held:
            c.close()


def _terminate(admin: Engine, pids: set[int]) -> None:
    """End the backends from another connection and wait until they are gone."""
    with admin.connect() as conn:
        for pid in pids:
            assert conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        for _ in range(250):
            alive = conn.execute(
                text("select count(*) from pg_stat_activity where pid = any(:pids)"), {"pids": list(pids)}
            ).scalar()
            if not alive:
                return
            conn.rollback()  # pg_stat_activity is read once per transaction
            time.sleep(0.02)
    raise AssertionError(f"backends {pids} still running")


@pytest.fixture
def engines(store: SqlStore, database_url: str) -> Iterator[tuple[Engine, Engine]]:
    """The bot's engine (over empty tables) and an administrator's, apart from it."""
    bot, admin = make_engine(database_url), make_engine(database_url)
    yield bot, admin
    bot.dispose()
    admin.dispose()


def _written(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(entries)).scalar_one(),
            conn.execute(select(func.count()).select_from(set_logs)).scalar_one(),
            conn.execute(select(func.count()).select_from(processed_events)).scalar_one(),
        )


def test_a_command_after_the_pools_backends_were_ended_succeeds_and_is_written_once(
    engines: tuple[Engine, Engine],
) -> None:
    bot, admin = engines
    core = Runlift(SqlStore(bot), CoreConfig(default_tz="UTC"))
    assert core.handle(_log("e1", 5))[0].text.startswith("Logged")
    pids = _backends(bot)
    assert pids
    _terminate(admin, pids)
    failures: list[Any] = []
    failed = failures.append
    event.listen(bot, "handle_error", failed)
    try:
        replies = core.handle(_log("e2", 6))
    finally:
        event.remove(bot, "handle_error", failed)
    assert replies and replies[0].text.startswith("Logged"), replies
    assert failures == []  # the ended connections were replaced at checkout, before any statement
    assert _written(bot) == (2, 6, 2)
    assert pids.isdisjoint(_backends(bot))


def test_a_connection_ended_under_the_first_statement_runs_the_command_again_once(
    engines: tuple[Engine, Engine],
) -> None:
    bot, admin = engines
    store = SqlStore(bot)
    core = Runlift(store, CoreConfig(default_tz="UTC"))
    assert core.handle(_log("e1", 5))[0].text.startswith("Logged")
    ended: list[int] = []
    failures: list[BaseException] = []

    # The first statement of the next command finds its backend gone: the checkout saw a live one.
    def end_first(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if not ended:
            pid = conn.connection.driver_connection.info.backend_pid
            ended.append(pid)
            _terminate(admin, {pid})

    def failed(context: Any) -> None:
        failures.append(context.sqlalchemy_exception)

    event.listen(bot, "before_cursor_execute", end_first)
    event.listen(bot, "handle_error", failed)
    try:
        replies = core.handle(_log("e2", 6))
    finally:
        event.remove(bot, "before_cursor_execute", end_first)
        event.remove(bot, "handle_error", failed)
    assert replies and replies[0].text.startswith("Logged"), replies
    assert len(ended) == 1
    assert failures and store.retryable(failures[0])  # it failed, and was run again
    assert _written(bot) == (2, 6, 2)
    # The redelivery of the same update takes no effect.
    assert core.handle(_log("e2", 6)) == []
    assert _written(bot) == (2, 6, 2)

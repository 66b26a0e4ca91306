"""Leader election on a real PostgreSQL: one holder at a time, a standby that takes over when the holder's
session ends, a leader that notices its lost connection within its check interval, a clean release."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from sqlalchemy import text

from adapters.store.engine import make_engine
from bot.leadership import Leadership

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="leader election needs PostgreSQL (TEST_DATABASE_URL)"
)


def fast(url: str) -> Leadership:
    return Leadership(url, retry_s=0.2, check_s=0.2, check_timeout_s=1.0)


def terminate(url: str, name_part: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return len(
                conn.execute(
                    text(
                        "select pg_terminate_backend(pid) from pg_stat_activity"
                        " where application_name like :name and pid <> pg_backend_pid()"
                    ),
                    {"name": f"runlift-ha %:{name_part}"},
                ).all()
            )
    finally:
        engine.dispose()


async def test_one_leader_at_a_time_and_the_standby_takes_over_a_lost_connection(database_url: str) -> None:
    first, second = fast(database_url), fast(database_url)
    stopping = asyncio.Event()
    assert await asyncio.wait_for(first.acquire(stopping), 10) and first.leading
    waiting = asyncio.create_task(second.acquire(stopping))
    await asyncio.sleep(1.0)
    assert not waiting.done() and second.role == "standby"  # tried five times, refused each

    fenced_at: list[float] = []
    watching = asyncio.create_task(first.watch(lambda: fenced_at.append(time.monotonic()), stopping))
    await asyncio.sleep(0.3)
    cut_at = time.monotonic()
    assert terminate(database_url, str(os.getpid())) >= 1  # both lock connections are this process's
    # The standby's own connection went too: it reconnects and, the lock being free, leads.
    assert await asyncio.wait_for(watching, 5) is True
    assert fenced_at and fenced_at[0] - cut_at < 1.0 and not first.leading
    assert await asyncio.wait_for(waiting, 10) is True and second.leading
    assert first.key == second.key

    again = asyncio.create_task(first.acquire(stopping))
    await asyncio.sleep(0.5)
    assert not again.done()  # still the second's
    await second.release()
    assert await asyncio.wait_for(again, 10) is True  # released at once, not at a session's end
    stopping.set()
    await first.release()
    assert not first.leading and not second.leading


async def test_a_stop_ends_the_wait_of_a_standby_and_the_watch_of_a_leader(database_url: str) -> None:
    leader, standby = fast(database_url), fast(database_url)
    stopping = asyncio.Event()
    assert await leader.acquire(stopping)
    waiting = asyncio.create_task(standby.acquire(stopping))
    watching = asyncio.create_task(leader.watch(lambda: None, stopping))
    await asyncio.sleep(0.5)
    stopping.set()
    assert await asyncio.wait_for(waiting, 2) is False
    assert await asyncio.wait_for(watching, 2) is False and leader.leading  # still held: release it
    await leader.release()
    await standby.release()

"""The outbound budget shared by processes on one PostgreSQL: two pacers (two processes' worth of
connections) spend one bucket together, and a sliding-window limit never lets a window over."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from adapters.pacing import Limit
from adapters.shared_pacing import SharedPacer, bucket_of
from adapters.store.engine import make_engine


@settings(max_examples=60, deadline=None)
@given(count=st.integers(1, 40), seconds=st.floats(0.5, 120), bucket=st.booleans())
def test_greedy_sending_by_the_bucket_never_puts_more_than_the_limit_in_a_window(
    count: int, seconds: float, bucket: bool
) -> None:
    limit = Limit(count, seconds, bucket=bucket)
    capacity, rate = bucket_of(limit)
    tokens, at, sent = capacity, 0.0, []
    step = seconds / 200
    t = 0.0
    while t < seconds * 6:
        tokens = min(capacity, tokens + (t - at) * rate)
        at = t
        while tokens >= 1:
            tokens -= 1
            sent.append(t)
        t += step
    # A window limit is never exceeded; a bucket keeps its own promise (its burst, then its rate).
    allowed = 2 * count + 1 if bucket else count
    worst = max(sum(1 for s in sent if start <= s < start + seconds) for start in sent)
    assert worst <= allowed
    assert len(sent) / (seconds * 6) >= min(count, 2) / (2 * seconds) * 0.9  # and it does send


pg = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the shared budget lives in PostgreSQL (TEST_DATABASE_URL)",
)


@pg
async def test_two_processes_pacers_spend_one_budget(
    database_url: str, engine: object
) -> None:  # engine: the tables migrated
    eng = make_engine(database_url)
    with eng.begin() as conn:
        conn.execute(text("delete from send_budget"))
    eng.dispose()
    limits = (Limit(4, 1.0, "chat", bucket=True),)
    a, b = SharedPacer(database_url, "telegram", limits), SharedPacer(database_url, "telegram", limits)
    times: list[float] = []
    started = time.perf_counter()

    async def send(pacer: SharedPacer) -> None:
        await pacer.wait("-100", True)
        times.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(send(a if i % 2 else b) for i in range(10)))
        other = time.perf_counter()
        await a.wait("-200", True)
        assert time.perf_counter() - other < 0.5  # another chat is not held up by this one's empty bucket
    finally:
        await a.close()
        await b.close()
    times.sort()
    assert sum(1 for t in times[:10] if t < 0.2) <= 4  # the burst, shared: not four each
    assert times[9] >= (10 - 4) / 4 * 0.9  # then four a second between them both
    assert a.waited + b.waited > 0

"""Telegram webhook mode, active/active: two `runlift run` processes (``RUNLIFT_HA=on``, one PostgreSQL)
behind a loopback load balancer, the fake Telegram posting every update to the registered URL.

Both processes take updates all along; the leader alone registered the webhook and sends nudges. The
leader is killed (-9) or stopped (SIGTERM) mid-stream with nudges leased: every /log is stored once,
each chat's sets in the order they were sent, every message answered once (a kill may lose the
replies the dead process owed), each due nudge delivered once by the new leader, and nobody polled.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.store.engine import make_engine, migrate
from adapters.store.tables import runners, set_logs
from adapters.store.unit_of_work import SqlStore
from core.commands.context import CoreConfig
from core.service import Runlift
from tests.conftest import database_url_for
from tests.e2e.fake_telegram import FakeTelegram, user
from tests.e2e.hacluster import HaBot, end
from tests.e2e.loopback_lb import LoopbackBalancer
from tests.e2e.scene import SCENE_NOW
from tests.e2e.test_both_platforms import _midday_zone, _runner_due_now
from tests.e2e.test_nothing_lost import stored
from tests.e2e.test_two_instances import NUDGED, Key, doubled_away_from, is_nudge, logged, until

FAKE = FakeTelegram

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL"),
        reason="two processes behind a balancer share PostgreSQL: set TEST_DATABASE_URL (make test does)",
    ),
]

SECRET = "pair-webhook_secret-7"
RUNNERS = 8
PER_RUNNER = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def set_order(workdir: Path) -> dict[str, list[int]]:
    """Each runner's stored reps in the order the sets were written."""
    engine = make_engine(database_url_for(workdir))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(runners.c.user_id, set_logs.c.reps)
                .join(runners, runners.c.id == set_logs.c.runner_id)
                .order_by(set_logs.c.id)
            ).all()
    finally:
        engine.dispose()
    found: dict[str, list[int]] = {}
    for user_id, reps in rows:
        found.setdefault(str(user_id), []).append(int(reps))
    return found


async def stream(fake: FakeTelegram, i: int, sent: list[Key], gap_s: float) -> int:
    """One runner's /log messages, each posted once the last was answered 200 (Telegram's order)."""
    who = user(95_000 + i, f"W{i}")
    retries = 0
    for reps in range(1, PER_RUNNER + 1):
        retries += await fake.post_update(fake.webhook_update(f"/log squat 1x{reps} @21kg", who))
        sent.append((str(who["id"]), reps, 21.0))
        await asyncio.sleep(gap_s)
    return retries


@pytest.mark.parametrize("how", ["kill", "term"])
async def test_two_processes_behind_a_balancer_lose_and_double_nothing_when_the_leader_goes(
    fake: FakeTelegram, tmp_path: Path, how: str
) -> None:
    url = database_url_for(tmp_path / "shared")
    engine = make_engine(url)
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig())
    for chat in NUDGED:
        _runner_due_now(core, "telegram", str(chat), SCENE_NOW, _midday_zone(SCENE_NOW))
    engine.dispose()
    ports = [_free_port(), _free_port()]
    balancer = LoopbackBalancer(ports)
    await balancer.start()
    hook = f"http://127.0.0.1:{balancer.port}/telegram/hook"

    def webhook_env(port: int) -> dict[str, str]:
        return {
            "TELEGRAM_WEBHOOK_URL": hook,
            "TELEGRAM_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_WEBHOOK_MAX_CONNECTIONS": "12",
        }

    fake.stall = is_nudge  # the leader leases the nudges; none gets through before it goes
    first = HaBot(fake, tmp_path / "a", url, webhook_env(ports[0]))
    second = HaBot(fake, tmp_path / "b", url, webhook_env(ports[1]))
    await first.start()
    await first.until_leader()
    await second.start()
    sent: list[Key] = []
    try:
        await until(lambda: bool(fake.webhook), 10, "the leader registers the webhook")
        assert "standby" in second.output and second.terms == 0, second.output
        assert len(fake.calls_to("setWebhook")) == 1
        assert fake.webhook["secret_token"] == SECRET and int(fake.webhook["max_connections"]) == 12
        streams = [asyncio.create_task(stream(fake, i, sent, 0.15)) for i in range(RUNNERS)]
        await until(
            lambda: fake.stalled >= 1 and sum(stored(tmp_path / "shared").values()) >= 20, 30, "mid-stream"
        )
        both_served = {p for p, n in balancer.sent.items() if n}
        ended_at = time.perf_counter()
        await end(first, how)
        ended = (ended_at, time.perf_counter())
        await second.until_leader(timeout=15)
        took = time.perf_counter() - ended_at
        retries = sum(await asyncio.gather(*streams))
        fake.stall = None
        await until(lambda: sum(stored(tmp_path / "shared").values()) >= len(sent), 60, "every set stored")
        await until(lambda: len([c for c in fake.calls if is_nudge(c)]) >= len(NUDGED), 30, "every nudge")
        # Answers a killed process committed but did not send go out once their lease (15 s) runs out.
        await until(lambda: all(logged(fake)[k] for k in sent), 45, "every message answered")
        await asyncio.sleep(1.5)  # anything doubled would have arrived by now
        sets, replies, order = stored(tmp_path / "shared"), logged(fake), set_order(tmp_path / "shared")
    finally:
        await second.stop()
        await first.stop()
        await balancer.stop()
    print(
        f"webhook pair, leader {how}: leader again after {took:.2f} s; {retries} posts retried; "
        f"{fake.flood.refused} sends refused (429)"
    )
    assert both_served == set(ports), "the balancer used both processes"
    assert [k for k in sent if sets[k] != 1] == [] and sum(sets.values()) == len(sent), (
        "a set lost or doubled"
    )
    assert [u for u, reps in order.items() if reps != sorted(reps)] == [], f"a chat out of order: {order}"
    assert [k for k in sent if replies[k] == 0] == [], "a message went unanswered"
    twice = [k for k, n in replies.items() if n > 1]
    if how == "kill":  # an answer on the wire at the instant of the kill (not yet marked sent) goes again
        assert doubled_away_from(fake, *ended) == []
    else:
        assert twice == [], "a message was answered twice"
    assert Counter(c.chat_id for c in fake.calls if is_nudge(c)) == Counter(NUDGED), "each nudge exactly once"
    assert fake.calls_to("getUpdates") == [] and fake.conflicts == 0, "nobody polled in webhook mode"
    assert fake.flood.refused == 0, "the two processes' sends went over Telegram's limits"
    assert len(fake.calls_to("setWebhook")) == first.terms + second.terms == 2, "registered once per term"
    assert took < 10.0, f"the standby led again after {took:.1f} s"
    second.assert_clean()

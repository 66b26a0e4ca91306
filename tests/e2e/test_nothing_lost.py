"""A delivered update is never lost and never doubled: the real bot killed at random moments during
bursts across many chats, and stopped with a backlog, on SQLite or PostgreSQL (whichever the suite runs)."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.store.engine import make_engine
from adapters.store.tables import runners, set_logs
from tests.conftest import database_url_for
from tests.e2e.botproc import BotProcess
from tests.e2e.fake_telegram import FakeTelegram, user

FAKE = FakeTelegram

pytestmark = pytest.mark.e2e

CHATS = 40
PER_CHAT = 25  # 1,000 updates a burst
KILLS = int(os.environ.get("RUNLIFT_KILL_ROUNDS", "3"))  # the closing figures were taken with 10


Key = tuple[str, int, float]


def burst(fake: FakeTelegram, round_: int) -> list[Key]:
    """One message per (runner, reps, weight): they say which message a stored set came from."""
    sent: list[Key] = []
    people = [user(50_000 + i, f"R{i}") for i in range(CHATS)]
    for k in range(PER_CHAT):
        for who in people:
            fake.send(f"/log squat 1x{k + 1} @{20 + round_}kg", who)
            sent.append((str(who["id"]), k + 1, float(20 + round_)))
    return sent


def stored(workdir: Path) -> Counter[Key]:
    engine = make_engine(database_url_for(workdir))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(runners.c.user_id, set_logs.c.reps, set_logs.c.weight_kg).join(
                    runners, runners.c.id == set_logs.c.runner_id
                )
            ).all()
    finally:
        engine.dispose()
    return Counter((u, r, float(w)) for u, r, w in rows)


async def wait_for_sets(workdir: Path, count: int, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while (have := sum(stored(workdir).values())) < count:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{have} of {count} sets stored in {timeout} s")
        await asyncio.sleep(0.5)


async def test_kill_9_at_random_moments_loses_no_command_and_doubles_none(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    workdir = tmp_path / "bot"
    fake.flood.allowed = 10_000  # each restart paces afresh: the bot waits as told and sends again
    rng = random.Random(7)
    expected: list[Key] = []
    kills: list[tuple[float, float]] = []
    for round_ in range(KILLS):
        process = BotProcess(fake, workdir)
        await process.start()
        expected += burst(fake, round_)
        await asyncio.sleep(rng.uniform(0.05, 1.5))  # somewhere in the middle of the burst
        before = time.perf_counter()
        await process.kill()
        kills.append((before, time.perf_counter()))
    last = BotProcess(fake, workdir)
    await last.start()
    wanted = Counter((who, reps) for who, reps, _ in expected)
    try:
        await wait_for_sets(workdir, len(expected), timeout=60 + len(expected) / 50)
        # Answers committed but not sent before a kill are kept: the restarted bot sends them once their
        # lease (15 s) has run out.
        await answers_for(fake, wanted, timeout=60)
        counts = stored(workdir)
    finally:
        await last.stop()
    missing = [k for k in expected if counts[k] == 0]
    doubled = [k for k, n in counts.items() if n > 1]
    assert (len(missing), len(doubled)) == (0, 0), (missing[:5], doubled[:5])
    assert sum(counts.values()) == len(expected)
    sends = answer_times(fake)
    unanswered = [k for k in expected if not sends.get(k)]
    twice = {k: at for k, at in sends.items() if len(at) > 1}
    print(f"{KILLS} kills: {len(unanswered)} unanswered, {len(twice)} answered twice of {len(expected)}")
    assert unanswered == [], unanswered[:5]
    # Only an answer on the wire at the instant of a kill -9 (sent, not yet marked sent) goes out again.
    assert [k for k, at in twice.items() if not near_a_kill(at[0], kills)] == []
    last.assert_clean()


AT_A_KILL_S = 2.0  # how long before a kill an answer's first send may be and still go again


def near_a_kill(sent_at: float, kills: list[tuple[float, float]]) -> bool:
    """Sent in the two seconds before a kill, or while it was being killed (the server may read a
    request the process wrote just before it died a moment later)."""
    return any(before - AT_A_KILL_S <= sent_at <= after + 0.5 for before, after in kills)


def answer_times(fake: FakeTelegram) -> dict[Key, list[float]]:
    """When each /log's answer was sent ("squat 1×7 @ 21 kg"), every time it was."""
    found: dict[Key, list[float]] = {}
    for c in fake.calls_to("sendMessage"):
        for reps, weight in re.findall(r"squat 1×(\d+) @ ([\d.]+) kg", c.text):
            found.setdefault((str(c.chat_id), int(reps), float(weight)), []).append(c.at)
    return found


async def answers_for(
    fake: FakeTelegram, wanted: Counter[tuple[str, int]], timeout: float
) -> Counter[tuple[str, int]]:
    """The answers so far, waiting up to ``timeout`` seconds for every wanted /log to have one."""
    deadline = asyncio.get_running_loop().time() + timeout
    while any(_answered(fake)[k] < n for k, n in wanted.items()):
        if asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.25)
    await asyncio.sleep(1.0)  # anything doubled would have arrived by now
    return _answered(fake)


def _answered(fake: FakeTelegram) -> Counter[tuple[str, int]]:
    """Which /log each reply names (a chat's replies may go out together, in one message)."""
    return Counter(
        (str(c.chat_id), int(reps))
        for c in fake.calls_to("sendMessage")
        for reps in re.findall(r"squat 1×(\d+) @", c.text)
    )


async def test_the_core_process_killed_mid_burst_is_replaced_and_no_command_is_lost_or_doubled(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    workdir = tmp_path / "bot"
    fake.flood.allowed = 10_000
    process = BotProcess(fake, workdir, env={"RUNLIFT_CORE_PROCESS": "on"})
    await process.start()
    try:
        [child] = process.children()
        expected = burst(fake, 0)
        await wait_for_sets(workdir, 50, timeout=30)  # well into the burst
        os.kill(child, signal.SIGKILL)
        try:
            await wait_for_sets(workdir, len(expected), timeout=60 + len(expected) / 50)
        except AssertionError as missing:
            said = "\n".join(line for line in process.output.splitlines() if "/log handled" not in line)
            raise AssertionError(f"{missing}\n{said[-8000:]}") from None
        await asyncio.sleep(1.0)
        counts = stored(workdir)
        [replacement] = process.children()
        assert replacement != child
        wanted = Counter((who, reps) for who, reps, _ in expected)
        # A command the core process committed as it died is not run again; its kept answer goes out
        # once its lease (15 s) has run out.
        said = await answers_for(fake, wanted, timeout=60)
    finally:
        code = await process.stop()
    assert [k for k in expected if counts[k] != 1] == []
    assert sum(counts.values()) == len(expected)
    assert max(said.values()) == 1 and set(said) <= set(wanted), "no /log answered twice"
    assert set(wanted) - set(said) == set(), "every /log answered"
    assert "core process ended; starting it again" in process.output
    assert code == 0
    assert (
        not Path(f"/proc/{replacement}").exists()
        or "zombie" in Path(f"/proc/{replacement}/status").read_text()
    )


async def test_sigterm_with_a_backlog_of_1500_updates_loses_none(fake: FakeTelegram, tmp_path: Path) -> None:
    workdir = tmp_path / "bot"
    fake.flood.allowed = 10_000
    expected = []
    people = [user(60_000 + i, f"S{i}") for i in range(60)]
    for k in range(25):
        for who in people:
            fake.send(f"/log squat 1x{k + 1} @20kg", who)
            expected.append((str(who["id"]), k + 1, 20.0))
    process = BotProcess(fake, workdir)
    await process.start()
    await asyncio.sleep(0.3)
    code = await process.stop()
    assert code == 0 and process.stop_seconds < 6
    process.assert_clean()
    again = BotProcess(fake, workdir)
    await again.start()
    try:
        await wait_for_sets(workdir, len(expected), timeout=60 + len(expected) / 50)
        await asyncio.sleep(1.0)
        counts = stored(workdir)
    finally:
        await again.stop()
    assert [k for k in expected if counts[k] != 1] == []
    assert sum(counts.values()) == len(expected)

"""Benchmark: a club of 2,000 members across a Telegram group and a linked Discord channel.

`/group`, `/leaderboard` and the weekly recap with a year of everyone's history (≈100 sets a
runner a year), timed through ``Runlift.handle`` on SQLite, against the same commands in a club
of 20 measured in the same run (interleaved). Every answer is checked against the platforms'
limits: Telegram's 4,096 characters a message, Discord's 4,096 an embed description.

    .venv/bin/python -m bench.club [--members 2000] [--calls 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import insert

from adapters.store.engine import make_engine, migrate
from adapters.store.tables import entries, group_chats, group_members, groups, runners, set_logs
from adapters.store.unit_of_work import SqlStore
from bench.accountability import NOW, THIS_MONDAY, _chunks, _history, _runner_rows
from bot.app import rebuild_missing
from bot.operations.memory import settle_heap
from core.ledger.recap import group_recap
from core.messages import Incoming
from core.service import Runlift

GOAL_MS = 200.0
MESSAGE_MAX = 4096  # Telegram's text limit; a Discord embed description holds as much


def seed(folder: Path, members: int) -> Runlift:
    engine = make_engine(f"sqlite:///{folder / f'club-{members}.db'}")
    migrate(engine)
    sets, logged = _history(members, random.Random(members))
    with engine.begin() as conn:
        for batch in _chunks(_runner_rows(members)):
            conn.execute(insert(runners), batch)
        for table, rows in ((entries, logged), (set_logs, sets)):
            for batch in _chunks(iter(rows)):
                conn.execute(insert(table), batch)
        conn.execute(
            insert(groups),
            [
                {
                    "id": 1,
                    "platform": "telegram",
                    "chat_id": "-100",
                    "title": "Club",
                    "tz": "UTC",
                    "created_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(group_chats),
            [
                {
                    "id": 1,
                    "group_id": 1,
                    "platform": "discord",
                    "chat_id": "555",
                    "title": "club",
                    "linked_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(group_members),
            [
                {
                    "group_id": 1,
                    "runner_id": rid,
                    "joined_at": NOW,
                    "joined_on": NOW.date(),
                    "chat_ref": 1 if rid % 3 == 0 else None,  # a third joined in the Discord channel
                }
                for rid in range(1, members + 1)
            ],
        )
    store = SqlStore(engine)
    started = time.perf_counter()
    rebuild_missing(store, NOW)
    print(f"  {members:,} members: caches built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return Runlift(store)


def _group(user: int, text: str, k: int) -> Incoming:
    return Incoming(
        platform="telegram",
        user_id=f"u{user}",
        user_name=f"Runner {user}",
        chat_id="-100",
        is_group=True,
        text=text,
        at=NOW + timedelta(milliseconds=k),
    )


def _answer(core: Runlift, user: int, text: str, k: int) -> str:
    return core.handle(_group(user, text, k))[0].full_text()


def _timed(work: Callable[[], str]) -> tuple[float, str]:
    start = time.perf_counter()
    text = work()
    return (time.perf_counter() - start) * 1000, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=60)
    args = parser.parse_args(argv)
    sizes = (20, args.members)
    with tempfile.TemporaryDirectory() as tmp:
        cores = {n: seed(Path(tmp), n) for n in sizes}
        settle_heap()  # as the running bot does once it has started (bot/operations/memory.py)
        samples: dict[tuple[int, str], list[float]] = {}
        longest: dict[tuple[int, str], int] = {}
        rng = random.Random(3)
        for k in range(args.calls):
            for n in sizes:  # interleaved: a busy moment of the machine lands on both
                core = cores[n]
                user = rng.randint(1, n)

                def recap(core: Runlift = core) -> str:
                    with core.store.unit() as uow:
                        group = uow.groups.get(1)
                        assert group is not None
                        return group_recap(uow, group, THIS_MONDAY, NOW).full_text()

                work: dict[str, Callable[[], str]] = {
                    "/group": partial(_answer, core, user, "/group", k),
                    "/leaderboard": partial(_answer, core, user, "/leaderboard", k),
                    "recap": recap,
                }
                for name, job in work.items():
                    ms, text = _timed(job)
                    assert text and "went wrong" not in text, text
                    samples.setdefault((n, name), []).append(ms)
                    longest[(n, name)] = max(longest.get((n, name), 0), len(text))
    small, large = sizes
    print(f"\none club, a year of history; {args.calls} calls each, sizes interleaved")
    print(
        f"{'answer':<14}{f'{small} med':>10}{f'{large:,} med':>12}{f'{large:,} p99':>12}{'ratio':>8}{'longest':>9}  goal"
    )
    failed = 0
    for name in ("/group", "/leaderboard", "recap"):
        few = statistics.median(samples[(small, name)])
        got = sorted(samples[(large, name)])
        med, p99 = statistics.median(got), got[min(len(got) - 1, int(len(got) * 0.99))]
        length = longest[(large, name)]
        ok = med < GOAL_MS and length <= MESSAGE_MAX
        failed |= not ok
        print(
            f"{name:<14}{few:>8.1f}ms{med:>10.1f}ms{p99:>10.1f}ms{med / few:>7.1f}x{length:>9}  "
            f"{'meets' if ok else 'misses'} (<{GOAL_MS:.0f} ms, ≤{MESSAGE_MAX} chars)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: /today, /log, /streak and /leaderboard at 1,000 and 10,000 runners with a year of history."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert

from adapters.store.engine import make_engine, migrate
from adapters.store.tables import entries, group_members, groups, runners, set_logs
from adapters.store.unit_of_work import SqlStore
from bot.app import rebuild_missing
from core.messages import Incoming
from core.service import Runlift

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # a Tuesday: a lift day, so /today builds a session
THIS_MONDAY = date(2026, 11, 30)
WEEKS = 52
GROUP_SIZE = 5
CALLS = 300
EXERCISES = (  # variant keys, as set_logs holds them
    "barbell-back-squat",
    "barbell-rdl",
    "standing-calf-raise",
    "hex-bar-deadlift",
    "cable-row",
    "dumbbell-reverse-lunge",
)
CHUNK = 50_000


def _chunks(rows: Iterator[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _runner_rows(n: int) -> Iterator[dict[str, object]]:
    created = NOW - timedelta(days=7 * WEEKS + 3)
    for i in range(1, n + 1):
        yield {
            "id": i,
            "platform": "bench",
            "user_id": f"u{i}",
            "name": f"Runner {i}",
            "tz": "UTC",
            "runs": "tue:speed,sun:long",
            "equipment": "gym",
            "terrain": "road",
            "sessions": 2,
            "remind": "18:00",
            "reminders": True,
            "units": "kg",
            "playlist": "",
            "configured": True,
            "unreachable": False,
            "created_at": created,
            "created_on": created.date(),
            "hidden": i % 10 == 0,
        }


def _history(n: int, rng: random.Random) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Per runner and week: about two sessions of one set each of two moves, each with its /done (≈100 sets/year)."""
    sets: list[dict[str, object]] = []
    logged: list[dict[str, object]] = []
    first = THIS_MONDAY - timedelta(weeks=WEEKS)
    for rid in range(1, n + 1):
        for w in range(WEEKS):
            monday = first + timedelta(weeks=w)
            for d in (d for d in (1, 6) if rng.random() < 0.5):
                day = monday + timedelta(days=d)
                entry = len(logged) + 1
                logged.append(
                    {"id": entry, "runner_id": rid, "kind": "sets", "local_date": day, "logged_at": NOW}
                )
                for k, ex in enumerate(rng.sample(EXERCISES, 2)):
                    sets.append(
                        {
                            "entry_id": entry,
                            "runner_id": rid,
                            "local_date": day,
                            "exercise": ex,
                            "set_no": 1,
                            "reps": 8,
                            "weight_kg": 20.0 + k,
                            "unit": "kg",
                        }
                    )
                logged.append(
                    {
                        "id": len(logged) + 1,
                        "runner_id": rid,
                        "kind": "done",
                        "local_date": day,
                        "logged_at": NOW,
                    }
                )
    return sets, logged


def seed(engine: Engine, n: int) -> int:
    rng = random.Random(n)
    sets, logged = _history(n, rng)
    with engine.begin() as conn:
        for batch in _chunks(_runner_rows(n)):
            conn.execute(insert(runners), batch)
        for table, rows in ((entries, logged), (set_logs, sets)):
            for batch in _chunks(iter(rows)):
                conn.execute(insert(table), batch)
        group_rows = [
            {
                "id": g,
                "platform": "bench",
                "chat_id": f"g{g}",
                "title": f"Club {g}",
                "tz": "UTC",
                "created_at": NOW,
            }
            for g in range(1, n // GROUP_SIZE + 1)
        ]
        conn.execute(insert(groups), group_rows)
        conn.execute(
            insert(group_members),
            [
                {
                    "group_id": (rid - 1) // GROUP_SIZE + 1,
                    "runner_id": rid,
                    "joined_at": NOW,
                    "joined_on": NOW.date(),
                }
                for rid in range(1, n + 1)
            ],
        )
    return len(sets)


def _incoming(user: int, text: str, chat: str | None = None, k: int = 0) -> Incoming:
    return Incoming(
        platform="bench",
        user_id=f"u{user}",
        user_name=f"Runner {user}",
        chat_id=chat or f"u{user}",
        is_group=chat is not None,
        text=text,
        at=NOW + timedelta(milliseconds=k),
    )


def _time(core: Runlift, make: list[Incoming]) -> tuple[float, float]:
    samples = []
    for incoming in make:
        start = time.perf_counter()
        replies = core.handle(incoming)
        samples.append((time.perf_counter() - start) * 1000)
        assert replies and "went wrong" not in replies[0].text, replies
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def run(n: int, folder: Path) -> dict[str, tuple[float, float]]:
    engine = make_engine(f"sqlite:///{folder / f'bench-{n}.db'}")
    migrate(engine)
    started = time.perf_counter()
    count = seed(engine, n)
    store = SqlStore(engine)
    rebuild_missing(store, NOW)  # the ledger's caches, as an upgraded database gets them at start
    print(f"seeded {n:,} runners, {count:,} sets in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    core = Runlift(store)
    rng = random.Random(7)
    users = [rng.randint(1, n) for _ in range(CALLS)]
    cases = {
        "/today": [_incoming(u, "/today", k=i) for i, u in enumerate(users)],
        "/log": [_incoming(u, "/log squat 3x8 @20kg", k=i) for i, u in enumerate(users)],
        "/streak": [_incoming(u, "/streak", k=i) for i, u in enumerate(users)],
        "/leaderboard": [
            _incoming(u, "/leaderboard", chat=f"g{(u - 1) // GROUP_SIZE + 1}", k=i)
            for i, u in enumerate(users)
        ],
    }
    results = {name: _time(core, calls) for name, calls in cases.items()}
    engine.dispose()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small = run(1_000, Path(tmp))
        large = run(10_000, Path(tmp))
    print(f"{'command':<14}{'1k median':>11}{'1k p99':>9}{'10k median':>12}{'10k p99':>10}{'ratio':>8}")
    for name in small:
        (m1, p1), (m10, p10) = small[name], large[name]
        print(f"{name:<14}{m1:>9.2f}ms{p1:>7.2f}ms{m10:>10.2f}ms{p10:>8.2f}ms{m10 / m1:>7.2f}x")


if __name__ == "__main__":
    main()

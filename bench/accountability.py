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
from adapters.store.tables import group_members, groups, runners, sessions_done, set_logs, streaks, weeks
from adapters.store.unit_of_work import SqlStore
from core.messages import Incoming
from core.service import Runlift

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # a Tuesday: a lift day, so /today builds a session
THIS_MONDAY = date(2026, 11, 30)
WEEKS = 52
GROUP_SIZE = 5
CALLS = 300
EXERCISES = ("squat", "romanian-deadlift", "calf-raise", "hex-bar-deadlift", "push-up", "lunge")
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
            "units": "kg",
            "playlist": "",
            "configured": True,
            "unreachable": False,
            "created_at": created,
            "hidden": i % 10 == 0,
        }


def _history(n: int, rng: random.Random) -> tuple[list[dict[str, object]], ...]:
    """Per runner and week: about two sessions of one set each of two or three moves (≈100 sets/year)."""
    sets: list[dict[str, object]] = []
    done: list[dict[str, object]] = []
    week_rows: list[dict[str, object]] = []
    streak_rows: list[dict[str, object]] = []
    first = THIS_MONDAY - timedelta(weeks=WEEKS)
    for rid in range(1, n + 1):
        current = best = 0
        for w in range(WEEKS):
            monday = first + timedelta(weeks=w)
            days = [d for d in (1, 6) if rng.random() < 0.5]
            for d in days:
                day = monday + timedelta(days=d)
                batch = f"{rid:08d}{w:03d}{d}"
                for k, ex in enumerate(rng.sample(EXERCISES, 2)):
                    sets.append(
                        {
                            "runner_id": rid,
                            "local_date": day,
                            "exercise": ex,
                            "set_no": 1,
                            "reps": 8,
                            "weight_kg": 20.0 + k,
                            "batch": batch,
                            "logged_at": NOW,
                        }
                    )
                done.append(
                    {"runner_id": rid, "local_date": day, "source": "done", "batch": batch, "created_at": NOW}
                )
            counted = len(days) >= 2
            current = current + 1 if counted else 0
            best = max(best, current)
            week_rows.append(
                {
                    "runner_id": rid,
                    "week_start": monday,
                    "sessions": len(days),
                    "target": 2,
                    "state": "counted" if counted else "missed",
                    "after_current": current,
                    "after_best": best,
                    "after_freezes": 0,
                    "after_toward": 0,
                }
            )
        streak_rows.append(
            {
                "runner_id": rid,
                "current": current,
                "best": best,
                "freezes": 0,
                "toward_freeze": 0,
                "settled_until": THIS_MONDAY,
                "pending": "",
            }
        )
    return sets, done, week_rows, streak_rows


def seed(engine: Engine, n: int) -> int:
    rng = random.Random(n)
    sets, done, week_rows, streak_rows = _history(n, rng)
    with engine.begin() as conn:
        for batch in _chunks(_runner_rows(n)):
            conn.execute(insert(runners), batch)
        for table, rows in (
            (set_logs, sets),
            (sessions_done, done),
            (weeks, week_rows),
            (streaks, streak_rows),
        ):
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
                {"group_id": (rid - 1) // GROUP_SIZE + 1, "runner_id": rid, "joined_at": NOW}
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
    print(f"seeded {n:,} runners, {count:,} sets in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    core = Runlift(SqlStore(engine))
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

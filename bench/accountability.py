"""Benchmark: commands against the size of the club (1,000 and 10,000 runners with a year of history) and
against the depth of one runner's own history (1, 5 and 10 years of lifting).

    .venv/bin/python -m bench.accountability [--only club|history]

The history rows time what a lifter with years behind them sends, in a group chat with an
event id as the adapters send it: ``/log`` (a day's sets, on successive days), ``/today``,
``/streak``, ``/done``, ``/progress`` (warm) and ``/export``; each depth's figures are divided
by the one-year figures measured in the same run (the goal: within 1.2× at ten years).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
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


# -- one runner's own history --------------------------------------------------------------------

DEEP = 1  # the runner with years of lifting; the others make the tables realistic around them
NEIGHBOURS = 200
YEARS = (1, 5, 10)
SESSION = (  # the gym rotation the deep runner has followed: five moves a session
    ("barbell-back-squat", 60.0),
    ("barbell-rdl", 50.0),
    ("dumbbell-reverse-lunge", 14.0),
    ("standing-calf-raise", 40.0),
    ("cable-row", 35.0),
    ("hex-bar-deadlift", 80.0),
    ("pull-up", None),
    ("leg-extension", 30.0),
)
DEEP_CALLS = 60


def _deep_history(years: int, rng: random.Random) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Four sessions a week for ``years``: five moves of 3–5 sets each, loads creeping up with noise,
    each session closed with /done (about 10 sets a day on average)."""
    sets: list[dict[str, object]] = []
    logged: list[dict[str, object]] = []
    first = THIS_MONDAY - timedelta(weeks=52 * years)
    day = first
    n = 0
    while day < THIS_MONDAY:
        if day.weekday() in (0, 2, 4, 5):
            entry = len(logged) + 1
            logged.append(
                {"id": entry, "runner_id": DEEP, "kind": "sets", "local_date": day, "logged_at": NOW}
            )
            weeks_in = (day - first).days / 7
            for k in range(5):
                key, base = SESSION[(n + k) % len(SESSION)]
                for set_no in range(1, rng.randint(3, 5) + 1):
                    weight = (
                        None if base is None else round((base + weeks_in * 0.1 + rng.uniform(-5, 5)) * 2) / 2
                    )
                    sets.append(
                        {
                            "entry_id": entry,
                            "runner_id": DEEP,
                            "local_date": day,
                            "exercise": key,
                            "set_no": set_no,
                            "reps": rng.randint(5, 10),
                            "weight_kg": weight,
                            "unit": "kg" if weight is not None else None,
                        }
                    )
            logged.append(
                {
                    "id": len(logged) + 1,
                    "runner_id": DEEP,
                    "kind": "done",
                    "local_date": day,
                    "logged_at": NOW,
                }
            )
            n += 1
        day += timedelta(days=1)
    return sets, logged


def seed_deep(engine: Engine, years: int) -> int:
    """The deep runner (created ``years`` ago) and their history, plus neighbours, all in group g1."""
    rng = random.Random(years)
    created = NOW - timedelta(weeks=52 * years, days=3)
    people = list(_runner_rows(NEIGHBOURS + 1))
    for row in people:
        row["hidden"] = False
    people[0].update(created_at=created, created_on=created.date(), sessions=4, runs="tue:speed,sun:long")
    sets, logged = _deep_history(years, rng)
    others_sets, others_logged = _history(NEIGHBOURS + 1, rng)
    offset = len(logged)
    for row in others_logged:
        row["id"] = int(row["id"]) + offset  # type: ignore[call-overload]
    for row in others_sets:
        row["entry_id"] = int(row["entry_id"]) + offset  # type: ignore[call-overload]
    keep = [r for r in others_logged if r["runner_id"] != DEEP]
    kept_ids = {r["id"] for r in keep}
    with engine.begin() as conn:
        conn.execute(insert(runners), people)
        for table, rows in (
            (entries, logged + keep),
            (set_logs, sets + [r for r in others_sets if r["entry_id"] in kept_ids]),
        ):
            for batch in _chunks(iter(rows)):
                conn.execute(insert(table), batch)
        conn.execute(
            insert(groups),
            [
                {
                    "id": 1,
                    "platform": "bench",
                    "chat_id": "g1",
                    "title": "Club",
                    "tz": "UTC",
                    "created_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(group_members),
            [
                {"group_id": 1, "runner_id": rid, "joined_at": NOW, "joined_on": NOW.date()}
                for rid in range(1, 6)
            ],
        )
    return len(sets)


def _group(text: str, at: datetime, event: str) -> Incoming:
    return Incoming(
        platform="bench",
        user_id=f"u{DEEP}",
        user_name="Deep",
        chat_id="g1",
        is_group=True,
        text=text,
        at=at,
        event_id=event,
    )


@dataclass
class Deep:
    """One history depth: its store, core and the day-by-day calls the deep runner makes."""

    years: int
    engine: Engine
    core: Runlift
    calls: dict[str, list[Incoming]]


def prepare_deep(years: int, folder: Path) -> Deep:
    engine = make_engine(f"sqlite:///{folder / f'deep-{years}.db'}")
    migrate(engine)
    started = time.perf_counter()
    count = seed_deep(engine, years)
    store = SqlStore(engine)
    rebuild_missing(store, NOW)
    print(f"seeded {years} years: {count:,} sets in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    # Successive days from this Tuesday on: the sets a runner logs, then /done, /today, /streak.
    days = [NOW + timedelta(days=i) for i in range(DEEP_CALLS)]
    calls = {
        "/log": [
            _group(f"/log squat 3x5 @{60 + years * 5 + i % 3 * 2.5}kg", at, f"bench:log:{years}:{i}")
            for i, at in enumerate(days)
        ],
        "/done": [
            _group("/done", at + timedelta(minutes=5), f"bench:done:{years}:{i}") for i, at in enumerate(days)
        ],
        "/today": [
            _group("/today", at + timedelta(minutes=6), f"bench:today:{years}:{i}")
            for i, at in enumerate(days)
        ],
        "/streak": [
            _group("/streak", at + timedelta(minutes=7), f"bench:streak:{years}:{i}")
            for i, at in enumerate(days)
        ],
    }
    return Deep(years, engine, Runlift(store), calls)


def _timed(core: Runlift, message: Incoming) -> float:
    start = time.perf_counter()
    replies = core.handle(message)
    took = (time.perf_counter() - start) * 1000
    assert replies and "went wrong" not in replies[0].text, replies
    return took


def run_deep(folder: Path) -> dict[int, dict[str, tuple[float, float]]]:
    """Every depth's calls interleaved (1 y, 5 y, 10 y, 1 y, …), so a busy moment of the machine
    lands on all of them alike instead of on whichever depth ran then."""
    depths = [prepare_deep(years, folder) for years in YEARS]
    samples: dict[int, dict[str, list[float]]] = {d.years: {name: [] for name in d.calls} for d in depths}
    for i in range(DEEP_CALLS):
        for name in depths[0].calls:
            for d in depths:
                samples[d.years][name].append(_timed(d.core, d.calls[name][i]))
    for name, text_ in (("/progress", "/progress squat"), ("/export", "/export")):
        for d in depths:
            _timed(d.core, _incoming(DEEP, text_))  # warm
        for _ in range(12 if name == "/progress" else 5):
            for d in depths:
                samples[d.years].setdefault(name, []).append(_timed(d.core, _incoming(DEEP, text_)))
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for d in depths:
        results[d.years] = {}
        for name, got in samples[d.years].items():
            got.sort()
            results[d.years][name] = (statistics.median(got), got[min(len(got) - 1, int(len(got) * 0.99))])
        d.engine.dispose()
    return results


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("club", "history"), default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "club"):
            small = run(1_000, Path(tmp))
            large = run(10_000, Path(tmp))
            print(
                f"{'command':<14}{'1k median':>11}{'1k p99':>9}{'10k median':>12}{'10k p99':>10}{'ratio':>8}"
            )
            for name in small:
                (m1, p1), (m10, p10) = small[name], large[name]
                print(f"{name:<14}{m1:>9.2f}ms{p1:>7.2f}ms{m10:>10.2f}ms{p10:>8.2f}ms{m10 / m1:>7.2f}x")
        if args.only in (None, "history"):
            depth = run_deep(Path(tmp))
            base = depth[YEARS[0]]
            head = f"{'one runner':<12}" + "".join(f"{f'{y} y med':>11}{f'{y} y p99':>10}" for y in YEARS)
            print("\n" + head + f"{'10/1 med':>10}{'10/1 p99':>10}")
            for name in base:
                row = f"{name:<12}" + "".join(
                    f"{depth[y][name][0]:>9.2f}ms{depth[y][name][1]:>8.2f}ms" for y in YEARS
                )
                last = depth[YEARS[-1]][name]
                row += f"{last[0] / base[name][0]:>9.2f}x{last[1] / base[name][1]:>9.2f}x"
                print(row)
            print(
                "(group /log, /done, /today, /streak with event ids on successive days; /progress warm; /export in a DM)"
            )


if __name__ == "__main__":
    main()

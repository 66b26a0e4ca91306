"""Benchmark: the busy nudge minute of a club-shaped million on one PostgreSQL, decided by one process
against four worker processes each taking the runners whose id % 4 is theirs.

    .venv/bin/python -m bench.sharded_pass [--runners 1000000] [--workers 4] [--repeats 2]

The population and its seeding are bench.nudges' (bench/population.py: 40 % in one zone, 60 %
reminded at 18:00, nine days of sent nudges in the outbox). Every figure is the pass alone —
each runner due decided and its nudge put in the outbox — timed inside fresh processes that
have connected and imported everything and start together on a signal; the wall time of the
sharded pass runs from the first worker's start to the last one's end. Between runs the
schedule and the outbox go back to how the seed left them; single and sharded runs alternate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from adapters.store.engine import make_engine, migrate
from bench.nudges import PG_URL, _pg_reachable, seed
from bench.population import AT
from tests.conftest import fresh_pg_schema

SCHEMA = "runlift_bench_sharded"


def worker(url: str, index: int, count: int) -> dict[str, Any]:
    """One worker: connect, wait for ``go`` on stdin, run its shard of the pass (count 1: all of it)."""
    from adapters.store.unit_of_work import SqlStore
    from core.nudges.passes import decide

    engine = make_engine(url)
    store = SqlStore(engine)
    with engine.connect() as conn:
        conn.execute(text("select 1"))
    print("ready", flush=True)
    sys.stdin.readline()
    began = time.perf_counter()  # CLOCK_MONOTONIC: comparable between the processes of one machine
    report = decide(store, AT, shard=(index, count) if count > 1 else None)
    ended = time.perf_counter()
    engine.dispose()
    return {"began": began, "ended": ended, "queued": report.queued, "candidates": report.candidates}


def run_pass(url: str, workers: int) -> dict[str, Any]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.sharded_pass", "_worker", url, str(k), str(workers)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(workers)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=3600)
        if proc.returncode != 0:
            raise RuntimeError("a worker failed")
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = max(r["ended"] for r in results) - min(r["began"] for r in results)
    return {
        "wall_s": wall,
        "each_s": [r["ended"] - r["began"] for r in results],
        "queued": sum(r["queued"] for r in results),
    }


def snapshot(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_next"))
        conn.execute(
            text(
                "CREATE TABLE bench_next AS SELECT runner_id, next_at FROM nudge_schedule WHERE next_at <= :at"
            ),
            {"at": AT + timedelta(minutes=1)},
        )
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_mark AS SELECT max(id) AS top FROM outbox"))
    engine.dispose()


def reset(url: str) -> None:
    """The schedule and the outbox as the seed left them (a pass moves moments and adds entries)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE nudge_schedule s SET next_at = b.next_at FROM bench_next b WHERE s.runner_id = b.runner_id"
            )
        )
        conn.execute(text("DELETE FROM outbox WHERE id > (SELECT top FROM bench_mark)"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE nudge_schedule"))
        conn.execute(text("VACUUM ANALYZE outbox"))
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="bench", choices=("bench", "_worker"))
    parser.add_argument("target", nargs="*")
    parser.add_argument("--runners", type=int, default=int(os.environ.get("BENCH_RUNNERS", "1000000")))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    if args.mode == "_worker":
        url, index, count = args.target
        print(json.dumps(worker(url, int(index), int(count))))
        return 0
    if not _pg_reachable():
        print(f"PostgreSQL not reachable at {PG_URL}: nothing to measure")
        return 0
    began = time.perf_counter()
    admin = make_engine(PG_URL)
    url = fresh_pg_schema(PG_URL, SCHEMA)
    try:
        engine = make_engine(url)
        migrate(engine)
        counts = seed(engine, args.runners)
        engine.dispose()
        snapshot(url)
        print(f"seeded {counts['runners']:,} runners in {time.perf_counter() - began:.0f} s", flush=True)
        single: list[dict[str, Any]] = []
        sharded: list[dict[str, Any]] = []
        for _ in range(args.repeats):
            for workers, into in ((1, single), (args.workers, sharded)):
                into.append(run_pass(url, workers))
                reset(url)
                r = into[-1]
                each = ", ".join(f"{s:.2f}" for s in r["each_s"])
                print(
                    f"  {workers} process(es): {r['wall_s']:.2f} s, {r['queued']:,} queued (each {each})",
                    flush=True,
                )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        admin.dispose()
    one = statistics.median(r["wall_s"] for r in single)
    many = statistics.median(r["wall_s"] for r in sharded)
    assert {r["queued"] for r in single + sharded} == {single[0]["queued"]}, "the shards queued another total"
    print(
        f"\n{args.runners:,} runners, {single[0]['queued']:,} nudges queued at the busy minute ({os.cpu_count()} CPUs)"
    )
    print(f"{'workers':<9}{'median s':>10}{'nudges/s':>12}{'× one':>8}")
    for workers, s in ((1, one), (args.workers, many)):
        print(f"{workers:<9}{s:>10.2f}{single[0]['queued'] / s:>12,.0f}{one / s:>8.2f}")
    print(f"total {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

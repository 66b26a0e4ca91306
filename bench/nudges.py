"""Benchmark: the busy nudge minute of a club-shaped population, against APScheduler firing per-runner jobs.

    .venv/bin/python -m bench.nudges [--runners 1000000] [--backends sqlite,postgresql]

The population (bench/population.py) clusters as real clubs do: 40 % in one zone, 60 %
reminded at 18:00, so one minute holds about 14 % of everyone; the outbox holds nine
days of sent nudges (the steady state). Each figure is measured in a fresh process:

- **claim**: the pass at the busy minute — every due runner decided and its nudge put in
  the outbox (delivery is the senders' job and never part of a pass);
- **peak RSS** of that process (the goal: under 120 MiB whatever the number due);
- **next minute**: the pass a minute later while two senders drain the outbox at their
  platforms' pace (Telegram's 30 messages a second, Discord's 50 requests a second: lease a
  batch, deliver it at that pace, settle it, as ``bot/senders.py`` does), beside an idle
  minute (the minute before, as many due) — the goal is that draining does not slow a pass
  down; and, as a stress figure without a goal, the minute after that while two senders
  drain as fast as the database lets them (on SQLite, one writer at a time: they take the
  write lock turn about with the pass);
- **baseline**: APScheduler with one CronTrigger job per runner (the design the pass
  replaces), timed from resuming the scheduler until it has fired that minute's jobs
  (registering a million jobs is not counted).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from adapters.store.engine import make_engine, migrate
from adapters.store.hot import Hot
from adapters.store.tables import nudge_schedule, outbox, runners, weeks
from bench.population import AT, history_rows, key_of, runner_rows, schedule_rows, week_rows
from core.weeks import week_start
from tests.conftest import fresh_pg_schema

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = f"runlift_bench_nudges_{os.getpid()}"  # one per run: two benches never share one
GOAL_CLAIM_S = {"sqlite": 3.0, "postgresql": 5.0}
GOAL_RSS_MIB = 120
SEED_BATCH = 20_000
DRAINERS = 2
# The senders' pace while the next minute is timed: Telegram's 30 messages a second per token,
# Discord's 50 requests a second; 0 = as fast as the database lets them (the stress figure).
PACED = ("30", "50")
FLAT_OUT = ("0", "0")


# -- seeding --------------------------------------------------------------------------------------


def _bulk(engine: Engine, table: Any, rows: Iterator[dict[str, Any]]) -> int:
    """Rows into ``table`` the fastest way each driver has (COPY on PostgreSQL)."""
    count = 0
    with engine.begin() as conn:
        hot = Hot(conn)
        first = next(rows, None)
        if first is None:
            return 0
        names = list(first)
        if hot.pg:
            raw: Any = conn.connection.dbapi_connection  # psycopg's own connection, for COPY
            with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in itertools.chain([first], rows):
                    copy.write_row([row[n] for n in names])
                    count += 1
            return count
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({hot.marks(len(names))})"
        kinds = [(n, type(table.c[n].type).__name__) for n in names]

        def encode(row: dict[str, Any]) -> list[Any]:
            out = []
            for name, kind in kinds:
                value = row[name]
                if value is not None and kind == "DateTime":
                    value = hot.instant(value)
                elif value is not None and kind == "Date":
                    value = hot.day(value)
                out.append(value)
            return out

        stream = itertools.chain([first], rows)
        while batch := list(itertools.islice(stream, SEED_BATCH)):
            count += hot.many(statement, [encode(row) for row in batch])
    return count


def seed(engine: Engine, n: int) -> dict[str, int]:
    steady = AT - timedelta(minutes=2)  # as the pass two minutes before left everyone
    counts = {
        "runners": _bulk(engine, runners, runner_rows(n, steady)),
        "schedule": _bulk(engine, nudge_schedule, schedule_rows(n, steady)),
        "history": _bulk(engine, outbox, history_rows(n, steady)),
        "weeks": _bulk(engine, weeks, week_rows(n, week_start(AT.date()))),
    }
    # Statistics, and on PostgreSQL the visibility map and hint bits a running database's autovacuum
    # keeps: without them a freshly copied table is rewritten by the first pass that reads it.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("VACUUM ANALYZE runners, nudge_schedule, outbox, weeks"))
        else:
            conn.execute(text("ANALYZE"))
    return counts


# -- the pass, in a fresh process -----------------------------------------------------------------


def _rss_mib() -> float:
    """This process's peak resident memory: VmHWM of its own address space. (``ru_maxrss`` is not it:
    Linux carries into an exec'd child the peak of the parent it was forked from.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover - not Linux


def measure_pass(url: str) -> dict[str, Any]:
    from adapters.store.unit_of_work import SqlStore
    from core.nudges.passes import decide

    engine = make_engine(url)
    store = SqlStore(engine)
    began = time.perf_counter()
    idle = decide(store, AT - timedelta(minutes=1))
    idle_s = time.perf_counter() - began
    began = time.perf_counter()
    busy = decide(store, AT)
    claim_s = time.perf_counter() - began
    rss = _rss_mib()
    paced = _while_draining(store, url, AT + timedelta(minutes=1), PACED)
    # The minute after has nobody due: the stress minute is 18:30 in Berlin (17:30 in London too).
    flat_out = _while_draining(store, url, AT + timedelta(minutes=30), FLAT_OUT)
    engine.dispose()
    return {
        "idle_due": idle.queued,
        "idle_s": idle_s,
        "due": busy.queued,
        "claim_s": claim_s,
        "rss_mib": rss,
        "next_due": paced["due"],
        "next_s": paced["s"],
        "drained": paced["drained"],
        "stress_due": flat_out["due"],
        "stress_s": flat_out["s"],
        "stress_drained": flat_out["drained"],
    }


def _per_due(r: dict[str, Any]) -> float:
    """The stress minute's time per nudge due over the idle minute's."""
    if not r["stress_due"] or not r["idle_due"]:
        return float("nan")
    return (r["stress_s"] / r["stress_due"]) / (r["idle_s"] / r["idle_due"])


def _while_draining(store: Any, url: str, at: datetime, rates: tuple[str, ...]) -> dict[str, Any]:
    """The pass of minute ``at`` while one sender per rate drains the outbox (in processes of their own)."""
    from core.nudges.passes import decide

    drainers = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.nudges", "_drain", url, "--rate", rate],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for rate in rates
    ]
    time.sleep(1.5)  # both senders busy leasing and settling
    began = time.perf_counter()
    report = decide(store, at)
    seconds = time.perf_counter() - began
    time.sleep(0.5)
    drained = 0
    for proc in drainers:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
        drained += int(out.strip() or 0)
    return {"due": report.queued, "s": seconds, "drained": drained}


def drain(url: str, rate: float) -> None:
    """A sender until stopped: lease a batch, deliver it at ``rate`` messages a second (the
    delivery itself is not the bench's: its time passes), settle it — or, with ``rate`` 0, as fast
    as the store lets it (lease and settle at once)."""
    import signal

    from adapters.store.unit_of_work import SqlStore
    from core.nudges import outbox as delivery

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    engine = make_engine(url)
    store = SqlStore(engine)
    sent = 0
    now = AT + timedelta(seconds=30)
    while not stop.is_set():
        with store.unit() as uow:
            batch = delivery.take(uow, "bench", now, delivery.BATCH)
            if rate <= 0:
                delivery.settle(uow, now, [(e, "sent") for e in batch.entries])
            uow.commit()
        if not batch.entries:
            break
        if rate > 0:
            stop.wait(len(batch.entries) / rate)
            with store.unit() as uow:
                delivery.settle(uow, now, [(e, "sent") for e in batch.entries])
                uow.commit()
        sent += len(batch.entries)
    print(sent, flush=True)
    engine.dispose()


# -- the baseline: APScheduler with a job per runner ----------------------------------------------


def measure_jobs(n: int) -> dict[str, Any]:
    """Register one job per runner (not timed), then time APScheduler firing the busy minute's jobs."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    from bench.population import _next_at, profile_of
    from core.clock import SystemClock
    from core.training.placement import lift_weekdays
    from core.training.profile import DAY_NAMES

    real_start = SystemClock().now() + timedelta(seconds=5)  # APScheduler runs on the real clock
    shift = real_start - AT
    triggers: dict[Any, CronTrigger] = {}
    jobs = []
    for i in range(1, n + 1):
        key = key_of(i)
        if key not in triggers:
            tz, remind, *_ = key
            hour, minute = remind.split(":")
            lifts = ",".join(DAY_NAMES[d] for d in lift_weekdays(profile_of(*key)))
            triggers[key] = CronTrigger(day_of_week=lifts, hour=int(hour), minute=int(minute), timezone=tz)
        moment = _next_at(key, AT - timedelta(minutes=1))  # the minute before has fired
        if moment is None:
            continue
        jobs.append((moment + shift, f"r{i:08d}", triggers[key]))
    jobs.sort(key=lambda j: (j[0], j[1]))  # in order, so each registration appends
    due = sum(1 for at, _, _ in jobs if at <= AT + shift)
    fired = [0]
    done = threading.Event()
    lock = threading.Lock()

    def nudge() -> None:
        with lock:
            fired[0] += 1
            if fired[0] == due:
                done.set()

    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(10)},
        job_defaults={"misfire_grace_time": None, "coalesce": True},
    )
    for at, job_id, trigger in jobs:
        scheduler.add_job(nudge, trigger, id=job_id, next_run_time=at)
    scheduler.start(paused=True)
    while SystemClock().now() < real_start:
        time.sleep(0.05)
    began = time.perf_counter()
    scheduler.resume()
    done.wait(timeout=3600)
    fire_s = time.perf_counter() - began
    scheduler.shutdown(wait=False)
    return {"jobs": len(jobs), "due": due, "fire_s": fire_s, "fired": fired[0], "rss_mib": _rss_mib()}


# -- the run ----------------------------------------------------------------------------------------


def _child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.nudges", *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench.nudges {args[0]} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _pg_reachable() -> bool:
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception:
        return False
    return True


def _backend(name: str, n: int, tmp: Path) -> dict[str, Any]:
    if name == "sqlite":
        url = f"sqlite:///{tmp / 'nudges.db'}"
        admin = None
    else:
        admin = make_engine(PG_URL)
        url = fresh_pg_schema(PG_URL, PG_SCHEMA)
    try:
        engine = make_engine(url)
        migrate(engine)
        began = time.perf_counter()
        counts = seed(engine, n)
        engine.dispose()
        print(
            f"  {name}: seeded {counts['runners']:,} runners, {counts['history']:,} sent nudges, "
            f"{counts['weeks']:,} weeks in {time.perf_counter() - began:.0f} s",
            flush=True,
        )
        return _child("_pass", url)
    finally:
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
            admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="bench", choices=("bench", "_pass", "_drain", "_jobs"))
    parser.add_argument("target", nargs="?", default="")
    parser.add_argument("--runners", type=int, default=int(os.environ.get("BENCH_RUNNERS", "1000000")))
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rate", type=float, default=0.0, help=argparse.SUPPRESS)  # a _drain's pace
    args = parser.parse_args(argv)
    if args.mode == "_pass":
        print(json.dumps(measure_pass(args.target)))
        return 0
    if args.mode == "_drain":
        drain(args.target, args.rate)
        return 0
    if args.mode == "_jobs":
        print(json.dumps(measure_jobs(int(args.target))))
        return 0
    began = time.perf_counter()
    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends and not _pg_reachable():
        print(f"(PostgreSQL not reachable at {PG_URL}: its row is skipped)")
        backends.remove("postgresql")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in backends:
            results[name] = _backend(name, args.runners, Path(tmp))
    jobs = _child("_jobs", str(args.runners))
    print(f"\n{args.runners:,} runners; APScheduler baseline: {jobs['jobs']:,} jobs, {jobs['due']:,} due")
    print(
        f"{'store':<11}{'due':>9}{'claim s':>9}{'goal':>6}{'APS fire s':>12}{'× APS':>7}"
        f"{'RSS MiB':>9}{'goal':>6}{'idle min s':>11}{'next min s':>11}{'× idle':>8}{'drained':>9}"
        f"{'stress due':>11}{'stress s':>10}{'× idle/due':>11}{'drained':>9}"
    )
    for name, r in results.items():
        print(
            f"{name:<11}{r['due']:>9,}{r['claim_s']:>9.2f}{GOAL_CLAIM_S[name]:>6.0f}{jobs['fire_s']:>12.2f}"
            f"{r['claim_s'] / jobs['fire_s']:>7.2f}{r['rss_mib']:>9.0f}{GOAL_RSS_MIB:>6}"
            f"{r['idle_s']:>11.3f}{r['next_s']:>11.3f}{r['next_s'] / r['idle_s']:>8.2f}{r['drained']:>9,}"
            f"{r['stress_due']:>11,}{r['stress_s']:>10.3f}{_per_due(r):>11.2f}{r['stress_drained']:>9,}"
        )
    first = results[next(iter(results))]
    print(
        f"idle / next minute: {first['idle_due']:,} / {first['next_due']:,} due; the next minute (goal: × idle"
        f" about 1) timed while {DRAINERS} senders drain the outbox at {' and '.join(PACED)} messages a second,"
        " the stress minute (18:30) while they drain flat out, its time per nudge against the idle minute's"
        " (no goal);"
        f" APScheduler peak RSS {jobs['rss_mib']:.0f} MiB; total {time.perf_counter() - began:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: one nudge pass over 1k/10k/100k runners (SQLite, PostgreSQL) against one APScheduler job per runner."""

from __future__ import annotations

import gc
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine, insert, text

from adapters.store.engine import make_engine, migrate
from adapters.store.tables import runners
from adapters.store.unit_of_work import SqlStore
from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from core.nudges.schedule import next_due
from core.training.model import Runner
from core.training.placement import lift_weekdays
from core.training.profile import DAY_NAMES, Profile, parse_runs_text

COUNTS = (1_000, 10_000, 100_000)
AT = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # a Tuesday: 18:00 in Berlin, 20:00 in Moscow
CREATED = AT - timedelta(days=30)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "runlift_bench_nudges"
ZONES = (
    "Pacific/Kiritimati",
    "Asia/Tokyo",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
    "America/Sao_Paulo",
    "America/St_Johns",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Pacific/Pago_Pago",
)
REMINDS = ("07:30", "12:00", "17:30", "18:00", "18:30", "19:00", "20:00")
RUNS = (
    "tue:speed,sun:long",
    "tue:speed,thu:speed,sat:long",
    "mon:easy,wed:speed,sat:long",
    "thu:speed,sun:long",
)
SEED_CHUNK = 20_000


def _profile(i: int) -> tuple[str, str, str]:
    return ZONES[i % len(ZONES)], REMINDS[(i // len(ZONES)) % len(REMINDS)], RUNS[(i // 112) % len(RUNS)]


@cache
def _next_at(tz: str, remind: str, runs: str) -> datetime | None:
    """Steady state: every runner was handled by the pass a minute before ``AT``."""
    profile = Profile(tz=tz, runs=parse_runs_text(runs), remind=datetime.strptime(remind, "%H:%M").time())
    runner = Runner(0, "bench", "", "", profile, created_at=CREATED)
    return next_due(runner, AT - timedelta(minutes=1))


def _rows(n: int) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for i in range(1, n + 1):
        tz, remind, runs = _profile(i)
        batch.append(
            {
                "platform": "bench",
                "user_id": f"u{i}",
                "name": f"Runner {i}",
                "tz": tz,
                "runs": runs,
                "equipment": "gym",
                "terrain": "road",
                "sessions": 2,
                "remind": remind,
                "reminders": True,
                "units": "kg",
                "playlist": "",
                "configured": True,
                "unreachable": False,
                "created_at": CREATED,
                "created_on": CREATED.date(),
                "next_nudge_at": _next_at(tz, remind, runs),
            }
        )
        if len(batch) >= SEED_CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _seed(engine: Engine, n: int) -> None:
    with engine.begin() as conn:
        for batch in _rows(n):
            conn.execute(insert(runners), batch)


@dataclass
class PassFigures:
    backend: str
    runners: int
    due: int
    pass_ms: float
    peak_mib: float
    idle_ms: float


def _measure(store: SqlStore, backend: str, n: int) -> PassFigures:
    count = [0]

    def deliver(_outgoing: Outgoing) -> None:
        count[0] += 1

    run_nudge_pass(store, AT - timedelta(minutes=1), deliver)  # warm caches: nothing is due yet
    gc.collect()
    tracemalloc.start()
    run_nudge_pass(store, AT, deliver, dry_run=True)  # the same work, rolled back
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    count[0] = 0
    start = time.perf_counter()
    report = run_nudge_pass(store, AT, deliver)
    pass_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    run_nudge_pass(store, AT + timedelta(minutes=1), deliver)
    idle_ms = (time.perf_counter() - start) * 1000
    return PassFigures(backend, n, len(report.sent), pass_ms, peak / 2**20, idle_ms)


def _noop() -> None:
    """The job a per-runner scheduler would run."""


def _register_jobs(n: int) -> Callable[[], None]:
    scheduler = BackgroundScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
    scheduler.start(paused=True)
    for i in range(1, n + 1):
        tz, remind, runs = _profile(i)
        hour, minute = remind.split(":")
        days = ",".join(DAY_NAMES[d] for d in lift_weekdays(Profile(runs=parse_runs_text(runs))))
        trigger = CronTrigger(day_of_week=days, hour=int(hour), minute=int(minute), timezone=tz)
        scheduler.add_job(_noop, trigger, id=f"nudge-{i}")
    return lambda: scheduler.shutdown(wait=False)


def _apscheduler(n: int) -> tuple[float, float]:
    gc.collect()
    start = time.perf_counter()
    _register_jobs(n)()
    seconds = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    stop = _register_jobs(n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    stop()
    return seconds * 1000, peak / 2**20


def _sqlite(tmp: Path, n: int) -> PassFigures:
    engine = make_engine(f"sqlite:///{tmp / f'nudges-{n}.db'}")
    try:
        migrate(engine)
        _seed(engine, n)
        return _measure(SqlStore(engine), "sqlite", n)
    finally:
        engine.dispose()


def _pg_reachable() -> bool:
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception:
        return False
    return True


def _postgres(n: int) -> PassFigures:
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
    engine = make_engine(f"{PG_URL}?options=-csearch_path%3D{PG_SCHEMA}")
    try:
        migrate(engine)
        _seed(engine, n)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE runners"))
        return _measure(SqlStore(engine), "postgresql", n)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        admin.dispose()


def main() -> int:
    began = time.perf_counter()
    figures: list[PassFigures] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in COUNTS:
            figures.append(_sqlite(Path(tmp), n))
    if _pg_reachable():
        figures += [_postgres(n) for n in COUNTS]
    else:
        print(f"(PostgreSQL not reachable at {PG_URL}: its rows are skipped)")
    jobs = {n: _apscheduler(n) for n in COUNTS}
    head = f"{'store':<11}{'runners':>9}{'due':>6}{'pass ms':>10}{'pass MiB':>10}{'idle ms':>9}"
    print(head + f"{'per-runner jobs ms':>20}{'jobs MiB':>10}")
    for f in figures:
        job_ms, job_mib = jobs[f.runners]
        print(
            f"{f.backend:<11}{f.runners:>9,}{f.due:>6}{f.pass_ms:>10.1f}{f.peak_mib:>10.2f}{f.idle_ms:>9.1f}"
            f"{job_ms:>20.0f}{job_mib:>10.1f}"
        )
    print(
        "pass = one pass at a Tuesday 17:00 UTC (due: runners whose moment is that minute); "
        "idle = the next minute, nothing due;\nMiB = tracemalloc peak of one pass (dry run, same work); "
        "per-runner jobs = registering one APScheduler CronTrigger job per runner (MemoryJobStore).\n"
        f"total bench time {time.perf_counter() - began:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: a 50,000-row Strong export previewed and imported, against parsing the same file with the
standard library's csv module alone (the baseline, measured in the same run).

    .venv/bin/python -m bench.imports [--database-url URL] [--rows N]

Goals: preview and import each under 5 s on SQLite (10 s on PostgreSQL); the peak memory of a
preview (tracemalloc, beyond the file's own bytes) does not grow with the file: it is measured
for a file of a fifth the size too.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from core.messages import Incoming, Upload
from core.service import Runlift
from tests.conftest import fresh_pg_schema
from tests.export_files import LIFTS, strong_file

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
SCHEMA = "bench_imports"
ROWS_PER_WEEK = 2 * len(LIFTS) * 5  # two workouts, each lift: a warm-up, three sets, a rest timer


def export_of(rows: int) -> bytes:
    weeks = max(1, rows // ROWS_PER_WEEK)
    return strong_file(date(2026, 11, 30) - (weeks + 1) * (date(2026, 1, 8) - date(2026, 1, 1)), weeks)


def drop_schema(url: str) -> None:
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
    admin.dispose()


def baseline(data: bytes) -> float:
    started = time.perf_counter()
    for _ in csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")):
        pass
    return time.perf_counter() - started


def ask(core: Runlift, text: str, user: str, upload: Upload | None = None) -> tuple[float, str]:
    incoming = Incoming("bench", user, user, user, False, text, NOW, upload=upload)
    started = time.perf_counter()
    replies = core.handle(incoming)
    return time.perf_counter() - started, "\n".join(r.full_text() for r in replies)


def preview_peak(core: Runlift, data: bytes, user: str) -> int:
    tracemalloc.start()
    ask(core, "/import", user, Upload("strong.csv", data))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        given = args.database_url
        url = given or f"sqlite:///{Path(tmp) / 'bench.db'}"
        if url.startswith("postgresql"):
            url = fresh_pg_schema(url, SCHEMA)
        engine = make_engine(url)
        migrate(engine)
        core = Runlift(SqlStore(engine))
        data = export_of(args.rows)
        rows = data.count(b"\n") - 1
        ask(core, "/start", "ana")
        base = baseline(data)
        preview, text = ask(core, "/import", "ana", Upload("strong.csv", data))
        assert "Import preview" in text, text
        written, text = ask(core, "/import confirm", "ana")
        assert "Imported" in text, text
        again, text = ask(core, "/import", "ana", Upload("strong.csv", data))
        assert "Nothing new" in text, text
        progress, _ = ask(core, "/progress squat", "ana")
        small = export_of(args.rows // 5)
        ask(core, "/start", "ben")
        ask(core, "/start", "cy")
        peak_small = preview_peak(core, small, "ben")
        peak_full = preview_peak(core, data, "cy")
        engine.dispose()
        if url.startswith("postgresql"):
            drop_schema(given)
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    goal = 10.0 if kind == "PostgreSQL" else 5.0
    print(f"{kind}: a Strong export of {rows:,} rows ({len(data) / 1e6:.1f} MB)")
    print(f"  baseline: csv.reader alone over the file       {base:6.2f} s")
    print(
        f"  /import preview                                 {preview:6.2f} s  ({preview / base:.0f}× the baseline)"
    )
    print(f"  /import confirm (write + ledger rebuild)        {written:6.2f} s")
    print(f"  the same file again (nothing new)               {again:6.2f} s")
    print(f"  /progress squat after it                        {progress:6.2f} s")
    print(
        f"  preview peak memory beyond the file: {peak_small / 1e6:.1f} MB at {rows // 5:,} rows, "
        f"{peak_full / 1e6:.1f} MB at {rows:,} rows (the file itself: {len(data) / 1e6:.1f} MB)"
    )
    ok = preview < goal and written < goal
    print(f"  goal: preview and import each under {goal:.0f} s — {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""A backup taken during a burst of writes is one consistent moment: restored, it holds exactly the rows
of the same commands replayed from scratch — every table, row for row."""

from __future__ import annotations

import os
import shutil
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.store.engine import make_engine, migrate
from adapters.store.operations import all_rows, row_counts
from adapters.store.unit_of_work import SqlStore
from bot.operations import backup
from core.commands.context import CoreConfig
from core.messages import Incoming
from core.service import Runlift
from tests.conftest import fresh_database_like, fresh_database_url

START = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # a Monday
RUNNERS = 20
COMMANDS = 900
EXERCISES = ("squat 3x8 @40kg", "rdl 3x8 @30kg", "calf raises 3x12", "pushups 10,10,8", "lunges 3x10 @10kg")


def command(i: int) -> Incoming:
    """The i-th command of the burst: each one a /log (one entry), in order, at its own instant."""
    who = f"r{i % RUNNERS}"
    chat = "club" if i % 5 == 0 else who
    return Incoming(
        "test",
        who,
        who.upper(),
        chat,
        chat == "club",
        f"/log {EXERCISES[i % len(EXERCISES)]}",
        START + timedelta(minutes=7 * i),
        event_id=f"burst:{i}",
    )


def _joins(core: Runlift) -> None:
    for r in range(RUNNERS):
        core.handle(
            Incoming(
                "test",
                f"r{r}",
                f"R{r}",
                "club",
                True,
                "/join",
                START - timedelta(hours=1),
                event_id=f"join:{r}",
            )
        )


def _replay(url: str, count: int) -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(url)
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig())
    _joins(core)
    for i in range(count):
        core.handle(command(i))
    rows = all_rows(engine)
    engine.dispose()
    return rows


def test_a_backup_under_load_restores_to_the_rows_of_the_commands_it_saw(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "burst")
    engine = make_engine(url)
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig())
    _joins(core)
    written = threading.Event()
    done: list[int] = []

    def burst() -> None:
        for i in range(COMMANDS):
            replies = core.handle(command(i))
            assert replies, i
            done.append(i)
            if len(done) == COMMANDS // 3:
                written.set()

    writer = threading.Thread(target=burst)
    writer.start()
    assert written.wait(120)
    started = time.perf_counter()
    outcome = backup.backup(url, tmp_path / "under-load.bak")
    seconds = time.perf_counter() - started
    during = len(done)
    writer.join(300)
    assert not writer.is_alive()
    assert COMMANDS // 3 <= during < COMMANDS, "the backup must overlap the writes"

    target = fresh_database_like(tmp_path, "burst_restored", url)
    restored = backup.restore(target, outcome.path)
    check = make_engine(target)
    rows = all_rows(check)
    check.dispose()
    saw = len(rows["entries"])  # each /log is one entry: the backup holds the first `saw` commands
    assert COMMANDS // 3 <= saw <= COMMANDS
    replayed = _replay(fresh_database_url(tmp_path, "burst_replayed"), saw)
    assert set(rows) == set(replayed)
    for table in rows:
        assert rows[table] == replayed[table], table
    total = sum(len(v) for name, v in rows.items() if name != "alembic_version")
    print(
        f"\nbackup under load ({engine.dialect.name}): {total} rows in {len(rows)} tables, "
        f"{seconds:.3f} s while {COMMANDS} /log commands ran ({saw} before the snapshot); restore {restored.seconds:.3f} s"
    )
    assert row_counts(engine)["entries"] == COMMANDS
    engine.dispose()


def test_restore_refuses_a_database_with_data_unless_forced(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "refuse")
    engine = make_engine(url)
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig())
    core.handle(command(0))
    saved = backup.backup(url, tmp_path / "one.bak")
    core.handle(command(1))
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(url, saved.path)
    assert row_counts(engine)["entries"] == 2
    engine.dispose()
    backup.restore(url, saved.path, force=True)
    engine = make_engine(url)
    assert row_counts(engine)["entries"] == 1
    engine.dispose()


def test_a_backup_of_the_other_kind_or_no_backup_at_all_is_refused_plainly(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "kinds")
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(backup.BackupError, match="not a Runlift backup"):
        backup.restore(url, junk)
    with pytest.raises(backup.BackupError, match="no backup at"):
        backup.restore(url, tmp_path / "missing.bak")
    with pytest.raises(backup.BackupError, match="is a folder"):
        backup.backup(url, tmp_path)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL only")
def test_without_pg_dump_on_path_the_one_command_to_run_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fresh_database_url(tmp_path, "nodump")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(backup.BackupError) as caught:
        backup.backup(url, tmp_path / "x.pgdump")
    message = str(caught.value)
    assert "pg_dump --format=custom" in message and "--file" in message
    assert "postgresql://" in message and "PGPASSWORD" in message


def test_daily_backups_keep_only_the_newest(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "daily")
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    folder = tmp_path / "backups"
    for day in range(4):
        backup.daily(url, folder, keep=2, now=START + timedelta(days=day))
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2 and kept[-1].startswith("runlift-20261105-")
    age = backup.newest_age_s(folder, START + timedelta(days=3, hours=5))
    assert age == pytest.approx(5 * 3600)

"""Migrations: an empty database reaches head; a first-revision database upgrades with its rows intact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from adapters.store.engine import alembic_config, make_engine, migrate, newest_revision
from adapters.store.tables import metadata
from tests.conftest import fresh_database_url


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_the_newest_revision_read_from_file_names_is_alembics_head() -> None:
    assert newest_revision() == _head()


def test_an_empty_database_migrates_to_head_with_every_table(tmp_path: Path) -> None:
    engine = make_engine(fresh_database_url(tmp_path, "mig_empty"))
    try:
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= tables
        with engine.connect() as conn:
            assert conn.execute(text("select version_num from alembic_version")).scalar() == _head()
        migrate(engine)  # at every start: a no-op the second time
    finally:
        engine.dispose()


def test_a_database_at_the_first_revision_upgrades_with_its_rows_intact(tmp_path: Path) -> None:
    engine = make_engine(fresh_database_url(tmp_path, "mig_first"))
    try:
        migrate(engine, "0001")
        now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "insert into runners (platform, user_id, name, tz, runs, equipment, terrain, sessions,"
                    " remind, units, playlist, configured, unreachable, created_at) values"
                    " ('telegram', '42', 'Ana', 'Europe/Berlin', 'tue:speed,sun:long', 'home', 'trail', 3,"
                    " '07:30', 'kg', '', true, false, :now)"
                ),
                {"now": now},
            )
            runner_id = conn.execute(text("select id from runners")).scalar_one()
            conn.execute(
                text(
                    "insert into set_logs (runner_id, local_date, exercise, set_no, reps, weight_kg, batch,"
                    " logged_at) values (:r, :d, 'squat', 1, 8, 20.0, 'b1', :now)"
                ),
                {"r": runner_id, "d": date(2026, 11, 1), "now": now},
            )
        migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(text("select version_num from alembic_version")).scalar() == _head()
            row = conn.execute(text("select name, tz, equipment, sessions, remind from runners")).one()
            assert tuple(row) == ("Ana", "Europe/Berlin", "home", 3, "07:30")
            sets = conn.execute(text("select exercise, reps, weight_kg, unit from set_logs")).all()
            # a home runner's weighted squat is their goblet squat, typed in their units
            assert [tuple(s) for s in sets] == [("goblet-squat", 8, 20.0, "kg")]
    finally:
        engine.dispose()

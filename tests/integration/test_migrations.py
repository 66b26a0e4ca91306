"""Migrations: an empty database reaches head; a first-revision database upgrades with its rows intact;
the schedule's move to a table of its own (0017) keeps every moment, both ways."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from adapters.store.engine import alembic_config, make_engine, migrate, newest_revision
from adapters.store.rows import aware
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


def _instant(value: object) -> datetime | None:
    """An instant as plain SQL reads it back (SQLite: the text it was given)."""
    if value is None:
        return None
    return aware(datetime.fromisoformat(value) if isinstance(value, str) else value)  # type: ignore[arg-type]


def _keys(engine: Engine, table: str) -> set[tuple[str, ...]]:
    """The unique keys of ``table`` (constraints and unique indexes), each as its ordered columns."""
    found = inspect(engine)
    keys = {tuple(c["column_names"]) for c in found.get_unique_constraints(table)}
    keys |= {tuple(str(c) for c in i["column_names"]) for i in found.get_indexes(table) if i["unique"]}
    return keys


def test_the_schedule_moves_to_its_own_table_and_back_with_every_moment(tmp_path: Path) -> None:
    """0017: the moments leave ``runners`` for ``nudge_schedule`` (none lost, none invented), the
    outbox's key is led by the day with its rows intact; the downgrade puts both back."""
    engine = make_engine(fresh_database_url(tmp_path, "mig_schedule"))
    at = datetime(2026, 11, 3, 17, 0, tzinfo=UTC)
    try:
        migrate(engine, "0016")
        with engine.begin() as conn:
            for i, moment in enumerate([at, None, at.replace(hour=18)], start=1):
                conn.execute(
                    text(
                        "insert into runners (id, platform, user_id, name, tz, runs, equipment, terrain,"
                        " sessions, remind, reminders, units, playlist, configured, unreachable, hidden,"
                        " created_at, created_on, swaps, next_nudge_at) values (:i, 'telegram', :u, 'R',"
                        " 'UTC', '', 'gym', 'road', 2, '18:00', true, 'kg', '', true, false, false, :at,"
                        " :day, '', :next)"
                    ),
                    {"i": i, "u": str(i), "at": at, "day": at.date(), "next": moment},
                )
                conn.execute(
                    text(
                        "insert into outbox (recipient, local_date, kind, platform, chat_id, is_group,"
                        " runner_id, title, body, state, due_at, expires_at, attempts) values"
                        " (:r, :day, 'lift', 'telegram', :u, false, :i, '', 'hi', 'sent', :at, :at, 1)"
                    ),
                    {"r": f"runner:{i}", "day": at.date(), "u": str(i), "i": i, "at": at},
                )
        assert ("recipient", "local_date", "kind") in _keys(engine, "outbox")
        migrate(engine)
        with engine.connect() as conn:
            moments = conn.execute(text("select runner_id, next_at from nudge_schedule order by runner_id"))
            assert [(r, _instant(m)) for r, m in moments] == [
                (1, at),
                (2, None),
                (3, at.replace(hour=18)),
            ]
            assert conn.execute(text("select count(*) from outbox")).scalar_one() == 3
        assert "next_nudge_at" not in {c["name"] for c in inspect(engine).get_columns("runners")}
        keys = _keys(engine, "outbox")
        assert ("local_date", "recipient", "kind") in keys and ("recipient", "local_date", "kind") not in keys
        from alembic import command

        cfg = alembic_config()
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0016")
        with engine.connect() as conn:
            back = conn.execute(text("select id, next_nudge_at from runners order by id"))
            assert [(r, _instant(m)) for r, m in back] == [
                (1, at),
                (2, None),
                (3, at.replace(hour=18)),
            ]
        assert ("recipient", "local_date", "kind") in _keys(engine, "outbox")
        assert "nudge_schedule" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()

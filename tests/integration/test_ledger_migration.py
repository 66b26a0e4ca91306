"""A database from before the ledger upgrades in place: every set kept, entries in the order logged,
and the derived numbers rebuilt from the record at the next start."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from bot.app import rebuild_missing
from tests.conftest import fresh_database_url
from tests.fakes import Conversation

CREATED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def _old_database(engine: object) -> None:
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            text(
                "INSERT INTO runners (id, platform, user_id, name, tz, runs, equipment, terrain, sessions, remind,"
                " units, playlist, configured, unreachable, created_at, hidden, paused_from, paused_until)"
                " VALUES (1, 'test', 'ana', 'Ana', 'Europe/Berlin', 'tue:speed,sun:long', 'gym', 'road', 2, NULL,"
                " 'kg', '', true, false, :at, false, NULL, NULL)"
            ),
            {"at": CREATED},
        )
        sets = [
            # one batch: a whole session on Tue 17 Nov; then two batches on Thu 19 Nov
            ("2026-11-17", "squat", 1, 8, 40.0, "0001"),
            ("2026-11-17", "romanian-deadlift", 1, 8, 50.0, "0001"),
            ("2026-11-17", "calf-raise", 1, 10, None, "0001"),
            ("2026-11-19", "squat", 1, 8, 45.0, "0003"),
            ("2026-11-19", "squat", 2, 8, 45.0, "0004"),
        ]
        for day, exercise, set_no, reps, weight, batch in sets:
            conn.execute(
                text(
                    "INSERT INTO set_logs (runner_id, local_date, exercise, set_no, reps, weight_kg, batch, logged_at)"
                    " VALUES (1, :d, :e, :n, :r, :w, :b, :at)"
                ),
                {
                    "d": date.fromisoformat(day),
                    "e": exercise,
                    "n": set_no,
                    "r": reps,
                    "w": weight,
                    "b": batch,
                    "at": CREATED,
                },
            )
        for day, source, batch in (("2026-11-17", "sets", "0001"), ("2026-11-18", "done", "0002")):
            conn.execute(
                text(
                    "INSERT INTO sessions_done (runner_id, local_date, source, batch, created_at)"
                    " VALUES (1, :d, :s, :b, :at)"
                ),
                {"d": date.fromisoformat(day), "s": source, "b": batch, "at": CREATED},
            )
        conn.execute(
            text("INSERT INTO badges (runner_id, badge_id, earned_on) VALUES (1, 'sessions-50', :d)"),
            {"d": CREATED.date()},
        )


def test_an_old_database_keeps_every_set_and_its_numbers_are_rebuilt(tmp_path: Path) -> None:
    engine = make_engine(fresh_database_url(tmp_path, "upgrade_ledger"))
    try:
        migrate(engine, "0003")
        _old_database(engine)
        migrate(engine)
        store = SqlStore(engine)
        now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
        assert rebuild_missing(store, now) == 1
        assert rebuild_missing(store, now) == 0  # built once
        chat = Conversation(store, at=now)
        streak = chat.say("/streak")
        assert "Streak: 1 week (best 1)" in streak  # Tue (3 exercises) and Wed (/done) made the week
        badges = chat.say("/badges")
        assert "First session — Tue 17 Nov" in badges
        assert "Fifty sessions" not in badges  # a stored badge the record never earned is not kept
        assert "18:00 (off)" in chat.say("/setup")  # reminders were off: the time is back, still off
        # /undo takes entries back newest first: the second Thursday batch, then the first.
        assert "Removed Barbell back squat 1×8 @ 45 kg (Thu 19 Nov)" in chat.say("/undo")
        assert "Removed Barbell back squat 1×8 @ 45 kg (Thu 19 Nov)" in chat.say("/undo")
        assert "Removed the /done of Wed 18 Nov" in chat.say("/undo")
        assert "Streak: 0 weeks (best 0)" in chat.say("/streak")
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from set_logs")).scalar() == 3
    finally:
        engine.dispose()

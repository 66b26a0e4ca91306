"""A database from before variants upgrades in place: every set kept, now the variant the runner did."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from bot.app import rebuild_missing
from tests.conftest import fresh_database_url
from tests.fakes import Conversation

CREATED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
TUE, THU = date(2026, 11, 17), date(2026, 11, 19)
RUNNERS = [(1, "gina", "gym", "lb"), (2, "hank", "home", "kg"), (3, "bo", "bodyweight", "kg")]
SETS = [
    # runner, day, movement, reps, weight
    (1, TUE, "hex-bar-deadlift", 8, 145 / 2.2046226218),
    (1, TUE, "squat", 10, None),
    (1, TUE, "row", 10, 40.0),
    (2, TUE, "squat", 10, 16.0),
    (2, TUE, "hex-bar-deadlift", 10, 16.0),
    (2, THU, "pull-up", 5, None),
    (3, TUE, "hex-bar-deadlift", 12, None),
    (3, TUE, "quad-extension", 30, None),
    (3, TUE, "squat", 10, 10.0),
    (3, THU, "clamshell", 12, None),
]


def _old_database(engine: Engine) -> None:
    with engine.begin() as conn:
        for rid, user, equipment, units in RUNNERS:
            conn.execute(
                text(
                    "INSERT INTO runners (id, platform, user_id, name, tz, runs, equipment, terrain, sessions,"
                    " remind, reminders, units, playlist, configured, unreachable, created_at, created_on,"
                    " hidden) VALUES (:id, 'test', :u, :u, 'UTC', 'tue:speed,sun:long', :e, 'road', 2, '18:00',"
                    " true, :units, '', true, false, :at, :on, false)"
                ),
                {"id": rid, "u": user, "e": equipment, "units": units, "at": CREATED, "on": CREATED.date()},
            )
        for number, (rid, day, exercise, reps, weight) in enumerate(SETS, 1):
            conn.execute(
                text(
                    "INSERT INTO entries (id, runner_id, kind, local_date, group_id, logged_at)"
                    " VALUES (:n, :r, 'sets', :d, NULL, :at)"
                ),
                {"n": number, "r": rid, "d": day, "at": CREATED},
            )
            conn.execute(
                text(
                    "INSERT INTO set_logs (entry_id, runner_id, local_date, exercise, set_no, reps, weight_kg)"
                    " VALUES (:n, :r, :d, :e, 1, :reps, :w)"
                ),
                {"n": number, "r": rid, "d": day, "e": exercise, "reps": reps, "w": weight},
            )
        conn.execute(
            text(
                "INSERT INTO goals (runner_id, exercise, weight_kg, reps, set_on) VALUES (1, 'hex-bar-deadlift',"
                " 90.0, 5, :d), (2, 'squat', 20.0, 8, :d)"
            ),
            {"d": TUE},
        )
        conn.execute(
            text(
                "INSERT INTO groups (id, platform, chat_id, title, tz, created_at)"
                " VALUES (1, 'test', 'club', 'Club', 'UTC', :at)"
            ),
            {"at": CREATED},
        )
        conn.execute(
            text(
                "INSERT INTO posts (group_id, runner_id, local_date, kind, key) VALUES"
                " (1, 2, :d, 'pr', 'pr:squat:10:16.000:2026-11-17'), (1, 2, :d, 'badge', 'badge:first-pr')"
            ),
            {"d": TUE},
        )
        conn.execute(
            text(
                "INSERT INTO books (runner_id, closed_through, badges, trained, goals_open, next_reward, pending)"
                " VALUES (1, NULL, '', '', '', NULL, '')"
            )
        )


def test_every_set_becomes_the_variant_of_the_runners_equipment_and_the_caches_are_rebuilt(
    tmp_path: Path,
) -> None:
    engine = make_engine(fresh_database_url(tmp_path, "upgrade_variants"))
    try:
        migrate(engine, "0004")
        _old_database(engine)
        migrate(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT runner_id, exercise, reps, seconds, unit FROM set_logs ORDER BY entry_id")
            ).all()
            goals = conn.execute(text("SELECT runner_id, exercise FROM goals ORDER BY runner_id")).all()
            posts = conn.execute(text("SELECT key FROM posts ORDER BY id")).scalars().all()
            assert conn.execute(text("SELECT count(*) FROM books")).scalar() == 0
        assert [tuple(r) for r in rows] == [
            (1, "hex-bar-deadlift", 8, None, "lb"),
            (1, "bodyweight-squat", 10, None, None),
            (1, "cable-row", 10, None, "lb"),
            (2, "goblet-squat", 10, None, "kg"),
            (2, "kettlebell-deadlift", 10, None, "kg"),
            (2, "pull-up", 5, None, None),
            (3, "glute-bridge", 12, None, None),
            (3, "spanish-squat-hold", 1, 30, None),  # the old hold "reps" were seconds
            (3, "goblet-squat", 10, None, "kg"),
            (3, "side-lying-clamshell", 12, None, None),
        ]
        assert [tuple(g) for g in goals] == [(1, "hex-bar-deadlift"), (2, "goblet-squat")]
        assert posts == ["pr:goblet-squat:10:16.000:2026-11-17", "badge:first-pr"]

        store = SqlStore(engine)
        now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
        assert rebuild_missing(store, now) == 3
        chat = Conversation(store, at=now)
        assert "Hex bar deadlift: first entry logged: 145 lb × 8" in chat.say("/progress hexbar", user="gina")
        assert "Goal: Goblet squat 20 kg × 8" in chat.say("/progress deadlift", user="hank")
        assert "Spanish squat hold 3" not in chat.say("/history", user="bo")
        assert "Spanish squat hold 1×30 s" in chat.say("/history", user="bo")
        assert "First session" in chat.say("/badges", user="bo")  # Tuesday: three exercises
    finally:
        engine.dispose()

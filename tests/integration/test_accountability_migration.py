"""Upgrading a database from the training-only schema keeps this week's sessions counting."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from tests.conftest import fresh_database_url
from tests.fakes import Conversation


def test_sessions_done_before_the_upgrade_count_in_their_week(tmp_path: Path) -> None:
    engine = make_engine(fresh_database_url(tmp_path, "upgrade_accountability"))
    migrate(engine, "0001")
    at = datetime(2026, 11, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO runners (id, platform, user_id, name, tz, runs, equipment, terrain, sessions,"
                " remind, units, playlist, configured, unreachable, created_at) VALUES (1, 'test', 'ana',"
                " 'Ana', 'UTC', 'tue:speed,sun:long', 'gym', 'road', 2, '18:00', 'kg', '', true, false, :at)"
            ),
            {"at": at},
        )
        conn.execute(
            text(
                "INSERT INTO sessions_done (runner_id, local_date, source, batch, created_at)"
                " VALUES (1, :d, 'done', :b, :at)"
            ),
            [
                {"d": d, "b": f"b{d.day}", "at": at}
                for d in (datetime(2026, 11, 30).date(), datetime(2026, 12, 1).date())
            ],
        )
    migrate(engine)
    chat = Conversation(SqlStore(engine), at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    assert "This week: 2/2 sessions — target met ✓" in chat.say("/streak")
    engine.dispose()

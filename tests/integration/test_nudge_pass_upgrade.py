"""A database from before nudges upgrades in place, and its runners are nudged from the first pass."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from tests.conftest import fresh_database_url


def test_runners_from_an_older_version_become_candidates_after_the_upgrade(tmp_path: Path) -> None:
    engine = make_engine(fresh_database_url(tmp_path, "runlift_nudge_upgrade"))
    try:
        migrate(engine, "0002")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO runners (platform, user_id, name, tz, runs, equipment, terrain, sessions, "
                    "remind, units, playlist, configured, unreachable, created_at, hidden) VALUES "
                    "('test', 'ana', 'Ana', 'Europe/Berlin', 'tue:speed,sun:long', 'gym', 'road', 2, "
                    "'18:00', 'kg', '', true, false, :at, false)"
                ),
                {"at": datetime(2026, 11, 1, tzinfo=UTC)},
            )
        migrate(engine)
        sent: list[Outgoing] = []
        report = run_nudge_pass(SqlStore(engine), datetime(2026, 12, 1, 17, 0, tzinfo=UTC), sent.append)
        assert report.candidates == 1
        assert [o.address.chat_id for o in sent] == ["ana"]
    finally:
        engine.dispose()

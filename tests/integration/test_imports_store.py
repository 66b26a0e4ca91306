"""/import on the SQL store (SQLite, or PostgreSQL with TEST_DATABASE_URL): the same answers as in memory,
the file kept compressed while the preview waits, set keys unique per runner, undo removes every row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from adapters.store.tables import entries, imports, set_logs
from adapters.store.unit_of_work import SqlStore
from core.messages import Upload
from tests.fakes import Conversation

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def _count(store: SqlStore, table: object, *where: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_import_twice_then_undo_on_the_sql_store(store: SqlStore) -> None:
    chat = Conversation(store, at=datetime(2026, 10, 20, 19, 0, tzinfo=UTC))
    chat.say("/start")
    data = (FIXTURES / "strong_current.csv").read_bytes()
    assert "3 workouts, 13 sets" in chat.say("/import", upload=Upload("strong.csv", data))
    assert _count(store, imports, imports.c.state == "pending") == 1
    assert _count(store, set_logs) == 0
    assert "Imported 13 sets" in chat.say("/import confirm")
    assert _count(store, set_logs, set_logs.c.source_key.is_not(None)) == 13
    assert _count(store, set_logs, set_logs.c.warmup.is_(True)) == 1
    assert _count(store, imports, imports.c.state == "pending") == 0
    assert "Nothing new" in chat.say("/import", upload=Upload("strong.csv", data))
    assert "85 kg" in chat.say("/progress squat")
    export = chat.replies("/export")
    assert any(
        b"Barbell back squat" in a.data or b"barbell-back-squat" in a.data
        for r in export
        for a in r.attachments
    )
    assert "Removed the import" in chat.say("/import undo")
    assert _count(store, set_logs) == 0
    assert _count(store, entries, entries.c.import_id.is_not(None)) == 0


def test_hevy_and_fitnotes_imports_stack_without_doubling(store: SqlStore) -> None:
    chat = Conversation(store, at=datetime(2026, 10, 20, 19, 0, tzinfo=UTC))
    chat.say("/start")
    for name, sets in (("hevy.csv", 7), ("fitnotes.csv", 5)):
        chat.say("/import", upload=Upload(name, (FIXTURES / name).read_bytes()))
        assert f"Imported {sets} sets" in chat.say("/import confirm")
    assert _count(store, set_logs) == 12

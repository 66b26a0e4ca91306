"""A FitNotes export imported in `runlift console` by path: preview, confirm, then the history is there."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from tests.conftest import fresh_database_url
from tests.scenarios.console import Console

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


@pytest.fixture
def console(tmp_path: Path) -> Console:
    return Console(tmp_path, fresh_database_url(tmp_path, "console_import"))


def test_a_fitnotes_file_by_path_previews_imports_once_and_exports(console: Console, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "fitnotes.csv", tmp_path / "my export.csv")
    out = console("2026-10-20T19:00:00Z", "/import my export.csv")
    assert "FitNotes export · 2024-09-02 → 2024-09-04" in out
    assert "Barbell Squat → Barbell back squat" in out
    assert "Left out:" in out and "row 6" in out
    assert "[Import] /import confirm" in out
    out = console("2026-10-20T19:01:00Z", "/import confirm", "/import my export.csv", "/export")
    assert "Imported 5 sets from 2 workouts" in out
    assert "Nothing new in that file" in out
    sets_file = next(
        line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("file: ") and "sets" in line
    )
    rows = list(csv.DictReader(io.StringIO((tmp_path / sets_file).read_text())))
    assert sum(r["date"] == "2024-09-02" for r in rows) == 4
    assert "There's no file at nowhere.csv" in console("2026-10-20T19:02:00Z", "/import nowhere.csv")

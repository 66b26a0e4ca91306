"""A scripted two-week console run: `runlift console --at …` calls as a newcomer would type them."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from tests.conftest import fresh_database_url
from tests.scenarios.console import Console


@pytest.fixture
def console(tmp_path: Path) -> Console:
    return Console(tmp_path, fresh_database_url(tmp_path, "console_week"), tz="Europe/Berlin")


def test_a_scripted_two_week_console_run(console: Console, tmp_path: Path) -> None:
    # Week 1, Monday evening: set up, see the week.
    out = console(
        "2026-11-30T18:00:00+01:00",
        "/setup runs=tue:speed,thu:easy,sun:long equipment=home",
        "/plan",
    )
    assert "Saved" in out
    assert "Tue 1 Dec: speed run → lift" in out and "Sun 6 Dec: long run → lift" in out
    assert "Thu 3 Dec: easy run\n" in out

    # Tuesday after the speed session: today's session, log it, fix a mistake with /undo.
    out = console(
        "2026-12-01T19:30:00+01:00",
        "/today",
        "/log goblet squat 3x10 @16kg; rdl 3x10 @14kg",
        "/log pushups 10,10,8",
        "/undo",
        "/log pushups 10,10,9",
    )
    assert "Speed day" in out and "min" in out
    assert "Removed Push-up 10,10,8" in out
    assert "Session complete for Tuesday" in out

    # Thursday is an easy run: a recovery note.
    out = console("2026-12-03T07:00:00+01:00", "/today")
    assert "no lifting" in out.lower()

    # Sunday: long run, /done, a goal.
    out = console("2026-12-06T14:00:00+01:00", "/done", "/goal goblet squat 24kg x8")
    assert "Session done" in out and "Goal set" in out

    # Week 2, Tuesday: heavier squat for the same reps → a PR; the chart and the export.
    out = console(
        "2026-12-08T19:00:00+01:00",
        "/log goblet squat 3x10 @18kg",
        "/progress squat",
        "/export",
    )
    assert "New PR: Squat 18 kg × 10" in out
    image = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("image: "))
    assert (tmp_path / image).read_bytes().startswith(b"\x89PNG")
    files = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("file: ")]
    assert sorted(Path(f).name for f in files) == ["runlift-profile.json", "runlift-sets.csv"]
    sets_csv = (tmp_path / next(f for f in files if f.endswith(".csv"))).read_text()
    rows = list(csv.DictReader(io.StringIO(sets_csv)))
    assert len(rows) == 3 + 3 + 3 + 3
    assert {r["date"] for r in rows} == {"2026-12-01", "2026-12-08"}
    assert [r["weight_kg"] for r in rows if r["exercise"] == "Push-up"] == ["", "", ""]
    profile = json.loads((tmp_path / next(f for f in files if f.endswith(".json"))).read_text())
    assert profile["profile"]["tz"] == "Europe/Berlin"
    assert profile["profile"]["equipment"] == "home"
    assert profile["goals"][0]["exercise"] == "squat"


def test_bytes_that_are_not_text_get_a_short_answer_and_write_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import fresh_database_url

    env = {**os.environ, "DATABASE_URL": fresh_database_url(tmp_path, "console_bytes")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("DISCORD_BOT_TOKEN", None)
    base = [sys.executable, "-m", "bot.cli", "console", "--at", "2026-12-01T18:00"]
    bad = subprocess.run(
        [*base, "--user", "ana"],
        input=b"/reward caf\xe9 after 2\n/reward\n",
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    out = bad.stdout.decode()
    assert bad.returncode == 0 and "Traceback" not in out + bad.stderr.decode()
    assert "can't be read" in out and "No rewards yet" in out
    odd = subprocess.run(
        [*base, "--user", os.fsdecode(b"b\xffn")],
        input=b"/start\n",
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert odd.returncode == 0 and "Traceback" not in odd.stdout.decode() + odd.stderr.decode()
    assert "can't be read" in odd.stdout.decode()

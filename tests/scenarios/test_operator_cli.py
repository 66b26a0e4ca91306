"""The operator's verbs as a volunteer types them: `runlift status`, `backup`, `restore`, and /admin status
in the console, with plain answers (never a traceback) when something is off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import fresh_database_url
from tests.scenarios.console import Console

ROOT = Path(__file__).resolve().parents[2]


def runlift(tmp: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "RUNLIFT_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        timeout=120,
    )


def test_status_before_the_first_run_and_after_a_week(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "cli_status")
    fresh = runlift(tmp_path, "status", DATABASE_URL=url)
    assert fresh.returncode == 0, fresh.stderr
    assert "schema: none yet" in fresh.stdout and "adapters configured: none" in fresh.stdout
    console = Console(tmp_path, url)
    console("2026-12-01T19:00", "/log squat 3x5 @60kg", "/log rdl 3x8 @40kg")
    runlift(tmp_path, "nudges", "--at", "2026-12-08T18:00", DATABASE_URL=url)
    status = runlift(
        tmp_path,
        "status",
        DATABASE_URL=url,
        TELEGRAM_BOT_TOKEN="123:very-secret",
        RUNLIFT_NOW="2026-12-08T18:05",
    )
    assert status.returncode == 0, status.stderr
    out = status.stdout
    assert "(up to date)" in out and "runners: 1, groups: 0, sets logged: 6" in out
    assert "last nudge pass: 2026-12-08T18:00+00:00 (5 min ago): 1 due, 1 queued, 0 missed" in out
    assert "outbox: 0 queued, 0 to retry; last 24 h: 1 sent (0 late)" in out
    assert "adapters configured: telegram" in out and "very-secret" not in out


def test_admin_status_in_the_console_for_the_operator_only(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "cli_admin")
    console = Console(tmp_path, url)
    console.env["RUNLIFT_OPERATORS"] = "console:olga"
    said = console("2026-12-01T19:00", "/admin status", user="olga")
    assert "== Runlift status ==" in said and "schema: " in said
    assert "don't know /admin" in console("2026-12-01T19:00", "/admin status", user="ben")


def test_mistakes_get_one_plain_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    bad_http = runlift(tmp_path, "status", RUNLIFT_HTTP="localhost")
    assert bad_http.returncode == 2 and "RUNLIFT_HTTP must be host:port" in bad_http.stderr
    missing = runlift(tmp_path, "backup", "out.db", DATABASE_URL=f"sqlite:///{tmp_path}/none/runlift.db")
    assert missing.returncode == 2 and "no database at" in missing.stderr
    nothing = runlift(tmp_path, "restore", "nothing.db", DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    assert nothing.returncode == 2 and "no backup at" in nothing.stderr
    for done in (bad_http, missing, nothing):
        assert "Traceback" not in done.stderr

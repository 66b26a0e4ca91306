"""A console week: `runlift console` for the chat, `runlift nudges --at …` every half hour for the nudges."""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import fresh_database_url

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Runlift:
    """The `runlift` command, in-process, against one database."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp: Path
    ) -> None:
        monkeypatch.chdir(tmp)
        monkeypatch.setenv("DATABASE_URL", fresh_database_url(tmp, "runlift_console_nudges"))
        monkeypatch.setenv("RUNLIFT_FILES", str(tmp / "files"))
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def console(self, at: datetime, user: str, *lines: str, chat: str | None = None) -> str:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
        argv = ["console", "--user", user, "--at", at.isoformat()]
        assert main([*argv, "--chat", chat] if chat else argv) == 0
        return self.capsys.readouterr().out

    def nudges(self, at: datetime, dry_run: bool = False) -> str:
        assert main(["nudges", "--at", at.isoformat(), *(["--dry-run"] if dry_run else [])]) == 0
        return self.capsys.readouterr().out


@pytest.fixture
def runlift(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Runlift:
    return Runlift(monkeypatch, capsys, tmp_path)


def test_a_week_of_passes_prints_exactly_the_nudges_a_runner_should_see(runlift: Runlift) -> None:
    runlift.console(
        MONDAY,
        "ana",
        "/setup tz=Europe/Berlin runs=tue:speed,thu:easy,sun:long remind=18:30",
        "/playlist https://example.com/lifting-mix",
    )
    runlift.console(MONDAY, "ana", "/join", chat="crew")
    runlift.console(MONDAY, "ben", "/join", chat="crew")
    runlift.console(MONDAY, "ben", "/remind off")
    thursday_noon = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # an easy day; any day counts

    printed: list[tuple[datetime, str]] = []
    at = MONDAY.replace(hour=0)
    while at < MONDAY + timedelta(days=7):
        if at == thursday_noon:
            runlift.console(at, "ana", "/done")
        out = runlift.nudges(at)
        if out:
            printed.append((at, out))
            assert runlift.nudges(at) == ""  # recorded: the same instant again prints nothing
        at += timedelta(minutes=30)

    assert [(when, out.splitlines()[0]) for when, out in printed] == [
        (datetime(2026, 12, 1, 17, 30, tzinfo=UTC), printed[0][1].splitlines()[0]),
        (
            datetime(2026, 12, 5, 17, 30, tzinfo=UTC),
            "[console:ana] Weekend check: one more session makes 2 this week and keeps your streak going.",
        ),
        (datetime(2026, 12, 6, 17, 30, tzinfo=UTC), printed[2][1].splitlines()[0]),
        (datetime(2026, 12, 6, 18, 0, tzinfo=UTC), "[console:crew] Week of Mon 30 Nov — crew"),
    ]
    tuesday, saturday, sunday, recap = (out for _, out in printed)
    assert re.fullmatch(
        r"\[console:ana\] Speed day: lift after your run — 5 moves, ~\d+ min\. /today\n"
        r"  Your playlist: https://example\.com/lifting-mix\n",
        tuesday,
    )
    assert saturday.splitlines()[1] == (
        "  Your plan has room for it on Sunday: /today shows the session then, /done when you've lifted."
    )
    assert re.fullmatch(
        r"\[console:ana\] Long-run day: lift after your run — 5 moves, ~\d+ min\. /today\n"
        r"  Your playlist: https://example\.com/lifting-mix\n",
        sunday,
    )
    assert len(recap.splitlines()) > 1
    assert all(line.startswith("  ") for line in recap.splitlines()[1:])
    assert "[console:ben]" not in "".join(out for _, out in printed)


def test_dry_run_prints_without_recording(runlift: Runlift) -> None:
    runlift.console(MONDAY, "ana", "/setup tz=America/St_Johns")
    six_pm = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)  # 18:00 in St. John's (UTC-3:30)
    preview = runlift.nudges(six_pm, dry_run=True)
    assert preview.startswith("[console:ana] Speed day: lift after your run")
    assert runlift.nudges(six_pm, dry_run=True) == preview
    assert runlift.nudges(six_pm) == preview
    assert runlift.nudges(six_pm) == ""
    assert runlift.nudges(six_pm, dry_run=True) == ""

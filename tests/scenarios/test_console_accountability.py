"""A scripted six-week console run with three buddies: streaks, a freeze, a pause, badges, rewards, recap."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import fresh_database_url
from tests.scenarios.console import Console

SESSION = "/log squat 3x8 @20kg; rdl 3x8 @30kg; calf raise 3x10 yesterday"
# Tuesdays of six weeks from Monday 30 Nov 2026 (one across the new year).
TUESDAYS = ("2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22", "2026-12-29", "2027-01-05")


@pytest.fixture
def console(tmp_path: Path) -> Console:
    return Console(tmp_path, fresh_database_url(tmp_path, "console_accountability"))


def lift_two(console: Console, week: int, user: str, chat: str | None = None, *more: str) -> str:
    """Monday's session logged late on Tuesday, then Tuesday's marked done."""
    return console(f"{TUESDAYS[week]}T18:00", SESSION, "/done", *more, user=user, chat=chat)


def test_three_buddies_over_six_weeks(console: Console) -> None:
    out = console("2026-11-30T17:00", "/join", "/reward pizza night", user="ana", chat="club")
    assert "Group reward set: pizza night" in out
    out = console("2026-11-30T17:05", "/join", "/reward tacos", "/hide", user="ben", chat="club")
    assert "Only a group admin can set the group reward. Ask ana." in out
    console("2026-11-30T17:10", "/join", user="cy", chat="club")
    assert "after 3 more sessions" in console("2026-11-30T17:15", "/reward smoothie after 3", user="ben")

    # Week 1: everyone hits target; the last one to do so unlocks the group reward.
    out = lift_two(console, 0, "ana", "club")
    assert "Badge: First session" in out and "ana: 2/2 this week ✓ · Group: 1/3 have hit this week." in out
    lift_two(console, 0, "ben")
    out = lift_two(console, 0, "cy", "club")
    assert "Group: 3/3 have hit this week." in out
    assert out.count("Group reward unlocked: pizza night") == 1
    assert "Buddy week" in out

    # Week 2: the recap of week 1, the leaderboard without the hidden member, a reward, a pause.
    out = lift_two(console, 1, "ana", "club", "/leaderboard", "/group recap")
    assert "1. ana — 2 this week · 🔥 2 wks" in out
    assert "ben" not in out.split("== Leaderboard ==")[1].split("== Week of")[0]
    recap = out.split("== Week of Mon 30 Nov — club ==")[1]
    assert "3/3 hit target." in recap and "On target: ana (2/2), cy (2/2)" in recap
    assert "Streaks: ana 🔥1, cy 🔥1" in recap and "pizza night — unlocked Tue 1 Dec" in recap
    assert "Reward unlocked: smoothie" in lift_two(console, 1, "ben")
    assert "Paused for 2 weeks" in console(f"{TUESDAYS[1]}T19:00", "/pause 2", user="cy", chat="club")

    # Weeks 3 and 4: ana's streak reaches four weeks; cy's paused weeks leave the streak alone.
    lift_two(console, 2, "ana", "club")
    out = lift_two(console, 3, "ana", "club", "/streak")
    assert "Badge: Four weeks strong" in out and "Streak: 4 weeks (best 4)" in out
    # The freeze arrives with the session that completes the fourth counted week, and /streak agrees.
    assert out.count("Freeze earned") == 1 and "Freezes: 1 banked" in out
    out = console(f"{TUESDAYS[3]}T20:00", "/streak", user="cy")
    assert "Streak: 1 week (best 1)" in out and "freeze" not in out.split("Freezes")[0]

    # Week 5: ana misses. Week 6: the freeze is spent, said once, and the streak holds.
    out = console(f"{TUESDAYS[5]}T08:00", "/streak", "/streak", "/badges", user="ana")
    assert out.count("A freeze kept your 4-week streak alive") == 1
    assert "Streak: 4 weeks (best 4)" in out and "Freezes: 0 banked" in out
    transcript = "\n".join(console.transcript)
    assert transcript.count("Badge: First session") == 3  # once each for ana, ben and cy
    assert transcript.count("Badge: Four weeks strong") == 1
    assert "First session — Mon 30 Nov" in out  # the day of the first session, logged late on Tuesday

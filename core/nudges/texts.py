"""The words of the nudges: lift-day reminders and the weekend streak check."""

from __future__ import annotations

from datetime import date

from core.training.sessions import Session

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

STRENGTH_FALLBACK = "Strength day — time for your session. /today"

_HEADS = {
    "speed": "Speed day: lift after your run",
    "long": "Long-run day: lift after your run",
    "easy": "Easy run today: lift after it",
}


def _count(n: int) -> str:
    return "one" if n == 1 else "two" if n == 2 else str(n)


def lift_day(session: Session, playlist: str, streak_needed: int = 0) -> str:
    """``Speed day: lift after your run — 5 moves, ~30 min. /today`` plus the playlist and stakes."""
    head = _HEADS.get(session.run or "", "Strength day")
    if session.run_title:
        head = f"{session.run_title} today: lift after your session"
    light = ", lighter week" if session.light else ""
    lines = [f"{head} — {len(session.items)} moves, ~{session.minutes} min{light}. /today"]
    if streak_needed == 1:
        lines.append("It's the last one you need this week — your streak is riding on it.")
    elif streak_needed > 1:
        lines.append(
            f"{_count(streak_needed).capitalize()} to go this week to keep your streak: today counts."
        )
    if playlist:
        lines.append(f"Your playlist: {playlist}")
    return "\n".join(lines)


def _day_names(days: list[date], today: date) -> str:
    names = ["today" if d == today else f"on {_DAYS[d.weekday()]}" for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def streak_at_risk(needed: int, target: int, days: list[date], today: date) -> str:
    """The weekend check, naming the days the plan has room for (never back to back)."""
    if needed == 1:
        head = f"Weekend check: one more session makes {target} this week and keeps your streak going."
    else:
        head = f"Weekend check: {_count(needed)} sessions to go for your {target} this week — still doable."
    when = _day_names(days, today)
    return (
        head + f"\nYour plan has room for it {when}: /today shows the session then, /done when you've lifted."
    )

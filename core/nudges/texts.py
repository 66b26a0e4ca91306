"""The words of the nudges: lift-day reminders and the weekend streak check."""

from __future__ import annotations

from core.training.sessions import Session

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


def streak_at_risk(needed: int, target: int) -> str:
    if needed == 1:
        head = f"Weekend check: one more session makes {target} this week and keeps your streak going."
    else:
        head = f"Weekend check: {_count(needed)} sessions to go for your {target} this week — still doable."
    return head + "\nAny day counts: /today for a session, /done when you've lifted."

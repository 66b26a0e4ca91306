"""User-facing sentences shared across commands."""

from __future__ import annotations

from datetime import date

from core.training.profile import DAY_NAMES

APOLOGY = "Sorry — something went wrong on my side. Your data is safe; please try again in a moment."
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RUN_LABELS = {"speed": "speed day", "long": "long-run day", "easy": "easy run"}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


LISTED = 25  # rows a group listing shows before summing up the rest


def listed(rows: list[str], more: str = "more") -> list[str]:
    """At most :data:`LISTED` rows, the rest summed up in one line (``…and 58 more``)."""
    if len(rows) <= LISTED:
        return rows
    return [*rows[:LISTED], f"…and {len(rows) - LISTED:,} {more}"]


def named(names: list[str], limit: int = 30) -> str:
    """``Ana, Ben and 12 others``: a list of names that stays short in a big group."""
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit:,} others"


def unknown_command(name: str, nearest: str | None) -> str:
    if nearest:
        return f"I don't know /{name} — did you mean /{nearest}? /help lists everything."
    return f"I don't know /{name}. Send /help for the full list — e.g. /today."


def day_label(day: date) -> str:
    """``Tue 1 Dec``."""
    return f"{DAY_NAMES[day.weekday()].capitalize()} {day.day} {day.strftime('%b')}"


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


WELCOME = (
    "Hi {name}! I'm Runlift: I pair short strength sessions with your hard run days, "
    "keep your logbook and cheer you and your buddies on.\n"
    "Try /today for today's session, /log to record sets, /help for everything."
)

DEFAULTS_HINT = (
    "Using the defaults (speed run Tuesday, long run Sunday, gym, 2 sessions). "
    "Make it yours: /setup runs=tue:speed,thu:easy,sun:long tz=Europe/Berlin equipment=home"
)

PERSONAL_IN_GROUP = "That one is personal — send it to me in a direct message."

"""What the ledger tells a runner: freezes earned and spent, a streak that ended, a late log's effect."""

from __future__ import annotations

from core import texts
from core.ledger.model import Event, WeekRow
from core.ledger.streaks import MAX_FREEZES


def event_note(event: Event) -> str:
    week = texts.day_label(event.monday)
    if event.kind == "freeze-earned":
        return (
            f"❄️ Freeze earned: another 4 counted weeks. {texts.plural(event.freezes, 'freeze')} banked "
            f"(up to {MAX_FREEZES}) — a short week will spend one instead of your streak."
        )
    if event.kind == "freeze-spent":
        return (
            f"❄️ A freeze kept your {event.streak}-week streak alive: the week of {week} "
            f"was short ({event.sessions}/{event.target}). {texts.plural(event.freezes, 'freeze')} left."
        )
    return (
        f"Your {event.streak}-week streak ended with the week of {week} "
        f"({event.sessions}/{event.target}) — it happens. Every session from here starts the next one: /today"
    )


def week_change_note(before: WeekRow, after: WeekRow, streak_now: int) -> str | None:
    """A late log or an undo that changed how a finished week ended."""
    if before.outcome == after.outcome:
        return None
    week = texts.day_label(after.monday)
    score = f"{after.inputs.sessions}/{after.inputs.target}"
    if after.outcome == "counted":
        return f"That completes the week of {week}: {score} ✓, streak {streak_now}."
    if after.outcome == "frozen":
        return f"The week of {week} no longer counts ({score}): a freeze covers it. Streak {streak_now}."
    if after.outcome == "paused":
        return f"The week of {week} no longer counts ({score}); your pause covers it. Streak {streak_now}."
    return f"The week of {week} no longer counts ({score}). Streak {streak_now}."

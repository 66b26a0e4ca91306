"""The weekly streak rules: counted, frozen, paused and missed weeks, and earning freezes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from core.accountability_model import StreakState, WeekState

FREEZE_EVERY = 4
MAX_FREEZES = 2


@dataclass(frozen=True)
class ClosedWeek:
    """A week as it closed: its Monday, its sessions, how it ended and the streak after it."""

    week_start: date
    sessions: int
    target: int
    state: WeekState
    after: StreakState


def close_week(state: StreakState, sessions: int, target: int, paused: bool) -> tuple[StreakState, WeekState]:
    """One closed week's effect on the streak.

    Meeting the target counts even during a pause (the work was done). A paused
    week that fell short neither counts nor breaks. A missed week spends a
    banked freeze when there is a streak to keep; otherwise the streak resets.
    """
    if sessions >= target:
        current = state.current + 1
        toward = state.toward_freeze + 1
        freezes = state.freezes
        if toward >= FREEZE_EVERY:
            toward = 0
            freezes = min(MAX_FREEZES, freezes + 1)
        return (
            replace(
                state, current=current, best=max(state.best, current), freezes=freezes, toward_freeze=toward
            ),
            "counted",
        )
    if paused:
        return state, "paused"
    if state.current > 0 and state.freezes > 0:
        return replace(state, freezes=state.freezes - 1), "frozen"
    return replace(state, current=0), "missed"


def close_weeks(
    state: StreakState, weeks: Iterable[tuple[date, int, int, bool]]
) -> tuple[StreakState, list[ClosedWeek]]:
    """Close ``(monday, sessions, target, paused)`` weeks in order; each result carries its state after."""
    closed = []
    for monday, sessions, target, paused in weeks:
        state, outcome = close_week(state, sessions, target, paused)
        closed.append(ClosedWeek(monday, sessions, target, outcome, state))
    return state, closed


def live_streak(state: StreakState, sessions_this_week: int, target: int) -> tuple[int, int]:
    """Current and best streak, counting this week as soon as its target is met."""
    current = state.current + (1 if sessions_this_week >= target else 0)
    return current, max(state.best, current)


def weeks_to_next_freeze(state: StreakState) -> int:
    return FREEZE_EVERY - state.toward_freeze

"""Keeps the weekly aggregates and the stored streak up to date, lazily, week by week."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from core import texts
from core.accountability_model import StreakState, WeekRow
from core.model import Runner
from core.ports import UnitOfWork
from core.streaks import ClosedWeek, close_weeks, live_streak
from core.weeks import WEEK, first_week, week_end, week_paused, week_start, weeks_from


def _initial(runner: Runner, today: date) -> StreakState:
    return StreakState(settled_until=first_week(runner) or week_start(today))


def _close_until(
    uow: UnitOfWork, runner: Runner, state: StreakState, this_monday: date
) -> tuple[StreakState, list[ClosedWeek], dict[date, WeekRow]]:
    start = state.settled_until
    if start is None or start >= this_monday:
        return state, [], {}
    rows = uow.week_rows(runner.id, start, this_monday - timedelta(days=1))
    target = runner.profile.sessions
    weeks = []
    for monday in weeks_from(start, this_monday):
        row = rows.get(monday)
        sessions, goal = (row.sessions, row.target) if row else (0, target)
        weeks.append((monday, sessions, goal, week_paused(runner, monday)))
    new, closed = close_weeks(state, weeks)
    return replace(new, settled_until=this_monday), closed, rows


def standing(uow: UnitOfWork, runner: Runner, today: date, stored: StreakState | None = None) -> StreakState:
    """The streak with every week before ``today``'s closed, without writing anything."""
    state = stored or uow.streak_state(runner.id) or _initial(runner, today)
    return _close_until(uow, runner, state, week_start(today))[0]


def freeze_note(week: ClosedWeek) -> str:
    left = week.after.freezes
    return (
        f"❄️ A freeze kept your {week.after.current}-week streak alive: the week of "
        f"{texts.day_label(week.week_start)} was short ({week.sessions}/{week.target}). "
        f"{left} freeze{'s' if left != 1 else ''} left."
    )


def settle(uow: UnitOfWork, runner: Runner, today: date) -> list[str]:
    """Close every finished week since the last look; returns notes on freezes spent."""
    stored = uow.streak_state(runner.id)
    state = stored or _initial(runner, today)
    new, closed, rows = _close_until(uow, runner, state, week_start(today))
    if stored is None or closed:
        uow.save_streak_state(runner.id, new)
    notes = []
    for week in closed:
        uow.save_week(runner.id, WeekRow(week.week_start, week.sessions, week.target, week.state, week.after))
        before = rows.get(week.week_start)
        if week.state == "frozen" and (before is None or before.state != "frozen"):
            notes.append(freeze_note(week))
    return notes


def record_week(uow: UnitOfWork, runner: Runner, day: date, today: date) -> list[str]:
    """Refresh the aggregate of ``day``'s week after its sessions changed.

    A late log into a week already closed re-settles from that week, starting
    from the state stored after the week before: at most a week or two of work.
    """
    monday = week_start(day)
    sessions = len(uow.done_days(runner.id, monday, week_end(monday)))
    existing = uow.week_rows(runner.id, monday, monday).get(monday)
    if existing is not None and existing.state != "open":
        uow.save_week(runner.id, replace(existing, sessions=sessions))
    else:
        uow.save_week(runner.id, WeekRow(monday, sessions, runner.profile.sessions))
    state = uow.streak_state(runner.id)
    if state is None or state.settled_until is None or monday >= state.settled_until:
        return []
    previous = uow.last_week_row_before(runner.id, monday)
    base = previous.after if previous is not None and previous.after is not None else StreakState()
    uow.save_streak_state(runner.id, replace(base, settled_until=monday))
    return settle(uow, runner, today)


def week_progress(uow: UnitOfWork, runner: Runner, day: date) -> tuple[int, int]:
    """Completed sessions in ``day``'s week (the runner's Monday–Sunday) and the target."""
    monday = week_start(day)
    row = uow.week_rows(runner.id, monday, monday).get(monday)
    return (row.sessions if row else 0), runner.profile.sessions


def current_streak(uow: UnitOfWork, runner: Runner, today: date) -> tuple[int, int, StreakState]:
    """Current and best streak counting this week once met, and the state behind them."""
    state = standing(uow, runner, today)
    done, target = week_progress(uow, runner, today)
    current, best = live_streak(state, done, target)
    return current, best, state


def streak_after_week(uow: UnitOfWork, runner: Runner, stored: StreakState | None, monday: date) -> int:
    """The streak as it stood once the week of ``monday`` closed."""
    following = monday + WEEK
    if stored is not None and stored.settled_until is not None and stored.settled_until > following:
        row = uow.week_rows(runner.id, monday, monday).get(monday)
        return row.after.current if row is not None and row.after is not None else 0
    return standing(uow, runner, following, stored).current

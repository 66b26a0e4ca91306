"""The weekly streak as a fold over weeks: counted, frozen, paused and missed weeks, and freezes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from core.ledger.model import Book, Event, FoldState, Outcome, WeekInputs, WeekRow
from core.weeks import WEEK, mondays, week_end, week_start

FREEZE_EVERY = 4
MAX_FREEZES = 2


def close_week(state: FoldState, week: WeekInputs, final: bool) -> tuple[Outcome, FoldState, list[Event]]:
    """One week's effect on the streak.

    A week counts as soon as its target is met (so the freeze it earns arrives with
    the session that earned it); a week still running and short is ``open`` and
    changes nothing yet. Once over, a short week that a pause touched neither counts
    nor breaks; otherwise it spends a banked freeze when there is a streak to keep,
    and resets the streak when there is none.
    """
    # Spelled out rather than dataclasses.replace: a club's screens close a week per member.
    sessions, hard = state.sessions + week.sessions, state.hard + week.hard_mask.bit_count()
    totals = FoldState(state.current, state.best, state.freezes, state.toward, sessions, hard)
    status = week.status
    if status == "hit":
        current = state.current + 1
        toward, freezes = state.toward + 1, state.freezes
        events: list[Event] = []
        if toward >= FREEZE_EVERY:
            toward = 0
            if freezes < MAX_FREEZES:
                freezes += 1
                events.append(
                    Event("freeze-earned", week.monday, week.hit_day or week.monday, current, freezes)
                )
        after = FoldState(current, max(state.best, current), freezes, toward, sessions, hard)
        return "counted", after, events
    if not final:
        return "open", totals, []
    if status == "paused":
        return "paused", totals, []
    sunday = week_end(week.monday)
    shortfall = (state.current, state.freezes, week.sessions, week.target)
    if state.current > 0 and state.freezes > 0:
        spent = Event("freeze-spent", week.monday, sunday, state.current, state.freezes - 1, *shortfall[2:])
        return "frozen", replace(totals, freezes=state.freezes - 1), [spent]
    events = [Event("reset", week.monday, sunday, *shortfall)] if state.current > 0 else []
    return "missed", replace(totals, current=0), events


def fold(state: FoldState, weeks: Iterable[tuple[WeekInputs, bool]]) -> tuple[list[WeekRow], list[Event]]:
    """Fold ``(inputs, final)`` weeks in order from ``state``; every row carries the state after it."""
    rows: list[WeekRow] = []
    events: list[Event] = []
    for week, final in weeks:
        outcome, state, happened = close_week(state, week, final)
        rows.append(WeekRow(week, outcome, state))
        events += happened
    return rows, events


def empty_week(monday: date, target: int) -> WeekInputs:
    return WeekInputs(monday, 0, 0, target, False)


@dataclass(frozen=True)
class Standing:
    """Where a runner stands at ``today``: the finished weeks not yet kept, this week, and the state.

    ``settled`` are the weeks that ended since the book was last kept (folded for
    good now); ``week`` is this week's row, counted as soon as its target is met;
    ``state`` is the state with this week in it — the numbers every screen shows.
    """

    today: date
    base: FoldState
    settled: tuple[WeekRow, ...]
    week: WeekRow
    events: tuple[Event, ...]

    @property
    def state(self) -> FoldState:
        return self.week.after

    @property
    def before_week(self) -> FoldState:
        """The state once last week ended (this week not in it)."""
        return self.settled[-1].after if self.settled else self.base

    @property
    def current(self) -> int:
        return self.state.current

    @property
    def best(self) -> int:
        return self.state.best

    @property
    def freezes(self) -> int:
        return self.state.freezes

    @property
    def sessions(self) -> int:
        return self.week.inputs.sessions

    @property
    def target(self) -> int:
        return self.week.inputs.target

    def weeks_to_next_freeze(self) -> int:
        return FREEZE_EVERY - self.state.toward


Target = int | Callable[[date], int]
"""A week's session target: one number for every week, or the target of the week of a Monday."""


def target_on(target: Target, monday: date) -> int:
    return target if isinstance(target, int) else target(monday)


def open_inputs(book: Book, monday: date, target: Target) -> WeekInputs:
    """A week after the last kept one: its stored inputs (with today's target) or an empty week."""
    target = target_on(target, monday)
    found = book.open.get(monday)
    if found is None:
        return empty_week(monday, target)
    return found if found.target == target else replace(found, target=target)


def standing(book: Book, today: date, target: Target, first_monday: date) -> Standing:
    """The runner's standing at ``today`` from their book; ``target`` is their sessions setting now.

    Weeks that ended since the book was kept are folded on the fly (what a command
    would keep), so a screen read between two commands shows the same numbers.
    """
    base = book.closed.after if book.closed is not None else FoldState()
    start = book.closed_through + WEEK if book.closed_through is not None else first_monday
    this_monday = week_start(today)
    settled: list[WeekRow] = []
    events: list[Event] = []
    if start < this_monday:
        finished = [(open_inputs(book, m, target), True) for m in mondays(start, today)]
        settled, events = fold(base, finished)
    state = settled[-1].after if settled else base
    inputs = open_inputs(book, this_monday, target)
    outcome, after, week_events = close_week(state, inputs, False)
    week = WeekRow(inputs, outcome, after)
    return Standing(today, base, tuple(settled), week, tuple(events + week_events))


def state_after(
    book: Book, monday: date, target: Target, first_monday: date, row: WeekRow | None
) -> FoldState:
    """The state once the week of ``monday`` ended: its stored row if it was kept, else folded on the fly."""
    if row is not None and row.outcome != "open":
        return row.after
    return standing(book, monday + WEEK, target, first_monday).before_week

"""Rebuilding a runner's caches from the record through the store: after an upgrade, or on request."""

from __future__ import annotations

from datetime import date, datetime

from core.ledger.challenges import held_badges
from core.ledger.keeper import GroupKeeper
from core.ledger.model import Book, FoldState, WeekRow
from core.ledger.rebuild import RunnerRecord, derive
from core.ledger.views import first_monday, today_of
from core.ports import UnitOfWork
from core.training.model import Runner
from core.weeks import WEEK, week_start


def record_of(uow: UnitOfWork, runner: Runner) -> RunnerRecord:
    """Everything the runner did, read from the store."""
    pauses = uow.runners.past_pauses(runner.id) + ([runner.pause] if runner.pause else [])
    return RunnerRecord(
        runner,
        tuple(uow.logbook.all_entries(runner.id)),
        tuple(pauses),
        tuple(uow.runners.plan_history(runner.id)),
        tuple(uow.logbook.goals(runner.id)),
        tuple(uow.rewards.of_runner(runner.id)),
        tuple(uow.logbook.own_exercises(runner.id)),
        tuple(held_badges(uow, runner.id)),  # a merged runner holds both accounts' badges
    )


def settled_through(runner: Runner, now: datetime) -> date | None:
    """The last week a rebuild keeps for good: the one before this week (``None`` in the first week)."""
    today = today_of(runner, now)
    last = week_start(today) - WEEK
    return last if last >= first_monday(runner, today) else None


def restore(
    uow: UnitOfWork,
    runner: Runner,
    now: datetime,
    closed_through: date | None = None,
    groups: bool = True,
) -> Book:
    """Derive every cache of the runner from the record and store it; the groups follow (unless
    ``groups`` is false: a caller restoring many runners rebuilds each group once afterwards)."""
    through = closed_through if closed_through is not None else settled_through(runner, now)
    derived = derive(record_of(uow, runner), now, through)
    ledger = uow.ledger
    ledger.clear(runner.id)
    ledger.save_weeks(runner.id, derived.closed_rows)
    ledger.save_weeks(runner.id, [WeekRow(i, "open", FoldState()) for i in derived.book.open.values()])
    for exercise in sorted({b.exercise for b in derived.bests}):
        ledger.replace_bests(
            runner.id, exercise, date.min, [b for b in derived.bests if b.exercise == exercise]
        )
    for goal in derived.goals:
        uow.logbook.save_goal_reached(runner.id, goal.exercise, goal.reached_on)
    for reward in derived.rewards:
        uow.rewards.save(reward)
    ledger.save_book(runner.id, derived.book)
    if not groups:
        return derived.book
    for group in uow.groups.of_runner(runner.id):
        GroupKeeper(uow, group.id, now, acting=(runner.id, derived.book)).rebuild(today_of(runner, now))
    ledger.save_book(runner.id, derived.book)
    return derived.book

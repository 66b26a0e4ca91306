"""Measuring a runner against the badge goals and awarding what is due, exactly once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.badges import BADGES, Badge, Standing, due
from core.catalog import BY_KEY
from core.model import Runner
from core.ports import UnitOfWork
from core.profile import HARD_RUNS
from core.streak_keeper import current_streak

EPOCH = date(2000, 1, 1)
PERSONAL_METRICS = frozenset({"sessions", "streak", "prs", "groups", "hard_days", "goals"})


def measure(uow: UnitOfWork, runner: Runner, today: date, metrics: Iterable[str]) -> dict[str, int]:
    """The value of each asked metric; ``buddy_weeks`` comes from the badge itself."""
    values: dict[str, int] = {}
    wanted = set(metrics)
    if "sessions" in wanted:
        values["sessions"] = uow.count_sessions(runner.id)
    if "streak" in wanted:
        values["streak"] = current_streak(uow, runner, today)[0]
    if "prs" in wanted:
        values["prs"] = len(uow.records(runner.id))
    if "groups" in wanted:
        keys = uow.exercise_counts(runner.id)
        values["groups"] = len({BY_KEY[k].group for k in keys if k in BY_KEY})
    if "hard_days" in wanted:
        hard = {day for day, kind in runner.profile.runs.items() if kind in HARD_RUNS}
        days = uow.done_days(runner.id, EPOCH, today)
        values["hard_days"] = sum(1 for d in days if d.weekday() in hard)
    if "goals" in wanted:
        values["goals"] = sum(1 for g in uow.goals(runner.id) if g.reached_on is not None)
    return values


def award_due(
    uow: UnitOfWork, runner: Runner, today: date, metrics: Iterable[str] = PERSONAL_METRICS
) -> list[Badge]:
    """Award every badge now due on the given metrics; only the newly earned come back."""
    earned = {b.badge_id for b in uow.badges(runner.id)}
    open_metrics = {b.metric for b in BADGES if b.id not in earned} & set(metrics)
    if not open_metrics:
        return []
    standing = Standing(measure(uow, runner, today, open_metrics))
    return [b for b in due(standing, earned) if uow.award_badge(runner.id, b.id, today)]

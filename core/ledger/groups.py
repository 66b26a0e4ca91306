"""Buddy-group rules: a week everyone hit, the buddy-week badge it gives, the group reward, admins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from core.ledger.model import GroupWeek, Member, Reward, WeekInputs
from core.training.model import Runner
from core.weeks import week_start

MIN_BUDDY_WEEK = 2


def group_week(group_id: int, monday: date, weeks: Iterable[tuple[int, WeekInputs]]) -> GroupWeek | None:
    """The week of ``monday`` when every member expected that week hit target, else ``None``.

    ``weeks`` are the members who belong in that week, each with their own week of
    ``monday``. The day it happened is the last member's hit day.
    """
    hitters: list[int] = []
    days: list[date] = []
    for runner_id, week in weeks:
        status = week.status
        if status == "short":
            return None
        if status == "hit" and week.hit_day is not None:
            hitters.append(runner_id)
            days.append(week.hit_day)
    if not hitters:
        return None
    return GroupWeek(group_id, monday, tuple(sorted(hitters)), max(days))


def buddy_day(runner_id: int, weeks: Iterable[GroupWeek]) -> date | None:
    """The day the runner first shared a week everyone hit with at least one buddy."""
    days = [w.completed_on for w in weeks if runner_id in w.hitters and len(w.hitters) >= MIN_BUDDY_WEEK]
    return min(days, default=None)


def unlock_group_reward(reward: Reward, weeks: Sequence[GroupWeek]) -> Reward:
    """A group reward unlocks in the first week, from the one it was set in, that everyone hit."""
    start = week_start(reward.set_on)
    found = min((w for w in weeks if w.monday >= start), key=lambda w: w.monday, default=None)
    unlocked_on = found.completed_on if found else None
    week = found.monday if found else None
    if (unlocked_on, week) == (reward.unlocked_on, reward.week_start):
        return reward
    return Reward(
        reward.id,
        reward.text,
        reward.set_on,
        group_id=reward.group_id,
        unlocked_on=unlocked_on,
        week_start=week,
        announced=reward.announced and unlocked_on is not None,
    )


AdminAnswer = bool | None  # None: the platform could not say right now


def is_admin(
    incoming_admin: bool | None, platform_admins: bool, runner: Runner, members: list[Member]
) -> AdminAnswer:
    """The platform's word when it has admins of its own (``None`` when it could not say right now);
    otherwise the first member who joined (the console rule)."""
    if platform_admins or incoming_admin is not None:
        return incoming_admin
    return bool(members) and members[0].runner.id == runner.id


def admin_line(members: list[Member], platform_admins: bool) -> str:
    """Who the admins are, naming a person only when it is the console's rule that makes them one."""
    if platform_admins:
        return "Admins: this chat's own administrators"
    return f"Admin: {members[0].runner.name}" if members else "Admin: the first member to /join"

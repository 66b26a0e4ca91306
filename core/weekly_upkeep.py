"""What accountability does around every command: settle finished weeks, and react to training."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from core.accountability_model import FeedItem
from core.badge_awards import award_due
from core.badges import BY_ID, Badge, announce
from core.catalog import exercise
from core.context import Context
from core.groups import check_group_week, group_monday, member_weeks, progress_line, unannounced_rewards
from core.messages import Reply
from core.model import Record
from core.profile import show_weight
from core.rewards import unlock_personal
from core.streak_keeper import record_week, settle, week_progress
from core.weeks import week_start

HandlerFn = Callable[[Context], list[Reply]]


def upkeep(ctx: Context) -> None:
    """Close finished weeks; streak news goes out in a direct message, group news in its group."""
    runner = ctx.runner
    notes = settle(ctx.uow, runner, ctx.today)
    if ctx.in_group:
        if notes:
            ctx.uow.set_pending_notes(runner.id, [*ctx.uow.pending_notes(runner.id), *notes])
        group = ctx.uow.group(ctx.incoming.platform, ctx.incoming.chat_id)
        if group is not None:
            ctx.notices.extend(unannounced_rewards(ctx.uow, group))
        return
    pending = ctx.uow.pending_notes(runner.id)
    if pending:
        ctx.uow.set_pending_notes(runner.id, [])
    ctx.notices.extend([*pending, *notes])


def with_upkeep(handler: HandlerFn) -> HandlerFn:
    def run(ctx: Context) -> list[Reply]:
        upkeep(ctx)
        return handler(ctx)

    run.__name__ = getattr(handler, "__name__", "handler")
    run.__doc__ = handler.__doc__
    return run


def _pr_text(record: Record, units: str) -> str:
    return f"{exercise(record.exercise).name} {show_weight(record.weight_kg, units)} × {record.reps}"  # type: ignore[arg-type]


def refresh_weeks(ctx: Context, days: Sequence[date]) -> None:
    """Sessions were removed on ``days``: bring their weeks (and a re-settled streak) up to date."""
    notes: list[str] = []
    for day in sorted(set(days)):
        notes += record_week(ctx.uow, ctx.runner, day, ctx.today)
    if notes:
        ctx.uow.set_pending_notes(ctx.runner.id, [*ctx.uow.pending_notes(ctx.runner.id), *notes])


def after_training(
    ctx: Context, days: Sequence[date], records: Sequence[Record] = (), goal_reached: bool = False
) -> list[str]:
    """After training was logged: weeks and group weeks for the ``days`` whose sessions changed,
    badges, rewards and the group line.

    Returns the lines to add to the reply.
    """
    uow, runner, today = ctx.uow, ctx.runner, ctx.today
    lines: list[str] = []
    notes: list[str] = []
    for day in sorted(set(days)):
        notes += record_week(uow, runner, day, today)
    if ctx.in_group and notes:
        uow.set_pending_notes(runner.id, [*uow.pending_notes(runner.id), *notes])
    else:
        lines += notes
    # Only what this training can have moved is measured again: a /log in the middle of a
    # session changes no session counts, so the streak and session badges stay as they are.
    metrics = {"groups"}
    if days:
        metrics |= {"sessions", "streak", "hard_days"}
    if records:
        metrics.add("prs")
    if goal_reached:
        metrics.add("goals")
    new_badges = award_due(uow, runner, today, metrics)
    if days:
        lines += unlock_personal(uow, runner, today)
    here = ctx.uow.group(ctx.incoming.platform, ctx.incoming.chat_id) if ctx.in_group else None
    group_notes: list[str] = []
    for group in uow.groups_of(runner.id) if days else ():
        for monday in sorted({week_start(d) for d in days} | {group_monday(group, ctx.now)}):
            note, earned = check_group_week(uow, group, monday, today)
            if runner.id in earned:
                new_badges.append(BY_ID["buddy-week"])
            if here is not None and group.id == here.id and note:
                group_notes.append(note)
    lines += [announce(b) for b in new_badges]
    if here is not None:
        _post_to_group(ctx, here.id, new_badges, records)
        lines += unannounced_rewards(uow, here) + group_notes
        lines.append(_group_line(ctx, here.id))
    return lines


def _post_to_group(ctx: Context, group_id: int, new_badges: list[Badge], records: Sequence[Record]) -> None:
    units = ctx.runner.profile.units
    for record in records:
        ctx.uow.add_feed(group_id, FeedItem(ctx.runner.id, ctx.today, "pr", _pr_text(record, units)))
    for badge in new_badges:
        ctx.uow.add_feed(group_id, FeedItem(ctx.runner.id, ctx.today, "badge", badge.name))


def _group_line(ctx: Context, group_id: int) -> str:
    group = ctx.uow.group_by_id(group_id)
    assert group is not None
    members = ctx.uow.members(group_id)
    if all(m.runner.id != ctx.runner.id for m in members):
        return "You're not in this group's tally yet — /join to count here."
    done, target = week_progress(ctx.uow, ctx.runner, ctx.today)
    mark = " ✓" if done >= target else ""
    weeks = member_weeks(ctx.uow, members, group_monday(group, ctx.now))
    return f"{ctx.runner.name}: {done}/{target} this week{mark} · Group: {progress_line(weeks)}"

"""Commands that write the logbook: /log, /done, /undo, /goal, /progress."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from core import texts
from core.commands.context import Context, UserError
from core.commands.groups import group_line_for
from core.commands.training import cycle_start, last_sets_for, log_command
from core.ledger.badges import announce
from core.ledger.keeper import Changes
from core.ledger.model import Best
from core.ledger.recap import pr_text
from core.messages import Attachment, Button, Reply
from core.parsing.args import parse_goal
from core.parsing.errors import ParseError
from core.parsing.exercise_names import match_exercise
from core.parsing.log import LogRequest, parse_log, reps_text
from core.progress.chart import render_progress_chart
from core.progress.series import (
    ProgressPoint,
    display_points,
    pr_points,
    progress_series,
    summary_line,
    y_label,
)
from core.training.catalog import exercise
from core.training.model import Goal, LoggedSet
from core.training.sessions import session_for
from core.training.units import show_weight, to_kg


def describe_sets(sets: list[LoggedSet] | tuple[LoggedSet, ...], units: str) -> str:
    """``Squat 3×8 @ 20 kg, Push-up 8,8,6`` grouped by exercise in the order logged."""
    grouped: dict[tuple[str, float | None], list[int]] = defaultdict(list)
    for s in sets:
        grouped[(s.exercise, s.weight_kg)].append(s.reps)
    parts = []
    for (key, weight), reps in grouped.items():
        load = f" @ {show_weight(weight, units)}" if weight is not None else ""  # type: ignore[arg-type]
        parts.append(f"{exercise(key).name} {reps_text(reps, '×')}{load}")
    return ", ".join(parts)


def pr_line(best: Best, units: str, head: str = "🏆 New PR") -> str:
    return f"{head}: {exercise(best.exercise).name} {show_weight(best.weight_kg, units)} × {best.reps}!"  # type: ignore[arg-type]


def _tick_list(ctx: Context) -> list[Reply]:
    day = ctx.today
    session = session_for(ctx.runner.profile, day, cycle_start(ctx), last_sets_for(ctx, day))
    if session is None:
        return [Reply("Nothing planned today. Log anything you did, e.g. /log squat 3x8 @16kg")]
    logged = set(ctx.uow.logbook.sets_per_exercise_on(ctx.runner.id, day))
    open_items = [i for i in session.items if i.exercise not in logged]
    if not open_items:
        return [Reply("Everything on today's list is logged. /done marks the session if it isn't yet.")]
    buttons = tuple(
        (Button(f"{exercise(i.exercise).name} {i.sets}×{i.reps}", log_command(i)),) for i in open_items
    )
    return [
        Reply(
            "Tap what you did as prescribed, or type it, e.g. /log squat 3x8 @16kg; pushups 8,8,6",
            title="Today's sets",
            buttons=buttons,
        )
    ]


def _to_sets(counts: dict[str, int], request: LogRequest) -> list[LoggedSet]:
    """The sets to store, numbered after those already logged that day."""
    numbered: dict[str, int] = defaultdict(int, counts)
    day = request.day
    assert day is not None
    sets = []
    for entry in request.entries:
        weight = None if entry.weight is None else round(to_kg(entry.weight, entry.unit or "kg"), 3)
        for reps in entry.reps:
            numbered[entry.exercise] += 1
            sets.append(LoggedSet(day, entry.exercise, numbered[entry.exercise], reps, weight))
    return sets


def change_lines(ctx: Context, changes: Changes) -> list[str]:
    """What a change made true, in the order a runner reads it: PRs, goals, streak, rewards, badges."""
    units = ctx.runner.profile.units
    lines = [pr_line(b, units) for b in changes.prs]
    lines += [
        f"🎯 Goal reached: {exercise(g.exercise).name} {show_weight(g.weight_kg, units)} × {g.reps}!"
        for g in changes.goals
    ]
    lines += changes.lines
    lines += [announce(b) for b in changes.badges]
    lines += [f"Badge withdrawn: {b.name} — it no longer holds." for b in changes.withdrawn]
    lines += [f"That takes back the PR {pr_text(key, units)}." for key in changes.withdrawn_prs]
    return lines


def _group_tail(ctx: Context, changes: Changes) -> list[str]:
    here = ctx.here()
    if here is None:
        return []
    group, members = here
    ctx.keeper.post(group.id, changes)
    return [*changes.group_notes, group_line_for(ctx, members)]


def log(ctx: Context) -> list[Reply]:
    request = parse_log(ctx.args, ctx.today, ctx.runner.profile.units)
    if request is None:
        return _tick_list(ctx)
    if isinstance(request, ParseError):
        raise UserError(request.message)
    day = request.day or ctx.today
    request = replace(request, day=day)
    counts = ctx.uow.logbook.sets_per_exercise_on(ctx.runner.id, day)
    sets = _to_sets(counts, request)
    here = ctx.here()
    entry = ctx.uow.logbook.add_entry(ctx.runner.id, "sets", day, here[0].id if here else None, ctx.now, sets)
    if ctx.runner.created_on is not None and day < ctx.runner.created_on:
        ctx.runner.created_on = day  # the runner's first week is the week of their first logged day
        ctx.uow.runners.save(ctx.runner)
    distinct = set(counts) | {s.exercise for s in sets}
    completes = len(distinct) >= 3
    changes = ctx.keeper.logged(entry, completes)
    units = ctx.runner.profile.units
    when = "" if day == ctx.today else f" for {texts.day_label(day)}"
    lines = [f"Logged{when}: {describe_sets(list(entry.sets), units)}."]
    if day in changes.completed:
        lines.append(f"Session complete for {texts.weekday(day)} ({len(distinct)} exercises) ✓")
    lines += change_lines(ctx, changes)
    lines += _group_tail(ctx, changes)
    return [Reply("\n".join(lines))]


def done(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/done takes no arguments — it marks today's session. e.g. /done")
    day = ctx.today
    week = ctx.keeper.standing().week.inputs
    if week.mask >> day.weekday() & 1:
        return [Reply(f"{texts.weekday(day)}'s session was already marked done ✓")]
    here = ctx.here()
    entry = ctx.uow.logbook.add_entry(ctx.runner.id, "done", day, here[0].id if here else None, ctx.now, ())
    changes = ctx.keeper.logged(entry, completes=True)
    lines = [f"Session done for {texts.weekday(day)} ✓ Strong work.", *change_lines(ctx, changes)]
    lines += _group_tail(ctx, changes)
    return [Reply("\n".join(lines))]


def undo(ctx: Context) -> list[Reply]:
    entry = ctx.uow.logbook.last_entry(ctx.runner.id)
    if entry is None:
        return [Reply("Nothing to undo yet.")]
    ctx.uow.logbook.delete_entry(ctx.runner.id, entry.id)
    changes = ctx.keeper.removed(entry)
    units = ctx.runner.profile.units
    if entry.sets:
        parts = [f"Removed {describe_sets(list(entry.sets), units)} ({texts.day_label(entry.local_date)})."]
    else:
        parts = [f"Removed the /done of {texts.day_label(entry.local_date)}."]
    parts += [f"{texts.weekday(day)} no longer counts as a completed session." for day in changes.uncompleted]
    parts += change_lines(ctx, changes)
    return [Reply(" ".join(parts[:1]) + ("\n" + "\n".join(parts[1:]) if parts[1:] else ""))]


def goal(ctx: Context) -> list[Reply]:
    spec = parse_goal(ctx.args, ctx.runner.profile.units)
    if isinstance(spec, ParseError):
        raise UserError(spec.message)
    weight_kg = round(to_kg(spec.weight, spec.unit), 3)
    new = Goal(spec.exercise, weight_kg, spec.reps, ctx.today)
    ctx.uow.logbook.set_goal(ctx.runner.id, new)
    new = ctx.keeper.goal_set(new)
    units = ctx.runner.profile.units
    best = max(
        (
            s
            for s in ctx.uow.logbook.exercise_sets(ctx.runner.id, spec.exercise)
            if s.weight_kg and s.reps >= spec.reps
        ),
        key=lambda s: s.weight_kg or 0.0,
        default=None,
    )
    so_far = (
        f" Best so far at {spec.reps}+ reps: {show_weight(best.weight_kg, units)}."
        if best
        else " /progress will track it."
    )
    if new.reached_on is not None:
        so_far += " You've already done it today — set the bar higher any time."
    name = exercise(spec.exercise).name
    return [Reply(f"Goal set: {name} {show_weight(weight_kg, units)} × {spec.reps}.{so_far}")]


def progress(ctx: Context) -> list[Reply]:
    runner_id = ctx.runner.id
    if ctx.args:
        key = match_exercise(ctx.args)
        if isinstance(key, ParseError):
            raise UserError(key.message)
    else:
        counts = ctx.uow.logbook.exercise_counts(runner_id)
        if not counts:
            return [Reply("Nothing logged yet. Start with /today, then e.g. /log squat 3x8 @16kg")]
        key = max(counts, key=lambda k: (counts[k][0], counts[k][1]))
    sets = ctx.uow.logbook.exercise_sets(runner_id, key)
    name = exercise(key).name
    if not sets:
        return [Reply(f"No {name} logged yet — e.g. /log {key} 3x8 @16kg")]
    units = ctx.runner.profile.units
    records = [b for b in ctx.uow.ledger.bests(runner_id, [key]) if b.is_pr]
    goals = ctx.uow.logbook.goals(runner_id)
    goal_ = next((g for g in goals if g.exercise == key), None)
    points = progress_series(sets)
    line = summary_line(name, points, records, goal_, units)
    shown = display_points(points, units)
    goal_value = (
        display_points([ProgressPoint(goal_.set_on, goal_.weight_kg, goal_.reps)], units)[0].value
        if goal_
        else None
    )
    png = render_progress_chart(name, shown, pr_points(shown, records), goal_value, y_label(points, units))
    goal_lines = [
        f"Goal: {exercise(g.exercise).name} {show_weight(g.weight_kg, units)} × {g.reps}"
        + (f" — reached {texts.day_label(g.reached_on)} ✓" if g.reached_on else "")
        for g in goals
        if g.exercise != key
    ]
    return [
        Reply(
            "\n".join([line, *goal_lines]),
            title=f"Progress: {name}",
            attachments=(Attachment(f"progress-{key}.png", png, "image"),),
        )
    ]

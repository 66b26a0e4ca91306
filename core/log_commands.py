"""Commands that write the logbook: /log, /done, /undo, /goal, /progress."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from core import planning, texts
from core.arguments import parse_goal
from core.catalog import exercise
from core.charts import render_progress_chart
from core.context import Context, UserError
from core.exercise_names import match_exercise
from core.logparse import LogRequest, parse_log
from core.messages import Attachment, Button, Reply
from core.model import Goal, LoggedSet, Record
from core.parse_errors import ParseError
from core.profile import show_weight, to_kg
from core.progress import ProgressPoint, display_points, pr_points, progress_series, summary_line, y_label
from core.records import new_records
from core.training_commands import cycle_start, last_sets_for, log_command
from core.weekly_upkeep import after_training, refresh_weeks

SESSION_EXERCISES = 3


def _sets_text(reps: list[int]) -> str:
    if len(set(reps)) == 1:
        return f"{len(reps)}×{reps[0]}"
    return ",".join(str(r) for r in reps)


def describe_sets(sets: list[LoggedSet], units: str) -> str:
    """``Squat 3×8 @ 20 kg, Push-up 8,8,6`` grouped by exercise in the order logged."""
    grouped: dict[tuple[str, float | None], list[int]] = defaultdict(list)
    for s in sets:
        grouped[(s.exercise, s.weight_kg)].append(s.reps)
    parts = []
    for (key, weight), reps in grouped.items():
        load = f" @ {show_weight(weight, units)}" if weight is not None else ""  # type: ignore[arg-type]
        parts.append(f"{exercise(key).name} {_sets_text(reps)}{load}")
    return ", ".join(parts)


def _tick_list(ctx: Context) -> list[Reply]:
    day = ctx.today
    session = planning.session_for(ctx.runner.profile, day, cycle_start(ctx), last_sets_for(ctx, day))
    if session is None:
        return [Reply("Nothing planned today. Log anything you did, e.g. /log squat 3x8 @16kg")]
    logged = {s.exercise for s in ctx.uow.sets_on(ctx.runner.id, day)}
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


def _to_sets(ctx: Context, request: LogRequest, day: date, batch: str) -> tuple[list[LoggedSet], set[str]]:
    """The sets to store (numbered after those already logged that day), and every exercise of the day."""
    existing: dict[str, int] = defaultdict(int, ctx.uow.exercise_sets_on(ctx.runner.id, day))
    sets = []
    for entry in request.entries:
        weight = None if entry.weight is None else round(to_kg(entry.weight, entry.unit or "kg"), 3)
        for reps in entry.reps:
            existing[entry.exercise] += 1
            sets.append(LoggedSet(day, entry.exercise, existing[entry.exercise], reps, weight, batch))
    return sets, set(existing)


def _goals_reached(ctx: Context, sets: list[LoggedSet], day: date) -> list[str]:
    lines = []
    for goal in ctx.uow.goals(ctx.runner.id):
        if goal.reached_on is not None:
            continue
        if any(
            s.exercise == goal.exercise
            and s.weight_kg is not None
            and s.weight_kg >= goal.weight_kg - 1e-6
            and s.reps >= goal.reps
            for s in sets
        ):
            ctx.uow.mark_goal_reached(ctx.runner.id, goal.exercise, day)
            units = ctx.runner.profile.units
            lines.append(
                f"🎯 Goal reached: {exercise(goal.exercise).name} {show_weight(goal.weight_kg, units)} × {goal.reps}!"
            )
    return lines


def log(ctx: Context) -> list[Reply]:
    request = parse_log(ctx.args, ctx.today, ctx.runner.profile.units)
    if request is None:
        return _tick_list(ctx)
    if isinstance(request, ParseError):
        raise UserError(request.message)
    day = request.day or ctx.today
    batch = ctx.new_batch()
    sets, distinct = _to_sets(ctx, request, day, batch)
    runner_id = ctx.runner.id
    prs = new_records(sets, lambda key, reps: ctx.uow.best_weight(runner_id, key, reps))
    ctx.uow.add_sets(runner_id, sets, ctx.now)
    ctx.uow.add_records(runner_id, prs, batch)
    units = ctx.runner.profile.units
    when = "" if day == ctx.today else f" for {texts.day_label(day)}"
    lines = [f"Logged{when}: {describe_sets(sets, units)}."]
    for record in prs:
        lines.append(
            f"🏆 New PR: {exercise(record.exercise).name} {show_weight(record.weight_kg, units)} × {record.reps}!"
        )
    reached = _goals_reached(ctx, sets, day)
    lines += reached
    completed = len(distinct) >= SESSION_EXERCISES and ctx.uow.mark_done(
        runner_id, day, "sets", batch, ctx.now
    )
    if completed:
        lines.append(f"Session complete for {texts.weekday(day)} ({len(distinct)} exercises) ✓")
    lines += after_training(ctx, [day] if completed else [], prs, goal_reached=bool(reached))
    return [Reply("\n".join(lines))]


def done(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/done takes no arguments — it marks today's session. e.g. /done")
    day = ctx.today
    if not ctx.uow.mark_done(ctx.runner.id, day, "done", ctx.new_batch(), ctx.now):
        return [Reply(f"{texts.weekday(day)}'s session was already marked done ✓")]
    lines = [f"Session done for {texts.weekday(day)} ✓ Strong work.", *after_training(ctx, [day])]
    return [Reply("\n".join(lines))]


def undo(ctx: Context) -> list[Reply]:
    batch = ctx.uow.last_batch(ctx.runner.id)
    if batch is None:
        return [Reply("Nothing to undo yet.")]
    removed, undone_days = ctx.uow.delete_batch(ctx.runner.id, batch)
    parts = []
    if removed:
        day = removed[0].local_date
        parts.append(f"Removed {describe_sets(removed, ctx.runner.profile.units)} ({texts.day_label(day)}).")
        distinct = {s.exercise for s in ctx.uow.sets_on(ctx.runner.id, day)}
        if len(distinct) < SESSION_EXERCISES and ctx.uow.done_source(ctx.runner.id, day) == "sets":
            ctx.uow.unmark_done(ctx.runner.id, day)
            undone_days.append(day)
    for day in undone_days:
        parts.append(f"{texts.weekday(day)} no longer counts as a completed session.")
    refresh_weeks(ctx, [s.local_date for s in removed] + undone_days)
    return [Reply(" ".join(parts))]


def goal(ctx: Context) -> list[Reply]:
    spec = parse_goal(ctx.args, ctx.runner.profile.units)
    if isinstance(spec, ParseError):
        raise UserError(spec.message)
    weight_kg = round(to_kg(spec.weight, spec.unit), 3)
    ctx.uow.set_goal(ctx.runner.id, Goal(spec.exercise, weight_kg, spec.reps, ctx.today))
    units = ctx.runner.profile.units
    best = max(
        (
            s
            for s in ctx.uow.exercise_sets(ctx.runner.id, spec.exercise)
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
    name = exercise(spec.exercise).name
    return [Reply(f"Goal set: {name} {show_weight(weight_kg, units)} × {spec.reps}.{so_far}")]


def progress(ctx: Context) -> list[Reply]:
    runner_id = ctx.runner.id
    if ctx.args:
        key = match_exercise(ctx.args)
        if isinstance(key, ParseError):
            raise UserError(key.message)
    else:
        counts = ctx.uow.exercise_counts(runner_id)
        if not counts:
            return [Reply("Nothing logged yet. Start with /today, then e.g. /log squat 3x8 @16kg")]
        key = max(counts, key=lambda k: (counts[k][0], counts[k][1]))
    sets = ctx.uow.exercise_sets(runner_id, key)
    name = exercise(key).name
    if not sets:
        return [Reply(f"No {name} logged yet — e.g. /log {key} 3x8 @16kg")]
    units = ctx.runner.profile.units
    records: list[Record] = ctx.uow.records(runner_id, key)
    goal_ = next((g for g in ctx.uow.goals(runner_id) if g.exercise == key), None)
    points = progress_series(sets)
    line = summary_line(name, points, records, goal_, units)
    shown = display_points(points, units)
    goal_value = (
        display_points([ProgressPoint(goal_.set_on, goal_.weight_kg, goal_.reps)], units)[0].value
        if goal_
        else None
    )
    png = render_progress_chart(name, shown, pr_points(shown, records), goal_value, y_label(points, units))
    others = [g for g in ctx.uow.goals(runner_id) if g.exercise != key]
    goal_lines = [
        f"Goal: {exercise(g.exercise).name} {show_weight(g.weight_kg, units)} × {g.reps}"
        + (f" — reached {texts.day_label(g.reached_on)} ✓" if g.reached_on else "")
        for g in others
    ]
    return [
        Reply(
            "\n".join([line, *goal_lines]),
            title=f"Progress: {name}",
            attachments=(Attachment(f"progress-{key}.png", png, "image"),),
        )
    ]


HANDLERS = {"log": log, "done": done, "undo": undo, "goal": goal, "progress": progress}

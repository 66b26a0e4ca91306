"""/progress: a variant's chart (its own loads, PRs and goal), or a movement's with every variant it went through."""

from __future__ import annotations

from collections.abc import Sequence

from core import texts
from core.commands.context import Context, UserError
from core.messages import Attachment, Reply
from core.parsing.errors import ParseError
from core.parsing.exercise_names import Match, match_name
from core.progress.chart import render_movement_chart, render_progress_chart
from core.progress.series import (
    DayBest,
    ProgressPoint,
    display_points,
    pr_points,
    segments,
    series_of_days,
    summary_line,
    thinned,
    y_label,
)
from core.training.catalog import MOVEMENT
from core.training.units import show_weight


def _chosen(ctx: Context) -> Match | None:
    if ctx.args:
        found = match_name(ctx.args, ctx.lexicon(full=True).own)
        if isinstance(found, ParseError):
            raise UserError(found.message)
        return found
    counts = ctx.uow.logbook.exercise_counts(ctx.runner.id)
    if not counts:
        return None
    return Match("variant", max(counts, key=lambda k: (counts[k][0], counts[k][1])))


def progress(ctx: Context) -> list[Reply]:
    chosen = _chosen(ctx)
    if chosen is None:
        return [
            Reply(
                "Nothing logged yet. Start with /today, then e.g. "
                + texts.log_example(ctx.runner.profile.units)
            )
        ]
    if chosen.kind == "movement":
        return movement_progress(ctx, chosen.key)
    return variant_progress(ctx, chosen.key)


def variant_progress(
    ctx: Context, key: str, filename: str = "", days: Sequence[DayBest] | None = None
) -> list[Reply]:
    runner_id = ctx.runner.id
    lexicon = ctx.lexicon([key])
    name = lexicon.label(key)
    if days is None:
        days = ctx.uow.logbook.day_bests(runner_id, [key])
    if not days:
        return [Reply(f"No {name.lower()} logged yet — e.g. /log {key} 3x8")]
    units = ctx.runner.profile.units
    records = [b for b in ctx.uow.ledger.bests(runner_id, [key]) if b.is_pr]
    goals = ctx.uow.logbook.goals(runner_id)
    goal_ = next((g for g in goals if g.exercise == key), None)
    points = series_of_days(days)
    line = summary_line(name, points, records, goal_, units)
    shown = display_points(thinned(points), units)
    goal_value = (
        display_points([ProgressPoint(goal_.set_on, goal_.weight_kg, goal_.reps)], units)[0].value
        if goal_
        else None
    )
    png = render_progress_chart(name, shown, pr_points(shown, records), goal_value, y_label(points, units))
    others = ctx.lexicon(g.exercise for g in goals)
    goal_lines = [
        f"Goal: {others.label(g.exercise)} {show_weight(g.weight_kg, units)} × {g.reps}"
        + (f" — reached {texts.day_label(g.reached_on)} ✓" if g.reached_on else "")
        for g in goals
        if g.exercise != key
    ]
    return [
        Reply(
            "\n".join([line, *goal_lines]),
            title=f"Progress: {name}",
            attachments=(Attachment(filename or f"progress-{key}.png", png, "image"),),
        )
    ]


def movement_progress(ctx: Context, movement: str) -> list[Reply]:
    """Every variant of the movement the runner logged, one line each, with a marker where they changed."""
    lexicon = ctx.lexicon(full=True)
    keys = set(lexicon.keys_of_movement(movement))
    # Only the variants this runner logged are read, not their whole history of other moves.
    logged = [k for k in ctx.uow.logbook.exercise_counts(ctx.runner.id) if k in keys]
    days = ctx.uow.logbook.day_bests(ctx.runner.id, sorted(logged)) if logged else []
    name = MOVEMENT[movement].name
    if not days:
        return [Reply(f"No {name.lower()} logged yet — e.g. /log {movement} 3x8")]
    units = ctx.runner.profile.units
    parts = segments(days, lexicon.label)
    if len(parts) == 1:
        return variant_progress(ctx, parts[0].exercise, f"progress-{movement}.png", days)
    records = [b for b in ctx.uow.ledger.bests(ctx.runner.id, sorted(keys)) if b.is_pr]
    lines = [
        summary_line(p.label, list(p.points), [r for r in records if r.exercise == p.exercise], None, units)
        for p in parts
    ]
    changes = " → ".join(p.label for p in parts)
    lines.append(f"Variants over time: {changes}. /progress {parts[-1].exercise} charts one on its own.")
    shown = [(p.label, display_points(thinned(p.points), units)) for p in parts]
    png = render_movement_chart(name, shown, f"top weight ({units})", "reps (or seconds) in the best set")
    return [
        Reply(
            "\n".join(lines),
            title=f"Progress: {name} (every variant)",
            attachments=(Attachment(f"progress-{movement}.png", png, "image"),),
        )
    ]

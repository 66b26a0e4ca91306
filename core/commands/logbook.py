"""Commands on the logbook's entries: /done, /undo, /history, /delete, /goal."""

from __future__ import annotations

import re

from core import texts
from core.commands.context import Context, UserError
from core.commands.log_sets import change_lines, describe_sets, group_tail, resolver
from core.messages import Button, Reply
from core.parsing.args import parse_goal
from core.parsing.errors import ParseError
from core.training.model import Entry, Goal
from core.training.units import show_weight, to_kg

HISTORY_SIZE = 10
DELETE_FORM = "Form: /delete ID (the number /history shows) — e.g. /delete 12"


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
    lines += group_tail(ctx, changes)
    return [Reply("\n".join(lines))]


def entry_text(ctx: Context, entry: Entry) -> str:
    """What an entry holds, as /history, /undo and /delete name it."""
    if not entry.sets:
        return f"the /done of {texts.day_label(entry.local_date)}"
    lexicon = ctx.lexicon(s.exercise for s in entry.sets)
    return f"{describe_sets(entry.sets, ctx.runner.profile.units, lexicon)} ({texts.day_label(entry.local_date)})"


def remove(ctx: Context, entry: Entry) -> list[Reply]:
    """Take one entry out of the record; everything derived from it follows."""
    ctx.uow.logbook.delete_entry(ctx.runner.id, entry.id)
    changes = ctx.keeper.removed(entry)
    parts = [f"Removed {entry_text(ctx, entry)}."]
    parts += [f"{texts.weekday(day)} no longer counts as a completed session." for day in changes.uncompleted]
    parts += change_lines(ctx, changes)
    return [Reply("\n".join(parts))]


def undo(ctx: Context) -> list[Reply]:
    entry = ctx.uow.logbook.last_entry(ctx.runner.id)
    if entry is None:
        return [Reply("Nothing to undo yet.")]
    return remove(ctx, entry)


def delete(ctx: Context) -> list[Reply]:
    match = re.fullmatch(r"#?\s*([0-9]{1,12})", ctx.args.strip())
    if match is None:
        raise UserError(DELETE_FORM)
    entry = ctx.uow.logbook.entry(ctx.runner.id, int(match[1]))
    if entry is None:
        raise UserError(f"There's no entry #{match[1]} in your log — /history shows the ids. e.g. /delete 12")
    return remove(ctx, entry)


def history(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/history takes no arguments — it lists your last entries. e.g. /history")
    if not ctx.answers_privately:
        raise UserError(texts.PERSONAL_IN_GROUP + " e.g. /history")
    entries = ctx.uow.logbook.recent_entries(ctx.runner.id, HISTORY_SIZE)
    if not entries:
        return [
            Reply(
                "Nothing logged yet. Start with /today, then e.g. "
                + texts.log_example(ctx.runner.profile.units)
            )
        ]
    lines = []
    for entry in entries:
        what = (
            entry_text(ctx, entry)
            if entry.sets
            else f"session marked done ({texts.day_label(entry.local_date)})"
        )
        lines.append(f"#{entry.id} · {what}")
    lines.append("/delete ID removes one (everything it counted for follows); /undo takes back the last.")
    buttons = tuple((Button(f"Delete #{e.id}", f"/delete {e.id}"),) for e in entries[:3])
    return [Reply("\n".join(lines), title="Your last entries", buttons=buttons, personal=True)]


def goal(ctx: Context) -> list[Reply]:
    spec = parse_goal(ctx.args, ctx.runner.profile.units, resolver(ctx))
    if isinstance(spec, ParseError):
        raise UserError(spec.message)
    weight_kg = to_kg(spec.weight, spec.unit)
    new = Goal(spec.exercise, weight_kg, spec.reps, ctx.today)
    ctx.uow.logbook.set_goal(ctx.runner.id, new)
    new = ctx.keeper.goal_set(new)
    units = ctx.runner.profile.units
    best = max(
        (
            s
            for s in ctx.uow.logbook.exercise_sets(ctx.runner.id, spec.exercise)
            if s.weight_kg and s.reps >= spec.reps and s.seconds is None
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
    name = ctx.lexicon([spec.exercise]).label(spec.exercise)
    return [Reply(f"Goal set: {name} {show_weight(weight_kg, units)} × {spec.reps}.{so_far}")]

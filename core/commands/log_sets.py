"""/log: record sets of the variants the runner did, asking first when a load or a repeat looks wrong."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from core import texts
from core.commands.context import Context, UserError
from core.commands.groups import group_line_for
from core.commands.today import log_command, session_on
from core.ledger.badges import announce
from core.ledger.checks import Question, implausible, repeated
from core.ledger.keeper import Changes
from core.ledger.model import Best
from core.ledger.recap import pr_text
from core.messages import Button, Reply
from core.parsing.errors import ParseError
from core.parsing.exercise_names import Resolved, resolve_name
from core.parsing.log import LogRequest, Resolve, format_log, parse_log, reps_text
from core.training.lexicon import Lexicon
from core.training.model import Entry, LoggedSet, PendingLog
from core.training.units import show_logged, show_weight, to_kg

CONFIRM_WITHIN = timedelta(minutes=15)
CONFIRM = "/log confirm"


def describe_sets(sets: Sequence[LoggedSet], units: str, lexicon: Lexicon) -> str:
    """``Goblet squat 3×8 @ 20 kg, Push-up 8,8,6, Wall sit 3×30 s`` grouped by exercise in the order logged."""
    grouped: dict[tuple[str, float | None, str | None, bool], list[int]] = defaultdict(list)
    for s in sets:
        grouped[(s.exercise, s.weight_kg, s.unit, s.seconds is not None)].append(s.amount)
    parts = []
    for (key, weight, unit, timed), amounts in grouped.items():
        load = f" @ {show_logged(weight, unit, units)}" if weight is not None else ""  # type: ignore[arg-type]
        parts.append(f"{lexicon.label(key)} {reps_text(amounts, '×', timed)}{load}")
    return ", ".join(parts)


def pr_line(best: Best, units: str, lexicon: Lexicon, head: str = "🏆 New PR") -> str:
    return f"{head}: {lexicon.label(best.exercise)} {show_weight(best.weight_kg, units)} × {best.reps}!"  # type: ignore[arg-type]


def change_lines(ctx: Context, changes: Changes) -> list[str]:
    """What a change made true, in the order a runner reads it: PRs, goals, streak, rewards, badges."""
    units = ctx.runner.profile.units
    keys = [b.exercise for b in changes.prs] + [g.exercise for g in changes.goals]
    lexicon = ctx.lexicon(keys)
    lines = [pr_line(b, units, lexicon) for b in changes.prs]
    lines += [
        f"🎯 Goal reached: {lexicon.label(g.exercise)} {show_weight(g.weight_kg, units)} × {g.reps}!"  # type: ignore[arg-type]
        for g in changes.goals
    ]
    lines += changes.lines
    lines += [announce(b) for b in changes.badges]
    lines += [f"Badge withdrawn: {b.name} — it no longer holds." for b in changes.withdrawn]
    lines += [
        f"That takes back the PR {pr_text(key, units, ctx.lexicon([key.split(':')[1]]))}."
        for key in changes.withdrawn_prs
    ]
    return lines


def group_tail(ctx: Context, changes: Changes) -> list[str]:
    here = ctx.here()
    if here is None:
        return []
    group, members = here
    ctx.keeper.post(group.id, changes)
    return [*changes.group_notes, group_line_for(ctx, members)]


def resolver(ctx: Context) -> Resolve:
    """How this runner's /log reads a name: their variant of a movement, their own exercises too."""
    profile = ctx.runner.profile
    latest = ctx.latest_through_today()

    def resolve(name: str, weighted: bool, timed: bool) -> Resolved | ParseError:
        found = resolve_name(name, profile, weighted, timed, ctx.lexicon().own, latest)
        if isinstance(found, ParseError):
            mine = ctx.lexicon(full=True).own
            if mine:
                return resolve_name(name, profile, weighted, timed, mine, latest)
        return found

    return resolve


def _tick_list(ctx: Context) -> list[Reply]:
    day = ctx.today
    session = session_on(ctx, day)
    if session is None:
        example = texts.log_example(ctx.runner.profile.units)
        return [Reply(f"Nothing planned today. Log anything you did, e.g. {example}")]
    logged = set(ctx.uow.logbook.sets_per_exercise_on(ctx.runner.id, day))
    open_items = [i for i in session.items if i.exercise not in logged]
    if not open_items:
        return [Reply("Everything on today's list is logged. /done marks the session if it isn't yet.")]
    buttons = tuple(
        (Button(f"{i.variant.name} {reps_text([i.reps] * i.sets, '×', i.variant.timed)}", log_command(i)),)
        for i in open_items
    )
    return [
        Reply(
            f"Tap what you did as prescribed, or type it, e.g. {texts.log_example(ctx.runner.profile.units)}; "
            "pushups 8,8,6",
            title="Today's sets",
            buttons=buttons,
        )
    ]


def _to_sets(counts: dict[str, int], request: LogRequest) -> list[LoggedSet]:
    """The sets to store, numbered after those already logged that day; weights kept at full precision."""
    numbered: dict[str, int] = defaultdict(int, counts)
    day = request.day
    assert day is not None
    sets = []
    for entry in request.entries:
        weight = None if entry.weight is None else to_kg(entry.weight, entry.unit or "kg")
        for amount in entry.reps:
            numbered[entry.exercise] += 1
            reps, seconds = (1, amount) if entry.timed else (amount, None)
            sets.append(
                LoggedSet(day, entry.exercise, numbered[entry.exercise], reps, weight, 0, seconds, entry.unit)
            )
    return sets


def _ask(ctx: Context, request: LogRequest, question: Question) -> list[Reply]:
    """Nothing is logged: the /log waits for ``/log confirm`` (the runner's pending log, kept 15 minutes)."""
    ctx.runner.pending = PendingLog(format_log(request), ctx.now)
    ctx.uow.runners.save(ctx.runner)
    text = f"{question.text} Nothing is logged yet — {CONFIRM} logs it, or just log it again corrected."
    return [Reply(text, title="Sure?", buttons=((Button(question.button, CONFIRM),),))]


def record(ctx: Context, request: LogRequest, ask: bool = True) -> list[Reply]:
    """Store one /log whole and say what it made true; with ``ask``, a doubtful one waits for a confirm."""
    day = request.day or ctx.today
    request = replace(request, day=day)
    keys = sorted({entry.exercise for entry in request.entries if entry.reps})  # those it makes sets of
    day_entries, bests = ctx.uow.logbook.day_and_best_weights(ctx.runner.id, day, keys)
    counts: dict[str, int] = defaultdict(int)
    for earlier in day_entries:
        for s in earlier.sets:
            counts[s.exercise] += 1
    sets = _to_sets(counts, request)
    lexicon = ctx.lexicon(keys)
    units = ctx.runner.profile.units
    if ask:
        question = implausible(sets, bests, lexicon, units) or repeated(sets, day_entries, ctx.now, lexicon)
        if question is not None:
            return _ask(ctx, request, question)
    if ctx.runner.pending is not None:
        ctx.runner.pending = None
        ctx.uow.runners.save(ctx.runner)
    here = ctx.here()
    entry = ctx.uow.logbook.add_entry(ctx.runner.id, "sets", day, here[0].id if here else None, ctx.now, sets)
    if ctx.runner.created_on is not None and day < ctx.runner.created_on:
        ctx.runner.created_on = day  # the runner's first week is the week of their first logged day
        ctx.uow.runners.save(ctx.runner)
    distinct = set(counts) | set(keys)
    changes = ctx.keeper.logged(entry, len(distinct) >= 3, bests)
    return [Reply("\n".join(_logged_lines(ctx, entry, len(distinct), changes, lexicon)))]


def _logged_lines(ctx: Context, entry: Entry, distinct: int, changes: Changes, lexicon: Lexicon) -> list[str]:
    when = "" if entry.local_date == ctx.today else f" for {texts.day_label(entry.local_date)}"
    lines = [f"Logged{when}: {describe_sets(entry.sets, ctx.runner.profile.units, lexicon)}."]
    if entry.local_date in changes.completed:
        lines.append(f"Session complete for {texts.weekday(entry.local_date)} ({distinct} exercises) ✓")
    lines += change_lines(ctx, changes)
    lines += group_tail(ctx, changes)
    return lines


def confirm(ctx: Context) -> list[Reply]:
    pending = ctx.runner.pending
    if pending is None:
        example = texts.log_example(ctx.runner.profile.units)
        return [Reply(f"Nothing is waiting for a confirm. Log sets with e.g. {example}")]
    ctx.runner.pending = None
    ctx.uow.runners.save(ctx.runner)
    if ctx.now - pending.asked_at > CONFIRM_WITHIN:
        return [Reply(f"That question is over 15 minutes old — log it again: /log {pending.text}")]
    request = parse_log(pending.text, ctx.today, ctx.runner.profile.units, resolver(ctx))
    if not isinstance(request, LogRequest):
        message = request.message if isinstance(request, ParseError) else "Nothing to log."
        return [Reply(message)]
    return record(ctx, request, ask=False)


def log(ctx: Context) -> list[Reply]:
    if ctx.args.strip().lower() == "confirm":
        return confirm(ctx)
    request = parse_log(ctx.args, ctx.today, ctx.runner.profile.units, resolver(ctx))
    if request is None:
        return _tick_list(ctx)
    if isinstance(request, ParseError):
        raise UserError(request.message)
    return record(ctx, request)

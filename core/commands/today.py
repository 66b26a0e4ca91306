"""/today and /plan: the session of a day, the week's lifts, and how the plan bends around a missed lift."""

from __future__ import annotations

from datetime import date, timedelta

from core import texts
from core.calendar.plan import CalendarPlan
from core.calendar.taper import taper_of
from core.commands.calendar_feed import source_lines
from core.commands.context import Context, UserError
from core.ledger.views import standing_of
from core.messages import Button, Reply
from core.parsing.args import parse_day, parse_week
from core.parsing.errors import ParseError
from core.parsing.log import typed_entry
from core.training.catch_up import catch_ups, missed_days
from core.training.placement import next_lift_day, plan_week, run_on
from core.training.sessions import Prescription, Session, session_for
from core.training.units import number
from core.weeks import week_start, zone

MOBILITY = (
    "If you'd like to move anyway, ten easy minutes of mobility: hip circles, leg swings, "
    "a calf stretch on a wall, two slow sets of glute bridges — nothing to log."
)


def cycle_start(ctx: Context) -> date:
    """The day the rep-scheme rotation counts its weeks from: the runner's first day."""
    created = ctx.runner.created_at or ctx.now
    return created.astimezone(zone(ctx.runner.profile.tz)).date()


def done_days_this_week(ctx: Context) -> set[date]:
    """The days of this week that count as a completed session (the same days /streak counts)."""
    week = standing_of(ctx.runner, ctx.book, ctx.now).week.inputs
    return {week.day(k) for k in range(1, week.sessions + 1)}


def week_paused(ctx: Context, day: date) -> bool:
    pause = ctx.runner.pause
    monday = week_start(day)
    return pause is not None and any(pause.covers(monday + timedelta(days=d)) for d in range(7))


def catch_up_days(ctx: Context) -> dict[date, date]:
    """This week's catch-up lifts as it stands today: the day → the missed day it makes up for."""
    found = catch_ups(
        ctx.runner.profile,
        ctx.today,
        done_days_this_week(ctx),
        week_paused(ctx, ctx.today),
        since=ctx.runner.created_on,
    )
    return {c.day: c.missed for c in found}


def session_on(ctx: Context, day: date) -> Session | None:
    """The session of ``day``: its planned lift, or a catch-up this week's plan moved there."""
    missed = catch_up_days(ctx).get(day) if week_start(day) == week_start(ctx.today) else None
    return session_for(
        ctx.runner.profile,
        day,
        cycle_start(ctx),
        ctx.latest(day),
        ctx.lexicon(ctx.runner.profile.swaps.values()).own,
        catch_up_for=missed,
    )


def next_lift(ctx: Context, after: date) -> tuple[date, date | None]:
    """The next lift after ``after``: its day, and the missed day when it is a catch-up."""
    planned = next_lift_day(ctx.runner.profile, after)
    later = sorted((d, m) for d, m in catch_up_days(ctx).items() if d > after)
    if later and later[0][0] < planned:
        return later[0]
    return planned, None


def amount_text(item: Prescription) -> str:
    """``3×10``, ``3×10 a side``, ``3×30 s``."""
    if item.variant.timed:
        return f"{item.sets}×{item.reps} s"
    side = " a side" if item.variant.unilateral else ""
    return f"{item.sets}×{item.reps}{side}"


def load_text(item: Prescription) -> str:
    return f" @ {number(item.load)} {item.unit}" if item.load is not None else ""


def _prescription_line(i: int, item: Prescription, show_note: bool) -> str:
    note = f" — {item.note}" if item.note and show_note else ""
    return f"{i}. {item.variant.name}: {amount_text(item)}{load_text(item)}{note}"


def log_command(item: Prescription) -> str:
    """The typed /log of a move done as prescribed, in the runner's units: ``/log goblet-squat 3x10 @40lb``."""
    entry = typed_entry(item.exercise, (item.reps,) * item.sets, item.load, item.unit, item.variant.timed)
    return "/log " + entry


def _head(session: Session) -> str:
    if session.catch_up_for is not None:
        lead = f"Catch-up for {texts.weekday(session.catch_up_for)}'s lift."
    elif session.run_title and session.run is not None:
        lead = f"{texts.RUN_LABELS[session.run].capitalize()} ({session.run_title}): lift after your session."
    elif session.run in ("speed", "long"):
        lead = f"{texts.RUN_LABELS[session.run].capitalize()}: lift after your run."
    elif session.run == "easy":
        lead = "Easy run today: lift after it, keep it controlled."
    else:
        lead = "No run today: a strength day."
    if session.lighter:
        lead += f" {session.lighter.capitalize()}: a lighter session."
    return lead


def session_reply(ctx: Context, session: Session, title: str) -> Reply:
    profile = ctx.runner.profile
    light = " · lighter week" if session.light and not session.lighter else ""
    lines = [f"{_head(session)} {len(session.items)} moves, ~{session.minutes} min{light}."]
    notes = [item.note for item in session.items]
    shared = {n for n in notes if n and notes.count(n) > 1}
    lines += [_prescription_line(i, item, item.note not in shared) for i, item in enumerate(session.items, 1)]
    for note in sorted(shared):
        loaded = {item.variant.loaded for item in session.items if item.note == note}
        head = "Loads" if loaded == {True} else "Reps" if loaded == {False} else "Notes"
        lines.append(f"{head}: {note}" + ("" if note.endswith(".") else "."))
    if session.items:
        lines.append(f"Form first: {session.items[0].variant.cue}")
        lines.append("Log as you go, e.g. " + log_command(session.items[0]) + " — or /done when finished.")
    if not ctx.runner.configured:
        lines.append(texts.DEFAULTS_HINT)
    if profile.playlist:
        lines.append(f"Your playlist: {profile.playlist}")
    buttons = tuple((Button(f"✓ {i.variant.name}", log_command(i)),) for i in session.items)
    return Reply("\n".join(lines), title=title, buttons=(*buttons, (Button("Session done", "/done"),)))


def paused_reply(ctx: Context, day: date) -> Reply:
    pause = ctx.runner.pause
    assert pause is not None
    lines = [
        f"⏸ You're paused until {texts.day_label(pause.until)} — your streak waits, no session "
        f"{'today' if day == ctx.today else 'that day'}.",
        MOBILITY,
        "Back sooner? /resume",
    ]
    return Reply("\n".join(lines), title="Paused", buttons=((Button("Resume now", "/resume"),),))


def rest_reply(ctx: Context, day: date) -> Reply:
    profile = ctx.runner.profile
    run = run_on(profile, day)
    if day == ctx.today:
        rest = f"{texts.RUN_LABELS[run].capitalize()} today" if run else "Rest day"
    else:
        rest = f"{texts.day_label(day)}: " + (f"{texts.RUN_LABELS[run]}" if run else "a rest day")
    nxt, missed = next_lift(ctx, day)
    kind = f"catch-up for {texts.weekday(missed)}'s lift" if missed else ""
    if not kind and (next_run := run_on(profile, nxt)) is not None:
        kind = texts.RUN_LABELS[next_run]
    lines = [
        f"{rest} — no lifting planned, let your legs recover.",
        f"Next lift: {texts.weekday(nxt)}, {nxt.day} {nxt.strftime('%b')}"
        + (f" ({kind})" if kind else "")
        + ".",
    ]
    if not ctx.runner.configured:
        lines.append(texts.DEFAULTS_HINT)
    return Reply("\n".join(lines), title="Recovery")


def today(ctx: Context) -> list[Reply]:
    day = parse_day(ctx.args, ctx.today)
    if isinstance(day, ParseError):
        raise UserError(day.message)
    if ctx.runner.paused_on(day):
        return [paused_reply(ctx, day)]
    if day == ctx.today and day in done_days_this_week(ctx):
        return [Reply("Today's session is done — nice work. Rest up; /plan shows the week.", title="Done ✓")]
    session = session_on(ctx, day)
    if session is None:
        return [rest_reply(ctx, day)]
    title = f"{texts.weekday(session.day)}'s session" + ("" if day >= ctx.today else " (past)")
    return [session_reply(ctx, session, title)]


def plan_lines(ctx: Context, day: date) -> str:
    """The week's runs and lifts: ✓ on completed sessions, this week's misses and where they are made up."""
    profile = ctx.runner.profile
    week = plan_week(profile, day)
    this_week = week_start(day) == week_start(ctx.today)
    done = done_days_this_week(ctx) if this_week else set()
    missed = (
        {
            d
            for d in missed_days(profile, ctx.today, done, ctx.runner.created_on)
            if not ctx.runner.paused_on(d)
        }
        if this_week
        else set()
    )
    catching = catch_up_days(ctx) if this_week else {}
    made_up = {m: c for c, m in catching.items()}
    lines = [f"Week of {texts.day_label(week[0].day)}:", *source_lines(ctx, day)]
    calendar = profile.calendar if profile.calendar is not None and profile.calendar.covers(day) else None
    taper = taper_of(profile.calendar) if profile.calendar is not None else None
    for d in week:
        run = f"{d.run} run" if d.run else "rest"
        if calendar is not None:
            run = calendar_day(calendar, d.day)
        lift = ""
        if d.lift or d.day in catching:
            session = session_for(profile, d.day, cycle_start(ctx), catch_up_for=catching.get(d.day))
            size = f"{len(session.items)} moves, ~{session.minutes} min" if session else ""
            kind = f"catch-up lift for {texts.weekday(catching[d.day])[:3]}" if d.day in catching else "lift"
            lift = f" → {kind} ({size})" + (" ✓" if d.day in done else "")
            if session is not None and session.lighter:
                lift += " · lighter"
            if d.day in missed:
                later = made_up.get(d.day)
                lift = " → lift missed" + (f" · catch-up {texts.day_label(later)}" if later else "")
        elif d.day in done:
            lift = " · lifted ✓"
        elif taper is not None and d.day in taper.no_lift:
            lift = " · no lift (race taper)"
        elif taper is not None and d.day in taper.mobility:
            lift = " · easy mobility"
        if ctx.runner.paused_on(d.day):
            lift += " · paused"
        marker = " ← today" if d.day == ctx.today else ""
        lines.append(f"{texts.day_label(d.day)}: {run}{lift}{marker}")
    return "\n".join(lines)


def calendar_day(plan: CalendarPlan, day: date) -> str:
    """A calendar day in /plan: each session with its title (``speed · 6x800m Intervals``)."""
    sessions = plan.on(day)
    if not sessions:
        return "rest"
    return " + ".join(f"{r.kind} · {r.title}" if r.kind != "rest" else f"rest · {r.title}" for r in sessions)


def plan(ctx: Context) -> list[Reply]:
    weeks = parse_week(ctx.args)
    if isinstance(weeks, ParseError):
        raise UserError(weeks.message)
    day = ctx.today + timedelta(weeks=weeks)
    text = plan_lines(ctx, day)
    if not ctx.runner.configured:
        text += "\n" + texts.DEFAULTS_HINT
    title = "This week" if weeks == 0 else "Next week"
    return [Reply(text, title=title)]

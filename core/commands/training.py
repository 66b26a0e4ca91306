"""Commands about the training itself: /start, /setup, /today, /plan, /remind, /playlist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from core import texts
from core.commands.context import Context, UserError
from core.commands.groups import group_setup
from core.ledger.views import standing_of
from core.messages import Button, Reply
from core.parsing.args import parse_playlist
from core.parsing.errors import ParseError
from core.parsing.log import typed_entry
from core.parsing.setup import SetupChanges, parse_remind, parse_setup
from core.training.catalog import exercise
from core.training.model import LoggedSet
from core.training.placement import next_lift_day, plan_week
from core.training.profile import Profile
from core.training.sessions import Prescription, Session, session_for
from core.training.units import show_weight
from core.weeks import zone

SETUP_CHOICES: tuple[tuple[Button, ...], ...] = (
    (
        Button("Tue speed · Sun long", "/setup runs=tue:speed,sun:long"),
        Button("Tue+Thu speed · Sat long", "/setup runs=tue:speed,thu:speed,sat:long"),
    ),
    (
        Button("Gym", "/setup equipment=gym"),
        Button("Home (dumbbells)", "/setup equipment=home"),
        Button("Bodyweight", "/setup equipment=bodyweight"),
    ),
    (
        Button("Road", "/setup terrain=road"),
        Button("Trail", "/setup terrain=trail"),
        Button("Hilly", "/setup terrain=hilly"),
    ),
    (Button("2 sessions a week", "/setup sessions=2"), Button("3 sessions a week", "/setup sessions=3")),
)
PLAN_KEYS = ("runs", "sessions")


def cycle_start(ctx: Context) -> date:
    """The day the rep-scheme rotation counts its weeks from: the runner's first day."""
    created = ctx.runner.created_at or ctx.now
    return created.astimezone(zone(ctx.runner.profile.tz)).date()


def last_sets_for(ctx: Context, day: date) -> Callable[[str], list[LoggedSet]]:
    def lookup(key: str) -> list[LoggedSet]:
        return ctx.uow.logbook.last_sets(ctx.runner.id, key, day)

    return lookup


def describe_profile(profile: Profile) -> str:
    runs = (
        ", ".join(f"{texts.WEEKDAYS[d][:3]} {kind}" for d, kind in sorted(profile.runs.items()))
        or "no runs listed"
    )
    remind = profile.remind.strftime("%H:%M") + ("" if profile.reminders else " (off)")
    return (
        f"Runs: {runs} · {profile.sessions} sessions a week · {profile.equipment} · {profile.terrain}\n"
        f"Time zone {profile.tz} · reminders {remind} · {profile.units}"
    )


def start(ctx: Context) -> list[Reply]:
    text = texts.WELCOME.format(name=ctx.runner.name)
    if ctx.in_group:
        return [Reply(text + "\nIn this group: /join to become a buddy here.")]
    return [
        Reply(
            text
            + "\n\nLet's set you up — tap your choices or type them:\n"
            + describe_profile(ctx.runner.profile),
            title="Welcome to Runlift",
            buttons=SETUP_CHOICES,
        )
    ]


def _apply(profile: Profile, changes: SetupChanges) -> Profile:
    return replace(profile, **changes.given())  # type: ignore[arg-type]


def setup(ctx: Context) -> list[Reply]:
    # In a group chat /setup sets the group's own setting, its time zone; where the platform
    # can answer the asker alone (Discord), other keys still set up the asker's own training.
    personal_here = ctx.answers_privately and "tz=" not in ctx.args.lower()
    if ctx.in_group and not personal_here:
        return group_setup(ctx)
    if not ctx.args:
        return [
            Reply(
                "Your settings:\n" + describe_profile(ctx.runner.profile) + "\n\nTap to change, or type e.g. "
                "/setup runs=tue:speed,thu:easy,sun:long tz=Europe/Berlin remind=18:30",
                title="Setup",
                buttons=SETUP_CHOICES,
                personal=True,
            )
        ]
    changes = parse_setup(ctx.args)
    if isinstance(changes, ParseError):
        raise UserError(changes.message)
    old = ctx.runner.profile
    ctx.runner.profile = _apply(old, changes)
    ctx.runner.configured = True
    plan_moved = any(getattr(old, k) != getattr(ctx.runner.profile, k) for k in PLAN_KEYS)
    if plan_moved:
        ctx.keeper.record_plan_change(old, ctx.today)
    ctx.uow.runners.save(ctx.runner)
    lines = ["Saved."]
    if plan_moved:
        last_open = max([ctx.today, *ctx.book.open])
        ctx.keeper.weeks_changed(ctx.today, last_open)
    if changes.remind is not None and not ctx.runner.profile.reminders:
        lines.append(f"Reminders are off: /remind on sends them at {changes.remind.strftime('%H:%M')}.")
    week = plan_lines(ctx, ctx.today)
    text = "\n".join(lines) + "\n" + describe_profile(ctx.runner.profile) + "\n\n" + week
    return [Reply(text, title="Setup", personal=True)]


def load_text(item: Prescription, units: str) -> str:
    return f" @ {show_weight(item.load_kg, units)}" if item.load_kg is not None else ""  # type: ignore[arg-type]


def _prescription_line(i: int, item: Prescription, units: str, show_note: bool) -> str:
    name = exercise(item.exercise).name
    if item.variant.lower().startswith(name.lower()):
        label = item.variant[0].upper() + item.variant[1:]
    else:
        label = f"{name} ({item.variant})"
    note = f" — {item.note}" if item.note and show_note else ""
    return f"{i}. {label}: {item.sets}×{item.reps}{load_text(item, units)}{note}"


def log_command(item: Prescription) -> str:
    weight = round(item.load_kg, 2) if item.load_kg is not None else None
    return "/log " + typed_entry(item.exercise, (item.reps,) * item.sets, weight, "kg")


def session_reply(ctx: Context, session: Session) -> Reply:
    profile = ctx.runner.profile
    run = session.run
    if run in ("speed", "long"):
        head = f"{texts.RUN_LABELS[run].capitalize()}: lift after your run."
    elif run == "easy":
        head = "Easy run today: lift after it, keep it controlled."
    else:
        head = "No run today: a strength day."
    light = " · lighter week" if session.light else ""
    lines = [f"{head} {len(session.items)} moves, ~{session.minutes} min{light}."]
    notes = [item.note for item in session.items]
    shared = {n for n in notes if n and notes.count(n) > 1}
    lines += [
        _prescription_line(i, item, profile.units, item.note not in shared)
        for i, item in enumerate(session.items, 1)
    ]
    lines += [f"Loads: {n}." if not n.endswith(".") else f"Loads: {n}" for n in sorted(shared)]
    cue = exercise(session.items[0].exercise).cue
    lines.append(f"Form first: {cue}")
    lines.append("Log as you go, e.g. " + log_command(session.items[0]) + " — or /done when finished.")
    if not ctx.runner.configured:
        lines.append(texts.DEFAULTS_HINT)
    if profile.playlist:
        lines.append(f"Your playlist: {profile.playlist}")
    buttons = tuple((Button(f"✓ {exercise(i.exercise).name}", log_command(i)),) for i in session.items)
    title = f"{texts.weekday(session.day)}'s session"
    return Reply("\n".join(lines), title=title, buttons=(*buttons, (Button("Session done", "/done"),)))


def done_days_this_week(ctx: Context) -> set[date]:
    """The days of this week that count as a completed session (the same days /streak counts)."""
    week = standing_of(ctx.runner, ctx.book, ctx.now).week.inputs
    return {week.day(k) for k in range(1, week.sessions + 1)}


def today(ctx: Context) -> list[Reply]:
    day = ctx.today
    profile = ctx.runner.profile
    session = session_for(profile, day, cycle_start(ctx), last_sets_for(ctx, day))
    if session is None:
        nxt = next_lift_day(profile, day)
        run = profile.runs.get(day.weekday())
        rest = f"{texts.RUN_LABELS[run].capitalize()} today" if run else "Rest day"
        lines = [
            f"{rest} — no lifting planned, let your legs recover.",
            f"Next lift: {texts.weekday(nxt)}, {nxt.day} {nxt.strftime('%b')}"
            + (f" ({texts.RUN_LABELS[profile.runs[nxt.weekday()]]})" if nxt.weekday() in profile.runs else "")
            + ".",
        ]
        if not ctx.runner.configured:
            lines.append(texts.DEFAULTS_HINT)
        return [Reply("\n".join(lines), title="Recovery")]
    if day in done_days_this_week(ctx):
        return [Reply("Today's session is done — nice work. Rest up; /plan shows the week.", title="Done ✓")]
    return [session_reply(ctx, session)]


def plan_lines(ctx: Context, day: date) -> str:
    """The week's runs and lifts, with ✓ on every day that counts as a completed session."""
    profile = ctx.runner.profile
    week = plan_week(profile, day)
    done = done_days_this_week(ctx)
    lines = [f"Week of {texts.day_label(week[0].day)}:"]
    for d in week:
        run = f"{d.run} run" if d.run else "rest"
        lift = ""
        if d.lift:
            session = session_for(profile, d.day, cycle_start(ctx), lambda _k: [])
            size = f"{len(session.items)} moves, ~{session.minutes} min" if session else ""
            lift = f" → lift ({size})" + (" ✓" if d.day in done else "")
        elif d.day in done:
            lift = " · lifted ✓"
        marker = " ← today" if d.day == ctx.today else ""
        lines.append(f"{texts.day_label(d.day)}: {run}{lift}{marker}")
    return "\n".join(lines)


def plan(ctx: Context) -> list[Reply]:
    text = plan_lines(ctx, ctx.today)
    if not ctx.runner.configured:
        text += "\n" + texts.DEFAULTS_HINT
    return [Reply(text, title="This week")]


def remind(ctx: Context) -> list[Reply]:
    value = parse_remind(ctx.args)
    if isinstance(value, ParseError):
        raise UserError(value.message)
    profile = ctx.runner.profile
    if value == "off":
        ctx.runner.profile = replace(profile, reminders=False)
        text = f"Reminders off. /remind on brings them back at {profile.remind.strftime('%H:%M')}."
    else:
        at = profile.remind if value == "on" else value
        ctx.runner.profile = replace(profile, remind=at, reminders=True)
        text = f"I'll nudge you at {at.strftime('%H:%M')} ({profile.tz}) on lift days."
    ctx.uow.runners.save(ctx.runner)
    return [Reply(text)]


def playlist(ctx: Context) -> list[Reply]:
    if not ctx.args:
        current = ctx.runner.profile.playlist
        if current:
            return [Reply(f"Your lifting playlist: {current}\nChange it: /playlist URL")]
        return [Reply("No playlist yet. Save one: /playlist https://example.com/my-lifting-mix")]
    url = parse_playlist(ctx.args)
    if isinstance(url, ParseError):
        raise UserError(url.message)
    ctx.runner.profile = replace(ctx.runner.profile, playlist=url)
    ctx.uow.runners.save(ctx.runner)
    return [Reply("Saved — your lift-day reminders will carry it.")]

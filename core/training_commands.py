"""Commands about the training itself: /start, /setup, /today, /plan, /remind, /playlist, /help."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from core import planning, texts
from core.arguments import parse_playlist
from core.catalog import exercise
from core.command_table import help_text
from core.context import Context, UserError
from core.messages import Button, Reply
from core.model import LoggedSet
from core.parse_errors import ParseError
from core.profile import DEFAULT_REMIND, Profile, format_runs, show_weight
from core.setup_parse import SetupChanges, parse_remind, parse_setup

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


def cycle_start(ctx: Context) -> date:
    created = ctx.runner.created_at or ctx.now
    return created.astimezone(ctx.zone).date()


def last_sets_for(ctx: Context, day: date):  # type: ignore[no-untyped-def]
    def lookup(key: str) -> list[LoggedSet]:
        return ctx.uow.last_sets(ctx.runner.id, key, day)

    return lookup


def describe_profile(profile: Profile) -> str:
    runs = (
        ", ".join(f"{texts.WEEKDAYS[d][:3]} {kind}" for d, kind in sorted(profile.runs.items()))
        or "no runs listed"
    )
    remind = profile.remind.strftime("%H:%M") if profile.remind else "off"
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
    updates: dict[str, object] = {}
    for key in ("runs", "tz", "equipment", "terrain", "sessions", "remind", "units"):
        value = getattr(changes, key)
        if value is not None:
            updates[key] = value
    return replace(profile, **updates)  # type: ignore[arg-type]


def setup(ctx: Context) -> list[Reply]:
    # In a group chat /setup sets the group's own setting, its time zone; where the platform
    # can answer the asker alone (Discord), other keys still set up the asker's own training.
    personal_here = ctx.answers_privately and "tz=" not in ctx.args.lower()
    if ctx.in_group and not personal_here:
        from core.group_commands import group_setup

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
    ctx.runner.profile = _apply(ctx.runner.profile, changes)
    ctx.runner.configured = True
    ctx.uow.save_runner(ctx.runner)
    week = plan_lines(ctx, ctx.today)
    return [
        Reply("Saved.\n" + describe_profile(ctx.runner.profile) + "\n\n" + week, title="Setup", personal=True)
    ]


def _prescription_line(i: int, item: planning.Prescription, units: str, show_note: bool) -> str:
    load = f" @ {show_weight(item.load_kg, units)}" if item.load_kg is not None else ""  # type: ignore[arg-type]
    name = exercise(item.exercise).name
    if item.variant.lower().startswith(name.lower()):
        label = item.variant[0].upper() + item.variant[1:]
    else:
        label = f"{name} ({item.variant})"
    note = f" — {item.note}" if item.note and show_note else ""
    return f"{i}. {label}: {item.sets}×{item.reps}{load}{note}"


def log_command(item: planning.Prescription) -> str:
    load = f" @{round(item.load_kg, 2):g}kg" if item.load_kg is not None else ""
    return f"/log {item.exercise} {item.sets}x{item.reps}{load}"


def session_reply(ctx: Context, session: planning.Session) -> Reply:
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


def today(ctx: Context) -> list[Reply]:
    day = ctx.today
    profile = ctx.runner.profile
    session = planning.session_for(profile, day, cycle_start(ctx), last_sets_for(ctx, day))
    if session is None:
        nxt = planning.next_lift_day(profile, day)
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
    if ctx.uow.done_source(ctx.runner.id, day):
        return [Reply("Today's session is done — nice work. Rest up; /plan shows the week.", title="Done ✓")]
    return [session_reply(ctx, session)]


def plan_lines(ctx: Context, day: date) -> str:
    profile = ctx.runner.profile
    week = planning.plan_week(profile, day)
    start = week[0].day
    done = set(ctx.uow.done_days(ctx.runner.id, start, start + timedelta(days=6)))
    lines = [f"Week of {texts.day_label(start)}:"]
    for d in week:
        run = f"{d.run} run" if d.run else "rest"
        lift = ""
        if d.lift:
            session = planning.session_for(profile, d.day, cycle_start(ctx), lambda _k: [])
            size = f"{len(session.items)} moves, ~{session.minutes} min" if session else ""
            lift = f" → lift ({size})" + (" ✓" if d.day in done else "")
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
        ctx.runner.profile = replace(profile, remind=None)
        text = "Reminders off. /remind on brings them back."
    else:
        at = DEFAULT_REMIND if value == "on" else value
        ctx.runner.profile = replace(profile, remind=at)
        text = f"I'll nudge you at {at.strftime('%H:%M')} ({profile.tz}) on lift days."
    ctx.uow.save_runner(ctx.runner)
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
    ctx.uow.save_runner(ctx.runner)
    return [Reply("Saved — your lift-day reminders will carry it.")]


def help_(ctx: Context) -> list[Reply]:
    return [Reply(help_text(), title="Runlift commands")]


HANDLERS = {
    "start": start,
    "setup": setup,
    "today": today,
    "plan": plan,
    "remind": remind,
    "playlist": playlist,
    "help": help_,
}

__all__ = ["HANDLERS", "cycle_start", "format_runs", "last_sets_for", "log_command"]

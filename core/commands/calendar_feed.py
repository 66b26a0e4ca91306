"""``/setup calendar=URL|PATH|off``: connect the runner's plan calendar, privately; and the lines
/plan adds about it (where the week came from, the race taper, a feed that stopped working)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, timedelta

from core import texts
from core.calendar.adopt import adopt
from core.calendar.link import FILE_PREFIX, CalendarLink, masked
from core.calendar.plan import CalendarPlan
from core.calendar.reading import FeedRead
from core.calendar.taper import days_before, taper_of
from core.commands.context import Context, UserError
from core.parsing.setup import CalendarChoice
from core.training.placement import week_target
from core.weeks import week_end, week_start

FORM = "e.g. /setup calendar=https://calendar.example.com/feed/plan.ics (or webcal://…), /setup calendar=off"
IN_GROUP = (
    "Calendar links are secret: send /setup calendar=… to me in a direct message. "
    "If you posted one here, make a new link in your calendar app — this one is shared now."
)


def _keep_plan(ctx: Context, plan: CalendarPlan | None) -> None:
    """The runner's plan now follows ``plan``: the weeks from today on are read again."""
    if ctx.runner.profile.calendar == plan:
        return
    ctx.runner.profile = replace(ctx.runner.profile, calendar=plan)
    ctx.uow.runners.save(ctx.runner)
    ctx.keeper.weeks_changed(ctx.today, max([ctx.today, *ctx.book.open]))


def _read(ctx: Context, choice: CalendarChoice) -> tuple[str, FeedRead]:
    reader = ctx.config.calendar_reader
    if reader is None:
        raise UserError("Calendar feeds are not switched on for this bot.")
    if choice.kind == "upload":
        upload = ctx.incoming.upload
        if upload is None:
            raise UserError(f"Send your .ics file to me in a direct message, or give its feed — {FORM}")
        name = os.path.basename(upload.filename)
        if upload.error:
            raise UserError(
                f"Couldn't read {name}: send a calendar file of at most 5 MB. Your plan stays as it was."
            )
        return FILE_PREFIX + (name or "calendar.ics"), reader.read_bytes(upload.data)
    if choice.kind == "path":
        if ctx.incoming.platform != "console":
            raise UserError(f"calendar= takes a feed URL here — {FORM}")
        return FILE_PREFIX + os.path.basename(choice.value), reader.read_file(choice.value)
    return choice.value, reader.read(choice.value)


def connect(ctx: Context, choice: CalendarChoice) -> str:
    """Connect (or with ``off`` disconnect) the runner's calendar; the line to answer with.

    A read that fails leaves everything as it was: the error names the feed only masked.
    """
    if choice.kind == "off":
        had = ctx.uow.calendars.get(ctx.runner.id)
        ctx.uow.calendars.delete(ctx.runner.id)
        _keep_plan(ctx, None)
        if had is None:
            return "No calendar was connected; your week follows runs=."
        return f"Calendar {masked(had.source)} disconnected: your week follows runs= again."
    source, read = _read(ctx, choice)
    adopted = adopt(read, ctx.runner.profile.tz, ctx.today)
    if adopted.plan is None:
        problem = adopted.problem or "nothing could be read"
        raise UserError(f"Couldn't use {masked(source)}: {problem}. Your plan stays as it was. {FORM}")
    link = CalendarLink(ctx.runner.id, source).succeeded(ctx.now, read.etag, read.last_modified)
    ctx.uow.calendars.save(link)
    _keep_plan(ctx, adopted.plan)
    runs = sum(r.is_run for r in adopted.plan.runs)
    how = "read once (send it again when the plan changes)" if link.is_file else "read again every hour"
    return f"Calendar connected: {masked(source)} — {texts.plural(runs, 'run')} found, {how}."


def calendar_line(ctx: Context) -> str:
    """The calendar in the settings overview: which one (masked) and how it is doing."""
    link = ctx.uow.calendars.get(ctx.runner.id)
    if link is None:
        return "Calendar: none — connect your plan's feed in a DM: /setup calendar=https://…"
    state = f" (can't be read: {link.problem})" if link.problem else ""
    return f"Calendar: {masked(link.source)}{state} — /setup calendar=off disconnects"


def reread_calendar(ctx: Context) -> None:
    """The runner's days moved (a new time zone): read their feed whole at the next tick."""
    link = ctx.uow.calendars.get(ctx.runner.id)
    if link is not None and not link.is_file:
        ctx.uow.calendars.save(replace(link, etag="", last_modified="", next_check_at=ctx.now))


def calendar_notice(ctx: Context) -> str:
    """A failing feed's news, said once at the runner's next message."""
    if ctx.runner.profile.calendar is None:
        return ""
    link = ctx.uow.calendars.get(ctx.runner.id)
    if link is None or link.told or not link.problem:
        return ""
    ctx.uow.calendars.save(replace(link, told=True))
    return (
        f"⚠️ Your calendar ({masked(link.source)}) can't be read: {link.problem}. Your last good plan stays."
    )


def _race_line(plan: CalendarPlan, monday: date, target: int) -> str:
    sunday = week_end(monday)
    taper = taper_of(plan)
    races = [r for r in plan.races() if monday <= r.day <= sunday + timedelta(days=4)]
    if not races:
        return ""
    race = races[0]
    rest = days_before(race.race_km)
    when = texts.day_label(race.day)
    return (
        f"🏁 {race.title} on {when}: lighter sessions"
        + (", " if taper.lighter(monday) else " next week; ")
        + f"no lifting the {rest} days before or on race day, mobility for two days after — "
        f"{texts.plural(target, 'session')} keep{'s' if target == 1 else ''} your streak."
    )


def source_lines(ctx: Context, day: date) -> list[str]:
    """Where the week of ``day`` comes from, and the race taper that shapes it."""
    plan = ctx.runner.profile.calendar
    if plan is None:
        return []
    monday = week_start(day)
    if not plan.covers(day):
        return ["Your calendar has nothing for this week yet — using runs=."]
    lines = ["From your calendar."]
    race = _race_line(plan, monday, week_target(ctx.runner.profile, monday))
    if race:
        lines.append(race)
    return lines

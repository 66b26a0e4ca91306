"""Commands about the training settings: /start, /setup, /remind, /playlist."""

from __future__ import annotations

from dataclasses import replace

from core import texts
from core.commands.calendar_feed import IN_GROUP, calendar_line, connect, reread_calendar
from core.commands.context import Context, UserError
from core.commands.groups import group_setup
from core.commands.today import plan_lines
from core.messages import Button, Reply
from core.parsing.args import parse_playlist
from core.parsing.errors import ParseError
from core.parsing.setup import SetupChanges, parse_remind, parse_setup
from core.training.profile import Profile

SETUP_CHOICES: tuple[tuple[Button, ...], ...] = (
    (
        Button("Tue speed · Sun long", "/setup runs=tue:speed,sun:long"),
        Button("Tue+Thu speed · Sat long", "/setup runs=tue:speed,thu:speed,sat:long"),
    ),
    (
        Button("Gym", "/setup equipment=gym"),
        Button("Home (dumbbells)", "/setup equipment=home"),
        Button("Home + pull-up bar", "/setup equipment=home+bar"),
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


def describe_profile(profile: Profile) -> str:
    runs = (
        ", ".join(f"{texts.WEEKDAYS[d][:3]} {kind}" for d, kind in sorted(profile.runs.items()))
        or "no runs listed"
    )
    remind = profile.remind.strftime("%H:%M") + ("" if profile.reminders else " (off)")
    swaps = (
        f" · swaps: {', '.join(f'{m} → {v}' for m, v in sorted(profile.swaps.items()))}"
        if profile.swaps
        else ""
    )
    if profile.calendar is not None:
        runs += " (the weeks your calendar covers follow it)"
    return (
        f"Runs: {runs} · {profile.sessions} sessions a week · {profile.equipment} · {profile.terrain}\n"
        f"Time zone {profile.tz} · reminders {remind} · {profile.units}{swaps}"
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
    if "calendar=" in ctx.args.lower() and not ctx.answers_privately:
        raise UserError(IN_GROUP)
    if ctx.in_group and not personal_here:
        return group_setup(ctx)
    if not ctx.args:
        return [
            Reply(
                "Your settings:\n"
                + describe_profile(ctx.runner.profile)
                + "\n"
                + calendar_line(ctx)
                + "\n\nTap to change, or type e.g. "
                "/setup runs=tue:speed,thu:easy,sun:long tz=Europe/Berlin remind=18:30",
                title="Setup",
                buttons=SETUP_CHOICES,
                personal=True,
            )
        ]
    changes = parse_setup(ctx.args)
    if isinstance(changes, ParseError):
        raise UserError(changes.message)
    lines = ["Saved."]
    if changes.calendar is not None:
        # Read first: a feed that fails is answered before anything else is saved.
        lines = [connect(ctx, changes.calendar)]
        changes = replace(changes, calendar=None)
    old = ctx.runner.profile
    ctx.runner.profile = _apply(old, changes)
    ctx.runner.configured = True
    if changes.tz is not None and changes.tz != old.tz:
        reread_calendar(ctx)
    plan_moved = any(getattr(old, k) != getattr(ctx.runner.profile, k) for k in PLAN_KEYS)
    if plan_moved:
        ctx.keeper.record_plan_change(old, ctx.today)
    ctx.uow.runners.save(ctx.runner)
    if plan_moved:
        last_open = max([ctx.today, *ctx.book.open])
        ctx.keeper.weeks_changed(ctx.today, last_open)
    if changes.remind is not None and not ctx.runner.profile.reminders:
        lines.append(f"Reminders are off: /remind on sends them at {changes.remind.strftime('%H:%M')}.")
    week = plan_lines(ctx, ctx.today)
    text = "\n".join(lines) + "\n" + describe_profile(ctx.runner.profile) + "\n\n" + week
    return [Reply(text, title="Setup", personal=True)]


VIA = ("telegram", "discord")


def remind(ctx: Context) -> list[Reply]:
    if ctx.args.strip().lower().startswith("via"):
        return [_remind_via(ctx, ctx.args.strip().lower().removeprefix("via").lstrip("= ").strip())]
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


def _remind_via(ctx: Context, platform: str) -> Reply:
    """``/remind via=discord``: where a runner on two platforms gets nudged."""
    if platform not in VIA:
        raise UserError("Choose where nudges go: via=telegram or via=discord. e.g. /remind via=discord")
    merge = ctx.uow.merges.of(ctx.runner.id)
    if merge is None:
        raise UserError(
            "Nudges go to the one account you have. On both platforms? /me link joins them first. e.g. /me link"
        )
    other = ctx.uow.runners.get(merge.other_id)
    platforms = {ctx.runner.platform, other[0].platform if other else ""}
    if platform not in platforms:
        raise UserError(f"Your linked accounts are on {' and '.join(sorted(p for p in platforms if p))}.")
    ctx.uow.merges.set_route(merge.id, via=platform)
    return Reply(f"Your nudges go to {platform.capitalize()} from now on.")


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

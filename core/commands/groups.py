"""Buddy-group commands: /join, /leave, /group, /leaderboard, the group reward and the group's time zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core import texts
from core.commands import linking
from core.commands.admins import require_admin
from core.commands.context import Context, UserError
from core.ledger.groups import admin_line
from core.ledger.keeper import GroupKeeper
from core.ledger.model import Group, Member
from core.ledger.recap import group_recap
from core.ledger.rewards import current_group_reward, group_line, group_note, group_reward
from core.ledger.views import member_status, progress_line, standing_of
from core.messages import Reply
from core.parsing.args import parse_reward
from core.parsing.errors import ParseError
from core.parsing.setup import GROUP_KEYS, parse_setup
from core.weeks import local_day, week_start

GROUP_ONLY = "That one works in a group chat — send it where your buddies are."
NO_GROUP = "No buddy group here yet — /join to start one."


def _here(ctx: Context) -> tuple[Group, list[Member]]:
    if not ctx.in_group:
        raise UserError(f"{GROUP_ONLY} e.g. /{ctx.command}")
    here = ctx.here()
    if here is None:
        raise UserError(NO_GROUP)
    return here


def unannounced_rewards(ctx: Context, group: Group) -> list[str]:
    """Group rewards unlocked while nobody was in the group chat; said once, here."""
    notes = []
    for reward in ctx.uow.rewards.of_group(group.id):
        if reward.unlocked_on is not None and not reward.announced:
            ctx.uow.rewards.save(replace(reward, announced=True))
            notes.append(group_note(reward))
    return notes


def group_line_for(ctx: Context, members: list[Member]) -> str:
    """``Ana: 1/2 this week · Group: 0/3 have hit this week.`` — the line a log in the group ends with."""
    if all(m.runner.id != ctx.runner.id for m in members):
        return "You're not in this group's tally yet — /join to count here."
    mine = standing_of(ctx.runner, ctx.book, ctx.now)
    mark = " ✓" if mine.week.inputs.status == "hit" else ""
    statuses = [member_status(m, ctx.now)[1] for m in members]
    return (
        f"{ctx.runner.name}: {mine.sessions}/{mine.target} this week{mark} · Group: {progress_line(statuses)}"
    )


def join(ctx: Context) -> list[Reply]:
    if not ctx.in_group:
        raise UserError(f"{GROUP_ONLY} e.g. /join")
    uow, incoming = ctx.uow, ctx.incoming
    here = ctx.here()
    group = here[0] if here else None
    if group is None:
        title = incoming.chat_title or incoming.chat_id
        group = uow.groups.add(incoming.platform, incoming.chat_id, title, ctx.runner.profile.tz, ctx.now)
    ref = next(
        (
            c.ref
            for c in uow.groups.chats([group.id])
            if (c.platform, c.chat_id) == (incoming.platform, incoming.chat_id)
        ),
        None,
    )
    if not uow.groups.add_member(group.id, ctx.runner.id, ctx.today, ctx.now, chat_ref=ref):
        return [Reply(f"You're already in, {ctx.runner.name}. /group shows this week.")]
    ctx.forget_here()
    members = uow.groups.members(group.id)
    GroupKeeper(uow, group.id, ctx.now, members, acting=(ctx.runner.id, ctx.book)).weeks_changed(
        [week_start(ctx.today)]
    )
    lead = " You set this group up: /reward and /setup tz=… are yours here." if len(members) == 1 else ""
    return [
        Reply(
            f"Welcome, {ctx.runner.name}! {len(members)} in the group now. Your sessions count here; "
            f"/hide keeps you off the leaderboard.{lead}"
        )
    ]


def leave(ctx: Context) -> list[Reply]:
    group, _ = _here(ctx)
    if not ctx.uow.groups.remove_member(group.id, ctx.runner.id):
        return [Reply("You're not in this group. /join to become a buddy here.")]
    ctx.forget_here()
    regroup(ctx, group.id)
    return [Reply(f"You've left the group, {ctx.runner.name}. /join any time to come back.")]


def regroup(ctx: Context, group_id: int) -> None:
    """The members changed: the group's weeks, reward and buddy badges are derived again."""
    GroupKeeper(ctx.uow, group_id, ctx.now).rebuild(ctx.today)


def group(ctx: Context) -> list[Reply]:
    words = ctx.args.split()
    verb = words[0].lower() if words else ""
    if verb in ("link", "unlink"):
        if not ctx.in_group:
            raise UserError(f"{GROUP_ONLY} e.g. /group link")
        if verb == "unlink":
            if len(words) > 1:
                raise UserError("/group unlink takes nothing more. e.g. /group unlink")
            return linking.unlink(ctx)
        if len(words) > 2:
            raise UserError(
                "Use /group link for a code, or /group link CODE to join. e.g. /group link K7M2QX"
            )
        return linking.link(ctx, words[1] if len(words) == 2 else "")
    group_, members = _here(ctx)
    arg = ctx.args.strip().lower()
    if arg == "recap":
        last = week_start(local_day(ctx.now, group_.tz)) - timedelta(days=7)
        return [group_recap(ctx.uow, group_, last, ctx.now, members)]
    if arg:
        raise UserError(
            "Use /group for this week, /group recap for last week, /group link or /group unlink. "
            "e.g. /group recap"
        )
    if not members:
        return [Reply("Nobody has joined yet — /join to be the first.")]
    lines = []
    statuses = []
    for m in members:
        week, status = member_status(m, ctx.now)
        statuses.append(status)
        name = m.runner.name
        if m.runner.hidden:
            lines.append(f"• {name} (hidden)")
        elif status == "paused":
            lines.append(f"• {name} — paused ({week.sessions}/{week.target})")
        else:
            lines.append(f"• {name} — {week.sessions}/{week.target}{' ✓' if status == 'hit' else ''}")
    lines = texts.listed(lines)
    lines.append(progress_line(statuses))
    lines.append(group_line(current_group_reward(ctx.uow.rewards.of_group(group_.id))))
    lines.append(admin_line(members, ctx.incoming.platform_admins))
    return [Reply("\n".join(lines), title=f"{group_.title} — this week")]


def leaderboard(ctx: Context) -> list[Reply]:
    _, members = _here(ctx)
    shown = [m for m in members if not m.runner.hidden]
    if not shown:
        return [Reply("Nobody on the leaderboard yet — /join, and lift!")]
    rows = []
    for m in shown:
        mine = standing_of(m.runner, m.book, ctx.now)
        rows.append(
            (-mine.sessions, -mine.current, m.runner.name.lower(), m.runner.name, mine.sessions, mine.current)
        )
    rows.sort()
    lines = [
        f"{i}. {name} — {sessions} this week · 🔥 {current} wk{'s' if current != 1 else ''}"
        for i, (*_, name, sessions, current) in enumerate(rows, 1)
    ]
    return [Reply("\n".join(texts.listed(lines)), title="Leaderboard")]


def show_group_reward(ctx: Context) -> list[Reply]:
    group_, _ = _here(ctx)
    return [Reply(group_line(current_group_reward(ctx.uow.rewards.of_group(group_.id))))]


def set_group_reward(ctx: Context) -> list[Reply]:
    group_, members = _here(ctx)
    require_admin(ctx, members, "set the group reward")
    spec = parse_reward(ctx.args)
    if isinstance(spec, ParseError):
        raise UserError(spec.message)
    if spec.after is not None:
        raise UserError(
            "A group reward unlocks the first week everyone hits target — leave out 'after N'. "
            "e.g. /reward pizza night"
        )
    ctx.uow.rewards.drop_open_group(group_.id)
    ctx.uow.rewards.add(group_reward(spec.text, ctx.today, group_.id))
    keeper = GroupKeeper(ctx.uow, group_.id, ctx.now, members)
    unlocked = keeper.refresh_rewards(ctx.uow.groups.weeks([group_.id]), announce=True)
    lines = [f"🎁 Group reward set: {spec.text}. It unlocks the first week every member hits target."]
    lines += [group_note(r) for r in unlocked]
    return [Reply("\n".join(lines))]


def group_setup(ctx: Context) -> list[Reply]:
    """``/setup tz=…`` in a group chat: the group's time zone, set by an admin."""
    group_, members = _here(ctx)
    changes = parse_setup(ctx.args) if ctx.args else None
    example = "e.g. /setup tz=Europe/Berlin"
    if changes is None or isinstance(changes, ParseError) or changes.tz is None:
        message = changes.message + " " if isinstance(changes, ParseError) else ""
        raise UserError(f"{message}In a group, /setup sets the group's time zone only. {example}")
    if set(changes.given()) - GROUP_KEYS:
        raise UserError(f"In a group, /setup sets the group's time zone only. {example}")
    require_admin(ctx, members, "change the group's time zone")
    ctx.uow.groups.set_tz(group_.id, changes.tz)
    return [Reply(f"The group's weeks and recap now run on {changes.tz} time.")]

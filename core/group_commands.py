"""Buddy-group commands: /join, /leave, /group, /leaderboard, the group reward and the group's tz."""

from __future__ import annotations

from datetime import timedelta

from core.accountability_model import Group
from core.arguments import parse_reward
from core.context import Context, UserError
from core.groups import (
    admin_name,
    check_group_week,
    group_monday,
    is_admin,
    member_weeks,
    progress_line,
    unannounced_rewards,
)
from core.messages import Reply
from core.parse_errors import ParseError
from core.recap import render_group_recap
from core.rewards import current_group_reward, group_line, group_reward
from core.setup_parse import parse_setup
from core.streak_keeper import standing
from core.streaks import live_streak
from core.weeks import local_day

GROUP_ONLY = "That one works in a group chat — send it where your buddies are."
NO_GROUP = "No buddy group here yet — /join to start one."


def _group(ctx: Context) -> Group:
    if not ctx.in_group:
        raise UserError(f"{GROUP_ONLY} e.g. /{ctx.command}")
    group = ctx.uow.group(ctx.incoming.platform, ctx.incoming.chat_id)
    if group is None:
        raise UserError(NO_GROUP)
    return group


def join(ctx: Context) -> list[Reply]:
    if not ctx.in_group:
        raise UserError(f"{GROUP_ONLY} e.g. /join")
    uow, incoming = ctx.uow, ctx.incoming
    group = uow.group(incoming.platform, incoming.chat_id)
    if group is None:
        title = incoming.chat_title or incoming.chat_id
        group = uow.add_group(incoming.platform, incoming.chat_id, title, ctx.runner.profile.tz, ctx.now)
    if not uow.add_member(group.id, ctx.runner.id, ctx.now):
        return [Reply(f"You're already in, {ctx.runner.name}. /group shows this week.")]
    members = uow.members(group.id)
    lead = " You set this group up: /reward and /setup tz=… are yours here." if len(members) == 1 else ""
    return [
        Reply(
            f"Welcome, {ctx.runner.name}! {len(members)} in the group now. Your sessions count here; "
            f"/hide keeps you off the leaderboard.{lead}"
        )
    ]


def leave(ctx: Context) -> list[Reply]:
    group = _group(ctx)
    if not ctx.uow.remove_member(group.id, ctx.runner.id):
        return [Reply("You're not in this group. /join to become a buddy here.")]
    return [Reply(f"You've left the group, {ctx.runner.name}. /join any time to come back.")]


def group(ctx: Context) -> list[Reply]:
    group_ = _group(ctx)
    arg = ctx.args.strip().lower()
    if arg == "recap":
        last = group_monday(group_, ctx.now) - timedelta(days=7)
        return [render_group_recap(ctx.uow, group_.id, last)]
    if arg:
        raise UserError("Use /group for this week or /group recap for last week. e.g. /group recap")
    members = ctx.uow.members(group_.id)
    if not members:
        return [Reply("Nobody has joined yet — /join to be the first.")]
    weeks = member_weeks(ctx.uow, members, group_monday(group_, ctx.now))
    lines = []
    for w in weeks:
        name = w.runner.name
        if w.runner.hidden:
            lines.append(f"• {name} (hidden)")
        elif w.paused:
            lines.append(f"• {name} — paused")
        else:
            lines.append(f"• {name} — {w.sessions}/{w.target}{' ✓' if w.hit else ''}")
    lines.append(progress_line(weeks))
    lines.append(group_line(current_group_reward(ctx.uow.group_rewards(group_.id))))
    lines.append(f"Admin: {admin_name(members)}")
    return [Reply("\n".join(lines), title=f"{group_.title} — this week")]


def leaderboard(ctx: Context) -> list[Reply]:
    group_ = _group(ctx)
    members = [m for m in ctx.uow.members(group_.id) if not m.runner.hidden]
    if not members:
        return [Reply("Nobody on the leaderboard yet — /join, and lift!")]
    weeks = member_weeks(ctx.uow, members, group_monday(group_, ctx.now))
    rows = []
    for w in weeks:
        today = local_day(ctx.now, w.runner.profile.tz)
        state = standing(ctx.uow, w.runner, today, w.member.streak)
        current, _ = live_streak(state, w.sessions, w.target)
        rows.append((-w.sessions, -current, w.runner.name.lower(), w.runner.name, w.sessions, current))
    rows.sort()
    lines = [
        f"{i}. {name} — {sessions} this week · 🔥 {current} wk{'s' if current != 1 else ''}"
        for i, (*_, name, sessions, current) in enumerate(rows, 1)
    ]
    return [Reply("\n".join(lines), title="Leaderboard")]


def show_group_reward(ctx: Context) -> list[Reply]:
    group_ = _group(ctx)
    return [Reply(group_line(current_group_reward(ctx.uow.group_rewards(group_.id))))]


def _require_admin(ctx: Context, group_: Group, action: str) -> None:
    members = ctx.uow.members(group_.id)
    if not is_admin(ctx.incoming.is_admin, ctx.runner, members):
        raise UserError(f"Only a group admin can {action}. Ask {admin_name(members)}.")


def set_group_reward(ctx: Context) -> list[Reply]:
    group_ = _group(ctx)
    _require_admin(ctx, group_, "set the group reward")
    spec = parse_reward(ctx.args)
    if isinstance(spec, ParseError):
        raise UserError(spec.message)
    if spec.after is not None:
        raise UserError(
            "A group reward unlocks the first week everyone hits target — leave out 'after N'. "
            "e.g. /reward pizza night"
        )
    ctx.uow.drop_open_group_rewards(group_.id)
    ctx.uow.add_reward(group_reward(spec.text, ctx.today, group_.id))
    check_group_week(ctx.uow, group_, group_monday(group_, ctx.now), ctx.today)
    lines = [f"🎁 Group reward set: {spec.text}. It unlocks the first week every member hits target."]
    lines += unannounced_rewards(ctx.uow, group_)
    return [Reply("\n".join(lines))]


def group_setup(ctx: Context) -> list[Reply]:
    """``/setup tz=…`` in a group chat: the group's time zone, set by an admin."""
    group_ = _group(ctx)
    changes = parse_setup(ctx.args) if ctx.args else None
    if changes is None or isinstance(changes, ParseError) or changes.tz is None:
        message = changes.message + " " if isinstance(changes, ParseError) else ""
        raise UserError(
            f"{message}In a group, /setup sets the group's time zone only. e.g. /setup tz=Europe/Berlin"
        )
    if not changes.is_empty() and any(
        getattr(changes, k) is not None
        for k in ("runs", "equipment", "terrain", "sessions", "remind", "units")
    ):
        raise UserError("In a group, /setup sets the group's time zone only. e.g. /setup tz=Europe/Berlin")
    _require_admin(ctx, group_, "change the group's time zone")
    ctx.uow.set_group_tz(group_.id, changes.tz)
    return [Reply(f"The group's weeks and recap now run on {changes.tz} time.")]


HANDLERS = {"join": join, "leave": leave, "group": group, "leaderboard": leaderboard}

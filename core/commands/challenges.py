"""/challenge: a group's date-ranged challenge — started (or stopped early) by an admin, its progress for everyone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.commands.admins import require_admin
from core.commands.context import Context, UserError
from core.ledger.challenges import Progress, goal_words, progress, progress_reply, stop_reply
from core.ledger.model import Challenge, Group, Member
from core.messages import Attachment, Reply
from core.nudges.chat_notices import CHALLENGE_END, notices
from core.parsing.challenge import EXAMPLE, parse_challenge
from core.parsing.errors import ParseError
from core.progress.chart import render_progress_chart
from core.progress.series import ProgressPoint
from core.weeks import local_day

NONE_YET = f"No challenge running here. An admin starts one: {EXAMPLE[5:]}"
USAGE = f"Use /challenge, /challenge stop, or {EXAMPLE[5:]}"


def challenge(ctx: Context) -> list[Reply]:
    if not ctx.in_group:
        raise UserError("That one works in a group chat — send it where your buddies are. e.g. /challenge")
    here = ctx.here()
    if here is None:
        raise UserError("No buddy group here yet — /join to start one.")
    group, members = here
    today = local_day(ctx.now, group.tz)
    running = next((c for c in ctx.uow.challenges.of_group(group.id) if not c.announced), None)
    if ctx.args.strip().lower().startswith("start"):
        require_admin(ctx, members, "start a challenge")
        if running is not None:
            raise UserError(
                f"“{running.name}” runs until {running.end_on:%a %d %b} — one challenge at a time."
            )
        spec = parse_challenge(ctx.args, today)
        if isinstance(spec, ParseError):
            raise UserError(spec.message)
        made = Challenge(0, group.id, spec.name, today, spec.until, spec.goal, spec.each)
        made = replace(made, id=ctx.uow.challenges.add(made))
        return [
            Reply(
                f"🏁 “{made.name}” is on, until {made.end_on:%a %d %b}: {goal_words(made)}. /challenge shows it."
            )
        ]
    if ctx.args.strip().lower() == "stop":
        require_admin(ctx, members, "stop a challenge")
        if running is None:
            raise UserError("No challenge running here — nothing to stop.")
        return [stop(ctx, group, running, members, today)]
    if ctx.args.strip():
        raise UserError(USAGE)
    if running is None:
        return [Reply(NONE_YET)]
    now = progress(ctx.uow, running, members, today)
    return [replace(progress_reply(now), attachments=(chart(now),))]


def stop(ctx: Context, group: Group, running: Challenge, members: list[Member], today: date) -> Reply:
    """End it today: told here as the answer and once in each other chat of the group; no badge."""
    stopped = replace(running, announced=True, stopped_on=today)
    ctx.uow.challenges.stop(running.id, today)
    reply = stop_reply(progress(ctx.uow, stopped, members, today))
    incoming = ctx.incoming
    others = [
        c
        for c in ctx.uow.groups.chats([group.id])
        if (c.platform, c.chat_id) != (incoming.platform, incoming.chat_id)
    ]
    ctx.uow.outbox.enqueue(notices(others, reply, f"challenge:{running.id}", CHALLENGE_END, today, ctx.now))
    return reply


def chart(p: Progress) -> Attachment:
    """The group's sessions so far, day by day, against the goal: a small PNG."""
    points = [ProgressPoint(day, float(total), 0, weighted=False) for day, total in p.by_day]
    png = render_progress_chart(p.challenge.name, points, [], p.challenge.goal, "sessions together")
    return Attachment(f"challenge-{p.challenge.id}.png", png, "image")

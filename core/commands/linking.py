"""/group link [CODE] and /group unlink: chats on any platform joined into one group by a one-time admin code."""

from __future__ import annotations

import secrets

from core.commands.admins import require_admin
from core.commands.context import Context, UserError
from core.ledger import linking
from core.messages import Reply
from core.nudges.chat_notices import CHAT_LEFT, notices

BAD_CODE = (
    "That code doesn't work: it is mistyped, used already, or older than 10 minutes. "
    "Ask for a new one with /group link in the other chat. e.g. /group link K7M2QX"
)
PLATFORMS = {"telegram": "Telegram", "discord": "Discord", "console": "console"}


def _where(platform: str, title: str) -> str:
    return f"{title} ({PLATFORMS.get(platform, platform)})"


def link(ctx: Context, code: str) -> list[Reply]:
    """No code: hand one out for this chat's group. A code: join this chat into the group that made it."""
    here = ctx.here()
    if not code:
        if here is None:
            raise UserError("No buddy group here yet — /join first, then /group link. e.g. /join")
        group, members = here
        require_admin(ctx, members, "link this group with another chat")
        made = linking.new_code(ctx.uow, group.id, ctx.now)
        return [
            Reply(
                f"🔗 Link code: {made.code}\nAn admin of the other chat (Telegram or Discord) sends "
                f"/group link {made.code} there within 10 minutes; it works once. Then both chats share "
                "one member list, one weekly tally and one recap."
            )
        ]
    require_admin(ctx, here[1] if here else [], "link this chat with a group")
    taken = ctx.uow.links.take(linking.clean_code(code), linking.GROUP_CODE, ctx.now)
    target = ctx.uow.groups.get(taken.group_id) if taken and taken.group_id is not None else None
    if target is None:
        raise UserError(BAD_CODE)
    own = here[0] if here else None
    if own is not None and own.id == target.id:
        raise UserError("This chat is in that group already — /group shows its week.")
    if own is not None and len(ctx.uow.groups.chats([own.id])) > 1:
        raise UserError("This chat is linked with other chats already — /group unlink here first.")
    incoming = ctx.incoming
    title = incoming.chat_title or incoming.chat_id
    came = linking.join_chat(
        ctx.uow, target, incoming.platform, incoming.chat_id, title, own, ctx.now, ctx.today
    )
    ctx.forget_here()
    chats = ctx.uow.groups.chats([target.id])
    members = ctx.uow.groups.members(target.id)
    names = ", ".join(_where(c.platform, c.title) for c in chats)
    brought = f" {came} member{'s' if came != 1 else ''} came along from here." if came else ""
    return [
        Reply(
            f"🔗 Linked: {names} are one group now, {len(members)} members.{brought} "
            "A log in any of these chats counts in one weekly tally; the recap is posted in each."
        )
    ]


def _tell_the_rest(ctx: Context, group_id: int, platform: str, title: str, fresh_id: int) -> None:
    """One line in each chat still in the group, through the outbox as the recap goes. The command
    runs once per update (the inbox sees to that), so each split gets a key of its own: group ids
    come back after a delete, and two splits may share an instant."""
    left = len(ctx.uow.groups.members(group_id))
    line = Reply(
        f"↔️ {_where(platform, title)} left this group; it has {left} member{'s' if left != 1 else ''} now."
    )
    rest = ctx.uow.groups.chats([group_id])
    ctx.uow.outbox.enqueue(
        notices(rest, line, f"left:{fresh_id}:{secrets.token_hex(6)}", CHAT_LEFT, ctx.today, ctx.now)
    )


def unlink(ctx: Context) -> list[Reply]:
    here = ctx.here()
    if here is None:
        raise UserError("No buddy group here yet — /join to start one.")
    group, members = here
    chats = ctx.uow.groups.chats([group.id])
    if len(chats) < 2:
        raise UserError("This chat isn't linked with another — /group link starts a link.")
    require_admin(ctx, members, "unlink this chat")
    incoming = ctx.incoming
    chat = next(c for c in chats if (c.platform, c.chat_id) == (incoming.platform, incoming.chat_id))
    fresh = linking.split_chat(ctx.uow, group, chat, ctx.now, ctx.today)
    ctx.forget_here()
    kept = len(ctx.uow.groups.members(fresh.id))
    _tell_the_rest(ctx, group.id, chat.platform, chat.title, fresh.id)
    return [
        Reply(
            f"Unlinked: this chat is a group of its own again, with the {kept} member"
            f"{'s' if kept != 1 else ''} who joined here. The other chats keep their group."
        )
    ]

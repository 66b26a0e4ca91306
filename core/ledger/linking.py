"""Linked chats: one group over chats on any platform — joining a chat in, splitting it off again.

Rules: the chat that sends the code joins the group that made it; members it had come along
(remembering that chat), its own reward and history go, and the group's weeks are derived again
from everyone's books. Splitting a chat off takes the members who came from it into a fresh group
of that chat; the rest stay. A chat that is itself linked with others must split first.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from core.ledger.keeper import GroupKeeper
from core.ledger.model import Group, GroupChat, LinkCode
from core.ports import UnitOfWork

CODE_LIFE = timedelta(minutes=10)
# No 0/O, 1/I/L: a code is read off one screen and typed on another.
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
GROUP_CODE = "group"


def new_code(uow: UnitOfWork, group_id: int, now: datetime) -> LinkCode:
    code = LinkCode(
        "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH)),
        GROUP_CODE,
        group_id,
        now + CODE_LIFE,
    )
    uow.links.add(code)
    return code


def clean_code(text: str) -> str:
    return text.strip().upper().replace("-", "").replace(" ", "")


def chats_of(uow: UnitOfWork, group_id: int) -> list[GroupChat]:
    return uow.groups.chats([group_id])


def join_chat(
    uow: UnitOfWork,
    group: Group,
    platform: str,
    chat_id: str,
    title: str,
    own: Group | None,
    now: datetime,
    today: date,
) -> int:
    """Link the chat into ``group``; ``own`` is the chat's group until now (its members come along).

    Returns how many members came along.
    """
    members = uow.groups.members(own.id) if own is not None else []
    if own is not None:
        uow.groups.delete(own.id)
    ref = uow.groups.add_chat(group.id, platform, chat_id, title, now)
    came = sum(uow.groups.add_member(group.id, m.runner.id, m.joined_on, now, chat_ref=ref) for m in members)
    GroupKeeper(uow, group.id, now).rebuild(today)
    if own is not None:
        # A buddy week that came only from the chat's former group goes with it.
        GroupKeeper(uow, own.id, now, members)._buddy_badges({m.runner.id for m in members})
    return came


def split_chat(uow: UnitOfWork, group: Group, chat: GroupChat, now: datetime, today: date) -> Group:
    """The chat leaves ``group`` with the members who came from it, as a group of its own."""
    chats = chats_of(uow, group.id)
    came_from = uow.groups.member_chats(group.id)
    leaving = {rid for rid, ref in came_from.items() if ref == chat.ref}
    if chat.ref is None:  # the group's own chat leaves: the first linked chat becomes its own
        heir = next(c for c in chats if c.ref is not None)
        for rid, ref in came_from.items():
            if ref == heir.ref:
                uow.groups.set_member_chat(group.id, rid, None)
        uow.groups.drop_chat(heir.ref or 0)
        uow.groups.rehome(group.id, heir.platform, heir.chat_id, heir.title)
    else:
        uow.groups.drop_chat(chat.ref)
    members = {m.runner.id: m for m in uow.groups.members(group.id)}
    fresh = uow.groups.add(chat.platform, chat.chat_id, chat.title, group.tz, now)
    for rid in sorted(leaving):
        uow.groups.remove_member(group.id, rid)
        uow.groups.add_member(fresh.id, rid, members[rid].joined_on, now)
    GroupKeeper(uow, group.id, now).rebuild(today)
    GroupKeeper(uow, fresh.id, now).rebuild(today)
    return fresh

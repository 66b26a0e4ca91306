"""Membership changes the platform reports: a member left the chat, the bot was removed from it."""

from __future__ import annotations

from datetime import datetime

from core.ledger.keeper import GroupKeeper
from core.ledger.linking import split_chat
from core.ledger.views import today_of
from core.ports import UnitOfWork


def member_left(uow: UnitOfWork, platform: str, chat_id: str, user_id: str, now: datetime) -> bool:
    """A member left the group chat: they leave the buddy group, and its weeks are derived again."""
    group = uow.groups.find(platform, chat_id)
    found = uow.runners.find(platform, user_id)
    if group is None or found is None or not uow.groups.remove_member(group.id, found[0].id):
        return False
    GroupKeeper(uow, group.id, now).rebuild(today_of(found[0], now))
    return True


def chat_closed(uow: UnitOfWork, platform: str, chat_id: str, now: datetime) -> bool:
    """The bot was removed from the chat: the group, its reward and posts go; members' buddy weeks follow."""
    group = uow.groups.find(platform, chat_id)
    if group is None:
        return False
    chats = uow.groups.chats([group.id])
    if len(chats) > 1:  # a linked chat: it splits off first, and only its own group goes
        chat = next(c for c in chats if (c.platform, c.chat_id) == (platform, chat_id))
        group = split_chat(uow, group, chat, now, now.date())
    members = uow.groups.members(group.id)
    uow.groups.delete(group.id)
    for member in members:
        for other in uow.groups.of_runner(member.runner.id):
            GroupKeeper(uow, other.id, now).rebuild(today_of(member.runner, now))
        # A member whose buddy week came only from this group loses it.
        GroupKeeper(uow, group.id, now, [member])._buddy_badges({member.runner.id})
    return True


def chat_moved(uow: UnitOfWork, platform: str, old_chat_id: str, new_chat_id: str) -> bool:
    """The chat has a new id: its group (members, reward, history) follows it, once."""
    group = uow.groups.find(platform, old_chat_id)
    if group is None or uow.groups.find(platform, new_chat_id) is not None:
        return False
    uow.groups.move(group.id, old_chat_id, new_chat_id)
    return True

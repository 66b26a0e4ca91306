"""One runner over two platform accounts: merging them, and undoing it within 7 days.

Rules: the account that handed out the code is kept — its profile, plan, goals, rewards and own
exercises; the other account's logbook (every entry and set) and its group memberships move to it,
and every derived fact (weeks, streak, freezes, badges, records, group weeks) is derived again from
the joined logbook by the ledger. The other account's profile stays as it was, unused, so an undo
gives it back whole: the moved entries and memberships go back and both are derived again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from core.ledger.model import Book, Membership, Merge
from core.ledger.restore import restore
from core.ports import UnitOfWork
from core.training.model import Runner

UNDO_DAYS = 7
ME_CODE = "me"


def merge(uow: UnitOfWork, keep: Runner, other: Runner, now: datetime) -> tuple[Merge, Book]:
    """``other``'s account speaks for ``keep`` from now on; the kept runner's book, derived again."""
    moved = uow.logbook.move_entries(other.id, keep.id)
    memberships: list[Membership] = []
    for group in uow.groups.of_runner(other.id):
        members = {m.runner.id: m for m in uow.groups.members(group.id)}
        came_from = uow.groups.member_chats(group.id)
        added = keep.id not in members
        memberships.append(Membership(group.id, members[other.id].joined_on, added))
        uow.groups.remove_member(group.id, other.id)
        if added:
            uow.groups.add_member(
                group.id, keep.id, members[other.id].joined_on, now, chat_ref=came_from.get(other.id)
            )
    made = Merge(
        -1,
        keep.id,
        other.id,
        now,
        now + timedelta(days=UNDO_DAYS),
        tuple(moved),
        tuple(memberships),
        last=other.platform,
    )
    made = replace(made, id=uow.merges.add(made))
    restore(uow, other, now)
    return made, restore(uow, keep, now)


def split(uow: UnitOfWork, merge_: Merge, keep: Runner, other: Runner, now: datetime) -> Book:
    """Undo a merge: the other account's entries and memberships go back; both derived again."""
    uow.logbook.move_entries(keep.id, other.id, merge_.entries)
    for m in merge_.memberships:
        if uow.groups.get(m.group_id) is None:
            continue
        if m.added:
            uow.groups.remove_member(m.group_id, keep.id)
        uow.groups.add_member(m.group_id, other.id, m.joined_on, now)
    uow.merges.delete(merge_.id)
    restore(uow, other, now)
    return restore(uow, keep, now)

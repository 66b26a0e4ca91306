"""One runner over two platform accounts: merging them, and undoing it within 7 days.

Rules: the account that handed out the code is kept — its profile, plan, goals, rewards and own
exercises; the other account's logbook (every entry and set) and its group memberships move to it,
and every derived fact (weeks, streak, freezes, badges, records, group weeks) is derived again from
the joined logbook by the ledger. The other account's profile stays as it was, unused, so an undo
gives it back whole: the moved entries and memberships go back and both are derived again.

Imports and calendars:

- An imported set the kept account holds already (the same stable key: both accounts imported the
  same export, or overlapping ones) is not joined in — the kept copy wins, so no set counts twice.
  It stays with the other account: an entry made only of such sets stays as it is; an entry with
  new sets too moves with those, and the duplicates wait beside it in an entry of their own.
  Hand-logged entries always move (two logs by hand are two logs).
- An import record goes with its entries: when any of them moved, the record is the kept runner's
  (``/import undo`` after the merge takes it back whole, the copies left with the other account
  too); an import none of whose sets joined (the same file imported twice) stays with the other
  account and comes back with it.
- The calendar feed: the kept account's stays; when it has none, it takes a copy of the other's
  (with its last plan, read again at the next tick in the kept runner's zone). The other account's
  feed waits with it, unused and not read, and comes back with it.
- Undo (``split``) restores both logbooks exactly: the moved entries go back, the duplicates set
  aside rejoin the entries they came from, the import records follow their entries back, the
  other's feed is read again and the kept account's copy of it goes (a feed it changed to since stays).
  What either did in between stays done: an entry deleted or an import undone meanwhile is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.calendar.link import CalendarLink
from core.ledger.model import Book, Membership, Merge
from core.ledger.restore import restore
from core.ports import UnitOfWork
from core.training.model import Runner

UNDO_DAYS = 7
ME_CODE = "me"


@dataclass(frozen=True)
class Outlook:
    """What a merge would do besides moving the logbook: imported sets both hold (they count once),
    and whether the kept account would take the other's calendar feed."""

    shared_sets: int
    takes_calendar: bool


def outlook(uow: UnitOfWork, keep: Runner, other: Runner) -> Outlook:
    shared = len(uow.imports.keys(keep.id) & uow.imports.keys(other.id))
    takes = uow.calendars.get(keep.id) is None and uow.calendars.get(other.id) is not None
    return Outlook(shared, takes)


def merge(uow: UnitOfWork, keep: Runner, other: Runner, now: datetime) -> tuple[Merge, Book]:
    """``other``'s account speaks for ``keep`` from now on; the kept runner's book, derived again."""
    pairs = uow.imports.set_aside(other.id, keep.id)
    staying = {held for held, _ in pairs}
    wanted = [e.id for e in uow.logbook.all_entries(other.id) if e.id not in staying]
    moved = uow.logbook.move_entries(other.id, keep.id, wanted)
    uow.imports.follow(other.id, keep.id)
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
    took_calendar = _take_calendar(uow, keep, other, now)
    made = Merge(
        -1,
        keep.id,
        other.id,
        now,
        now + timedelta(days=UNDO_DAYS),
        tuple(moved),
        tuple(memberships),
        last=other.platform,
        aside=tuple((held, origin) for held, origin in pairs if held != origin),
        calendar=took_calendar,
    )
    made = replace(made, id=uow.merges.add(made))
    restore(uow, other, now)
    return made, restore(uow, keep, now)


def split(uow: UnitOfWork, merge_: Merge, keep: Runner, other: Runner, now: datetime) -> Book:
    """Undo a merge: the other account's entries, memberships, imports and calendar go back; both
    derived again."""
    uow.logbook.move_entries(keep.id, other.id, merge_.entries)
    uow.imports.put_back(merge_.aside)
    uow.imports.follow(keep.id, other.id)
    for m in merge_.memberships:
        if uow.groups.get(m.group_id) is None:
            continue
        if m.added:
            uow.groups.remove_member(m.group_id, keep.id)
        uow.groups.add_member(m.group_id, other.id, m.joined_on, now)
    _give_calendar_back(uow, merge_, keep, other, now)
    uow.merges.delete(merge_.id)
    restore(uow, other, now)
    return restore(uow, keep, now)


def _take_calendar(uow: UnitOfWork, keep: Runner, other: Runner, now: datetime) -> bool:
    """The other's feed is parked (not read while unused); the kept runner takes a copy of it when it
    has none of its own. Whether it took one."""
    theirs = uow.calendars.get(other.id)
    if theirs is None:
        return False
    uow.calendars.save(replace(theirs, next_check_at=None))
    if uow.calendars.get(keep.id) is not None:
        return False
    uow.calendars.save(_fresh(replace(theirs, runner_id=keep.id), now))
    keep.profile = replace(keep.profile, calendar=other.profile.calendar)
    uow.runners.save(keep)
    return True


def _give_calendar_back(uow: UnitOfWork, merge_: Merge, keep: Runner, other: Runner, now: datetime) -> None:
    """The other's parked feed is read again; the kept runner's copy of it goes (one it changed stays)."""
    theirs = uow.calendars.get(other.id)
    if theirs is None:
        return
    uow.calendars.save(_fresh(theirs, now))
    held = uow.calendars.get(keep.id)
    if merge_.calendar and held is not None and held.source == theirs.source:
        uow.calendars.delete(keep.id)
        keep.profile = replace(keep.profile, calendar=None)
        uow.runners.save(keep)


def _fresh(link: CalendarLink, now: datetime) -> CalendarLink:
    """A link read again from scratch at the next tick (a file is read once: never again)."""
    return replace(link, etag="", last_modified="", next_check_at=None if link.is_file else now)

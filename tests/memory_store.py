"""A dict-backed store: every repository of the unit of work over plain dicts, for millisecond tests.

A unit of work works on a copy of the data and hands it back on ``commit()``, so
an error leaves nothing written — the same contract as the SQL store (a test runs
the same repository checks against both).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from core.calendar.link import CalendarLink
from core.imports.model import ImportRecord, PendingImport
from core.ledger.inputs import PlanChange
from core.ledger.model import (
    Best,
    Book,
    Challenge,
    ChallengeBadge,
    Group,
    GroupChat,
    GroupWeek,
    LinkCode,
    Member,
    Merge,
    Post,
    Reward,
    WeekRow,
    bits,
)
from core.ledger.records import best_of
from core.messages import ChatAddress, InboxEvent
from core.nudges.claims import UNWORDED, ClaimSlot, claimable
from core.nudges.outbox import DROPPED, QUEUED, SENT, UNREACHABLE, OutboxEntry
from core.nudges.schedule import NudgeClaim, recipient_of
from core.ports import DaySummary, KeptReply
from core.progress.series import DayBest, day_bests
from core.training.model import Entry, Goal, LoggedSet, OwnExercise, Pause, Runner
from core.training.profile import Profile
from core.weeks import week_start


@dataclass
class OutboxRow:
    entry: OutboxEntry
    state: str
    lease_until: datetime | None = None
    settled_at: datetime | None = None


@dataclass
class Tables:
    """Everything the store keeps, as plain Python values."""

    ids: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    runners: dict[int, Runner] = field(default_factory=dict)
    next_nudge: dict[int, datetime | None] = field(default_factory=dict)
    books: dict[int, Book] = field(default_factory=dict)
    weeks: dict[tuple[int, date], WeekRow] = field(default_factory=dict)
    past_pauses: dict[int, list[Pause]] = field(default_factory=lambda: defaultdict(list))
    plans: dict[int, dict[date, PlanChange]] = field(default_factory=lambda: defaultdict(dict))
    entries: dict[int, tuple[int, Entry]] = field(default_factory=dict)
    goals: dict[int, dict[str, Goal]] = field(default_factory=lambda: defaultdict(dict))
    own: dict[int, list[OwnExercise]] = field(default_factory=lambda: defaultdict(list))
    bests: dict[int, list[Best]] = field(default_factory=lambda: defaultdict(list))
    groups: dict[int, Group] = field(default_factory=dict)
    members: dict[tuple[int, int], tuple[int, date]] = field(default_factory=dict)
    member_chats: dict[tuple[int, int], int | None] = field(default_factory=dict)
    group_chats: dict[int, GroupChat] = field(default_factory=dict)
    links: dict[str, tuple[LinkCode, bool]] = field(default_factory=dict)
    merges: dict[int, Merge] = field(default_factory=dict)
    challenges: dict[int, Challenge] = field(default_factory=dict)
    challenge_badges: dict[tuple[int, int], ChallengeBadge] = field(default_factory=dict)
    group_weeks: dict[tuple[int, date], GroupWeek] = field(default_factory=dict)
    posts: list[tuple[int, Post]] = field(default_factory=list)
    rewards: dict[int, Reward] = field(default_factory=dict)
    events: dict[str, datetime] = field(default_factory=dict)
    inbox: dict[str, InboxEvent] = field(default_factory=dict)
    kept_replies: dict[str, tuple[KeptReply, datetime]] = field(default_factory=dict)  # and its lease
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    pending_imports: dict[int, PendingImport] = field(default_factory=dict)
    imports: dict[int, tuple[int, ImportRecord]] = field(default_factory=dict)
    entry_keys: dict[int, tuple[str | None, ...]] = field(default_factory=dict)  # by entry, as its sets
    entry_imports: dict[int, int] = field(default_factory=dict)
    split_from: dict[int, tuple[Entry, tuple[str | None, ...]]] = field(default_factory=dict)
    calendars: dict[int, CalendarLink] = field(default_factory=dict)

    def new_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]


class _Repo:
    def __init__(self, t: Tables) -> None:
        self.t = t


class MemoryEvents(_Repo):
    def claim(self, event_id: str, at: datetime, lock: str = "") -> bool:
        # One unit of work at a time already: no lock to wait for.
        if event_id in self.t.events:
            return False
        self.t.events[event_id] = at
        return True

    def prune(self, before: datetime) -> int:
        old = [k for k, at in self.t.events.items() if at < before]
        for k in old:
            del self.t.events[k]
        return len(old)


class MemoryReplies(_Repo):
    def keep(self, kept: KeptReply, lease_until: datetime) -> None:
        if kept.event_id in self.t.kept_replies:
            raise ValueError(f"duplicate kept reply {kept.event_id}")
        self.t.kept_replies[kept.event_id] = (kept, lease_until)

    def done(self, event_ids: Sequence[str]) -> None:
        for event_id in event_ids:
            self.t.kept_replies.pop(event_id, None)

    def take_due(self, platform: str, now: datetime, lease_until: datetime, limit: int) -> list[KeptReply]:
        due = sorted(
            (k for k, lease in self.t.kept_replies.values() if k.platform == platform and lease <= now),
            key=lambda k: k.kept_at,
        )[:limit]
        for kept in due:
            self.t.kept_replies[kept.event_id] = (kept, lease_until)
        return due

    def hold(self, event_ids: Sequence[str], until: datetime) -> None:
        for event_id in event_ids:
            if event_id in self.t.kept_replies:
                kept, lease = self.t.kept_replies[event_id]
                self.t.kept_replies[event_id] = (kept, max(lease, until))

    def release(self, event_ids: Sequence[str], at: datetime) -> None:
        for event_id in event_ids:
            if event_id in self.t.kept_replies:
                self.t.kept_replies[event_id] = (self.t.kept_replies[event_id][0], at)

    def forget_before(self, before: datetime) -> int:
        old = [k for k, (kept, _) in self.t.kept_replies.items() if kept.kept_at < before]
        for k in old:
            del self.t.kept_replies[k]
        return len(old)


class MemoryInbox(_Repo):
    def add(self, events: Sequence[InboxEvent]) -> None:
        for e in events:
            self.t.inbox.setdefault(e.event_id, e)

    def pending(self, platform: str, chat_id: str | None = None, limit: int = 10_000) -> list[InboxEvent]:
        found = [
            e
            for e in self.t.inbox.values()
            if e.platform == platform
            and e.event_id not in self.t.events
            and (chat_id is None or e.chat_id == chat_id)
        ]
        return found[:limit]

    def prune(self, before: datetime) -> int:
        gone = [k for k, e in self.t.inbox.items() if k in self.t.events or e.received_at < before]
        for k in gone:
            del self.t.inbox[k]
        return len(gone)


class MemoryRunners(_Repo):
    def _pair(self, runner: Runner) -> tuple[Runner, Book | None]:
        book = self.t.books.get(runner.id)
        found = replace(
            copy.deepcopy(runner),
            merged=any(runner.id in (m.runner_id, m.other_id) for m in self.t.merges.values()),
        )
        return found, copy.deepcopy(book) if book is not None else None

    def find(self, platform: str, user_id: str) -> tuple[Runner, Book | None] | None:
        for runner in self.t.runners.values():
            if (runner.platform, runner.user_id) == (platform, user_id):
                return self._pair(runner)
        return None

    def get(self, runner_id: int) -> tuple[Runner, Book | None] | None:
        runner = self.t.runners.get(runner_id)
        return self._pair(runner) if runner is not None else None

    def add(self, runner: Runner) -> Runner:
        runner.id = self.t.new_id("runners")
        self.t.runners[runner.id] = copy.deepcopy(runner)
        self.t.books[runner.id] = Book()
        self.t.next_nudge[runner.id] = None
        return runner

    def save(self, runner: Runner) -> None:
        stored = self.t.runners[runner.id]
        self.t.runners[runner.id] = replace(
            copy.deepcopy(runner), unreachable=stored.unreachable, created_at=stored.created_at
        )

    def set_unreachable(self, platform: str, user_id: str, unreachable: bool) -> None:
        for runner in self.t.runners.values():
            if (runner.platform, runner.user_id) == (platform, user_id):
                runner.unreachable = unreachable

    def delete(self, runner_id: int) -> None:
        t = self.t
        t.imports = {k: v for k, v in t.imports.items() if v[0] != runner_id}
        tables = (
            t.runners,
            t.books,
            t.next_nudge,
            t.past_pauses,
            t.plans,
            t.goals,
            t.bests,
            t.own,
            t.pending_imports,
            t.calendars,
        )
        for table in tables:
            table.pop(runner_id, None)  # type: ignore[attr-defined]
        t.weeks = {k: v for k, v in t.weeks.items() if k[0] != runner_id}
        t.entries = {k: v for k, v in t.entries.items() if v[0] != runner_id}
        t.members = {k: v for k, v in t.members.items() if k[1] != runner_id}
        t.posts = [(g, p) for g, p in t.posts if p.runner_id != runner_id]
        t.rewards = {k: r for k, r in t.rewards.items() if r.runner_id != runner_id}
        t.merges = {k: m for k, m in t.merges.items() if runner_id not in (m.runner_id, m.other_id)}
        t.challenge_badges = {k: b for k, b in t.challenge_badges.items() if k[0] != runner_id}
        t.links = {k: v for k, v in t.links.items() if v[0].runner_id != runner_id}

    def ids(self) -> list[int]:
        return sorted(self.t.runners)

    def past_pauses(self, runner_id: int) -> list[Pause]:
        return sorted(self.t.past_pauses[runner_id], key=lambda p: p.start)

    def add_past_pause(self, runner_id: int, pause: Pause) -> None:
        self.t.past_pauses[runner_id].append(pause)

    def plan_history(self, runner_id: int) -> list[PlanChange]:
        return [self.t.plans[runner_id][d] for d in sorted(self.t.plans[runner_id])]

    def add_plan_change(self, runner_id: int, change: PlanChange) -> None:
        self.t.plans[runner_id][change.effective] = change


class MemoryLogbook(_Repo):
    def _mine(self, runner_id: int) -> list[Entry]:
        return [e for rid, e in sorted(self.t.entries.values(), key=lambda v: v[1].id) if rid == runner_id]

    def _sets(self, runner_id: int) -> list[LoggedSet]:
        return [s for e in self._mine(runner_id) for s in e.sets]

    def add_entry(
        self,
        runner_id: int,
        kind: str,
        day: date,
        group_id: int | None,
        at: datetime,
        sets: Sequence[LoggedSet],
    ) -> Entry:
        entry_id = self.t.new_id("entries")
        stored = tuple(replace(s, entry=entry_id) for s in sets)
        entry = Entry(entry_id, kind, day, group_id, stored, at)
        self.t.entries[entry_id] = (runner_id, entry)
        return entry

    def last_entry(self, runner_id: int) -> Entry | None:
        mine = self._mine(runner_id)
        return mine[-1] if mine else None

    def entry(self, runner_id: int, entry_id: int) -> Entry | None:
        found = self.t.entries.get(entry_id)
        return found[1] if found and found[0] == runner_id else None

    def recent_entries(self, runner_id: int, limit: int) -> list[Entry]:
        return list(reversed(self._mine(runner_id)))[:limit]

    def all_entries(self, runner_id: int) -> list[Entry]:
        return self._mine(runner_id)

    def delete_entry(self, runner_id: int, entry_id: int) -> None:
        if self.entry(runner_id, entry_id) is not None:
            del self.t.entries[entry_id]

    def move_entries(self, from_id: int, to_id: int, entry_ids: Sequence[int] | None = None) -> list[int]:
        ids = [e.id for e in self._mine(from_id) if entry_ids is None or e.id in set(entry_ids)]
        for entry_id in ids:
            self.t.entries[entry_id] = (to_id, self.t.entries[entry_id][1])
        return ids

    def sets_per_exercise_on(self, runner_id: int, day: date) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for s in self._sets(runner_id):
            if s.local_date == day:
                counts[s.exercise] += 1
        return dict(counts)

    def days(self, runner_id: int, start: date, end: date) -> list[DaySummary]:
        marked = {
            e.local_date for e in self._mine(runner_id) if e.kind == "done" and start <= e.local_date <= end
        }
        exercises: dict[date, set[str]] = defaultdict(set)
        for s in self._sets(runner_id):
            if start <= s.local_date <= end and not s.warmup:
                exercises[s.local_date].add(s.exercise)
        return [
            DaySummary(d, d in marked, len(exercises.get(d, ()))) for d in sorted(marked | set(exercises))
        ]

    def sets_on(self, runner_id: int, day: date) -> list[LoggedSet]:
        return [s for s in self._sets(runner_id) if s.local_date == day]

    def entries_on(self, runner_id: int, day: date) -> list[Entry]:
        return [e for e in self._mine(runner_id) if e.local_date == day]

    def day_and_best_weights(
        self, runner_id: int, day: date, exercises: Sequence[str]
    ) -> tuple[list[Entry], dict[tuple[str, int], float]]:
        mine = [b for b in self.t.bests[runner_id] if b.exercise in set(exercises)]
        return self.entries_on(runner_id, day), best_of(mine)

    def last_days(self, runner_id: int, before: date) -> dict[str, list[LoggedSet]]:
        out: dict[str, list[LoggedSet]] = {}
        for s in self._sets(runner_id):
            if s.local_date >= before or s.warmup:
                continue
            held = out.get(s.exercise)
            if held is None or s.local_date > held[0].local_date:
                out[s.exercise] = [s]
            elif s.local_date == held[0].local_date:
                held.append(s)
        return out

    def last_sets(self, runner_id: int, exercise: str, before: date) -> list[LoggedSet]:
        return self.last_days(runner_id, before).get(exercise, [])

    def day_bests(self, runner_id: int, exercises: Sequence[str]) -> list[DayBest]:
        wanted = set(exercises)
        return day_bests(s for s in self._sets(runner_id) if s.exercise in wanted)

    def exercise_sets(self, runner_id: int, exercise: str, since: date | None = None) -> list[LoggedSet]:
        mine = [
            s
            for s in self._sets(runner_id)
            if s.exercise == exercise and (since is None or s.local_date >= since)
        ]
        return sorted(mine, key=lambda s: s.local_date)

    def all_sets(self, runner_id: int) -> Iterator[LoggedSet]:
        return iter(sorted(self._sets(runner_id), key=lambda s: (s.local_date, s.entry)))

    def exercise_counts(self, runner_id: int) -> dict[str, tuple[int, date]]:
        out: dict[str, tuple[int, date]] = {}
        for s in self._sets(runner_id):
            n, last = out.get(s.exercise, (0, s.local_date))
            out[s.exercise] = (n + 1, max(last, s.local_date))
        return out

    def first_dates(self, runner_id: int, exercises: Sequence[str]) -> dict[str, date]:
        out: dict[str, date] = {}
        for s in self._sets(runner_id):
            if s.exercise in exercises:
                out[s.exercise] = min(out.get(s.exercise, s.local_date), s.local_date)
        return out

    def goals(self, runner_id: int) -> list[Goal]:
        return list(self.t.goals[runner_id].values())

    def set_goal(self, runner_id: int, goal: Goal) -> None:
        self.t.goals[runner_id].pop(goal.exercise, None)
        self.t.goals[runner_id][goal.exercise] = goal

    def save_goal_reached(self, runner_id: int, exercise: str, day: date | None) -> None:
        goal = self.t.goals[runner_id].get(exercise)
        if goal is not None:
            self.t.goals[runner_id][exercise] = replace(goal, reached_on=day)

    def own_exercises(self, runner_id: int) -> list[OwnExercise]:
        return list(self.t.own[runner_id])

    def add_own_exercise(self, runner_id: int, own: OwnExercise) -> None:
        self.t.own[runner_id].append(own)

    def set_own_movement(self, runner_id: int, key: str, movement: str) -> None:
        self.t.own[runner_id] = [
            replace(o, movement=movement) if o.key == key else o for o in self.t.own[runner_id]
        ]


class MemoryImports(_Repo):
    def pending(self, runner_id: int) -> PendingImport | None:
        return self.t.pending_imports.get(runner_id)

    def save_pending(self, runner_id: int, pending: PendingImport) -> None:
        self.t.pending_imports[runner_id] = pending

    def drop_pending(self, runner_id: int) -> None:
        self.t.pending_imports.pop(runner_id, None)

    def prune_pending(self, before: datetime) -> int:
        old = [r for r, p in self.t.pending_imports.items() if p.asked_at < before]
        for runner_id in old:
            del self.t.pending_imports[runner_id]
        return len(old)

    def _keys_of(self, runner_id: int) -> dict[str, int]:
        return {
            key: entry_id
            for entry_id, keys in self.t.entry_keys.items()
            if self.t.entries.get(entry_id, (None,))[0] == runner_id
            for key in keys
            if key is not None
        }

    def keys(self, runner_id: int) -> set[str]:
        return set(self._keys_of(runner_id))

    def add(self, runner_id: int, record: ImportRecord) -> int:
        import_id = self.t.new_id("imports")
        self.t.imports[import_id] = (runner_id, replace(record, id=import_id))
        return import_id

    def add_workouts(
        self,
        runner_id: int,
        import_id: int,
        at: datetime,
        workouts: Sequence[tuple[date, Sequence[tuple[LoggedSet, str]]]],
    ) -> int:
        written = 0
        for day, sets in workouts:
            entry_id = self.t.new_id("entries")
            taken = self.keys(runner_id)
            sets = [(s, key) for s, key in sets if key not in taken]  # as the unique index skips them
            stored = tuple(replace(s, entry=entry_id) for s, _ in sets)
            self.t.entries[entry_id] = (runner_id, Entry(entry_id, "sets", day, None, stored, at))
            self.t.entry_imports[entry_id] = import_id
            self.t.entry_keys[entry_id] = tuple(key for _, key in sets)
            written += len(stored)
        return written

    def mark_done(self, runner_id: int, import_id: int, at: datetime, days: Sequence[date]) -> None:
        for day in days:
            entry_id = self.t.new_id("entries")
            self.t.entries[entry_id] = (runner_id, Entry(entry_id, "done", day, None, (), at))
            self.t.entry_imports[entry_id] = import_id

    def finish(self, runner_id: int, record: ImportRecord) -> None:
        self.t.imports[record.id] = (runner_id, record)

    def last(self, runner_id: int) -> ImportRecord | None:
        mine = [r for rid, r in self.t.imports.values() if rid == runner_id]
        return max(mine, key=lambda r: r.id) if mine else None

    def delete(self, runner_id: int, import_id: int) -> None:
        found = self.t.imports.get(import_id)
        if found is None or found[0] != runner_id:
            return
        del self.t.imports[import_id]
        for entry_id in [e for e, i in self.t.entry_imports.items() if i == import_id]:
            self.t.entries.pop(entry_id, None)
            self.t.entry_keys.pop(entry_id, None)
            del self.t.entry_imports[entry_id]

    def set_aside(self, from_id: int, to_id: int) -> list[tuple[int, int]]:
        held = self.keys(to_id)
        pairs: list[tuple[int, int]] = []
        for entry_id, (owner, entry) in sorted(self.t.entries.items()):
            keys = self.t.entry_keys.get(entry_id, ())
            dup = [i for i, k in enumerate(keys) if k in held]
            if owner != from_id or not dup:
                continue
            if len(dup) == len(entry.sets):
                pairs.append((entry_id, entry_id))
                continue
            new_id = self.t.new_id("entries")
            aside = tuple(replace(entry.sets[i], entry=new_id) for i in dup)
            self.t.entries[new_id] = (from_id, replace(entry, id=new_id, sets=aside))
            self.t.entry_keys[new_id] = tuple(keys[i] for i in dup)
            self.t.entry_imports[new_id] = self.t.entry_imports[entry_id]
            rest = [i for i in range(len(keys)) if i not in dup]
            self.t.entries[entry_id] = (owner, replace(entry, sets=tuple(entry.sets[i] for i in rest)))
            self.t.entry_keys[entry_id] = tuple(keys[i] for i in rest)
            self.t.split_from[new_id] = (entry, keys)
            pairs.append((new_id, entry_id))
        whole = {h for h, o in pairs if h == o}
        written = [
            (e, i, self.t.entries[e][1].kind)
            for e, i in self.t.entry_imports.items()
            if e in self.t.entries and self.t.entries[e][0] == from_id
        ]
        joining = {i for e, i, kind in written if kind != "done" and e not in whole}
        pairs += sorted((e, e) for e, i, kind in written if kind == "done" and i not in joining)
        return pairs

    def put_back(self, pairs: Sequence[tuple[int, int]]) -> None:
        for held, origin in pairs:
            if held == origin or held not in self.t.entries or origin not in self.t.entries:
                continue
            owner = self.t.entries[origin][0]
            whole, keys = self.t.split_from.pop(held)
            # Both halves are as the split left them (entries are never edited): the whole comes back.
            self.t.entries[origin] = (owner, whole)
            self.t.entry_keys[origin] = keys
            del self.t.entries[held]
            self.t.entry_keys.pop(held, None)
            self.t.entry_imports.pop(held, None)

    def follow(self, from_id: int, to_id: int) -> list[int]:
        theirs = {i for e, i in self.t.entry_imports.items() if self.t.entries.get(e, (None,))[0] == to_id}
        ids = sorted(i for i, (rid, _) in self.t.imports.items() if rid == from_id and i in theirs)
        for i in ids:
            self.t.imports[i] = (to_id, self.t.imports[i][1])
        return ids


class MemoryLedger(_Repo):
    def save_book(self, runner_id: int, book: Book) -> None:
        if runner_id in self.t.runners:
            self.t.books[runner_id] = copy.deepcopy(book)

    def weeks(self, runner_id: int, start: date, end: date) -> dict[date, WeekRow]:
        return {m: r for (rid, m), r in self.t.weeks.items() if rid == runner_id and start <= m <= end}

    def save_weeks(self, runner_id: int, rows: Sequence[WeekRow]) -> None:
        for row in rows:
            self.t.weeks[(runner_id, row.monday)] = row

    def drop_weeks(self, runner_id: int, mondays: Sequence[date]) -> None:
        for monday in mondays:
            self.t.weeks.pop((runner_id, monday), None)

    def week_of(self, runner_ids: Sequence[int], monday: date) -> dict[int, WeekRow]:
        return {rid: self.t.weeks[(rid, monday)] for rid in runner_ids if (rid, monday) in self.t.weeks}

    def done_days(self, runner_ids: Sequence[int], start: date, end: date) -> dict[int, set[date]]:
        out: dict[int, set[date]] = defaultdict(set)
        first = week_start(start)
        for (rid, monday), row in self.t.weeks.items():
            if rid in runner_ids and first <= monday <= end:
                for d in bits(row.inputs.mask):
                    day = monday + timedelta(days=d)
                    if start <= day <= end:
                        out[rid].add(day)
        return dict(out)

    def bests(self, runner_id: int, exercises: Sequence[str] | None = None) -> list[Best]:
        found = [b for b in self.t.bests[runner_id] if exercises is None or b.exercise in exercises]
        return sorted(found, key=lambda b: (b.local_date, b.entry, b.exercise, b.reps))

    def best_weights(self, runner_id: int, exercises: Sequence[str]) -> dict[tuple[str, int], float]:
        return best_of(self.bests(runner_id, exercises))

    def add_bests(self, runner_id: int, bests: Sequence[Best]) -> None:
        self.t.bests[runner_id].extend(bests)

    def replace_bests(self, runner_id: int, exercise: str, since: date, bests: Sequence[Best]) -> None:
        kept = [b for b in self.t.bests[runner_id] if not (b.exercise == exercise and b.local_date >= since)]
        self.t.bests[runner_id] = kept + list(bests)

    def clear(self, runner_id: int) -> None:
        self.t.weeks = {k: v for k, v in self.t.weeks.items() if k[0] != runner_id}
        self.t.bests.pop(runner_id, None)
        self.t.books.pop(runner_id, None)


class MemoryGroups(_Repo):
    def find(self, platform: str, chat_id: str) -> Group | None:
        linked = next(
            (c for c in self.t.group_chats.values() if (c.platform, c.chat_id) == (platform, chat_id)), None
        )
        if linked is not None:
            return self.t.groups[linked.group_id]
        return next(
            (g for g in self.t.groups.values() if (g.platform, g.chat_id) == (platform, chat_id)), None
        )

    def get(self, group_id: int) -> Group | None:
        return self.t.groups.get(group_id)

    def load(self, platform: str, chat_id: str) -> tuple[Group, list[Member], bool] | None:
        group = self.find(platform, chat_id)
        if group is None:
            return None
        news = any(
            r.group_id == group.id and r.unlocked_on is not None and not r.announced
            for r in self.t.rewards.values()
        )
        return group, self.members(group.id), news

    def asker_and_group(
        self, platform: str, user_id: str, chat_id: str
    ) -> tuple[tuple[Runner, Book | None] | None, tuple[Group, list[Member], bool] | None]:
        return MemoryRunners(self.t).find(platform, user_id), self.load(platform, chat_id)

    def members(self, group_id: int) -> list[Member]:
        out = []
        for (gid, rid), (seq, joined_on) in self.t.members.items():
            if gid == group_id and rid in self.t.runners:
                book = self.t.books.get(rid)
                runner = copy.deepcopy(self.t.runners[rid])
                out.append(Member(runner, copy.deepcopy(book) if book else Book(), joined_on, seq))
        return sorted(out, key=lambda m: m.seq)

    def add(self, platform: str, chat_id: str, title: str, tz: str, at: datetime) -> Group:
        group = Group(self.t.new_id("groups"), platform, chat_id, title[:200], tz)
        self.t.groups[group.id] = group
        return group

    def set_tz(self, group_id: int, tz: str) -> None:
        self.t.groups[group_id] = replace(self.t.groups[group_id], tz=tz)

    def move(self, group_id: int, old_chat_id: str, new_chat_id: str) -> None:
        if self.t.groups[group_id].chat_id == old_chat_id:
            self.t.groups[group_id] = replace(self.t.groups[group_id], chat_id=new_chat_id)
        for ref, c in list(self.t.group_chats.items()):
            if c.group_id == group_id and c.chat_id == old_chat_id:
                self.t.group_chats[ref] = replace(c, chat_id=new_chat_id)

    def chats(self, group_ids: Sequence[int]) -> list[GroupChat]:
        out = []
        for gid in sorted(set(group_ids)):
            g = self.t.groups.get(gid)
            if g is not None:
                out.append(GroupChat(gid, None, g.platform, g.chat_id, g.title))
                out += [c for _, c in sorted(self.t.group_chats.items()) if c.group_id == gid]
        return out

    def add_chat(self, group_id: int, platform: str, chat_id: str, title: str, at: datetime) -> int:
        taken = {(g.platform, g.chat_id) for g in self.t.groups.values()}
        taken |= {(c.platform, c.chat_id) for c in self.t.group_chats.values()}
        if (platform, chat_id) in taken:
            raise ValueError("that chat belongs to a group already")
        ref = self.t.new_id("group_chats")
        self.t.group_chats[ref] = GroupChat(group_id, ref, platform, chat_id, title[:200])
        return ref

    def drop_chat(self, ref: int) -> None:
        self.t.group_chats.pop(ref, None)
        for key, held in list(self.t.member_chats.items()):
            if held == ref:
                self.t.member_chats[key] = None

    def rehome(self, group_id: int, platform: str, chat_id: str, title: str) -> None:
        self.t.groups[group_id] = replace(
            self.t.groups[group_id], platform=platform, chat_id=chat_id, title=title[:200]
        )

    def member_chats(self, group_id: int) -> dict[int, int | None]:
        return {rid: self.t.member_chats.get((gid, rid)) for gid, rid in self.t.members if gid == group_id}

    def set_member_chat(self, group_id: int, runner_id: int, ref: int | None) -> None:
        if (group_id, runner_id) in self.t.members:
            self.t.member_chats[(group_id, runner_id)] = ref

    def delete(self, group_id: int) -> None:
        t = self.t
        t.groups.pop(group_id, None)
        t.members = {k: v for k, v in t.members.items() if k[0] != group_id}
        t.member_chats = {k: v for k, v in t.member_chats.items() if k[0] != group_id}
        t.group_chats = {k: c for k, c in t.group_chats.items() if c.group_id != group_id}
        t.links = {k: v for k, v in t.links.items() if v[0].group_id != group_id}
        t.challenges = {k: c for k, c in t.challenges.items() if c.group_id != group_id}
        t.group_weeks = {k: v for k, v in t.group_weeks.items() if k[0] != group_id}
        t.posts = [(g, p) for g, p in t.posts if g != group_id]
        t.rewards = {k: r for k, r in t.rewards.items() if r.group_id != group_id}

    def add_member(
        self, group_id: int, runner_id: int, joined_on: date, at: datetime, chat_ref: int | None = None
    ) -> bool:
        if (group_id, runner_id) in self.t.members:
            return False
        self.t.members[(group_id, runner_id)] = (self.t.new_id("members"), joined_on)
        self.t.member_chats[(group_id, runner_id)] = chat_ref
        return True

    def remove_member(self, group_id: int, runner_id: int) -> bool:
        self.t.member_chats.pop((group_id, runner_id), None)
        self.t.posts = [(g, p) for g, p in self.t.posts if not (g == group_id and p.runner_id == runner_id)]
        return self.t.members.pop((group_id, runner_id), None) is not None

    def of_runner(self, runner_id: int) -> list[Group]:
        return [self.t.groups[gid] for gid, rid in sorted(self.t.members) if rid == runner_id]

    def all(self) -> list[Group]:
        return [self.t.groups[g] for g in sorted(self.t.groups)]

    def zones(self) -> list[str]:
        return sorted({g.tz for g in self.t.groups.values()})

    def in_zones(self, zones: Sequence[str]) -> list[Group]:
        return [g for g in self.all() if g.tz in zones]

    def weeks(self, group_ids: Sequence[int]) -> list[GroupWeek]:
        return [self.t.group_weeks[k] for k in sorted(self.t.group_weeks) if k[0] in group_ids]

    def save_week(self, group_id: int, monday: date, week: GroupWeek | None) -> None:
        if week is None:
            self.t.group_weeks.pop((group_id, monday), None)
        else:
            self.t.group_weeks[(group_id, monday)] = week

    def replace_weeks(self, group_id: int, weeks: Sequence[GroupWeek]) -> None:
        self.t.group_weeks = {k: v for k, v in self.t.group_weeks.items() if k[0] != group_id}
        for w in weeks:
            self.t.group_weeks[(group_id, w.monday)] = w

    def add_post(self, group_id: int, post: Post) -> None:
        self.t.posts.append((group_id, post))

    def posts(self, group_id: int, start: date, end: date) -> list[Post]:
        return [p for g, p in self.t.posts if g == group_id and start <= p.local_date <= end]

    def drop_posts(self, runner_id: int, keys: Sequence[str]) -> None:
        self.t.posts = [(g, p) for g, p in self.t.posts if not (p.runner_id == runner_id and p.key in keys)]


class MemoryRewards(_Repo):
    def add(self, reward: Reward) -> int:
        new = replace(reward, id=self.t.new_id("rewards"))
        self.t.rewards[new.id] = new
        return new.id

    def of_runner(self, runner_id: int) -> list[Reward]:
        return [r for _, r in sorted(self.t.rewards.items()) if r.runner_id == runner_id]

    def of_group(self, group_id: int) -> list[Reward]:
        return [r for _, r in sorted(self.t.rewards.items()) if r.group_id == group_id]

    def save(self, reward: Reward) -> None:
        held = self.t.rewards.get(reward.id)
        if held is not None:
            self.t.rewards[reward.id] = replace(
                held, unlocked_on=reward.unlocked_on, week_start=reward.week_start, announced=reward.announced
            )

    def drop_open_group(self, group_id: int) -> None:
        self.t.rewards = {
            k: r for k, r in self.t.rewards.items() if not (r.group_id == group_id and r.unlocked_on is None)
        }


class MemoryLinks(_Repo):
    def add(self, code: LinkCode) -> None:
        if code.code in self.t.links:
            raise ValueError("duplicate link code")
        self.t.links[code.code] = (code, False)

    def take(self, code: str, kind: str, now: datetime) -> LinkCode | None:
        held = self.t.links.get(code)
        if held is None or held[1] or held[0].kind != kind or held[0].expires_at <= now:
            return None
        self.t.links[code] = (held[0], True)
        return held[0]

    def peek(self, code: str, kind: str, now: datetime) -> LinkCode | None:
        held = self.t.links.get(code)
        if held is None or held[1] or held[0].kind != kind or held[0].expires_at <= now:
            return None
        return held[0]


class MemoryChallenges(_Repo):
    def add(self, challenge: Challenge) -> int:
        new = replace(challenge, id=self.t.new_id("challenges"))
        self.t.challenges[new.id] = new
        return new.id

    def of_group(self, group_id: int) -> list[Challenge]:
        return [c for _, c in sorted(self.t.challenges.items(), reverse=True) if c.group_id == group_id]

    def unannounced(self, before: date) -> list[Challenge]:
        return [c for _, c in sorted(self.t.challenges.items()) if not c.announced and c.end_on < before]

    def announced(self, challenge_id: int) -> None:
        held = self.t.challenges.get(challenge_id)
        if held is not None:
            self.t.challenges[challenge_id] = replace(held, announced=True)

    def stop(self, challenge_id: int, day: date) -> None:
        held = self.t.challenges.get(challenge_id)
        if held is not None:
            self.t.challenges[challenge_id] = replace(held, announced=True, stopped_on=day)

    def award(self, challenge: Challenge, runner_ids: Sequence[int], day: date) -> None:
        for rid in runner_ids:
            self.t.challenge_badges.setdefault(
                (rid, challenge.id), ChallengeBadge(challenge.id, challenge.name, day)
            )

    def badges(self, runner_ids: Sequence[int]) -> list[ChallengeBadge]:
        found: dict[int, ChallengeBadge] = {}
        for (rid, cid), badge in sorted(self.t.challenge_badges.items()):
            if rid in set(runner_ids):
                found.setdefault(cid, badge)
        return sorted(found.values(), key=lambda b: (b.earned_on, b.challenge_id))


class MemoryMerges(_Repo):
    def add(self, merge: Merge) -> int:
        if any({merge.runner_id, merge.other_id} & {m.runner_id, m.other_id} for m in self.t.merges.values()):
            raise ValueError("a runner is in one merge at most")
        new = replace(merge, id=self.t.new_id("merges"))
        self.t.merges[new.id] = new
        return new.id

    def of(self, runner_id: int) -> Merge | None:
        return next((m for m in self.t.merges.values() if runner_id in (m.runner_id, m.other_id)), None)

    def of_runners(self, runner_ids: Sequence[int]) -> dict[int, Merge]:
        return {m.runner_id: m for m in self.t.merges.values() if m.runner_id in set(runner_ids)}

    def set_route(self, merge_id: int, via: str | None = None, last: str | None = None) -> None:
        held = self.t.merges[merge_id]
        self.t.merges[merge_id] = replace(
            held, via=held.via if via is None else via, last=held.last if last is None else last
        )

    def delete(self, merge_id: int) -> None:
        self.t.merges.pop(merge_id, None)


class MemoryNudges(_Repo):
    def due(
        self,
        now: datetime,
        after: tuple[datetime, int] | None,
        limit: int,
        shard: tuple[int, int] | None = None,
    ) -> list[tuple[datetime, Runner]]:
        keys = sorted(
            (at, rid)
            for rid, at in self.t.next_nudge.items()
            if at is not None and at <= now and (shard is None or rid % shard[1] == shard[0])
        )
        keys = [k for k in keys if after is None or k > after][:limit]
        return [(at, copy.deepcopy(self.t.runners[rid])) for at, rid in keys]

    def due_schedules(
        self,
        now: datetime,
        after: tuple[datetime, int] | None,
        limit: int,
        shard: tuple[int, int] | None = None,
    ) -> tuple[list[tuple[int, Profile | None]], tuple[datetime, int] | None]:
        page = self.due(now, after, limit, shard)
        merged = {m.runner_id for m in self.t.merges.values()} | {m.other_id for m in self.t.merges.values()}
        shared = [(r.id, r.profile if self._shared(r) and r.id not in merged else None) for _, r in page]
        return shared, ((page[-1][0], page[-1][1].id) if page else None)

    @staticmethod
    def _shared(runner: Runner) -> bool:
        return runner.pause is None and runner.profile.calendar is None and not runner.unreachable

    def runners(self, runner_ids: Sequence[int]) -> list[Runner]:
        return [copy.deepcopy(self.t.runners[rid]) for rid in runner_ids if rid in self.t.runners]

    def set_next_all(self, runner_ids: Sequence[int], at: datetime | None) -> None:
        self.set_next(dict.fromkeys(runner_ids, at))

    def set_next(self, next_at: dict[int, datetime | None]) -> None:
        for rid, at in next_at.items():
            if rid in self.t.runners:
                self.t.next_nudge[rid] = at

    def mark_unreachable(self, runner_ids: Sequence[int]) -> None:
        for runner_id in runner_ids:
            if runner_id in self.t.runners:
                self.t.runners[runner_id].unreachable = True
                self.t.next_nudge[runner_id] = None


class MemoryOutbox(_Repo):
    def taken(self, recipients: Sequence[str], start: date, end: date) -> list[NudgeClaim]:
        wanted = set(recipients)
        return [
            row.entry.claim
            for row in self.t.outbox.values()
            if row.entry.claim.recipient in wanted and start <= row.entry.claim.local_date <= end
        ]

    def enqueue(self, entries: Sequence[OutboxEntry]) -> int:
        held = {row.entry.claim for row in self.t.outbox.values()}
        added = 0
        for entry in entries:
            if entry.claim in held:
                continue
            oid = self.t.new_id("outbox")
            self.t.outbox[oid] = OutboxRow(replace(entry, id=oid, attempts=0), QUEUED)
            held.add(entry.claim)
            added += 1
        return added

    def claim(self, runner_ids: Sequence[int], slot: ClaimSlot, daily_cap: int) -> int:
        done = MemoryLedger(self.t).done_days(runner_ids, slot.local_date, slot.local_date)
        entries = []
        for rid in runner_ids:
            runner = self.t.runners[rid]
            recipient = recipient_of(rid)
            sent = [
                row.entry.claim.kind
                for row in self.t.outbox.values()
                if row.entry.claim.recipient == recipient and row.entry.claim.local_date == slot.local_date
            ]
            if claimable(runner.created_at, slot, done.get(rid, set()), sent, daily_cap):
                entries.append(
                    OutboxEntry(
                        claim=NudgeClaim(recipient, slot.kind, slot.local_date),
                        address=ChatAddress(runner.platform, runner.user_id, False),
                        title="",
                        text=UNWORDED,
                        runner_id=rid,
                        due_at=slot.due_at,
                        expires_at=slot.expires_at,
                    )
                )
        return self.enqueue(entries)

    def lease(
        self, platform: str | None, now: datetime, limit: int, until: datetime
    ) -> tuple[list[OutboxEntry], list[OutboxEntry]]:
        ready = sorted(
            (
                row
                for row in self.t.outbox.values()
                if row.state == QUEUED
                and row.entry.due_at <= now
                and (row.lease_until is None or row.lease_until <= now)
                and (platform is None or row.entry.address.platform == platform)
            ),
            key=lambda row: (row.entry.due_at, row.entry.id),
        )[:limit]
        leased, dropped = [], []
        for row in ready:
            if row.entry.expires_at > now:
                row.lease_until = until
                leased.append(row.entry)
            else:
                dropped.append(row.entry)
        self.finish([e.id for e in dropped], DROPPED, now)
        return leased, dropped

    def finish(self, ids: Sequence[int], state: str, at: datetime) -> None:
        for oid in ids:
            row = self.t.outbox[oid]
            tried = 1 if state in (SENT, UNREACHABLE) else 0
            row.entry = replace(row.entry, attempts=row.entry.attempts + tried)
            row.state, row.settled_at, row.lease_until = state, at, None

    def retry(self, due: dict[int, datetime]) -> None:
        for oid, at in due.items():
            row = self.t.outbox[oid]
            row.entry = replace(row.entry, due_at=at, attempts=row.entry.attempts + 1)
            row.lease_until = None

    def release(self, ids: Sequence[int]) -> None:
        for oid in ids:
            self.t.outbox[oid].lease_until = None

    def release_all(self, platform: str) -> int:
        held = [
            row
            for row in self.t.outbox.values()
            if row.state == QUEUED and row.lease_until is not None and row.entry.address.platform == platform
        ]
        for row in held:
            row.lease_until = None
        return len(held)

    def backlog(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.t.outbox.values():
            if row.state == QUEUED:
                counts[row.entry.address.platform] += 1
        return dict(counts)

    def prune(self, before: date) -> int:
        old = [oid for oid, row in self.t.outbox.items() if row.entry.claim.local_date < before]
        for oid in old:
            del self.t.outbox[oid]
        return len(old)


class MemoryCalendars(_Repo):
    def get(self, runner_id: int) -> CalendarLink | None:
        return self.t.calendars.get(runner_id)

    def save(self, link: CalendarLink) -> None:
        self.t.calendars[link.runner_id] = link

    def delete(self, runner_id: int) -> None:
        self.t.calendars.pop(runner_id, None)

    def due(self, now: datetime, limit: int) -> list[CalendarLink]:
        due = [c for c in self.t.calendars.values() if c.next_check_at is not None and c.next_check_at <= now]
        return sorted(due, key=lambda c: (c.next_check_at, c.runner_id))[:limit]


class MemoryLocks:
    def hold(self, key: str) -> None:
        """One unit of work at a time already: nothing to wait for."""


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self.tables = copy.deepcopy(store.tables)
        self.locks = MemoryLocks()
        self.events = MemoryEvents(self.tables)
        self.inbox = MemoryInbox(self.tables)
        self.replies = MemoryReplies(self.tables)
        self.runners = MemoryRunners(self.tables)
        self.logbook = MemoryLogbook(self.tables)
        self.imports = MemoryImports(self.tables)
        self.ledger = MemoryLedger(self.tables)
        self.groups = MemoryGroups(self.tables)
        self.rewards = MemoryRewards(self.tables)
        self.links = MemoryLinks(self.tables)
        self.merges = MemoryMerges(self.tables)
        self.challenges = MemoryChallenges(self.tables)
        self.nudges = MemoryNudges(self.tables)
        self.outbox = MemoryOutbox(self.tables)
        self.calendars = MemoryCalendars(self.tables)

    def commit(self) -> None:
        self._store.tables = copy.deepcopy(self.tables)


class MemoryStore:
    """The whole database in memory; ``unit()`` gives a transaction over a copy of it."""

    def __init__(self) -> None:
        self.tables = Tables()
        self.writers = 1  # each unit works on a copy: one writer at a time

    @contextmanager
    def unit(self) -> Iterator[MemoryUnitOfWork]:
        yield MemoryUnitOfWork(self)

    def retryable(self, error: BaseException) -> bool:
        return False


def snapshot(store: Any) -> Any:
    """The store's tables, for comparing before and after (nothing written)."""
    return copy.deepcopy(store.tables)

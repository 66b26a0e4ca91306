"""The ports the core needs from the edge: chat adapters, and a store of small repositories."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from core.calendar.link import CalendarLink
from core.calendar.reading import FeedRead
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
)
from core.messages import ChatAddress, InboxEvent, Incoming, Reply
from core.nudges.claims import ClaimSlot
from core.nudges.outbox import OutboxEntry
from core.nudges.schedule import NudgeClaim
from core.progress.series import DayBest
from core.training.model import Entry, Goal, LoggedSet, OwnExercise, Pause, Runner
from core.training.profile import Profile

Handler = Callable[[Incoming], Awaitable[list[Reply]]]


class Hub(Protocol):
    """What an adapter may tell the application about its platform."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Run one command and return the replies to render in the same chat."""

    async def member_left(self, platform: str, chat_id: str, user_id: str, event_id: str = "") -> None:
        """A member left (or was removed from) a group chat."""

    async def chat_closed(self, platform: str, chat_id: str, event_id: str = "") -> None:
        """The bot was removed from a group chat."""

    async def chat_moved(self, platform: str, old_chat_id: str, new_chat_id: str, event_id: str = "") -> None:
        """A group chat got a new id (a Telegram group upgraded to a supergroup)."""

    async def unreachable(self, platform: str, user_id: str, event_id: str = "") -> None:
        """The user blocked the bot or closed DMs; stop nudging until they write again."""

    async def receive(self, events: Sequence[InboxEvent]) -> None:
        """Keep fetched events durably, before the platform is told they arrived."""

    async def pending(self, platform: str, chat_id: str | None = None) -> list[InboxEvent]:
        """Events kept but not handled yet (a crash or a stop came first), oldest first; with
        ``chat_id``, that chat's only."""

    async def settled(self, event_id: str) -> None:
        """An event that needed nothing done is handled."""

    async def replied(self, event_ids: Sequence[str]) -> None:
        """The kept answers to these events went out (``Incoming.keep_reply``)."""

    async def holding(self, event_ids: Sequence[str]) -> None:
        """The kept answers to these events are still on their way (waiting for their chat's pace):
        their lease runs on, so no sender takes them for answers a dead process left."""


class ChatAdapter(Protocol):
    """One chat transport: connect, hand incoming messages to the hub, send, disconnect."""

    platform: str
    nudge_rate: float | None
    """Most nudges a second its sender may hand it (``None``: as fast as it takes them)."""

    async def start(self, hub: Hub) -> None:
        """Connect and begin delivering incoming messages to ``hub``; return once running."""

    async def stop(self) -> None:
        """Disconnect; safe to call twice."""

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        """Send a bot-initiated reply.

        Raises ``RecipientUnreachable`` when the recipient blocked the bot or
        closed DMs, ``DeliveryError`` for anything that may pass. Records nothing:
        the nudge pass settles what a failure means.
        """


@dataclass(frozen=True)
class DaySummary:
    """One logged day: whether ``/done`` was sent for it and how many exercises had sets."""

    day: date
    marked: bool
    exercises: int


class CalendarReader(Protocol):
    """Reads a runner's calendar: a feed URL (conditionally, with the last validators) or, where
    the platform hands the bot a local file (the console), a path."""

    def read(self, url: str, etag: str = "", last_modified: str = "") -> FeedRead:
        """Never raises: a failure is a :class:`FeedRead` saying why. Never logs the URL."""

    def read_file(self, path: str) -> FeedRead:
        """An ``.ics`` file on this machine (the console's upload)."""

    def read_bytes(self, body: bytes) -> FeedRead:
        """An ``.ics`` file a chat platform handed over (a Telegram document)."""


class CalendarRepository(Protocol):
    """Each runner's connected calendar (at most one)."""

    def get(self, runner_id: int) -> CalendarLink | None: ...
    def save(self, link: CalendarLink) -> None:
        """Add or replace the runner's link."""

    def delete(self, runner_id: int) -> None: ...
    def due(self, now: datetime, limit: int) -> list[CalendarLink]:
        """Links whose next read is due at ``now``, the longest waiting first."""


class EventRepository(Protocol):
    def claim(self, event_id: str, at: datetime, lock: str = "") -> bool:
        """Record a platform event as handled; false when it was handled before. With ``lock``, the
        lock of that key is held too (as :meth:`LockRepository.hold`), in the same step: what the
        unit of work reads next is read under it."""

    def prune(self, before: datetime) -> int: ...


class LockRepository(Protocol):
    """Locks held until the transaction ends: one command of a runner at a time, one change of a group."""

    def hold(self, key: str) -> None:
        """Wait until no other transaction holds ``key``, then hold it until this one ends."""


@dataclass(frozen=True)
class KeptReply:
    """The answer to a command, kept in the command's own transaction until the adapter says it
    went out: a process that dies in between leaves it for the leader's sender to deliver."""

    event_id: str
    platform: str
    chat_id: str
    is_group: bool
    user_id: str
    replies: tuple[Reply, ...]
    kept_at: datetime


class ReplyRepository(Protocol):
    """Answers committed with their command and not yet known to be delivered."""

    def keep(self, kept: KeptReply, lease_until: datetime) -> None:
        """Keep an answer; until ``lease_until`` it is the handling process's to send."""

    def done(self, event_ids: Sequence[str]) -> None:
        """These answers went out (or can never go out): forget them."""

    def take_due(self, platform: str, now: datetime, lease_until: datetime, limit: int) -> list[KeptReply]:
        """Answers whose lease ran out by ``now``, oldest first, leased again until ``lease_until``."""

    def hold(self, event_ids: Sequence[str], until: datetime) -> None:
        """The leases of these answers run at least until ``until`` (never shortened)."""

    def release(self, event_ids: Sequence[str], at: datetime) -> None:
        """These answers are due again from ``at`` (taken, then left untried by a sender that stopped)."""

    def forget_before(self, before: datetime) -> int:
        """Forget answers kept before ``before`` (too late to be of use); how many."""


class InboxRepository(Protocol):
    """Fetched platform events, kept until handled; handled means the event id was claimed."""

    def add(self, events: Sequence[InboxEvent]) -> None:
        """Keep these events (one already kept is left as it is)."""

    def pending(self, platform: str, chat_id: str | None = None, limit: int = 10_000) -> list[InboxEvent]:
        """Kept events whose id was never claimed, in the order they arrived (one chat's, or all)."""

    def prune(self, before: datetime) -> int:
        """Forget events handled, or older than ``before``."""


class RunnerRepository(Protocol):
    """Runners (the record of who they are and what they set) with their books (derived)."""

    def find(self, platform: str, user_id: str) -> tuple[Runner, Book | None] | None:
        """The runner and their book (``None`` when it was never kept, e.g. after an upgrade)."""

    def get(self, runner_id: int) -> tuple[Runner, Book | None] | None: ...
    def add(self, runner: Runner) -> Runner:
        """Store a new runner; returns it with its id."""

    def save(self, runner: Runner) -> None:
        """Name, profile, flags, the current pause and ``plan_since``."""

    def set_unreachable(self, platform: str, user_id: str, unreachable: bool) -> None: ...
    def delete(self, runner_id: int) -> None:
        """The runner and everything kept about them."""

    def ids(self) -> list[int]: ...
    def past_pauses(self, runner_id: int) -> list[Pause]: ...
    def add_past_pause(self, runner_id: int, pause: Pause) -> None: ...
    def plan_history(self, runner_id: int) -> list[PlanChange]: ...
    def add_plan_change(self, runner_id: int, change: PlanChange) -> None:
        """Record the plan in effect from a date (replacing one recorded for the same date)."""


class LogbookRepository(Protocol):
    """What the runner logged: entries of sets, ``/done`` days, goals and their own exercises."""

    def add_entry(
        self,
        runner_id: int,
        kind: str,
        day: date,
        group_id: int | None,
        at: datetime,
        sets: Sequence[LoggedSet],
    ) -> Entry:
        """Store one entry (its sets numbered by the caller); returns it with ids."""

    def last_entry(self, runner_id: int) -> Entry | None: ...
    def entry(self, runner_id: int, entry_id: int) -> Entry | None: ...
    def recent_entries(self, runner_id: int, limit: int) -> list[Entry]: ...
    def all_entries(self, runner_id: int) -> list[Entry]: ...
    def delete_entry(self, runner_id: int, entry_id: int) -> None: ...
    def move_entries(self, from_id: int, to_id: int, entry_ids: Sequence[int] | None = None) -> list[int]:
        """Give these entries of one runner (all, with ``None``) and their sets to another; their ids."""

    def sets_per_exercise_on(self, runner_id: int, day: date) -> dict[str, int]:
        """How many sets of each exercise were logged on ``day``."""

    def days(self, runner_id: int, start: date, end: date) -> list[DaySummary]:
        """The days from ``start`` to ``end`` with anything logged."""

    def sets_on(self, runner_id: int, day: date) -> list[LoggedSet]: ...
    def entries_on(self, runner_id: int, day: date) -> list[Entry]:
        """The entries of one day with their sets and when they were logged, oldest first."""

    def day_and_best_weights(
        self, runner_id: int, day: date, exercises: Sequence[str]
    ) -> tuple[list[Entry], dict[tuple[str, int], float]]:
        """What a new log of ``exercises`` on ``day`` is checked against, read together (one round
        trip): ``entries_on(day)`` and the ledger's ``best_weights(exercises)``."""

    def last_sets(self, runner_id: int, exercise: str, before: date) -> list[LoggedSet]:
        """The sets of the most recent day before ``before`` on which ``exercise`` was logged."""

    def last_days(self, runner_id: int, before: date) -> dict[str, list[LoggedSet]]:
        """Every exercise logged before ``before`` → its sets of the last day it was logged."""

    def exercise_sets(self, runner_id: int, exercise: str, since: date | None = None) -> list[LoggedSet]: ...
    def day_bests(self, runner_id: int, exercises: Sequence[str]) -> list[DayBest]:
        """The runner's sets of ``exercises`` summed up per exercise and day
        (:func:`core.progress.series.day_bests`), ordered by exercise then day."""

    def all_sets(self, runner_id: int) -> Iterator[LoggedSet]: ...
    def exercise_counts(self, runner_id: int) -> dict[str, tuple[int, date]]:
        """Per exercise: how many sets were logged and the last date."""

    def first_dates(self, runner_id: int, exercises: Sequence[str]) -> dict[str, date]:
        """The first day each of ``exercises`` was logged (those never logged are left out)."""

    def goals(self, runner_id: int) -> list[Goal]: ...
    def set_goal(self, runner_id: int, goal: Goal) -> None:
        """Add or replace the goal for its exercise."""

    def save_goal_reached(self, runner_id: int, exercise: str, day: date | None) -> None: ...
    def own_exercises(self, runner_id: int) -> list[OwnExercise]:
        """The exercises the runner added, in the order added."""

    def add_own_exercise(self, runner_id: int, own: OwnExercise) -> None: ...
    def set_own_movement(self, runner_id: int, key: str, movement: str) -> None:
        """Map one of the runner's own exercises onto another movement."""


class ImportRepository(Protocol):
    """Imports of other loggers' exports: the one waiting for a confirm, those written, their sets' keys."""

    def pending(self, runner_id: int) -> PendingImport | None: ...
    def save_pending(self, runner_id: int, pending: PendingImport) -> None:
        """Keep the previewed file (replacing any other waiting)."""

    def drop_pending(self, runner_id: int) -> None: ...
    def prune_pending(self, before: datetime) -> int:
        """Forget previewed files never confirmed, asked before ``before``."""

    def keys(self, runner_id: int) -> set[str]:
        """The stable keys of every set imported so far."""

    def add(self, runner_id: int, record: ImportRecord) -> int:
        """Record an import; returns its id."""

    def add_workouts(
        self,
        runner_id: int,
        import_id: int,
        at: datetime,
        workouts: Sequence[tuple[date, Sequence[tuple[LoggedSet, str]]]],
    ) -> int:
        """One entry per workout with its sets and their keys; returns how many sets were written."""

    def mark_done(self, runner_id: int, import_id: int, at: datetime, days: Sequence[date]) -> None:
        """A ``/done`` entry of the import for each of these days (workouts too short to count by sets)."""

    def finish(self, runner_id: int, record: ImportRecord) -> None:
        """The import's counts, once every workout is written."""

    def last(self, runner_id: int) -> ImportRecord | None: ...
    def delete(self, runner_id: int, import_id: int) -> None:
        """The runner's import and every entry it wrote (wherever a merge left them)."""

    def set_aside(self, from_id: int, to_id: int) -> list[tuple[int, int]]:
        """Keep ``from_id``'s imported sets whose key ``to_id`` holds already out of a move: an entry
        of only such sets as it is (``(e, e)``), the rest into a new entry beside theirs (``(new, e)``).
        """

    def put_back(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Undo :meth:`set_aside`'s splits: each new entry's sets go back into theirs (when both exist)."""

    def follow(self, from_id: int, to_id: int) -> list[int]:
        """``from_id``'s import records with an entry that is ``to_id``'s now go to ``to_id``; their ids."""


class LedgerRepository(Protocol):
    """The derived weeks, bests and books: caches rebuilt from the record, never a second truth."""

    def save_book(self, runner_id: int, book: Book) -> None: ...
    def weeks(self, runner_id: int, start: date, end: date) -> dict[date, WeekRow]: ...
    def save_weeks(self, runner_id: int, rows: Sequence[WeekRow]) -> None: ...
    def drop_weeks(self, runner_id: int, mondays: Sequence[date]) -> None: ...
    def week_of(self, runner_ids: Sequence[int], monday: date) -> dict[int, WeekRow]: ...
    def done_days(self, runner_ids: Sequence[int], start: date, end: date) -> dict[int, set[date]]:
        """The completed-session days of each runner between ``start`` and ``end`` (from the week rows)."""

    def bests(self, runner_id: int, exercises: Sequence[str] | None = None) -> list[Best]: ...
    def best_weights(self, runner_id: int, exercises: Sequence[str]) -> dict[tuple[str, int], float]:
        """The heaviest weight per ``(exercise, reps)`` so far: what a new log is compared with.

        One row per rep count, however many records years of lifting have set.
        """

    def add_bests(self, runner_id: int, bests: Sequence[Best]) -> None: ...
    def replace_bests(self, runner_id: int, exercise: str, since: date, bests: Sequence[Best]) -> None:
        """Drop the exercise's changes dated ``since`` or later and store ``bests`` instead."""

    def clear(self, runner_id: int) -> None:
        """Forget every cache of the runner (before a rebuild)."""


class GroupRepository(Protocol):
    """Buddy groups, their members, the weeks everyone hit, and what was posted in them."""

    def find(self, platform: str, chat_id: str) -> Group | None:
        """The group of a chat: its own chat or one linked into it."""

    def load(self, platform: str, chat_id: str) -> tuple[Group, list[Member], bool] | None:
        """The group of a chat, its members with their books, and whether a group reward waits to be told."""

    def asker_and_group(
        self, platform: str, user_id: str, chat_id: str
    ) -> tuple[tuple[Runner, Book | None] | None, tuple[Group, list[Member], bool] | None]:
        """What a group command reads first, read together (one round trip):
        ``runners.find(platform, user_id)`` and ``load(platform, chat_id)``."""

    def get(self, group_id: int) -> Group | None: ...
    def members(self, group_id: int) -> list[Member]:
        """The members with their runners and books, in the order they joined."""

    def add(self, platform: str, chat_id: str, title: str, tz: str, at: datetime) -> Group: ...
    def set_tz(self, group_id: int, tz: str) -> None: ...
    def move(self, group_id: int, old_chat_id: str, new_chat_id: str) -> None:
        """One of the group's chats has a new id."""

    def chats(self, group_ids: Sequence[int]) -> list[GroupChat]:
        """Every chat of these groups, each group's own chat first."""

    def add_chat(self, group_id: int, platform: str, chat_id: str, title: str, at: datetime) -> int:
        """Link a further chat into the group; its ``ref``."""

    def drop_chat(self, ref: int) -> None: ...
    def rehome(self, group_id: int, platform: str, chat_id: str, title: str) -> None:
        """The group's own chat is now this one (its former own chat is leaving)."""

    def member_chats(self, group_id: int) -> dict[int, int | None]:
        """Each member's runner id and the chat they came from (``None``: the group's own chat)."""

    def set_member_chat(self, group_id: int, runner_id: int, ref: int | None) -> None: ...

    def delete(self, group_id: int) -> None: ...
    def add_member(
        self, group_id: int, runner_id: int, joined_on: date, at: datetime, chat_ref: int | None = None
    ) -> bool: ...
    def remove_member(self, group_id: int, runner_id: int) -> bool: ...
    def of_runner(self, runner_id: int) -> list[Group]: ...
    def all(self) -> list[Group]: ...
    def zones(self) -> list[str]:
        """The distinct time zones of all groups."""

    def in_zones(self, zones: Sequence[str]) -> list[Group]: ...
    def weeks(self, group_ids: Sequence[int]) -> list[GroupWeek]:
        """The weeks every active member hit, of these groups."""

    def save_week(self, group_id: int, monday: date, week: GroupWeek | None) -> None: ...
    def replace_weeks(self, group_id: int, weeks: Sequence[GroupWeek]) -> None: ...
    def add_post(self, group_id: int, post: Post) -> None: ...
    def posts(self, group_id: int, start: date, end: date) -> list[Post]: ...
    def drop_posts(self, runner_id: int, keys: Sequence[str]) -> None: ...


class RewardRepository(Protocol):
    def add(self, reward: Reward) -> int: ...
    def of_runner(self, runner_id: int) -> list[Reward]: ...
    def of_group(self, group_id: int) -> list[Reward]: ...
    def save(self, reward: Reward) -> None:
        """The derived unlock day and week, and whether the group was told."""

    def drop_open_group(self, group_id: int) -> None: ...


class NudgeRepository(Protocol):
    """The schedule kept in the tables: each runner's next nudge moment."""

    def due(
        self,
        now: datetime,
        after: tuple[datetime, int] | None,
        limit: int,
        shard: tuple[int, int] | None = None,
    ) -> list[tuple[datetime, Runner]]:
        """Up to ``limit`` runners whose next moment is at or before ``now``, in (moment, id) order,
        starting after the key ``after``; each with the moment it was due. ``shard`` (index, count):
        only the runners with ``id % count == index``."""

    def due_schedules(
        self,
        now: datetime,
        after: tuple[datetime, int] | None,
        limit: int,
        shard: tuple[int, int] | None = None,
    ) -> tuple[list[tuple[int, Profile | None]], tuple[datetime, int] | None]:
        """The page of :meth:`due` as ids, each with the profile its schedule follows when that is
        shared (no pause, no calendar, reachable, one account; one object per schedule) or ``None``;
        and the (moment, id) key of the page's last runner."""

    def runners(self, runner_ids: Sequence[int]) -> list[Runner]: ...
    def set_next(self, next_at: dict[int, datetime | None]) -> None: ...
    def set_next_all(self, runner_ids: Sequence[int], at: datetime | None) -> None:
        """The same next moment for all these runners."""

    def mark_unreachable(self, runner_ids: Sequence[int]) -> None:
        """Stop nudging these runners until they write again."""


class OutboxRepository(Protocol):
    """Nudges and recaps waiting for delivery, and the record of those that went (or will not)."""

    def taken(self, recipients: Sequence[str], start: date, end: date) -> list[NudgeClaim]:
        """Every entry of these recipients with a local date in ``start..end``, whatever its state."""

    def enqueue(self, entries: Sequence[OutboxEntry]) -> int:
        """Add entries whose key is free (another pass may hold it); returns how many were added."""

    def claim(self, runner_ids: Sequence[int], slot: ClaimSlot, daily_cap: int) -> int:
        """Queue the slot's nudge, unworded, in each runner's DM unless they signed up after it,
        trained that day, or were nudged that day for its kind or ``daily_cap`` times (the rule of
        :func:`core.nudges.claims.claimable`); returns how many were queued."""

    def lease(
        self, platform: str | None, now: datetime, limit: int, until: datetime
    ) -> tuple[list[OutboxEntry], list[OutboxEntry]]:
        """Lease up to ``limit`` queued entries due by ``now`` (of one platform, or all) until
        ``until``, oldest first; those whose window has closed are settled as dropped instead.
        Returns (leased, dropped)."""

    def finish(self, ids: Sequence[int], state: str, at: datetime) -> None:
        """Settle entries for good: sent, dropped, skipped or unreachable."""

    def retry(self, due: dict[int, datetime]) -> None:
        """Back to the queue, not before the given moment; the lease ends."""

    def release(self, ids: Sequence[int]) -> None:
        """End the lease of entries not tried: due again at once."""

    def release_all(self, platform: str) -> int:
        """End every lease on the platform's queued entries (a new leader: whoever held them is gone);
        returns how many."""

    def backlog(self) -> dict[str, int]:
        """Queued entries per platform."""

    def prune(self, before: date) -> int:
        """Forget settled entries of local dates before ``before``."""


class LinkRepository(Protocol):
    """One-time link codes."""

    def add(self, code: LinkCode) -> None: ...
    def take(self, code: str, kind: str, now: datetime) -> LinkCode | None:
        """The code if it is of ``kind``, unused and unexpired at ``now``; it is used from now on."""

    def peek(self, code: str, kind: str, now: datetime) -> LinkCode | None:
        """The code as :meth:`take` would give it, left unused."""


class MergeRepository(Protocol):
    """Runners whose two platform accounts are one."""

    def add(self, merge: Merge) -> int: ...
    def of(self, runner_id: int) -> Merge | None:
        """The merge this runner is part of, kept or absorbed."""

    def of_runners(self, runner_ids: Sequence[int]) -> dict[int, Merge]:
        """The merges of these kept runners."""

    def set_route(self, merge_id: int, via: str | None = None, last: str | None = None) -> None: ...
    def delete(self, merge_id: int) -> None: ...


class ChallengeRepository(Protocol):
    """Group challenges."""

    def add(self, challenge: Challenge) -> int: ...
    def of_group(self, group_id: int) -> list[Challenge]:
        """The group's challenges, newest first."""

    def unannounced(self, before: date) -> list[Challenge]:
        """Challenges that ended before ``before`` (a day no zone has reached) and were not told yet."""

    def announced(self, challenge_id: int) -> None: ...
    def stop(self, challenge_id: int, day: date) -> None:
        """Ended early on ``day`` by an admin: told at once (``announced``), no badge."""

    def award(self, challenge: Challenge, runner_ids: Sequence[int], day: date) -> None:
        """Each of these runners earned the challenge's badge on ``day`` (once: a second award adds nothing)."""

    def badges(self, runner_ids: Sequence[int]) -> list[ChallengeBadge]:
        """The challenge badges any of these accounts earned, each challenge once, oldest first."""


class UnitOfWork(Protocol):
    """One transaction: the repositories, and ``commit()`` to keep what they wrote."""

    @property
    def locks(self) -> LockRepository: ...
    @property
    def events(self) -> EventRepository: ...
    @property
    def inbox(self) -> InboxRepository: ...
    @property
    def replies(self) -> ReplyRepository: ...
    @property
    def runners(self) -> RunnerRepository: ...
    @property
    def logbook(self) -> LogbookRepository: ...
    @property
    def imports(self) -> ImportRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def groups(self) -> GroupRepository: ...
    @property
    def rewards(self) -> RewardRepository: ...
    @property
    def links(self) -> LinkRepository: ...
    @property
    def merges(self) -> MergeRepository: ...
    @property
    def challenges(self) -> ChallengeRepository: ...
    @property
    def nudges(self) -> NudgeRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def calendars(self) -> CalendarRepository: ...

    def commit(self) -> None: ...


class Store(Protocol):
    """Opens units of work; nothing is kept unless ``commit()`` is called."""

    # How many units of work can usefully write at once (1: one writer at a time, as SQLite).
    writers: int

    def unit(self) -> AbstractContextManager[UnitOfWork]: ...

    def retryable(self, error: BaseException) -> bool:
        """Whether the unit of work failed on a conflict with another (worth running again)."""

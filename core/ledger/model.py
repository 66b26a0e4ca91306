"""What the ledger derives and keeps: weeks and their fold, the runner's book, bests, groups and rewards."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal

from core.training.model import Runner

Outcome = Literal["open", "counted", "frozen", "missed", "paused"]
Status = Literal["hit", "paused", "short"]


def bits(mask: int) -> list[int]:
    """The weekday numbers set in a 7-bit day mask, Monday (0) first."""
    return [d for d in range(7) if mask >> d & 1]


@dataclass(frozen=True)
class FoldState:
    """The streak after a week, and the running totals the badges and rewards count.

    ``toward`` counts counted weeks since the last freeze was earned; ``sessions``
    and ``hard`` are all completed sessions, and those on hard run days, so far.
    """

    current: int = 0
    best: int = 0
    freezes: int = 0
    toward: int = 0
    sessions: int = 0
    hard: int = 0


@dataclass(frozen=True)
class WeekInputs:
    """One runner-week as the record has it: the done days (a 7-bit mask from Monday),
    those on hard run days, the session target and whether a pause touched the week."""

    monday: date
    mask: int = 0
    hard_mask: int = 0
    target: int = 2
    paused: bool = False

    @property
    def sessions(self) -> int:
        return self.mask.bit_count()

    @property
    def status(self) -> Status:
        """One rule for every screen: target met beats a pause; a paused short week is excused."""
        if self.sessions >= self.target:
            return "hit"
        return "paused" if self.paused else "short"

    def day(self, k: int, mask: int | None = None) -> date:
        """The date of the ``k``-th (1-based) day set in ``mask`` (the done days by default)."""
        chosen = bits(self.mask if mask is None else mask)
        return self.monday + timedelta(days=chosen[k - 1])

    @property
    def hit_day(self) -> date | None:
        """The day the target was met (its ``target``-th session), if it was."""
        return self.day(self.target) if self.sessions >= self.target else None

    @property
    def empty(self) -> bool:
        return self.mask == 0 and not self.paused


@dataclass(frozen=True)
class WeekRow:
    """A week folded: its inputs, how it ended (``open`` while it runs) and the state after it."""

    inputs: WeekInputs
    outcome: Outcome
    after: FoldState

    @property
    def monday(self) -> date:
        return self.inputs.monday


@dataclass
class Book:
    """A runner's derived standing, kept so a command need not replay the whole record.

    ``closed`` is the last week folded for good (``closed_through`` its Monday);
    ``open`` the weeks after it that have anything in them (done days or a pause);
    ``badges`` badge id → date earned; ``trained`` catalog group → first day logged;
    ``goals_open`` exercises with an unreached goal; ``next_reward`` the session count
    at which the nearest personal reward unlocks; ``pending`` streak news held for
    the runner's next direct message. Everything here is rebuilt from the record by
    :mod:`core.ledger.rebuild`, and a test holds the two equal.
    """

    closed: WeekRow | None = None
    open: dict[date, WeekInputs] = field(default_factory=dict)
    badges: dict[str, date] = field(default_factory=dict)
    trained: dict[str, date] = field(default_factory=dict)
    goals_open: frozenset[str] = frozenset()
    next_reward: int | None = None
    pending: tuple[str, ...] = ()

    @property
    def closed_through(self) -> date | None:
        return self.closed.monday if self.closed is not None else None

    def copy(self) -> Book:
        return replace(self, open=dict(self.open), badges=dict(self.badges), trained=dict(self.trained))


@dataclass(frozen=True)
class Best:
    """A time the best weight for ``(exercise, reps)`` went up; ``is_pr`` when it beat an earlier best."""

    exercise: str
    reps: int
    weight_kg: float
    local_date: date
    entry: int
    is_pr: bool

    @property
    def key(self) -> str:
        return f"pr:{self.exercise}:{self.reps}:{self.weight_kg:.3f}:{self.local_date.isoformat()}"


@dataclass(frozen=True)
class Group:
    """A buddy group: one group chat on one platform."""

    id: int
    platform: str
    chat_id: str
    title: str
    tz: str


@dataclass(frozen=True)
class GroupChat:
    """One chat of a group: ``ref`` is ``None`` for the group's own chat, else the linked chat's id."""

    group_id: int
    ref: int | None
    platform: str
    chat_id: str
    title: str


@dataclass(frozen=True)
class LinkCode:
    """A one-time code handed out by ``/group link``, good until ``expires_at``."""

    code: str
    kind: str
    group_id: int | None
    expires_at: datetime
    runner_id: int | None = None


@dataclass(frozen=True)
class Challenge:
    """A group's challenge: sessions from ``start_on`` through ``end_on``, a ``goal`` for the whole group
    and/or ``each`` for every member; ``announced`` once its end was told; ``stopped_on`` the day an
    admin ended it early (``/challenge stop``: told at once, no badge)."""

    id: int
    group_id: int
    name: str
    start_on: date
    end_on: date
    goal: int | None
    each: int | None
    announced: bool = False
    stopped_on: date | None = None


@dataclass(frozen=True)
class ChallengeBadge:
    """The badge a runner earned for a challenge whose goal was met, named for the challenge."""

    challenge_id: int
    name: str
    earned_on: date


@dataclass(frozen=True)
class Membership:
    """A group membership an account had before a merge: the group, the day it joined, and whether the
    merge added the kept runner to that group (it was not in it yet)."""

    group_id: int
    joined_on: date
    added: bool


@dataclass(frozen=True)
class Merge:
    """``other_id``'s account speaks for ``runner_id`` since ``merged_at``; undone before ``undo_until``
    by moving ``entries`` and ``memberships`` back. ``via``: the platform nudges go to ("": where the runner wrote ``last``).
    ``aside``: (entry left with the other account, entry it was split from) for imported sets the kept
    account held already; ``calendar``: the kept account took the other's calendar feed."""

    id: int
    runner_id: int
    other_id: int
    merged_at: datetime
    undo_until: datetime
    entries: tuple[int, ...]
    memberships: tuple[Membership, ...]
    via: str = ""
    last: str = ""
    aside: tuple[tuple[int, int], ...] = ()
    calendar: bool = False

    @property
    def route(self) -> str:
        return self.via or self.last


@dataclass
class Member:
    """A group member with their book; ``joined_on`` is the local date they joined."""

    runner: Runner
    book: Book
    joined_on: date
    seq: int = 0


@dataclass(frozen=True)
class GroupWeek:
    """A group's week of ``monday`` when every active member hit target: who, and the day it happened."""

    group_id: int
    monday: date
    hitters: tuple[int, ...]
    completed_on: date


@dataclass(frozen=True)
class Reward:
    """A personal reward (``runner_id``; unlocks once ``unlock_at`` sessions are done in total)
    or a group reward (``group_id``; unlocks the first week every member hits target).

    ``unlocked_on`` (and ``week_start`` for a group reward) are derived; ``announced``
    says the group chat has been told.
    """

    id: int
    text: str
    set_on: date
    runner_id: int | None = None
    group_id: int | None = None
    after: int | None = None
    unlock_at: int | None = None
    unlocked_on: date | None = None
    week_start: date | None = None
    announced: bool = False


@dataclass(frozen=True)
class Post:
    """A PR or badge announced in a group chat, for that group's weekly recap; ``key`` names the fact."""

    runner_id: int
    local_date: date
    kind: Literal["pr", "badge"]
    key: str


@dataclass(frozen=True)
class Event:
    """Something a fold made true: a freeze earned or spent, a streak reset."""

    kind: Literal["freeze-earned", "freeze-spent", "reset"]
    monday: date
    day: date
    streak: int = 0  # the streak kept, or ended
    freezes: int = 0  # banked after it
    sessions: int = 0
    target: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.monday.isoformat()}"

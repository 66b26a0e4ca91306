"""The ports the core needs from the edge: chat adapters, the store and a clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Protocol

from core.accountability_model import EarnedBadge, FeedItem, Group, Member, Reward, StreakState, WeekRow
from core.messages import ChatAddress, Incoming, Reply
from core.model import Goal, LoggedSet, Record, Runner
from core.nudges import NudgeClaim, NudgeRunner
from core.profile import Profile

Handler = Callable[[Incoming], Awaitable[list[Reply]]]


class Hub(Protocol):
    """What an adapter may tell the application about its platform."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Run one command and return the replies to render in the same chat."""

    async def member_left(self, platform: str, chat_id: str, user_id: str) -> None:
        """A member left (or was removed from) a group chat."""

    async def chat_closed(self, platform: str, chat_id: str) -> None:
        """The bot was removed from a group chat."""

    async def unreachable(self, platform: str, user_id: str) -> None:
        """The user blocked the bot or closed DMs; stop nudging until they write again."""


class ChatAdapter(Protocol):
    """One chat transport: connect, hand incoming messages to the hub, send, disconnect."""

    platform: str

    async def start(self, hub: Hub) -> None:
        """Connect and begin delivering incoming messages to ``hub``; return once running."""

    async def stop(self) -> None:
        """Disconnect; safe to call twice."""

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        """Send a bot-initiated reply.

        Raises ``RecipientUnreachable`` when the recipient blocked the bot or
        closed DMs, ``DeliveryError`` for anything that may pass.
        """


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A settable clock for tests and for ``--at``."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at


class UnitOfWork(Protocol):
    """One transaction against the store; nothing is kept unless ``commit()`` is called."""

    def commit(self) -> None: ...

    def claim_event(self, event_id: str, at: datetime) -> bool:
        """Record a platform event as handled; false when it was handled before."""

    def prune_events(self, before: datetime) -> int:
        """Forget events handled before ``before``; returns how many."""

    # runners
    def get_runner(self, platform: str, user_id: str) -> Runner | None: ...
    def add_runner(
        self, platform: str, user_id: str, name: str, profile: Profile, at: datetime
    ) -> Runner: ...
    def save_runner(self, runner: Runner) -> None: ...
    def set_unreachable(self, platform: str, user_id: str, unreachable: bool) -> None: ...
    def delete_runner(self, runner_id: int) -> None: ...

    # sets and sessions
    def add_sets(self, runner_id: int, sets: Sequence[LoggedSet], at: datetime) -> None: ...
    def sets_on(self, runner_id: int, day: date) -> list[LoggedSet]: ...
    def exercise_sets_on(self, runner_id: int, day: date) -> dict[str, int]:
        """How many sets of each exercise were logged on ``day``."""

    def last_sets(self, runner_id: int, exercise: str, before: date) -> list[LoggedSet]:
        """The sets of the most recent day before ``before`` on which ``exercise`` was logged."""

    def exercise_sets(self, runner_id: int, exercise: str) -> list[LoggedSet]: ...
    def all_sets(self, runner_id: int) -> list[LoggedSet]: ...
    def exercise_counts(self, runner_id: int) -> dict[str, tuple[int, date]]:
        """Per exercise: how many sets were logged and the last date."""

    def best_weight(self, runner_id: int, exercise: str, reps: int) -> float | None: ...
    def last_batch(self, runner_id: int) -> str | None: ...
    def delete_batch(self, runner_id: int, batch: str) -> tuple[list[LoggedSet], list[date]]:
        """Delete what one command wrote; returns the sets and the /done days removed."""

    def mark_done(self, runner_id: int, day: date, source: str, batch: str, at: datetime) -> bool:
        """Record a completed session; false when the day was already done."""

    def done_source(self, runner_id: int, day: date) -> str | None: ...
    def unmark_done(self, runner_id: int, day: date) -> None: ...
    def done_days(self, runner_id: int, start: date, end: date) -> list[date]: ...

    # records and goals
    def add_records(self, runner_id: int, records: Sequence[Record], batch: str) -> None: ...
    def records(self, runner_id: int, exercise: str | None = None) -> list[Record]: ...
    def set_goal(self, runner_id: int, goal: Goal) -> None: ...
    def goals(self, runner_id: int) -> list[Goal]: ...
    def mark_goal_reached(self, runner_id: int, exercise: str, day: date) -> None: ...

    # accountability (issue 3): streaks, freezes, pauses, badges, rewards, groups
    def streak_state(self, runner_id: int) -> StreakState | None: ...
    def save_streak_state(self, runner_id: int, state: StreakState) -> None: ...
    def pending_notes(self, runner_id: int) -> list[str]:
        """Streak news kept for the runner's next direct message."""

    def set_pending_notes(self, runner_id: int, notes: Sequence[str]) -> None: ...
    def week_rows(self, runner_id: int, start: date, end: date) -> dict[date, WeekRow]:
        """The stored weekly aggregates whose Monday is within ``start``..``end``."""

    def last_week_row_before(self, runner_id: int, monday: date) -> WeekRow | None: ...
    def save_week(self, runner_id: int, row: WeekRow) -> None: ...
    def week_counts(self, runner_ids: Sequence[int], monday: date) -> dict[int, WeekRow]: ...
    def count_sessions(self, runner_id: int) -> int: ...
    def set_pause(self, runner_id: int, start: date | None, until: date | None) -> None: ...
    def set_hidden(self, runner_id: int, hidden: bool) -> None: ...
    def badges(self, runner_id: int) -> list[EarnedBadge]: ...
    def award_badge(self, runner_id: int, badge_id: str, day: date) -> bool:
        """Record a badge; false when the runner already has it."""

    def badges_between(self, runner_ids: Sequence[int], start: date, end: date) -> dict[int, list[str]]: ...
    def add_reward(self, reward: Reward) -> int: ...
    def runner_rewards(self, runner_id: int) -> list[Reward]: ...
    def group_rewards(self, group_id: int) -> list[Reward]: ...
    def unlock_reward(self, reward_id: int, day: date, week: date | None, announced: bool) -> None: ...
    def mark_reward_announced(self, reward_id: int) -> None: ...
    def drop_open_group_rewards(self, group_id: int) -> None: ...
    def group(self, platform: str, chat_id: str) -> Group | None: ...
    def group_by_id(self, group_id: int) -> Group | None: ...
    def all_groups(self) -> list[Group]: ...
    def add_group(self, platform: str, chat_id: str, title: str, tz: str, at: datetime) -> Group: ...
    def set_group_tz(self, group_id: int, tz: str) -> None: ...
    def delete_group(self, group_id: int) -> None: ...
    def members(self, group_id: int) -> list[Member]:
        """The group's members in the order they joined."""

    def add_member(self, group_id: int, runner_id: int, at: datetime) -> bool: ...
    def remove_member(self, group_id: int, runner_id: int) -> bool: ...
    def groups_of(self, runner_id: int) -> list[Group]: ...
    def add_feed(self, group_id: int, item: FeedItem) -> None: ...
    def feed(self, group_id: int, start: date, end: date) -> list[FeedItem]: ...

    # nudges (issue 4): due candidates, sent records
    def nudge_candidates(self, now: datetime) -> list[int]:
        """Ids of runners whose precomputed next nudge moment is at or before ``now``, earliest first."""

    def nudge_runners(self, runner_ids: Sequence[int]) -> list[NudgeRunner]: ...
    def sent_nudges(self, recipients: Sequence[str], start: date, end: date) -> list[NudgeClaim]: ...
    def done_days_of(self, runner_ids: Sequence[int], start: date, end: date) -> dict[int, set[date]]: ...
    def claim_nudges(self, claims: Sequence[NudgeClaim], at: datetime) -> list[NudgeClaim]:
        """Record nudges as sent; returns those this call recorded (the others were claimed before)."""

    def release_nudges(self, claims: Sequence[NudgeClaim]) -> None: ...
    def set_next_nudges(self, next_at: dict[int, datetime | None]) -> None: ...
    def retry_nudge_by(self, runner_id: int, at: datetime) -> None:
        """Make the runner a candidate again no later than ``at``."""

    def mark_runner_unreachable(self, runner_id: int) -> None: ...
    def group_zones(self) -> list[str]:
        """The distinct time zones of all groups."""

    def groups_in_zones(self, zones: Sequence[str]) -> list[Group]: ...
    def prune_nudges(self, before: date) -> int: ...


class Store(Protocol):
    """Opens units of work."""

    def unit(self) -> AbstractContextManager[UnitOfWork]: ...

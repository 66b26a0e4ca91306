"""Records of the accountability side: streak state, weekly aggregates, groups, badges and rewards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.model import Runner

WeekState = str  # "open" | "counted" | "frozen" | "missed" | "paused"


@dataclass(frozen=True)
class StreakState:
    """A runner's streak as of the start of the week ``settled_until`` (a Monday).

    ``toward_freeze`` counts counted weeks since the last freeze was earned.
    """

    current: int = 0
    best: int = 0
    freezes: int = 0
    toward_freeze: int = 0
    settled_until: date | None = None


@dataclass(frozen=True)
class WeekRow:
    """One runner-week: completed sessions against the target, and once closed, how it ended.

    ``after`` is the streak state right after the week was settled, so a late
    log can re-settle from the week before without replaying history.
    """

    week_start: date
    sessions: int
    target: int
    state: WeekState = "open"
    after: StreakState | None = None


@dataclass(frozen=True)
class Group:
    """A buddy group: one group chat on one platform."""

    id: int
    platform: str
    chat_id: str
    title: str
    tz: str


@dataclass(frozen=True)
class Member:
    """A group member with what the group views need; ``seq`` orders members by joining."""

    runner: Runner
    streak: StreakState | None
    seq: int


@dataclass(frozen=True)
class EarnedBadge:
    badge_id: str
    earned_on: date


@dataclass(frozen=True)
class Reward:
    """A personal reward (``runner_id``, unlocks at ``unlock_at`` completed sessions in total)
    or a group reward (``group_id``, unlocks in the first week every member hits target)."""

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
class FeedItem:
    """Something a member posted in a group chat (a PR, a badge), kept for the weekly recap."""

    runner_id: int
    local_date: date
    kind: str
    text: str

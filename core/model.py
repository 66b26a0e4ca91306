"""Domain records the core reasons about: runners, logged sets, goals and records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from core.profile import Profile


@dataclass
class Runner:
    """A person using the bot on one platform."""

    id: int
    platform: str
    user_id: str
    name: str
    profile: Profile = field(default_factory=Profile)
    configured: bool = False
    created_at: datetime | None = None
    paused_from: date | None = None
    paused_until: date | None = None
    hidden: bool = False
    unreachable: bool = False


@dataclass(frozen=True)
class LoggedSet:
    """One set as stored; ``weight_kg`` is ``None`` for bodyweight."""

    local_date: date
    exercise: str
    set_no: int
    reps: int
    weight_kg: float | None
    batch: str = ""


@dataclass(frozen=True)
class Goal:
    exercise: str
    weight_kg: float
    reps: int
    set_on: date
    reached_on: date | None = None


@dataclass(frozen=True)
class Record:
    """A personal record: the heaviest weight lifted for a rep count on an exercise."""

    exercise: str
    reps: int
    weight_kg: float
    local_date: date

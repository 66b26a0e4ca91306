"""The runner and their logbook: the people the core serves and what they logged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from core.training.profile import Profile, Units


@dataclass(frozen=True)
class Pause:
    """A ``/pause``: the days ``start <= d < until`` are paused."""

    start: date
    until: date

    def covers(self, day: date) -> bool:
        return self.start <= day < self.until


@dataclass(frozen=True)
class PendingLog:
    """A /log that waits for the runner's ``/log confirm``: its canonical text and when it was asked."""

    text: str
    asked_at: datetime


@dataclass(frozen=True)
class OwnExercise:
    """An exercise a runner added (``/exercises add``): logged, charted and counted like a variant.

    ``movement`` is a catalog movement key, or ``other`` for one outside the eight groups.
    """

    key: str
    name: str
    movement: str


@dataclass
class Runner:
    """A person using the bot on one platform.

    ``created_on`` is the local date of their first message (their first week starts
    that Monday); ``pause`` is the latest ``/pause``, earlier ones are history;
    ``plan_since`` is the local date the plan (sessions, run days) last changed;
    ``pending`` a /log waiting to be confirmed.
    """

    id: int
    platform: str
    user_id: str
    name: str
    profile: Profile = field(default_factory=Profile)
    configured: bool = False
    created_at: datetime | None = None
    created_on: date | None = None
    pause: Pause | None = None
    hidden: bool = False
    unreachable: bool = False
    plan_since: date | None = None
    pending: PendingLog | None = None
    # Linked with an account on another platform (read with the runner, so an unlinked runner's
    # command asks nothing more); not part of the runner's identity.
    merged: bool = field(default=False, compare=False)

    def paused_on(self, day: date) -> bool:
        return self.pause is not None and self.pause.covers(day)


@dataclass(frozen=True)
class LoggedSet:
    """One set as stored.

    ``exercise`` is a variant key (a catalog variant or the runner's own exercise);
    ``weight_kg`` is ``None`` for bodyweight, else kept at full precision, with ``unit`` the
    unit the runner typed it in; ``seconds`` is set for a hold (its ``reps`` is then 1);
    ``entry`` is the /log it came from; ``warmup`` marks an imported warm-up set, kept in the
    log but never counted toward PRs, sessions or progression.
    """

    local_date: date
    exercise: str
    set_no: int
    reps: int
    weight_kg: float | None
    entry: int = 0
    seconds: int | None = None
    unit: Units | None = None
    warmup: bool = False

    @property
    def amount(self) -> int:
        """What the set counts: seconds for a hold, else reps."""
        return self.seconds if self.seconds is not None else self.reps


@dataclass(frozen=True)
class Entry:
    """One thing the runner logged: a batch of sets or a ``/done``; ``/undo`` removes the latest.

    ``group_id`` is the buddy group whose chat it was logged in (``None`` for a DM);
    ``logged_at`` the instant it was logged.
    """

    id: int
    kind: str  # "sets" | "done"
    local_date: date
    group_id: int | None = None
    sets: tuple[LoggedSet, ...] = ()
    logged_at: datetime | None = None


@dataclass(frozen=True)
class Goal:
    """A strength goal; ``reached_on`` is derived from the logbook (the first qualifying set)."""

    exercise: str
    weight_kg: float
    reps: int
    set_on: date
    reached_on: date | None = None

    def met_by(self, s: LoggedSet) -> bool:
        return (
            s.exercise == self.exercise
            and s.local_date >= self.set_on
            and s.weight_kg is not None
            and s.seconds is None
            and s.weight_kg >= self.weight_kg - 1e-6
            and s.reps >= self.reps
        )

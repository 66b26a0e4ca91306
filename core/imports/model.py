"""What an export holds once read: sets in the source's own words, and the rows left out with why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from core.training.profile import Units

SetKind = Literal["normal", "warmup", "drop", "failure"]
SkipReason = Literal["cardio", "rest", "unreadable", "fields"]
FORMATS = ("Strong", "Hevy", "FitNotes")
MAX_BYTES = 20 * 1024 * 1024
PENDING_FOR = timedelta(hours=1)  # how long a previewed file waits for its confirm
FORMS = (
    "Strong (Date,Workout Name,…,Exercise Name,Set Order,Weight,Reps,…), "
    "Hevy (title,start_time,…,exercise_title,set_index,set_type,weight_kg,reps,…) or "
    "FitNotes (Date,Exercise,Category,Weight (kgs),Reps,…)"
)


@dataclass(frozen=True)
class SourceSet:
    """One set as the export wrote it.

    ``workout`` names the workout it belongs to in the source (its start and title);
    ``nth`` is its place among that workout's sets of the exercise, so a set keeps its
    key however often the same history is exported; ``unit`` is ``None`` when the file
    says none (Strong) and the runner's units apply; ``weight`` is ``None`` for bodyweight.
    """

    row: int
    day: date
    started: datetime
    workout: str
    exercise: str
    kind: SetKind
    reps: int
    weight: float | None
    unit: Units | None
    nth: int = 0

    def numbered(self, nth: int) -> SourceSet:
        s = self  # spelled out: dataclasses.replace costs more than the rest of a row
        return SourceSet(
            s.row, s.day, s.started, s.workout, s.exercise, s.kind, s.reps, s.weight, s.unit, nth
        )

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.workout, self.exercise.casefold(), self.nth)


@dataclass(frozen=True)
class Skip:
    """A row left out: ``row`` is its line in the file."""

    row: int
    reason: SkipReason


@dataclass(frozen=True)
class BadFile:
    """The file as a whole cannot be read: the one short answer."""

    message: str


@dataclass(frozen=True)
class PendingImport:
    """A previewed export waiting for ``/import confirm``: the file itself and the unit chosen."""

    filename: str
    data: bytes
    format: str
    unit: Units
    asked_at: datetime


@dataclass(frozen=True)
class ImportRecord:
    """An import written: what ``/import undo`` takes back."""

    id: int
    filename: str
    format: str
    at: datetime
    workouts: int
    sets: int
    first: date | None
    last: date | None

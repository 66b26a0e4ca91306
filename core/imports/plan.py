"""From an export's sets to what gets written: the runner's exercises, kg, workouts, and nothing twice.

The preview and the write run the same pass, so the numbers a runner confirms are
the numbers written. A set is new unless its stable key (format, workout, exercise,
place) was imported before or the same set is in the log already that day.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from core.imports.mapping import NameMap
from core.imports.model import Skip, SkipReason, SourceSet
from core.imports.reader import Export
from core.training.model import LoggedSet
from core.training.profile import Units
from core.training.units import to_kg

SHOWN_ROWS = 3
SameSet = tuple[date, str, int, float | None]


def source_key(fmt: str, s: SourceSet) -> str:
    """A set's stable key: the same set in any later export of the same history has it too."""
    workout, exercise, nth = s.key
    return hashlib.blake2b(f"{fmt}\x1f{workout}\x1f{exercise}\x1f{nth}".encode(), digest_size=16).hexdigest()


def same_set(s: LoggedSet) -> SameSet:
    weight = round(s.weight_kg, 1) if s.weight_kg is not None else None
    return (s.local_date, s.exercise, s.reps, weight)


@dataclass
class Workout:
    """One workout of the export, as an entry to write: its day and its new sets with their keys."""

    day: date
    sets: list[tuple[LoggedSet, str]] = field(default_factory=list)


@dataclass
class Tally:
    """What one pass found: the preview's numbers."""

    first: date | None = None
    last: date | None = None
    workouts: int = 0
    sets: int = 0
    warmups: int = 0
    known: int = 0
    logged: int = 0
    exercises: Counter[str] = field(default_factory=Counter)
    skipped: Counter[SkipReason] = field(default_factory=Counter)
    rows: dict[SkipReason, list[int]] = field(default_factory=dict)

    def skip(self, skip: Skip) -> None:
        self.skipped[skip.reason] += 1
        shown = self.rows.setdefault(skip.reason, [])
        if len(shown) < SHOWN_ROWS:
            shown.append(skip.row)

    def add(self, s: LoggedSet) -> None:
        self.sets += 1
        self.warmups += s.warmup
        self.first = min(self.first or s.local_date, s.local_date)
        self.last = max(self.last or s.local_date, s.local_date)


def workouts(
    export: Export,
    unit: Units,
    names: NameMap,
    known: set[str],
    logged: Counter[SameSet],
    tally: Tally,
) -> Iterator[Workout]:
    """The export's workouts with only their new sets, in file order; ``tally`` counts as it goes.

    Keys within one file are distinct by construction (a set's place in its workout), so
    only the keys imported before are held, not the file's.
    """
    current: Workout | None = None
    current_key = ""
    numbered: Counter[str] = Counter()
    for found in export.rows():
        if isinstance(found, Skip):
            tally.skip(found)
            continue
        key = source_key(export.format, found)
        if key in known:
            tally.known += 1
            continue
        mapped = names(found.exercise)
        typed = found.unit or unit
        weight = None if found.weight is None else to_kg(found.weight, typed)
        warmup = found.kind == "warmup"
        same = (found.day, mapped.key, found.reps, None if weight is None else round(weight, 1))
        if not warmup and logged[same] > 0:
            logged[same] -= 1
            tally.logged += 1
            continue
        if current is None or found.workout != current_key:
            if current is not None and current.sets:
                yield current
            current, current_key, numbered = Workout(found.day), found.workout, Counter()
            tally.workouts += 1
        numbered[mapped.key] += 1
        numbered_set = LoggedSet(
            found.day, mapped.key, numbered[mapped.key], found.reps, weight, 0, None, typed, warmup
        )
        current.sets.append((numbered_set, key))
        tally.exercises[found.exercise] += 1
        tally.add(numbered_set)
    if current is not None and current.sets:
        yield current

"""Personal records: the heaviest weight lifted for a rep count, per exercise."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby

from core.model import LoggedSet, Record

# Weights entered in lb are stored as kg floats; a hair's difference is not a record.
_EPSILON = 1e-6

BestLookup = Callable[[str, int], float | None]


def best_by_reps(sets: Iterable[LoggedSet]) -> dict[tuple[str, int], float]:
    """The heaviest weight per ``(exercise, reps)``; bodyweight sets are left out."""
    best: dict[tuple[str, int], float] = {}
    for s in sets:
        if s.weight_kg is None:
            continue
        key = (s.exercise, s.reps)
        if key not in best or s.weight_kg > best[key]:
            best[key] = s.weight_kg
    return best


def new_records(new_sets: Sequence[LoggedSet], best_before: BestLookup) -> list[Record]:
    """The records set by a batch of sets just logged.

    A set is a record when it carries a weight strictly heavier than the best
    lifted before for the same exercise and the same rep count. A first lift at
    a rep count (nothing to beat) is not a record, and bodyweight sets never
    are. Within the batch only the heaviest set per ``(exercise, reps)`` counts,
    so one batch announces each ``(exercise, reps)`` at most once. Records come
    in the order their exercise and rep count first appear in the batch.
    """
    top: dict[tuple[str, int], tuple[float, LoggedSet]] = {}
    for s in new_sets:
        if s.weight_kg is None:
            continue
        key = (s.exercise, s.reps)
        if key not in top or s.weight_kg > top[key][0]:
            top[key] = (s.weight_kg, s)
    records: list[Record] = []
    for (exercise, reps), (weight, s) in top.items():
        previous = best_before(exercise, reps)
        if previous is not None and weight > previous + _EPSILON:
            records.append(Record(exercise, reps, weight, s.local_date))
    return records


def record_history(sets: Sequence[LoggedSet]) -> list[Record]:
    """Every record in a log, replayed day by day in date order (entry order within a day).

    Each local date is treated as one batch, with :func:`new_records`' rules, so
    the result matches what was announced when the sets were logged day by day.
    """
    ordered = sorted(sets, key=lambda s: s.local_date)  # stable: entry order kept within a day
    best: dict[tuple[str, int], float] = {}
    history: list[Record] = []
    for _, day in groupby(ordered, key=lambda s: s.local_date):
        batch = list(day)
        history.extend(new_records(batch, lambda exercise, reps: best.get((exercise, reps))))
        for key, weight in best_by_reps(batch).items():
            best[key] = max(weight, best.get(key, weight))
    return history

"""Personal records: the heaviest weight for a rep count, per exercise, replayed in the order lifted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby

from core.ledger.model import Best
from core.training.model import LoggedSet

# Weights entered in lb are stored as kg floats; a hair's difference is not a record.
EPSILON = 1e-6

BestKey = tuple[str, int]


def order_key(s: LoggedSet) -> tuple[object, int, int]:
    """Sets in the order they were lifted: by day, then by the entry that logged them, then set number."""
    return (s.local_date, s.entry, s.set_no)


def batch_bests(best: Mapping[BestKey, float], batch: Sequence[LoggedSet]) -> list[Best]:
    """What one logged entry did to the bests.

    Within the entry only its heaviest set per ``(exercise, reps)`` counts. A weight
    beyond the best before is a PR; the first weight ever at a rep count starts the
    best without being one (nothing to beat). Bodyweight sets, holds and warm-ups never are.
    """
    top: dict[BestKey, LoggedSet] = {}
    for s in batch:
        if s.weight_kg is None or s.seconds is not None or s.warmup:
            continue
        key = (s.exercise, s.reps)
        held = top.get(key)
        if held is None or s.weight_kg > (held.weight_kg or 0.0):
            top[key] = s
    out: list[Best] = []
    for (exercise, reps), s in top.items():
        weight = s.weight_kg or 0.0
        previous = best.get((exercise, reps))
        if previous is None or weight > previous + EPSILON:
            out.append(Best(exercise, reps, weight, s.local_date, s.entry, previous is not None))
    return out


def replay(best: Mapping[BestKey, float], sets: Iterable[LoggedSet]) -> list[Best]:
    """Every change to the bests made by ``sets`` (any order; replayed as lifted), starting from ``best``."""
    running = dict(best)
    out: list[Best] = []
    for _, entry in groupby(sorted(sets, key=order_key), key=lambda s: (s.local_date, s.entry)):
        changes = batch_bests(running, list(entry))
        for b in changes:
            running[(b.exercise, b.reps)] = b.weight_kg
        out += changes
    return out


def best_of(bests: Iterable[Best]) -> dict[BestKey, float]:
    """The best weight per ``(exercise, reps)`` from a list of changes."""
    out: dict[BestKey, float] = {}
    for b in bests:
        key = (b.exercise, b.reps)
        out[key] = max(b.weight_kg, out.get(key, b.weight_kg))
    return out


def records(bests: Iterable[Best]) -> list[Best]:
    """The PRs among the changes, in date order."""
    return sorted((b for b in bests if b.is_pr), key=lambda b: (b.local_date, b.entry))

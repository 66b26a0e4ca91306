"""Second looks before a log counts: a load far beyond the runner's history or anyone's, and a repeat.

A typo such as ``row 3x8 @300kg`` would otherwise stand as a PR for good; a button tapped
twice would double a session's sets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.ledger.records import BestKey
from core.training.lexicon import Lexicon
from core.training.loads import grid
from core.training.model import Entry, LoggedSet
from core.training.profile import Units
from core.training.units import show_weight

JUMP = 1.5  # more than this times the best so far ...
STEPS = 2  # ... and more than two rack steps above it
REPEAT_WITHIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Question:
    """What to ask before logging, and the label of the button that says yes."""

    text: str
    button: str


def _too_heavy(weight_kg: float, best_kg: float | None, plausible_kg: float, step_kg: float) -> bool:
    if weight_kg > plausible_kg:
        return True
    return best_kg is not None and weight_kg > max(JUMP * best_kg, best_kg + STEPS * step_kg)


def implausible(
    sets: Sequence[LoggedSet], bests: Mapping[BestKey, float], lexicon: Lexicon, units: Units
) -> Question | None:
    """A load beyond the variant's plausible range, or far above the runner's best for that variant."""
    best: dict[str, float] = {}
    for (exercise, _), weight in bests.items():
        best[exercise] = max(weight, best.get(exercise, 0.0))
    for s in sets:
        if s.weight_kg is None:
            continue
        variant = lexicon.variant(s.exercise)
        plausible = variant.plausible_kg if variant is not None else 500.0
        step = grid(variant.load if variant is not None else None, "kg").step
        held = best.get(s.exercise)
        if not _too_heavy(s.weight_kg, held, plausible, step):
            continue
        name = lexicon.label(s.exercise)
        load = show_weight(s.weight_kg, units)
        if held is not None and s.weight_kg <= plausible:
            text = f"{load} is far above your best {name.lower()} so far ({show_weight(held, units)})."
        else:
            text = f"{load} on the {name.lower()} is more than anyone lifts there — a typo?"
        return Question(text, f"Yes, {load} is right")
    return None


def _shape(sets: Sequence[LoggedSet]) -> list[tuple[str, int, float | None, int | None]]:
    return sorted(
        (s.exercise, s.reps, None if s.weight_kg is None else round(s.weight_kg, 3), s.seconds) for s in sets
    )


def repeated(
    sets: Sequence[LoggedSet], day_entries: Sequence[Entry], now: datetime, lexicon: Lexicon
) -> Question | None:
    """The same sets as an entry of the same day logged in the last few minutes."""
    wanted = _shape(sets)
    for entry in reversed(day_entries):
        if entry.logged_at is None or now - entry.logged_at > REPEAT_WITHIN or not entry.sets:
            continue
        if _shape(entry.sets) == wanted:
            minutes = max(1, round((now - entry.logged_at).total_seconds() / 60))
            names = ", ".join(dict.fromkeys(lexicon.label(s.exercise) for s in sets))
            return Question(
                f"You logged exactly this ({names}) {minutes} min ago — log it a second time?",
                "Yes, log it again",
            )
    return None

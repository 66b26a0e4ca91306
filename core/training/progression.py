"""Progression: rep ranges that rotate by week, and the next load from the last logs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.training.catalog import BY_KEY
from core.training.model import LoggedSet
from core.training.profile import Equipment, Units
from core.training.units import show_weight

MAIN_LIFTS: frozenset[str] = frozenset({"squat", "hex-bar-deadlift"})
LIGHT_FACTOR = 0.9

# Week index % 4 → (sets, reps, light). The fourth week is a lighter one.
_MAIN_SCHEMES: tuple[tuple[int, int, bool], ...] = (
    (3, 10, False),
    (4, 8, False),
    (5, 5, False),
    (3, 8, True),
)
# Accessories stay at three sets so the session keeps to about 30 minutes.
_ACCESSORY_SCHEMES: tuple[tuple[int, int, bool], ...] = (
    (3, 10, False),
    (3, 8, False),
    (3, 8, False),
    (3, 8, True),
)


def rep_scheme(week_index: int, pattern_or_key: str) -> tuple[int, int, bool]:
    """``(sets, reps, light)`` for a week of the cycle.

    ``pattern_or_key`` is ``"main"`` or a main-lift key for the main lift's scheme
    (3×10 → 4×8 → 5×5 → light 3×8); anything else gets the accessory scheme.
    """
    main = pattern_or_key == "main" or pattern_or_key in MAIN_LIFTS
    return (_MAIN_SCHEMES if main else _ACCESSORY_SCHEMES)[week_index % 4]


@dataclass(frozen=True)
class LoadSuggestion:
    """A suggested load in kg (``None``: no number to give) and why."""

    load_kg: float | None
    note: str


def epley(weight_kg: float, reps: int) -> float:
    """Estimated one-rep max."""
    return weight_kg * (1 + reps / 30)


def load_step(equipment: Equipment) -> float:
    """The smallest sensible jump: plates in a gym, dumbbell pairs at home."""
    return 2.0 if equipment == "home" else 2.5


def round_to(weight_kg: float, step: float) -> float:
    return round(weight_kg / step) * step


def _takes_weight(exercise_key: str, equipment: Equipment) -> bool:
    known = BY_KEY.get(exercise_key)
    return known.loaded.get(equipment, False) if known else equipment != "bodyweight"


def suggest_load(
    exercise_key: str,
    equipment: Equipment,
    last_sets: Sequence[LoggedSet],
    target_reps: int,
    last_target_reps: int | None = None,
    light: bool = False,
    last_light: bool = False,
    units: Units = "kg",
) -> LoadSuggestion:
    """The next load from the sets of the last day the exercise was logged.

    ``last_target_reps`` is the rep target that applied then (the first set's reps
    if unknown); ``last_light`` says that day was a light week, so its weight is
    scaled back up instead of being progressed from.
    """
    weighted = [s for s in last_sets if s.weight_kg is not None]
    if not _takes_weight(exercise_key, equipment) or (last_sets and not weighted):
        return _bodyweight(last_sets, last_target_reps)
    if not last_sets:
        return LoadSuggestion(None, "first time: pick a weight where the last 2 reps are hard but clean")
    step = load_step(equipment)
    working = max(s.weight_kg for s in weighted if s.weight_kg is not None)
    then = last_target_reps or last_sets[0].reps
    total = sum(s.reps for s in last_sets)
    all_done = all(s.reps >= then for s in last_sets)
    at_working = min(s.reps for s in weighted if s.weight_kg == working)
    if last_light:
        base, note = working / LIGHT_FACTOR, "back from the light week: your usual weight"
        reps_then = then
    elif all_done:
        base, note = working + step, f"all {total} reps done last time: +{show_weight(step, units)}"
        reps_then = then
    else:
        base, note = working, "missed reps last time: same weight"
        reps_then = at_working
    if target_reps != then:
        # A new rep target: carry the same effort over through an estimated 1RM.
        base = epley(base, reps_then) / (1 + target_reps / 30)
        note += f", set for {target_reps} reps"
    load = round_to(base, step)
    if all_done and not last_light and target_reps == then and load <= working:
        load += step
    if light:
        load = round_to(load * LIGHT_FACTOR, step)
        note += "; light week: about 90%"
    return LoadSuggestion(max(load, step), note)


def _bodyweight(last_sets: Sequence[LoggedSet], last_target_reps: int | None) -> LoadSuggestion:
    if not last_sets:
        return LoadSuggestion(None, "bodyweight: stop a rep or two before your form slips")
    then = last_target_reps or last_sets[0].reps
    total = sum(s.reps for s in last_sets)
    if all(s.reps >= then for s in last_sets):
        return LoadSuggestion(None, f"all {total} reps done last time: add a rep or two, or a harder variant")
    return LoadSuggestion(None, "missed reps last time: same again, clean reps first")

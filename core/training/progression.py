"""Progression of loaded variants: rep ranges that rotate by week, and the next load from the last logs.

Every number is worked out in the runner's units and rounded to what the variant's rack really
has (:mod:`core.training.loads`): the same weight is the number that was logged, a step up is
one plate, one dumbbell or one bell up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.training.identity import Variant
from core.training.loads import exact, grid
from core.training.model import LoggedSet
from core.training.profile import Units
from core.training.units import from_kg, number

MAIN_MOVEMENTS: frozenset[str] = frozenset({"squat", "hex-bar-deadlift"})
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
LIGHTER_DAY = (3, 8, True)  # the scheme of a lift the day before a hard run, when it had to go there


def rep_scheme(week_index: int, movement: str) -> tuple[int, int, bool]:
    """``(sets, reps, light)`` of a loaded variant for a week of the cycle.

    ``movement`` ``"main"`` or a main movement gets 3×10 → 4×8 → 5×5 → light 3×8;
    anything else the accessory scheme.
    """
    main = movement == "main" or movement in MAIN_MOVEMENTS
    return (_MAIN_SCHEMES if main else _ACCESSORY_SCHEMES)[week_index % 4]


@dataclass(frozen=True)
class LoadSuggestion:
    """A suggested load in ``unit`` (``None``: no number to give) and why."""

    load: float | None
    unit: Units
    note: str


def epley(weight: float, reps: int) -> float:
    """Estimated one-rep max."""
    return weight * (1 + reps / 30)


FOLLOWED_WITHIN = 2  # reps a logged day may be off its prescription and still count as following it


def followed(weighted: Sequence[LoggedSet], prescribed_reps: int) -> bool:
    """Whether a day's loaded sets look like the prescribed scheme: its best set within two reps of
    the target (a missed rep or two is still the plan; 5s on a 10-rep day are another scheme)."""
    return abs(max(s.reps for s in weighted) - prescribed_reps) <= FOLLOWED_WITHIN


def _shown(value: float) -> str:
    return number(value)


def suggest_load(
    variant: Variant,
    last_sets: Sequence[LoggedSet],
    target_reps: int,
    last_target: tuple[int, int] | None = None,
    light: bool = False,
    last_light: bool = False,
    units: Units = "kg",
) -> LoadSuggestion:
    """The next load of a loaded variant from the sets of the last day it was logged.

    ``last_target`` is the ``(sets, reps)`` prescribed then (the sets logged and the first
    set's reps if unknown); ``last_light`` says that day was a lighter one, so its weight is
    scaled back up instead of being progressed from.
    """
    weighted = [s for s in last_sets if s.weight_kg is not None and s.seconds is None]
    if not weighted:
        return LoadSuggestion(
            None, units, "first time: pick a weight where the last 2 reps are hard but clean"
        )
    if last_target is not None and not followed(weighted, last_target[1]):
        # The day's sets follow another scheme than the plan had (an imported history, a runner's
        # own choice): what was done is the reference, not what Runlift would have prescribed.
        last_target, last_light = None, False
    rack = grid(variant.load, units)
    working_kg = max(s.weight_kg for s in weighted if s.weight_kg is not None)
    working = exact(from_kg(working_kg, units))
    as_logged = all(s.unit in (None, units) for s in weighted if s.weight_kg == working_kg)
    then_sets, then = last_target or (len(last_sets), last_sets[0].reps)
    reps_done = [s.reps for s in last_sets if s.seconds is None]
    total = sum(reps_done)
    all_done = len(reps_done) >= then_sets and all(r >= then for r in reps_done)
    at_working = min(s.reps for s in weighted if s.weight_kg == working_kg)
    same = working if as_logged else rack.snap(working)
    if last_light:
        base, note, reps_then = working / LIGHT_FACTOR, "back from the lighter week: your usual weight", then
    elif all_done:
        base, note, reps_then = rack.above(working), f"all {total} reps done last time", then
    else:
        base, note, reps_then = same, "missed reps last time: same weight", at_working
    if target_reps != then:
        # A new rep target: carry the same effort over through an estimated 1RM.
        base = epley(base, reps_then) / (1 + target_reps / 30)
    load = base if base == same or rack.on_grid(base) else rack.snap(base)
    if all_done and not last_light and target_reps == then:
        load = max(load, rack.above(working))
        note += f": +{_shown(load - same)} {units}" if load > same else ": that's the top of the rack"
    elif target_reps != then:
        moved = f"{_shown(same)} → {_shown(load)} {units}" if load != same else "same weight"
        note = note.removesuffix(": same weight").removesuffix(": your usual weight")
        note += f": {moved} for {target_reps} reps"
    if light:
        load = rack.snap(load * LIGHT_FACTOR)
        note += "; lighter: about 90%"
    # Snapped loads are never below the rack's lightest; only a weight as logged can be.
    return LoadSuggestion(exact(load), units, note)

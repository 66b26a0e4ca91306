"""Bodyweight, hold and activation variants: more reps (or seconds) up the variant's range, then the next rung."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.training.catalog import MOVEMENT, VARIANT
from core.training.identity import Tool, Variant
from core.training.model import LoggedSet

SETS = 3
_STEP = {"reps": 2, "activation": 1, "hold": 5}


@dataclass(frozen=True)
class RepTarget:
    """Reps a set (seconds for a hold) for next time, and why."""

    amount: int
    note: str


def unit_word(variant: Variant) -> str:
    return "s" if variant.timed else "reps"


def amounts(sets: Sequence[LoggedSet]) -> list[int]:
    return [s.amount for s in sets]


def topped(variant: Variant, sets: Sequence[LoggedSet]) -> bool:
    """Every set of the last day reached the top of the variant's range."""
    return bool(sets) and min(amounts(sets)) >= variant.reps[1]


def next_rung(variant: Variant, kit: frozenset[Tool]) -> Variant | None:
    """The next harder variant of the movement's ladder that the kit allows."""
    movement = MOVEMENT.get(variant.movement)
    if movement is None or variant.key not in movement.ladder:
        return None
    later = movement.ladder[movement.ladder.index(variant.key) + 1 :]
    return next((VARIANT[k] for k in later if VARIANT[k].fits(kit)), None)


def _amount_text(variant: Variant, amount: int) -> str:
    return f"{amount} s" if variant.timed else f"{amount}"


def rep_target(variant: Variant, last_sets: Sequence[LoggedSet], light: bool = False) -> RepTarget:
    """The next target from the last day's sets: the weakest set plus a step, within the range.

    A lighter day holds the number of last time instead of adding to it.
    """
    low, high = variant.reps
    word = unit_word(variant)
    if not last_sets:
        if variant.timed:
            return RepTarget(low, "first time: hold steady, stop before your form slips")
        return RepTarget(low, "first time: stop a rep or two before your form slips")
    done = amounts(last_sets)
    floor = min(done)
    if light:
        held = max(low, min(floor, high))
        return RepTarget(held, f"lighter: {_amount_text(variant, held)} again, no more")
    if floor >= high:
        if variant.timed:
            return RepTarget(high, f"{high} s held last time: hold it steady and breathe slowly")
        return RepTarget(high, f"top of the range last time: {high} again, 3 seconds on the way down")
    target = max(low, min(high, floor + _STEP[variant.kind]))
    if len(set(done)) == 1:
        note = f"all sets at {_amount_text(variant, floor)} last time: {_amount_text(variant, target)} a set"
    else:
        shown = ",".join(str(a) for a in done)
        note = f"{shown} {word} last time: {_amount_text(variant, target)} on every set"
    return RepTarget(target, note)


def climb_note(old: Variant, new: Variant) -> str:
    return f"top of the range on the {_lower(old.name)}: on to the {_lower(new.name)}"


def _lower(name: str) -> str:
    return name if name.split()[0] in ("Spanish", "Cossack") else name[0].lower() + name[1:]

"""Bodyweight, hold and activation variants: reps (or seconds) up the range, then the next rung."""

from __future__ import annotations

from datetime import date

import pytest

from core.training.catalog import MOVEMENTS, VARIANT, VARIANTS
from core.training.choosing import current_variant
from core.training.identity import kit_of
from core.training.ladders import next_rung, rep_target
from core.training.model import LoggedSet
from core.training.profile import Profile

DAY = date(2024, 1, 2)
BODYWEIGHT = Profile(equipment="bodyweight")


def did(key: str, *amounts: int) -> list[LoggedSet]:
    timed = VARIANT[key].timed
    return [
        LoggedSet(DAY, key, i + 1, 1 if timed else a, None, seconds=a if timed else None)
        for i, a in enumerate(amounts)
    ]


def history(*logged: list[LoggedSet]):  # type: ignore[no-untyped-def]
    """The latest-sets lookup over some logged days (the last one given is the newest)."""

    def latest(keys):  # type: ignore[no-untyped-def]
        for day in reversed(logged):
            if day and day[0].exercise in keys:
                return day
        return []

    return latest


def test_a_first_time_starts_at_the_bottom_of_the_range() -> None:
    target = rep_target(VARIANT["bodyweight-squat"], [])
    assert target.amount == 12 and target.note.startswith("first time")


@pytest.mark.parametrize(
    ("key", "amounts", "expected"),
    [
        ("bodyweight-squat", (12, 12, 12), 14),
        ("bodyweight-squat", (14, 14, 11), 13),  # the weakest set plus a step
        ("bodyweight-squat", (12, 10, 9), 12),  # never below the bottom of the range
        ("bodyweight-squat", (19, 19, 19), 20),  # never above the top
        ("wall-sit", (30, 30, 30), 35),  # holds go up five seconds
        ("side-lying-clamshell", (12, 12, 12), 13),  # an activation drill one rep
    ],
)
def test_the_next_target_follows_the_weakest_set(key: str, amounts: tuple[int, ...], expected: int) -> None:
    assert rep_target(VARIANT[key], did(key, *amounts)).amount == expected


def test_a_lighter_day_holds_the_number_instead_of_adding() -> None:
    target = rep_target(VARIANT["push-up"], did("push-up", 10, 10, 10), light=True)
    assert target.amount == 10 and "lighter" in target.note


def test_the_squat_ladder_climbs_from_bodyweight_to_split_to_single_leg() -> None:
    kit = kit_of("bodyweight")
    assert next_rung(VARIANT["bodyweight-squat"], kit) == VARIANT["split-squat"]
    assert next_rung(VARIANT["split-squat"], kit) == VARIANT["single-leg-box-squat"]
    assert next_rung(VARIANT["single-leg-box-squat"], kit) is None


def test_the_top_of_the_range_moves_the_plan_to_the_next_rung() -> None:
    top = did("bodyweight-squat", 20, 20, 20)
    choice = current_variant("squat", BODYWEIGHT, history(top))
    assert choice is not None and choice.variant.key == "split-squat"
    assert choice.climbed_from == VARIANT["bodyweight-squat"]
    again = current_variant("squat", BODYWEIGHT, history(top, did("split-squat", 8, 8, 8)))
    assert again is not None and (again.variant.key, again.climbed_from) == ("split-squat", None)


def test_short_of_the_top_the_plan_stays_on_the_rung_last_logged() -> None:
    choice = current_variant("squat", BODYWEIGHT, history(did("split-squat", 10, 10, 9)))
    assert choice is not None and choice.variant.key == "split-squat"


def test_a_swap_keeps_its_variant_even_at_the_top() -> None:
    pinned = Profile(equipment="bodyweight", swaps={"squat": "bodyweight-squat"})
    choice = current_variant("squat", pinned, history(did("bodyweight-squat", 20, 20, 20)))
    assert choice is not None and choice.variant.key == "bodyweight-squat" and choice.pinned


def test_a_rung_that_needs_kit_the_runner_lacks_is_skipped() -> None:
    assert next_rung(VARIANT["side-lying-clamshell"], kit_of("bodyweight")) == VARIANT["side-plank-clamshell"]
    assert next_rung(VARIANT["side-lying-clamshell"], kit_of("home")) == VARIANT["banded-clamshell"]


def test_every_ladder_rung_is_an_unloaded_variant_of_its_movement_with_a_sane_range() -> None:
    for movement in MOVEMENTS:
        for key in movement.ladder:
            v = VARIANT[key]
            assert v.movement == movement.key and not v.loaded
    for v in VARIANTS:
        low, high = v.reps
        if v.timed:
            assert 10 <= low < high <= 120
        elif v.kind == "activation":
            assert 8 <= low < high <= 15
        elif not v.loaded:
            assert 3 <= low < high <= 25

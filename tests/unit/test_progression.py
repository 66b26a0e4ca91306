"""Rep ranges rotate over the weeks; the next load follows from the last logged day."""

from __future__ import annotations

from datetime import date

import pytest

from core.training.catalog import EXERCISES
from core.training.model import LoggedSet
from core.training.profile import Equipment
from core.training.progression import rep_scheme, suggest_load

DAY = date(2024, 1, 2)


def sets(*reps: int, kg: float | None = None, key: str = "squat") -> list[LoggedSet]:
    return [LoggedSet(DAY, key, i + 1, r, kg) for i, r in enumerate(reps)]


@pytest.mark.parametrize(
    ("week", "expected"),
    [(0, (3, 10, False)), (1, (4, 8, False)), (2, (5, 5, False)), (3, (3, 8, True)), (4, (3, 10, False))],
)
def test_main_lift_reps_rotate_3x10_4x8_5x5_then_a_light_week(
    week: int, expected: tuple[int, int, bool]
) -> None:
    assert rep_scheme(week, "main") == expected
    assert rep_scheme(week, "hex-bar-deadlift") == expected


def test_accessories_stay_at_three_sets_and_lighten_on_the_fourth_week() -> None:
    schemes = [rep_scheme(w, "calf-raise") for w in range(4)]
    assert [s[0] for s in schemes] == [3, 3, 3, 3]
    assert [s[2] for s in schemes] == [False, False, False, True]


@pytest.mark.parametrize("week", range(-4, 12))
def test_every_scheme_is_within_3_to_5_sets_of_5_to_10_reps(week: int) -> None:
    for key in ["main", *(e.key for e in EXERCISES)]:
        n_sets, reps, _ = rep_scheme(week, key)
        assert 3 <= n_sets <= 5 and 5 <= reps <= 10


def test_nothing_logged_gives_no_number_and_a_how_to_choose_note() -> None:
    s = suggest_load("squat", "gym", [], 10)
    assert s.load_kg is None
    assert "last 2 reps are hard but clean" in s.note


def test_all_reps_done_adds_a_plate_step_in_the_gym() -> None:
    s = suggest_load("squat", "gym", sets(10, 10, 10, kg=40), 10, last_target_reps=10)
    assert s.load_kg == 42.5
    assert s.note == "all 30 reps done last time: +2.5 kg"


def test_all_reps_done_adds_two_kilos_at_home() -> None:
    s = suggest_load("squat", "home", sets(8, 8, 8, kg=16), 8, last_target_reps=8)
    assert s.load_kg == 18


def test_the_increase_is_shown_in_the_runners_units() -> None:
    s = suggest_load("squat", "gym", sets(10, 10, 10, kg=40), 10, last_target_reps=10, units="lb")
    assert s.note.endswith("+5.5 lb")


def test_missed_reps_repeat_the_load() -> None:
    s = suggest_load("squat", "gym", sets(10, 10, 8, kg=40), 10, last_target_reps=10)
    assert s.load_kg == 40
    assert "missed reps" in s.note


def test_the_heaviest_set_is_the_working_weight() -> None:
    logged = [*sets(10, kg=30), *sets(10, 10, kg=40)]
    assert suggest_load("squat", "gym", logged, 10, last_target_reps=10).load_kg == 42.5


def test_without_a_known_target_the_first_sets_reps_are_the_target() -> None:
    assert suggest_load("squat", "gym", sets(8, 8, 8, kg=40), 8).load_kg == 42.5
    assert suggest_load("squat", "gym", sets(10, 9, 8, kg=40), 10).load_kg == 40


def test_fewer_reps_next_week_converts_through_an_estimated_max_before_the_step() -> None:
    # 42.5 kg x10 ≈ 56.7 kg 1RM ≈ 44.7 kg x8 → 45
    s = suggest_load("squat", "gym", sets(10, 10, 10, kg=40), 8, last_target_reps=10)
    assert s.load_kg == 45
    assert "8 reps" in s.note


def test_moving_from_4x8_to_5x5_raises_the_load_accordingly() -> None:
    s = suggest_load("hex-bar-deadlift", "gym", sets(8, 8, 8, 8, kg=50), 5, last_target_reps=8)
    assert s.load_kg == 57.5


def test_missed_reps_with_a_new_target_keep_the_same_effort() -> None:
    # the last set only reached 8 reps at 40 kg, and 8 reps is the new target
    s = suggest_load("squat", "gym", sets(10, 10, 8, kg=40), 8, last_target_reps=10)
    assert s.load_kg == 40


def test_a_light_week_takes_about_ninety_percent() -> None:
    s = suggest_load("squat", "gym", sets(10, 10, 10, kg=100), 10, last_target_reps=10, light=True)
    assert s.load_kg == 92.5
    assert "light week" in s.note


def test_after_a_light_week_the_usual_weight_comes_back_without_a_step() -> None:
    s = suggest_load("squat", "gym", sets(8, 8, 8, kg=90), 8, last_target_reps=8, last_light=True)
    assert s.load_kg == 100
    assert "light week" in s.note


@pytest.mark.parametrize(("equipment", "step"), [("gym", 2.5), ("home", 2.0)])
def test_loads_are_rounded_to_the_equipment_step_and_always_go_up_after_success(
    equipment: Equipment, step: float
) -> None:
    for kg in (11.0, 17.0, 23.3, 41.0, 60.0):
        load = suggest_load("romanian-deadlift", equipment, sets(10, 10, 10, kg=kg), 10, 10).load_kg
        assert load is not None and load > kg
        assert load / step == pytest.approx(round(load / step))


def test_bodyweight_variants_never_get_a_number() -> None:
    s = suggest_load("squat", "bodyweight", sets(10, 10, 10), 10, last_target_reps=10)
    assert s.load_kg is None
    assert "add a rep or two" in s.note and "harder variant" in s.note


def test_bodyweight_missed_reps_ask_for_the_same_again() -> None:
    s = suggest_load("push-up", "gym", sets(10, 7, 6, key="push-up"), 10, last_target_reps=10)
    assert s.load_kg is None
    assert "missed reps" in s.note


def test_a_loaded_move_logged_without_weight_is_treated_as_bodyweight() -> None:
    s = suggest_load("lunge", "gym", sets(10, 10, 10, key="lunge"), 10, last_target_reps=10)
    assert s.load_kg is None


def test_unloaded_moves_with_no_history_get_a_form_note() -> None:
    s = suggest_load("clamshell", "gym", [], 10)
    assert s.load_kg is None and "form" in s.note

"""The catalog: every movement has a variant for each equipment, with its own cue, and names that resolve."""

from __future__ import annotations

import pytest

from core.parsing.exercise_names import normalize
from core.training.catalog import GROUPS, MOVEMENTS, VARIANT, VARIANTS, default_variant, group_of, variants_of
from core.training.identity import kit_of
from core.training.profile import EQUIPMENT


def test_every_variant_has_its_own_cue_and_a_known_movement() -> None:
    cues = [v.cue for v in VARIANTS]
    assert len(set(cues)) == len(cues)
    assert all(v.movement in {m.key for m in MOVEMENTS} for v in VARIANTS)
    assert {m.group for m in MOVEMENTS} == set(GROUPS)


@pytest.mark.parametrize("equipment", EQUIPMENT)
def test_every_movement_has_a_variant_the_kit_allows_except_a_pull_up_without_a_bar(equipment: str) -> None:
    kit = kit_of(equipment)
    for movement in MOVEMENTS:
        chosen = default_variant(movement.key, equipment)
        if movement.key == "pull-up" and "bar" not in kit:
            assert chosen is None
            continue
        assert chosen is not None and chosen.fits(kit) and chosen.movement == movement.key


def test_bodyweight_means_no_load_and_home_has_no_bar() -> None:
    assert not any(v.loaded for m in MOVEMENTS if (v := default_variant(m.key, "bodyweight")) is not None)
    assert "bar" not in kit_of("home") and "bar" in kit_of("home+bar") and "bar" in kit_of("gym")


def test_loaded_variants_say_which_rack_they_use_and_unloaded_ones_do_not() -> None:
    for v in VARIANTS:
        assert (v.load is not None) == v.loaded, v.key


def test_a_variants_name_is_never_a_movements_but_where_they_are_the_same_move() -> None:
    movement_names = {normalize(n): m.key for m in MOVEMENTS for n in (m.key, m.name, *m.aliases)}
    same_move = {"push-up", "pull-up", "hex-bar-deadlift"}
    for v in VARIANTS:
        for name in (v.key, v.name, *v.aliases):
            owner = movement_names.get(normalize(name))
            assert owner is None or v.key in same_move, (v.key, name)


def test_groups_come_from_the_movement() -> None:
    assert group_of("glute-bridge") == "hex-bar-deadlifts"
    assert group_of("wall-sit") == "quad-extensions"
    assert group_of("not-a-variant") is None
    assert variants_of("squat")[0].key == "barbell-back-squat"
    assert VARIANT["spanish-squat-hold"].timed and not VARIANT["spanish-squat-hold"].loaded

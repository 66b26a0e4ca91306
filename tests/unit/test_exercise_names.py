"""Exercise names as typed: variants, movements, aliases, plurals, typos, did-you-mean and autocomplete."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.parsing.errors import ParseError
from core.parsing.exercise_names import Match, match_movement, match_name, resolve_name, suggest_exercises
from core.training.catalog import MOVEMENTS, VARIANTS
from core.training.model import OwnExercise
from core.training.profile import Profile


@pytest.mark.parametrize(
    ("typed", "kind", "key"),
    [
        ("hexbar", "variant", "hex-bar-deadlift"),
        ("Hex-Bar_Deadlift", "variant", "hex-bar-deadlift"),
        ("rdl", "movement", "romanian-deadlift"),
        ("RDLs", "movement", "romanian-deadlift"),
        ("pushups", "variant", "push-up"),
        ("push ups", "variant", "push-up"),
        ("  Push   Ups ", "variant", "push-up"),
        ("pull-ups", "variant", "pull-up"),
        ("goblet squat", "variant", "goblet-squat"),
        ("glute bridge", "variant", "glute-bridge"),
        ("spanish squat hold", "variant", "spanish-squat-hold"),
        ("squats", "movement", "squat"),
        ("calf raises", "movement", "calf-raise"),
        ("side lunges", "movement", "side-lunge"),
        ("single leg rdls", "movement", "single-leg-rdl"),
        ("deadlift", "movement", "hex-bar-deadlift"),
        ("sqaut", "movement", "squat"),
        ("clamshels", "movement", "clamshell"),
        ("romanain deadlift", "movement", "romanian-deadlift"),
        ("squat 💪", "movement", "squat"),
    ],
)
def test_aliases_plurals_and_clear_typos_resolve(typed: str, kind: str, key: str) -> None:
    assert match_name(typed) == Match(kind, key)  # type: ignore[arg-type]


def test_every_variant_and_movement_key_and_name_resolves_to_itself() -> None:
    for v in VARIANTS:
        assert match_name(v.key) == Match("variant", v.key)
        assert match_name(v.name) == Match("variant", v.key)
    for m in MOVEMENTS:
        found = match_name(m.name)
        assert found == Match("movement", m.key) or (
            isinstance(found, Match) and found.kind == "variant" and match_movement(m.name) == m.key
        ), m.name


@pytest.mark.parametrize(
    ("equipment", "weighted", "key"),
    [
        ("gym", True, "barbell-back-squat"),
        ("gym", False, "bodyweight-squat"),
        ("home", True, "goblet-squat"),
        ("bodyweight", False, "bodyweight-squat"),
        ("bodyweight", True, "goblet-squat"),
    ],
)
def test_a_movement_logs_the_runners_variant(equipment: str, weighted: bool, key: str) -> None:
    found = resolve_name("squat", Profile(equipment=equipment), weighted, False)  # type: ignore[arg-type]
    assert not isinstance(found, ParseError) and found.key == key


def test_a_swap_decides_what_a_movement_logs() -> None:
    profile = Profile(equipment="gym", swaps={"squat": "goblet-squat"})
    found = resolve_name("squat", profile, True, False)
    assert not isinstance(found, ParseError) and found.key == "goblet-squat"


def test_the_quad_extension_with_seconds_is_its_hold() -> None:
    found = resolve_name("quad extension", Profile(equipment="bodyweight"), False, True)
    assert not isinstance(found, ParseError) and (found.key, found.hold) == ("wall-sit", True)


def test_a_runners_own_exercise_is_matched_by_its_name() -> None:
    own = (OwnExercise("own-nordic-curl", "Nordic curl", "romanian-deadlift"),)
    assert match_name("nordic curls", own) == Match("variant", "own-nordic-curl")
    assert isinstance(match_name("nordic curls"), ParseError)


def test_a_near_miss_gets_up_to_three_suggestions() -> None:
    result = match_name("bench press")
    assert isinstance(result, ParseError)
    assert result.message.startswith("Unknown exercise 'bench press' — did you mean")


def test_nothing_close_lists_a_few_movements_and_how_to_add_your_own() -> None:
    result = match_name("xyz")
    assert isinstance(result, ParseError)
    assert "'xyz'" in result.message and "squat" in result.message
    assert "/exercises add xyz movement=" in result.message


def test_a_two_letter_guess_is_not_accepted_silently() -> None:
    result = match_name("ro")
    assert isinstance(result, ParseError) and "row" in result.message


def test_empty_prefix_lists_the_movements() -> None:
    assert suggest_exercises("") == [(m.name, m.key) for m in MOVEMENTS]
    assert len(suggest_exercises("", limit=3)) == 3


def test_suggestions_put_the_best_match_first() -> None:
    assert suggest_exercises("squ")[0] == ("Squat", "squat")
    assert suggest_exercises("rdl")[0] == ("Romanian deadlift", "romanian-deadlift")
    assert suggest_exercises("gob")[0] == ("Goblet squat", "goblet-squat")


def test_suggestions_fall_back_to_typos() -> None:
    assert ("Squat", "squat") in suggest_exercises("sqaut")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_names_never_raise(text: str) -> None:
    assert isinstance(match_name(text), Match | ParseError)
    assert len(suggest_exercises(text)) <= 25

"""Exercise names as typed: aliases, plurals, typos, did-you-mean and autocomplete."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.parsing.errors import ParseError
from core.parsing.exercise_names import match_exercise, suggest_exercises
from core.training.catalog import EXERCISES


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("hexbar", "hex-bar-deadlift"),
        ("Hex-Bar_Deadlift", "hex-bar-deadlift"),
        ("rdl", "romanian-deadlift"),
        ("RDLs", "romanian-deadlift"),
        ("pushups", "push-up"),
        ("push ups", "push-up"),
        ("  Push   Ups ", "push-up"),
        ("pull-ups", "pull-up"),
        ("goblet squat", "squat"),
        ("calf raises", "calf-raise"),
        ("side lunges", "side-lunge"),
        ("single leg rdls", "single-leg-rdl"),
        ("sqaut", "squat"),
        ("clamshels", "clamshell"),
        ("romanain deadlift", "romanian-deadlift"),
    ],
)
def test_aliases_plurals_and_clear_typos_resolve(typed: str, key: str) -> None:
    assert match_exercise(typed) == key


def test_every_catalog_key_and_name_resolves_to_itself() -> None:
    for e in EXERCISES:
        assert match_exercise(e.key) == e.key
        assert match_exercise(e.name) == e.key


def test_a_near_miss_gets_up_to_three_suggestions() -> None:
    result = match_exercise("bench press")
    assert isinstance(result, ParseError)
    assert result.message.startswith("Unknown exercise 'bench press' — did you mean")
    assert "push-up" in result.message


def test_nothing_close_lists_a_few_catalog_names() -> None:
    result = match_exercise("xyz")
    assert isinstance(result, ParseError)
    assert "'xyz'" in result.message and "squat" in result.message


def test_a_two_letter_guess_is_not_accepted_silently() -> None:
    result = match_exercise("ro")
    assert isinstance(result, ParseError) and "row" in result.message


def test_empty_prefix_lists_the_whole_catalog() -> None:
    assert suggest_exercises("") == [(e.name, e.key) for e in EXERCISES]
    assert len(suggest_exercises("", limit=3)) == 3


def test_suggestions_put_the_best_match_first() -> None:
    assert suggest_exercises("squ")[0] == ("Squat", "squat")
    assert suggest_exercises("rdl")[0] == ("Romanian deadlift", "romanian-deadlift")
    assert suggest_exercises("lu")[:2] == [("Lunge", "lunge"), ("Side lunge", "side-lunge")]


def test_suggestions_fall_back_to_typos() -> None:
    assert ("Squat", "squat") in suggest_exercises("sqaut")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_names_never_raise(text: str) -> None:
    assert isinstance(match_exercise(text), str | ParseError)
    assert len(suggest_exercises(text)) <= 25

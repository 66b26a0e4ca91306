"""What a session holds: five moves covering the patterns, every group within two weeks, ~30 min."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from core.training.catalog import BY_KEY, GROUPS
from core.training.placement import lift_days
from core.training.profile import EQUIPMENT, Equipment, Profile, RunType, Terrain
from core.training.sessions import Prescription, compose_session, fit_to_budget, item_minutes, session_for

CYCLE = date(2024, 1, 1)  # a Monday
RUN_WEEKS: tuple[dict[int, RunType], ...] = (
    {},
    {6: "long"},
    {1: "speed", 6: "long"},
    {0: "speed", 2: "easy", 3: "speed", 5: "long"},
)
HIP = {"lunge", "side-lunge", "clamshell", "single-leg-rdl"}
RDL_FAMILY = {"romanian-deadlift", "single-leg-rdl"}
UPPER = {"pull-up", "push-up", "row"}


def profiles(terrains: tuple[Terrain, ...] = ("road", "trail", "hilly")) -> list[Profile]:
    return [
        Profile(runs=runs, sessions=n, equipment=eq, terrain=t)
        for runs, n, eq, t in product(RUN_WEEKS, (2, 3), EQUIPMENT, terrains)
    ]


def sessions_in_weeks(profile: Profile, first_week: int, weeks: int) -> list[list[str]]:
    days = [
        d
        for w in range(first_week, first_week + weeks)
        for d in lift_days(profile, CYCLE + timedelta(weeks=w))
    ]
    return [compose_session(profile, d, CYCLE) for d in days]


def no_history(key: str) -> list:
    return []


def test_every_session_has_five_different_moves_covering_each_pattern() -> None:
    for profile in profiles():
        for keys in sessions_in_weeks(profile, 0, 8):
            assert len(keys) == len(set(keys)) == 5
            assert keys[0] in {"squat", "hex-bar-deadlift"}
            assert HIP & set(keys)
            assert RDL_FAMILY & set(keys) or keys[0] == "hex-bar-deadlift"
            assert "calf-raise" in keys
            assert UPPER & set(keys)


def test_hex_bar_days_still_include_an_rdl_family_move() -> None:
    hex_days = [k for p in profiles() for k in sessions_in_weeks(p, 0, 4) if k[0] == "hex-bar-deadlift"]
    assert hex_days
    assert all(RDL_FAMILY & set(k) for k in hex_days)


@pytest.mark.parametrize("first_week", range(6))
def test_any_two_weeks_of_a_road_runner_cover_all_seven_groups(first_week: int) -> None:
    for profile in profiles(("road",)):
        groups = {BY_KEY[k].group for s in sessions_in_weeks(profile, first_week, 2) for k in s}
        assert groups == set(GROUPS) - {"quad-extensions"}


@pytest.mark.parametrize("first_week", range(6))
def test_any_two_weeks_of_a_trail_or_hilly_runner_cover_all_eight_groups(first_week: int) -> None:
    for profile in profiles(("trail", "hilly")):
        groups = {BY_KEY[k].group for s in sessions_in_weeks(profile, first_week, 2) for k in s}
        assert groups == set(GROUPS)


def test_road_runners_never_get_quad_extensions() -> None:
    for profile in profiles(("road",)):
        assert not any("quad-extension" in s for s in sessions_in_weeks(profile, -2, 26))


@pytest.mark.parametrize(
    ("equipment", "squat", "deadlift"),
    [
        ("gym", "barbell back squat", "hex bar deadlift"),
        ("home", "goblet squat", "kettlebell deadlift"),
        ("bodyweight", "bodyweight squat", "glute bridge"),
    ],
)
def test_the_variant_follows_the_equipment(equipment: Equipment, squat: str, deadlift: str) -> None:
    profile = Profile(equipment=equipment)
    seen: dict[str, str] = {}
    for day in (date(2024, 1, 2), date(2024, 1, 7), date(2024, 1, 9)):
        session = session_for(profile, day, CYCLE, no_history)
        assert session is not None
        for p in session.items:
            assert p.variant == BY_KEY[p.exercise].variants[equipment]
            seen[p.exercise] = p.variant
    assert seen["squat"] == squat and seen["hex-bar-deadlift"] == deadlift


def test_every_prescription_is_3_to_5_sets_of_5_to_10_reps_and_sessions_last_25_to_35_minutes() -> None:
    for profile in profiles():
        for w in range(-1, 9):
            for day in lift_days(profile, CYCLE + timedelta(weeks=w)):
                session = session_for(profile, day, CYCLE, no_history)
                assert session is not None
                assert isinstance(session.minutes, int)
                assert 25 <= session.minutes <= 35
                for p in session.items:
                    assert 3 <= p.sets <= 5 and 5 <= p.reps <= 10


def test_the_fourth_week_is_light_and_the_third_is_heavy() -> None:
    heavy = session_for(Profile(), date(2024, 1, 16), CYCLE, no_history)
    light = session_for(Profile(), date(2024, 1, 23), CYCLE, no_history)
    assert heavy is not None and light is not None
    assert (heavy.week_index, heavy.light, heavy.items[0].sets, heavy.items[0].reps) == (2, False, 5, 5)
    assert (light.week_index, light.light, light.items[0].sets, light.items[0].reps) == (3, True, 3, 8)


def test_one_sided_moves_count_both_sides() -> None:
    assert item_minutes("lunge", 3, 10) > item_minutes("romanian-deadlift", 3, 10)
    assert item_minutes("romanian-deadlift", 3, 10) == 5.25  # 3 x (45 s + 60 s rest)
    assert item_minutes("squat", 3, 10) == 6.75  # main lifts rest 90 s


def test_an_overlong_session_drops_accessory_sets_but_never_below_three() -> None:
    def item(key: str, n_sets: int) -> Prescription:
        return Prescription(key, key, n_sets, 10, None, "", item_minutes(key, n_sets, 10))

    long = [item("squat", 5), item("lunge", 5), item("romanian-deadlift", 5), item("calf-raise", 4)]
    fitted = fit_to_budget(long, max_minutes=35)
    assert fitted[0].sets == 5  # the main lift keeps its sets
    assert all(p.sets >= 3 for p in fitted)
    assert sum(p.sets for p in fitted) < sum(p.sets for p in long)
    assert 3 + sum(p.minutes for p in fitted) <= 35

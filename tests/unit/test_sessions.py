"""What a session holds: five moves of kit the runner has, one heavy hinge at most, every group in two weeks, ~30 min."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import product

import pytest

from core.training.catalog import GROUPS, MOVEMENT, VARIANT
from core.training.choosing import no_history
from core.training.identity import kit_of
from core.training.model import LoggedSet
from core.training.placement import lift_days
from core.training.profile import EQUIPMENT, Equipment, Profile, RunType, Terrain
from core.training.sessions import (
    Prescription,
    compose_session,
    fit_to_budget,
    item_minutes,
    lighter_reason,
    session_for,
)

CYCLE = date(2024, 1, 1)  # a Monday
RUN_WEEKS: tuple[dict[int, RunType], ...] = (
    {},
    {6: "long"},
    {1: "speed", 6: "long"},
    {0: "speed", 2: "easy", 3: "speed", 5: "long"},
    {5: "speed", 6: "long"},
)
HIP = {"lunge", "side-lunge", "clamshell", "single-leg-rdl", "quad-extension"}
UPPER = {"pull-up", "push-up", "row"}


def profiles(terrains: tuple[Terrain, ...] = ("road", "trail", "hilly")) -> list[Profile]:
    return [
        Profile(runs=runs, sessions=n, equipment=eq, terrain=t)
        for runs, n, eq, t in product(RUN_WEEKS, (2, 3), EQUIPMENT, terrains)
    ]


def lift_days_in(profile: Profile, first_week: int, weeks: int) -> list[date]:
    return [
        d
        for w in range(first_week, first_week + weeks)
        for d in lift_days(profile, CYCLE + timedelta(weeks=w))
    ]


def at_the_top(keys: Sequence[str]) -> list[LoggedSet]:
    """A history where every variant was last done at the top of its range (the longest sessions)."""
    key = keys[-1]
    v = VARIANT[key]
    if v.loaded:
        return [LoggedSet(CYCLE, key, i, 10, 40.0, unit="kg") for i in (1, 2, 3)]
    high = v.reps[1]
    return [
        LoggedSet(CYCLE, key, i, 1 if v.timed else high - 1, None, seconds=high - 1 if v.timed else None)
        for i in (1, 2, 3)
    ]


def test_every_session_has_five_different_moves_covering_each_pattern() -> None:
    for profile in profiles():
        for day in lift_days_in(profile, 0, 8):
            moves = compose_session(profile, day, CYCLE)
            assert len(moves) == len(set(moves)) == 5
            assert moves[0] in {"squat", "hex-bar-deadlift"}
            assert HIP & set(moves)
            assert "calf-raise" in moves
            assert UPPER & set(moves)


@pytest.mark.parametrize("history", [no_history, at_the_top], ids=["new", "at the top"])
def test_a_session_names_only_variants_of_the_runners_kit(history) -> None:  # type: ignore[no-untyped-def]
    for profile in profiles():
        kit = kit_of(profile.equipment)
        for day in lift_days_in(profile, 0, 4):
            session = session_for(profile, day, CYCLE, history)
            assert session is not None and len(session.items) == 5
            for item in session.items:
                assert item.variant.fits(kit), (profile.equipment, item.variant.key)
                assert item.variant.movement == item.movement


def test_at_most_one_heavy_hinge_a_session() -> None:
    for profile in profiles():
        for day in lift_days_in(profile, 0, 4):
            session = session_for(profile, day, CYCLE)
            assert session is not None
            assert sum(item.variant.heavy_hinge for item in session.items) <= 1


@pytest.mark.parametrize("first_week", range(6))
def test_any_two_weeks_of_a_road_runner_cover_all_seven_groups(first_week: int) -> None:
    for profile in profiles(("road",)):
        groups = {
            MOVEMENT[m].group
            for d in lift_days_in(profile, first_week, 2)
            for m in compose_session(profile, d, CYCLE)
        }
        assert groups == set(GROUPS) - {"quad-extensions"}


@pytest.mark.parametrize("first_week", range(6))
def test_any_two_weeks_of_a_trail_or_hilly_runner_cover_all_eight_groups(first_week: int) -> None:
    for profile in profiles(("trail", "hilly")):
        groups = {
            MOVEMENT[m].group
            for d in lift_days_in(profile, first_week, 2)
            for m in compose_session(profile, d, CYCLE)
        }
        assert groups == set(GROUPS)


def test_road_runners_never_get_quad_extensions() -> None:
    for profile in profiles(("road",)):
        assert not any(
            "quad-extension" in compose_session(profile, d, CYCLE) for d in lift_days_in(profile, -2, 26)
        )


@pytest.mark.parametrize(
    ("equipment", "squat", "deadlift", "upper"),
    [
        ("gym", "barbell-back-squat", "hex-bar-deadlift", {"pull-up", "push-up", "cable-row"}),
        ("home", "goblet-squat", "kettlebell-deadlift", {"push-up", "dumbbell-row"}),
        ("home+bar", "goblet-squat", "kettlebell-deadlift", {"pull-up", "push-up", "dumbbell-row"}),
        ("bodyweight", "bodyweight-squat", "glute-bridge", {"push-up", "table-row"}),
        ("bodyweight+bar", "bodyweight-squat", "glute-bridge", {"pull-up", "push-up", "table-row"}),
    ],
)
def test_the_variant_follows_the_equipment(
    equipment: Equipment, squat: str, deadlift: str, upper: set[str]
) -> None:
    profile = Profile(equipment=equipment)
    seen: set[str] = set()
    for day in lift_days_in(profile, 0, 3):
        session = session_for(profile, day, CYCLE)
        assert session is not None
        seen |= {p.exercise for p in session.items}
    assert {squat, deadlift} <= seen
    assert {k for k in seen if MOVEMENT[VARIANT[k].movement].group == "upper-body"} == upper


def test_the_issues_bodyweight_and_home_sessions_name_what_the_runner_does() -> None:
    sunday = date(2024, 1, 7)
    bodyweight = session_for(Profile(equipment="bodyweight"), sunday, CYCLE)
    home = session_for(Profile(equipment="home"), sunday, CYCLE)
    assert bodyweight is not None and home is not None
    assert bodyweight.items[0].variant.name == "Glute bridge"
    assert "bar" not in bodyweight.items[0].variant.cue
    assert home.items[0].variant.name == "Kettlebell deadlift"
    assert not any(p.movement == "pull-up" for p in home.items)


def test_prescriptions_fit_the_kind_of_variant() -> None:
    for profile in profiles():
        for w in range(-1, 9):
            for day in lift_days(profile, CYCLE + timedelta(weeks=w)):
                session = session_for(profile, day, CYCLE)
                assert session is not None
                for p in session.items:
                    if p.variant.loaded:
                        assert 3 <= p.sets <= 5 and 5 <= p.reps <= 10
                    else:
                        low, high = p.variant.reps
                        assert p.sets == 3 and low <= p.reps <= high
                    if p.variant.kind == "activation":
                        assert p.reps >= 12 or p.variant.reps[0] < 12


@pytest.mark.parametrize("history", [no_history, at_the_top], ids=["new", "at the top"])
def test_sessions_last_25_to_35_minutes(history) -> None:  # type: ignore[no-untyped-def]
    for profile in profiles():
        for w in range(-1, 5):
            for day in lift_days(profile, CYCLE + timedelta(weeks=w)):
                session = session_for(profile, day, CYCLE, history)
                assert session is not None and isinstance(session.minutes, int)
                assert 25 <= session.minutes <= 35, (profile, day, session.minutes)


def test_the_fourth_week_is_light_and_the_third_is_heavy() -> None:
    heavy = session_for(Profile(), date(2024, 1, 16), CYCLE)
    light = session_for(Profile(), date(2024, 1, 23), CYCLE)
    assert heavy is not None and light is not None
    assert (heavy.week_index, heavy.light, heavy.items[0].sets, heavy.items[0].reps) == (2, False, 5, 5)
    assert (light.week_index, light.light, light.items[0].sets, light.items[0].reps) == (3, True, 3, 8)


def test_a_lift_the_day_before_a_long_run_is_kept_lighter() -> None:
    weekend = Profile(runs={5: "speed", 6: "long"})  # two hard days in a row: Saturday must take a lift
    saturday = date(2024, 1, 13)  # week 1: 4×8 would be the scheme
    assert lighter_reason(weekend, saturday) == "long run tomorrow"
    session = session_for(weekend, saturday, CYCLE)
    assert session is not None and session.light and session.lighter == "long run tomorrow"
    assert (session.items[0].sets, session.items[0].reps) == (3, 8)
    assert lighter_reason(Profile(), date(2024, 1, 9)) == ""  # Tuesday speed, nothing on Wednesday


def test_a_catch_up_does_the_missed_days_moves() -> None:
    profile = Profile()
    tuesday, wednesday = date(2024, 1, 9), date(2024, 1, 10)
    assert session_for(profile, wednesday, CYCLE) is None
    catch_up = session_for(profile, wednesday, CYCLE, catch_up_for=tuesday)
    planned = session_for(profile, tuesday, CYCLE)
    assert catch_up is not None and planned is not None
    assert [p.movement for p in catch_up.items] == [p.movement for p in planned.items]
    assert catch_up.catch_up_for == tuesday


def test_one_sided_moves_work_both_sides_and_rest_while_the_other_works() -> None:
    lunge, rdl = VARIANT["dumbbell-reverse-lunge"], VARIANT["barbell-rdl"]
    assert item_minutes(lunge, "lunge", 3, 10) == 5.25  # 3 x (15 s + 2 x 30 s + 30 s rest)
    assert item_minutes(lunge, "lunge", 3, 12) > item_minutes(rdl, "romanian-deadlift", 3, 12)
    assert item_minutes(rdl, "romanian-deadlift", 3, 10) == 5.25  # 3 x (15 s + 30 s + 60 s rest)
    assert item_minutes(VARIANT["barbell-back-squat"], "squat", 3, 10) == 6.75  # main lifts rest 90 s
    assert item_minutes(VARIANT["wall-sit"], "quad-extension", 3, 30) == 5.25  # the hold itself


def test_an_overlong_session_drops_accessory_sets_but_never_below_three() -> None:
    def item(key: str, movement: str, n_sets: int) -> Prescription:
        v = VARIANT[key]
        return Prescription(movement, v, n_sets, 10, None, "kg", "", item_minutes(v, movement, n_sets, 10))

    long = [
        item("barbell-back-squat", "squat", 5),
        item("dumbbell-reverse-lunge", "lunge", 5),
        item("barbell-rdl", "romanian-deadlift", 5),
        item("standing-calf-raise", "calf-raise", 4),
    ]
    fitted = fit_to_budget(long, max_minutes=35)
    assert fitted[0].sets == 5  # the main lift keeps its sets
    assert all(p.sets >= 3 for p in fitted)
    assert sum(p.sets for p in fitted) < sum(p.sets for p in long)
    assert 3 + sum(p.minutes for p in fitted) <= 35

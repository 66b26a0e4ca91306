"""Where lifts land in the week: hard days first, spread out, never the day before a hard run."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from core.training.placement import lift_days, lift_weekdays, next_lift_day, plan_week, week_start
from core.training.profile import HARD_RUNS, Profile, RunType

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
A_MONDAY = date(2024, 1, 1)


def lifts(runs: dict[int, RunType], sessions: int) -> tuple[int, ...]:
    return lift_weekdays(Profile(runs=runs, sessions=sessions))


def consecutive(days: tuple[int, ...]) -> int:
    return sum((b - a) % 7 == 1 for a in days for b in days)


@pytest.mark.parametrize("offset", range(7))
def test_week_start_is_the_monday_of_the_week(offset: int) -> None:
    assert week_start(A_MONDAY + timedelta(days=offset)) == A_MONDAY


def test_no_runs_spreads_two_sessions_as_monday_and_thursday() -> None:
    assert lifts({}, 2) == (MON, THU)


def test_no_runs_spreads_three_sessions_as_monday_wednesday_friday() -> None:
    assert lifts({}, 3) == (MON, WED, FRI)


def test_default_profile_lifts_on_its_two_hard_days() -> None:
    assert lift_weekdays(Profile()) == (TUE, SUN)


def test_one_hard_day_with_two_sessions_keeps_off_the_day_before_it_and_the_wrap() -> None:
    days = lifts({SUN: "long"}, 2)
    assert SUN in days
    assert SAT not in days  # the day before the long run
    assert MON not in days  # right after Sunday's lift, across the week boundary
    assert days == (WED, SUN)


def test_a_monday_hard_run_keeps_sunday_free() -> None:
    days = lifts({MON: "speed"}, 2)
    assert days == (MON, THU)
    assert SUN not in lifts({MON: "speed"}, 3)


def test_one_hard_day_with_three_sessions_has_no_back_to_back_lifts() -> None:
    days = lifts({SUN: "long"}, 3)
    assert days == (TUE, THU, SUN)
    assert consecutive(days) == 0


def test_two_hard_days_and_three_sessions_add_one_free_day() -> None:
    assert lifts({TUE: "speed", SUN: "long"}, 3) == (TUE, THU, SUN)


def test_back_to_back_hard_days_get_the_third_lift_far_from_them() -> None:
    assert lifts({MON: "speed", TUE: "long"}, 3) == (MON, TUE, FRI)


def test_three_hard_days_and_two_sessions_pick_the_best_spread_pair() -> None:
    assert lifts({MON: "speed", TUE: "speed", SAT: "long"}, 2) == (TUE, SAT)


def test_hard_sunday_and_monday_are_not_both_chosen_when_another_pair_exists() -> None:
    days = lifts({MON: "speed", THU: "speed", SUN: "long"}, 2)
    assert days == (MON, THU)
    assert consecutive(days) == 0


def test_three_hard_days_and_three_sessions_lift_on_all_of_them() -> None:
    assert lifts({TUE: "speed", THU: "easy", FRI: "speed", SUN: "long"}, 3) == (TUE, FRI, SUN)


def test_four_hard_days_and_three_sessions_avoid_the_sunday_before_a_hard_monday() -> None:
    assert lifts({MON: "speed", WED: "speed", FRI: "speed", SUN: "long"}, 3) == (MON, WED, FRI)


def test_four_hard_days_and_two_sessions_choose_two_of_them() -> None:
    assert lifts({MON: "speed", WED: "speed", FRI: "speed", SUN: "long"}, 2) == (MON, FRI)


def test_a_rest_day_beats_an_easy_day_when_the_rules_allow_both() -> None:
    # Friday (easy) and Saturday (rest) both break no rule and spread the same.
    assert lifts({TUE: "speed", FRI: "easy"}, 2) == (TUE, SAT)


def test_an_easy_day_is_used_when_every_rest_day_breaks_a_rule() -> None:
    runs: dict[int, RunType] = {TUE: "easy", WED: "easy", THU: "easy", FRI: "easy", SUN: "long"}
    days = lifts(runs, 2)
    assert SUN in days
    extra = next(d for d in days if d != SUN)
    assert runs[extra] == "easy"  # Monday (after Sunday) and Saturday (before it) stay free


def test_back_to_back_lifts_come_before_lifting_on_the_eve_of_a_hard_run() -> None:
    days = lifts({MON: "speed"}, 4)  # four sessions cannot avoid consecutive days
    assert consecutive(days) > 0
    assert SUN not in days


def test_the_eve_of_a_hard_run_is_used_only_when_unavoidable() -> None:
    days = lifts({MON: "speed", WED: "speed"}, 6)
    assert sum((d + 1) % 7 in (MON, WED) for d in days if d not in (MON, WED)) == 1


RUN_CHOICES: tuple[RunType | None, ...] = (None, "easy", "speed")


@pytest.mark.parametrize("sessions", [2, 3])
def test_every_week_of_runs_obeys_the_placement_rules(sessions: int) -> None:
    for kinds in product(RUN_CHOICES, repeat=7):
        runs = {d: k for d, k in enumerate(kinds) if k is not None}
        hard = {d for d, k in runs.items() if k in HARD_RUNS}
        days = lifts(runs, sessions)
        assert len(days) == sessions == len(set(days))
        if len(hard) >= sessions:
            assert set(days) <= hard
        else:
            assert hard <= set(days)
            for extra in set(days) - hard:
                assert (extra + 1) % 7 not in hard, runs
                assert (extra + 1) % 7 not in days and (extra - 1) % 7 not in days, runs


def test_plan_week_lists_seven_days_with_runs_and_lifts() -> None:
    profile = Profile(runs={TUE: "speed", THU: "easy", SUN: "long"})
    plan = plan_week(profile, A_MONDAY + timedelta(days=4))
    assert [p.day for p in plan] == [A_MONDAY + timedelta(days=i) for i in range(7)]
    assert [p.run for p in plan] == [None, "speed", None, "easy", None, None, "long"]
    assert [p.day for p in plan if p.lift] == lift_days(profile, A_MONDAY)
    assert lift_days(profile, A_MONDAY) == [date(2024, 1, 2), date(2024, 1, 7)]


def test_next_lift_day_is_strictly_after_and_wraps_into_next_week() -> None:
    profile = Profile()  # Tuesday and Sunday
    assert next_lift_day(profile, date(2024, 1, 1)) == date(2024, 1, 2)
    assert next_lift_day(profile, date(2024, 1, 2)) == date(2024, 1, 7)
    assert next_lift_day(profile, date(2024, 1, 7)) == date(2024, 1, 9)

"""The streak rules and week arithmetic, as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.accountability_model import StreakState
from core.model import Runner
from core.profile import Profile
from core.streaks import MAX_FREEZES, close_week, close_weeks, live_streak
from core.weeks import first_week, is_paused, local_day, week_paused, week_start, weeks_from


def test_weeks_start_on_monday_across_new_year() -> None:
    assert week_start(date(2026, 12, 31)) == date(2026, 12, 28)
    assert week_start(date(2027, 1, 3)) == date(2026, 12, 28)
    assert week_start(date(2027, 1, 4)) == date(2027, 1, 4)
    # ISO calls 1 Jan 2025 week 1 of 2025, yet its week began on Monday 30 Dec 2024
    assert week_start(date(2025, 1, 1)) == date(2024, 12, 30)


def test_weeks_from_steps_monday_by_monday_over_the_year_end() -> None:
    mondays = list(weeks_from(date(2026, 12, 20), date(2027, 1, 12)))
    assert mondays == [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)]


def test_the_same_instant_falls_in_different_weeks_far_east_and_far_west() -> None:
    instant = datetime(2026, 12, 27, 11, 0, tzinfo=UTC)
    assert local_day(instant, "Pacific/Kiritimati") == date(2026, 12, 28)  # Monday, UTC+14
    assert local_day(instant, "Pacific/Pago_Pago") == date(2026, 12, 27)  # Sunday, UTC-11
    assert week_start(local_day(instant, "Pacific/Kiritimati")) == date(2026, 12, 28)
    assert week_start(local_day(instant, "Pacific/Pago_Pago")) == date(2026, 12, 21)


def test_first_week_is_taken_in_the_runners_time_zone() -> None:
    runner = Runner(1, "t", "ana", "Ana", Profile(tz="Pacific/Kiritimati"))
    runner.created_at = datetime(2026, 12, 27, 11, 0, tzinfo=UTC)
    assert first_week(runner) == date(2026, 12, 28)


def test_a_met_target_adds_a_week_and_raises_the_best() -> None:
    state, outcome = close_week(StreakState(current=2, best=2), sessions=2, target=2, paused=False)
    assert outcome == "counted"
    assert (state.current, state.best) == (3, 3)


def test_a_missed_week_without_freezes_resets_the_streak_but_keeps_the_best() -> None:
    state, outcome = close_week(StreakState(current=5, best=7), sessions=1, target=2, paused=False)
    assert outcome == "missed"
    assert (state.current, state.best) == (0, 7)


def test_a_missed_week_spends_a_freeze_and_the_streak_does_not_grow() -> None:
    state, outcome = close_week(StreakState(current=5, best=5, freezes=2), sessions=0, target=3, paused=False)
    assert outcome == "frozen"
    assert (state.current, state.freezes) == (5, 1)


def test_no_freeze_is_spent_when_there_is_no_streak_to_keep() -> None:
    state, outcome = close_week(StreakState(current=0, freezes=1), sessions=0, target=2, paused=False)
    assert outcome == "missed"
    assert state.freezes == 1


def test_a_paused_week_neither_counts_nor_breaks_nor_spends_a_freeze() -> None:
    before = StreakState(current=3, best=3, freezes=1)
    state, outcome = close_week(before, sessions=0, target=2, paused=True)
    assert outcome == "paused"
    assert state == before


def test_a_paused_week_that_met_its_target_still_counts() -> None:
    state, outcome = close_week(StreakState(current=3, best=3), sessions=2, target=2, paused=True)
    assert (outcome, state.current) == ("counted", 4)


def test_one_freeze_is_earned_per_four_counted_weeks_and_at_most_two_are_banked() -> None:
    weeks = [(date(2026, 1, 5), 2, 2, False)] * 16
    state, closed = close_weeks(StreakState(), weeks)
    freezes = [c.after.freezes for c in closed]
    assert freezes[:4] == [0, 0, 0, 1]
    assert freezes[7] == 2
    assert max(freezes) == MAX_FREEZES
    assert state.current == 16


def test_a_target_of_three_needs_three_sessions() -> None:
    _, outcome = close_week(StreakState(), sessions=2, target=3, paused=False)
    assert outcome == "missed"


def test_this_week_counts_as_soon_as_its_target_is_met() -> None:
    assert live_streak(StreakState(current=4, best=4), 1, 2) == (4, 4)
    assert live_streak(StreakState(current=4, best=4), 2, 2) == (5, 5)


def test_a_pause_covers_its_days_and_the_weeks_it_touches() -> None:
    runner = Runner(1, "t", "ana", "Ana", paused_from=date(2026, 12, 2), paused_until=date(2026, 12, 16))
    assert is_paused(runner, date(2026, 12, 2))
    assert is_paused(runner, date(2026, 12, 15))
    assert not is_paused(runner, date(2026, 12, 16))
    assert not is_paused(runner, date(2026, 12, 1))
    assert week_paused(runner, date(2026, 11, 30))
    assert week_paused(runner, date(2026, 12, 14))
    assert not week_paused(runner, date(2026, 12, 21))
    assert not week_paused(Runner(2, "t", "ben", "Ben"), date(2026, 12, 14))

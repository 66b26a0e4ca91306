"""The streak fold and week arithmetic, as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.ledger.inputs import Plan, PlanChange, week_inputs, week_paused
from core.ledger.model import Book, FoldState, WeekInputs
from core.ledger.streaks import MAX_FREEZES, close_week, fold, standing
from core.training.model import Pause
from core.training.profile import Profile
from core.weeks import local_day, mondays, week_start

MONDAY = date(2026, 11, 30)


def week(sessions: int, target: int = 2, paused: bool = False, monday: date = MONDAY) -> WeekInputs:
    return WeekInputs(monday, (1 << sessions) - 1, 0, target, paused)


def test_weeks_start_on_monday_across_new_year() -> None:
    assert week_start(date(2026, 12, 31)) == date(2026, 12, 28)
    assert week_start(date(2027, 1, 3)) == date(2026, 12, 28)
    assert week_start(date(2027, 1, 4)) == date(2027, 1, 4)
    # ISO calls 1 Jan 2025 week 1 of 2025, yet its week began on Monday 30 Dec 2024
    assert week_start(date(2025, 1, 1)) == date(2024, 12, 30)


def test_mondays_step_monday_by_monday_over_the_year_end() -> None:
    found = list(mondays(date(2026, 12, 20), date(2027, 1, 12)))
    assert found == [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)]


def test_the_same_instant_falls_in_different_weeks_far_east_and_far_west() -> None:
    instant = datetime(2026, 12, 27, 11, 0, tzinfo=UTC)
    assert local_day(instant, "Pacific/Kiritimati") == date(2026, 12, 28)  # Monday, UTC+14
    assert local_day(instant, "Pacific/Pago_Pago") == date(2026, 12, 27)  # Sunday, UTC-11


def test_a_met_target_counts_at_once_even_before_the_week_ends() -> None:
    outcome, state, _ = close_week(FoldState(current=2, best=2), week(2), final=False)
    assert outcome == "counted"
    assert (state.current, state.best, state.sessions) == (3, 3, 2)


def test_a_short_week_still_running_changes_nothing_yet() -> None:
    outcome, state, events = close_week(FoldState(current=2, best=2, freezes=1), week(1), final=False)
    assert (outcome, state.current, state.freezes, events) == ("open", 2, 1, [])


def test_a_missed_week_without_freezes_resets_the_streak_but_keeps_the_best() -> None:
    outcome, state, events = close_week(FoldState(current=5, best=7), week(1), final=True)
    assert outcome == "missed"
    assert (state.current, state.best) == (0, 7)
    assert [(e.kind, e.streak) for e in events] == [("reset", 5)]


def test_a_missed_week_spends_a_freeze_and_the_streak_does_not_grow() -> None:
    outcome, state, events = close_week(FoldState(current=5, best=5, freezes=2), week(0, 3), final=True)
    assert outcome == "frozen"
    assert (state.current, state.freezes) == (5, 1)
    assert [(e.kind, e.freezes) for e in events] == [("freeze-spent", 1)]


def test_no_freeze_is_spent_and_nothing_is_said_when_there_is_no_streak_to_keep() -> None:
    outcome, state, events = close_week(FoldState(current=0, freezes=1), week(0), final=True)
    assert (outcome, state.freezes, events) == ("missed", 1, [])


def test_a_paused_short_week_neither_counts_nor_breaks_nor_spends_a_freeze() -> None:
    before = FoldState(current=3, best=3, freezes=1)
    outcome, state, _ = close_week(before, week(1, paused=True), final=True)
    assert outcome == "paused"
    assert (state.current, state.freezes, state.sessions) == (3, 1, 1)


def test_a_paused_week_that_met_its_target_still_counts() -> None:
    outcome, state, _ = close_week(FoldState(current=3, best=3), week(2, paused=True), final=True)
    assert (outcome, state.current) == ("counted", 4)


def test_one_freeze_is_earned_per_four_counted_weeks_and_at_most_two_are_banked() -> None:
    rows, events = fold(FoldState(), [(week(2), True)] * 16)
    freezes = [r.after.freezes for r in rows]
    assert freezes[:4] == [0, 0, 0, 1]
    assert freezes[7] == 2
    assert max(freezes) == MAX_FREEZES
    assert rows[-1].after.current == 16
    assert [e.kind for e in events] == ["freeze-earned", "freeze-earned"]  # none once the bank is full


def test_the_freeze_is_earned_by_the_session_that_completes_the_fourth_week() -> None:
    rows, events = fold(FoldState(current=3, best=3, toward=3), [(week(2), False)])
    assert rows[0].after.freezes == 1
    assert [(e.kind, e.day) for e in events] == [("freeze-earned", date(2026, 12, 1))]


def test_a_target_of_three_needs_three_sessions() -> None:
    assert close_week(FoldState(), week(2, 3), final=True)[0] == "missed"


def test_a_pause_touches_every_week_it_covers_a_day_of() -> None:
    pauses = [Pause(date(2026, 12, 2), date(2026, 12, 16))]
    assert Pause(date(2026, 12, 2), date(2026, 12, 16)).covers(date(2026, 12, 15))
    assert not Pause(date(2026, 12, 2), date(2026, 12, 16)).covers(date(2026, 12, 16))
    assert week_paused(pauses, date(2026, 11, 30))
    assert week_paused(pauses, date(2026, 12, 14))
    assert not week_paused(pauses, date(2026, 12, 21))
    assert not week_paused([], date(2026, 12, 14))


def test_a_weeks_target_is_the_plan_in_force_by_its_sunday() -> None:
    plan = Plan(
        Profile(sessions=3),
        since=date(2026, 12, 3),
        history=(
            PlanChange(date(2026, 11, 1), 2, frozenset({1, 6})),
            PlanChange(date(2026, 12, 3), 3, frozenset()),
        ),
    )
    assert plan.target(date(2026, 11, 23)) == 2
    assert plan.target(MONDAY) == 3  # changed on the Thursday: the week takes the new target
    assert plan.hard_weekdays(date(2026, 12, 1)) == frozenset({1, 6})


def test_week_inputs_mark_done_days_and_those_on_hard_run_days() -> None:
    plan = Plan(Profile())  # Tuesday speed, Sunday long
    inputs = week_inputs(MONDAY, [date(2026, 12, 1), date(2026, 12, 3), date(2026, 12, 8)], plan, [])
    assert (inputs.mask, inputs.hard_mask, inputs.sessions) == (0b0001010, 0b0000010, 2)


def test_standing_folds_the_weeks_that_ended_since_the_book_was_kept() -> None:
    rows, _ = fold(FoldState(), [(week(2, monday=date(2026, 11, 16)), True)])
    book = Book(closed=rows[0], open={date(2026, 11, 23): week(1, monday=date(2026, 11, 23))})
    now = standing(book, date(2026, 12, 2), 2, date(2026, 11, 16))
    assert [r.outcome for r in now.settled] == ["missed"]
    assert (now.current, now.best, now.sessions) == (0, 1, 0)
    assert [e.kind for e in now.events] == ["reset"]

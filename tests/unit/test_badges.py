"""Badge rows: stable ids, when fold badges are earned, and which are within reach."""

from __future__ import annotations

from datetime import date

from core.ledger.badges import BADGES, BY_ID, all_eight_day, fold_badges, refolded, within_reach
from core.ledger.model import FoldState, WeekInputs
from core.ledger.streaks import fold

PRODUCT_IDS = {
    "first-session",
    "sessions-10",
    "sessions-50",
    "streak-4",
    "streak-12",
    "streak-26",
    "first-pr",
    "all-eight",
    "hard-day-pair-10",
    "buddy-week",
    "goal-reached",
}
MONDAY = date(2026, 11, 30)


def test_every_badge_of_the_product_exists_with_a_name_and_a_reason() -> None:
    assert {b.id for b in BADGES} == PRODUCT_IDS
    assert all(b.name and b.reason and len(b.reason) < 80 for b in BADGES)


def test_fold_badges_are_dated_the_day_their_goal_was_reached() -> None:
    # Tuesday and Thursday done, Tuesday on a hard run day.
    week = WeekInputs(MONDAY, mask=0b0001010, hard_mask=0b0000010, target=2)
    rows, _ = fold(FoldState(), [(week, False)])
    earned = fold_badges(FoldState(), rows)
    assert earned == {"first-session": date(2026, 12, 1)}
    assert BY_ID["first-session"].goal == 1


def test_the_tenth_session_earns_ten_sessions_on_its_own_day() -> None:
    before = FoldState(sessions=8)
    week = WeekInputs(MONDAY, mask=0b1010101, target=2)  # Mon, Wed, Fri, Sun
    rows, _ = fold(before, [(week, True)])
    assert fold_badges(before, rows)["sessions-10"] == date(2026, 12, 2)  # the second done day: Wednesday


def test_a_streak_badge_is_dated_the_day_its_week_met_target() -> None:
    before = FoldState(current=3, best=3, sessions=6)
    week = WeekInputs(MONDAY, mask=0b0100010, target=2)  # Tue, Sat
    rows, _ = fold(before, [(week, False)])
    assert fold_badges(before, rows) == {"streak-4": date(2026, 12, 5)}


def test_refolding_keeps_older_fold_badges_and_redoes_newer_ones() -> None:
    held = {"first-session": date(2026, 11, 3), "streak-4": date(2026, 12, 1), "first-pr": date(2026, 12, 2)}
    empty, _ = fold(FoldState(current=3, best=3), [(WeekInputs(MONDAY, target=2), False)])
    kept = refolded(held, MONDAY, FoldState(current=3, best=3), empty)
    assert kept == {"first-session": date(2026, 11, 3), "first-pr": date(2026, 12, 2)}


def test_all_eight_is_the_day_the_last_group_was_first_trained() -> None:
    trained = {f"g{i}": date(2026, 11, 1 + i) for i in range(7)}
    assert all_eight_day(trained) is None
    trained["g7"] = date(2026, 11, 20)
    assert all_eight_day(trained) == date(2026, 11, 20)


def test_within_reach_shows_the_closest_badge_per_metric() -> None:
    values = {"sessions": 8, "streak": 1, "groups": 7, "hard_days": 0}
    reach = within_reach(values, {"first-session"})
    assert [(b.id, v) for b, v in reach] == [("all-eight", 7), ("sessions-10", 8), ("streak-4", 1)]


def test_a_metric_out_of_reach_is_not_offered() -> None:
    values = {"sessions": 8, "streak": 1, "groups": 7, "hard_days": 0}
    reach = within_reach(values, {"first-session"}, out_of_reach={"groups"})
    assert "all-eight" not in [b.id for b, _ in reach]

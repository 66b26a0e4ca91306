"""Badge definitions: stable ids, which are due, which are within reach."""

from __future__ import annotations

from core.badges import BADGES, BY_ID, Standing, due, within_reach

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


def test_every_badge_of_the_product_exists_with_a_name_and_a_reason() -> None:
    assert {b.id for b in BADGES} == PRODUCT_IDS
    assert all(b.name and b.reason and len(b.reason) < 80 for b in BADGES)


def test_badges_are_due_once_their_goal_is_met_and_not_when_already_earned() -> None:
    standing = Standing({"sessions": 10, "streak": 3})
    assert [b.id for b in due(standing, set())] == ["first-session", "sessions-10"]
    assert [b.id for b in due(standing, {"first-session"})] == ["sessions-10"]


def test_unmeasured_metrics_award_nothing() -> None:
    assert due(Standing({}), set()) == []


def test_within_reach_shows_the_closest_badge_per_metric() -> None:
    standing = Standing({"sessions": 8, "streak": 1, "groups": 7, "hard_days": 0})
    reach = within_reach(standing, {"first-session"})
    assert [(b.id, v) for b, v in reach] == [("all-eight", 7), ("sessions-10", 8), ("streak-4", 1)]
    assert BY_ID["all-eight"].goal == 8

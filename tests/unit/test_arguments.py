"""Arguments of /goal, /reward, /pause and /playlist."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.parsing.args import (
    GoalSpec,
    RewardSpec,
    parse_day,
    parse_goal,
    parse_pause,
    parse_playlist,
    parse_reward,
    parse_week,
)
from core.parsing.errors import ParseError


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("hex bar deadlift 100kg x5", GoalSpec("hex-bar-deadlift", 100.0, "kg", 5)),
        ("squat 60 x 5", GoalSpec("barbell-back-squat", 60.0, "kg", 5)),
        ("rdl 80kg x 8", GoalSpec("barbell-rdl", 80.0, "kg", 8)),
        ("goblet squat 32kg x10", GoalSpec("goblet-squat", 32.0, "kg", 10)),
        ("row 70lb x 8", GoalSpec("cable-row", 70.0, "lb", 8)),
    ],
)
def test_goals_in_the_documented_forms(text: str, goal: GoalSpec) -> None:
    assert parse_goal(text) == goal


def test_a_goal_weight_without_unit_is_in_the_runners_units() -> None:
    assert parse_goal("squat 135 x 5", "lb") == GoalSpec("barbell-back-squat", 135.0, "lb", 5)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("squat 501kg x5", "Weight"),
        ("squat 1103lb x5", "Weight"),
        ("squat 60kg x0", "Reps"),
        ("squat 60kg x101", "Reps"),
        ("squat", "/goal"),
        ("100kg x5", "Which exercise"),
        ("xyz 60kg x5", "Unknown exercise"),
    ],
)
def test_bad_goals_say_what_is_wrong(text: str, part: str) -> None:
    result = parse_goal(text)
    assert isinstance(result, ParseError) and part in result.message


def test_goal_limit_boundaries_are_inside() -> None:
    assert parse_goal("squat 500kg x100") == GoalSpec("barbell-back-squat", 500.0, "kg", 100)
    assert parse_goal("squat 0 x 1") == GoalSpec("barbell-back-squat", 0.0, "kg", 1)


def test_rewards_with_and_without_a_count() -> None:
    assert parse_reward("smoothie after 3") == RewardSpec("smoothie", 3)
    assert parse_reward("pizza night") == RewardSpec("pizza night", None)
    assert parse_reward("new shoes after 50 sessions") == RewardSpec("new shoes", 50)
    assert parse_reward("beer after the race") == RewardSpec("beer after the race", None)


@pytest.mark.parametrize("text", ["", "  ", "after 3", "smoothie after 0", "smoothie after 51", "x" * 201])
def test_bad_rewards_are_refused(text: str) -> None:
    result = parse_reward(text)
    assert isinstance(result, ParseError) and "/reward" in result.message


def test_a_reward_of_two_hundred_characters_fits() -> None:
    assert parse_reward("x" * 200) == RewardSpec("x" * 200, None)


@pytest.mark.parametrize(("text", "weeks"), [("1", 1), ("4", 4), ("2 weeks", 2), ("3w", 3)])
def test_pause_takes_one_to_four_weeks(text: str, weeks: int) -> None:
    assert parse_pause(text) == weeks


@pytest.mark.parametrize("text", ["", "0", "5", "-1", "soon"])
def test_bad_pauses_are_refused(text: str) -> None:
    result = parse_pause(text)
    assert isinstance(result, ParseError) and "/pause" in result.message


def test_playlist_takes_http_and_https_links() -> None:
    assert (
        parse_playlist(" https://open.spotify.com/playlist/abc ") == "https://open.spotify.com/playlist/abc"
    )
    assert parse_playlist("<http://radio.example/live>") == "http://radio.example/live"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ftp://a.example/x",
        "javascript:alert(1)",
        "spotify.com/x",
        "https://",
        "https://a b",
        "http://[::1",
        "https://a.example/" + "x" * 200,
    ],
)
def test_bad_playlist_links_are_refused(text: str) -> None:
    result = parse_playlist(text)
    assert isinstance(result, ParseError) and "/playlist" in result.message


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["kg", "lb"]))
def test_argument_parsers_never_raise(text: str, units: str) -> None:
    assert isinstance(parse_goal(text, units), GoalSpec | ParseError)  # type: ignore[arg-type]
    assert isinstance(parse_reward(text), RewardSpec | ParseError)
    assert isinstance(parse_pause(text), int | ParseError)
    assert isinstance(parse_playlist(text), str | ParseError)


TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("", TODAY),
        ("today", TODAY),
        ("tomorrow", date(2026, 12, 3)),
        ("sat", date(2026, 12, 5)),
        ("Saturday", date(2026, 12, 5)),
        ("next sat", date(2026, 12, 5)),
        ("wed", TODAY),  # the next Wednesday is today
        ("tue", date(2026, 12, 8)),
        ("2026-12-20", date(2026, 12, 20)),
    ],
)
def test_today_reads_the_day_it_is_asked_about(text: str, day: date) -> None:
    assert parse_day(text, TODAY) == day


@pytest.mark.parametrize("text", ["someday", "2027-06-01", "2026-11-01", "fr"])
def test_today_refuses_a_day_it_cannot_show(text: str) -> None:
    result = parse_day(text, TODAY)
    assert isinstance(result, ParseError) and "/today" in result.message


@pytest.mark.parametrize(("text", "weeks"), [("", 0), ("this week", 0), ("next week", 1), ("next", 1)])
def test_plan_reads_this_or_next_week(text: str, weeks: int) -> None:
    assert parse_week(text) == weeks


def test_plan_refuses_another_week() -> None:
    result = parse_week("in a month")
    assert isinstance(result, ParseError) and "/plan" in result.message

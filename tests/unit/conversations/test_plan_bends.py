"""Life happens and the plan bends: catch-ups, other days and weeks, a lighter day, a pause."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.training.catch_up import catch_ups
from core.training.placement import lift_days
from core.training.profile import Profile
from tests.fakes import Conversation

MON = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # the default plan lifts Tuesday (speed) and Sunday (long)


def day(n: int, hour: int = 8) -> datetime:
    return MON + timedelta(days=n, hours=hour - 8)


@pytest.fixture
def chat(store: object) -> Conversation:
    chat = Conversation(store, at=MON - timedelta(days=7))  # a runner since the week before
    chat.say("/start")
    return chat


def test_a_missed_lift_is_offered_the_next_day_the_rules_allow(chat: Conversation) -> None:
    answer = chat.at(day(2)).say("/today")  # Wednesday, after Tuesday's lift was missed
    assert "Catch-up for Tuesday's lift. 5 moves" in answer
    plan = chat.say("/plan")
    assert "Tue 1 Dec: speed run → lift missed · catch-up Wed 2 Dec" in plan
    assert "Wed 2 Dec: rest → catch-up lift for Tue (5 moves, ~" in plan
    # Not done on Wednesday either: Thursday takes it, and Saturday (before the long run, next to
    # Sunday's lift) never does.
    assert "Catch-up for Tuesday's lift" in chat.at(day(3)).say("/today")
    assert "Catch-up" not in chat.at(day(5)).say("/today")
    assert "Long-run day" in chat.at(day(6)).say("/today")


def test_the_catch_up_counts_like_any_session(chat: Conversation) -> None:
    chat.at(day(2)).say("/log squat 3x10 @40kg; lunge 3x10 @10kg; rdl 3x10 @30kg")
    assert "Today's session is done" in chat.say("/today")
    plan = chat.say("/plan")
    assert "Wed 2 Dec: rest · lifted ✓" in plan
    assert "Tue 1 Dec: speed run → lift missed\n" in plan
    assert "catch-up" not in chat.at(day(3)).say("/today").lower()
    assert "This week: 1/2" in chat.say("/streak")


def test_a_missed_saturday_lift_is_made_up_on_sunday(chat: Conversation) -> None:
    chat.say("/setup runs=wed:speed,sat:long")
    chat.at(day(2)).say("/done")  # Wednesday done, Saturday missed
    answer = chat.at(day(6)).say("/today")
    assert "Catch-up for Saturday's lift" in answer
    assert "Rest day" not in answer


def test_today_answers_for_the_day_it_is_asked_about(chat: Conversation) -> None:
    chat.at(day(0))  # Monday
    tomorrow = chat.say("/today tomorrow")
    assert "Tuesday's session" in tomorrow and "Speed day" in tomorrow
    assert "Sunday's session" in chat.say("/today sun")
    assert "Thu 3 Dec: a rest day — no lifting planned" in chat.say("/today thu")
    assert "Which day" in chat.say("/today someday")


def test_plan_next_week_shows_next_week(chat: Conversation) -> None:
    plan = chat.at(day(0)).say("/plan next week")
    assert "Week of Mon 7 Dec" in plan and "Tue 8 Dec: speed run → lift" in plan
    assert "Week of Mon 30 Nov" in chat.say("/plan")


def test_a_paused_runner_is_told_so_and_offered_mobility_or_resume(chat: Conversation) -> None:
    chat.at(day(0)).say("/pause 1")
    replies = chat.at(day(1)).replies("/today")
    text = replies[0].full_text()
    assert "paused until" in text and "mobility" in text and "/resume" in text
    assert "1. " not in text  # no full session
    assert [b.command for row in replies[0].buttons for b in row] == ["/resume"]
    assert "paused" in chat.say("/plan")
    chat.say("/resume")
    assert "Speed day" in chat.say("/today")


def test_a_lift_the_day_before_a_long_run_is_lighter_and_says_why(chat: Conversation) -> None:
    chat.say("/setup runs=sat:speed,sun:long")
    answer = chat.at(day(5)).say("/today")
    assert "Long run tomorrow: a lighter session." in answer
    assert "lighter" in chat.say("/plan")


@pytest.mark.parametrize("sessions", [2, 3])
@pytest.mark.parametrize(
    "runs",
    [{1: "speed", 6: "long"}, {2: "speed", 5: "long"}, {5: "speed", 6: "long"}, {}, {0: "easy", 3: "long"}],
)
def test_catch_ups_never_sit_next_to_another_lift(runs: dict, sessions: int) -> None:  # type: ignore[type-arg]
    profile = Profile(runs=runs, sessions=sessions)  # type: ignore[arg-type]
    monday = date(2026, 11, 30)
    planned = set(lift_days(profile, monday)) | set(lift_days(profile, monday + timedelta(days=7)))
    for done_mask in range(1 << 7):
        done = {monday + timedelta(days=d) for d in range(7) if done_mask >> d & 1}
        for today in range(7):
            now = monday + timedelta(days=today)
            found = catch_ups(profile, now, done)
            lifting = done | {d for d in planned if d >= now} | {c.day for c in found}
            for c in found:
                assert c.day >= now and c.missed < now
                assert c.day - timedelta(days=1) not in lifting and c.day + timedelta(days=1) not in lifting
            assert len(found) <= max(0, sessions - len(done))


def test_a_day_before_the_runners_first_was_never_theirs_to_miss(store: object) -> None:
    newcomer = Conversation(store, at=day(2))  # first message on Wednesday
    answer = newcomer.say("/today")
    assert "Catch-up" not in answer and "no lifting planned" in answer
    assert "missed" not in newcomer.say("/plan")

"""Streaks, freezes, pauses and late logs, through the core on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes import Conversation
from tests.memory_store import MemoryStore

MONDAY = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def lift_week(chat: Conversation, week: int, sessions: int = 2, user: str = "ana") -> None:
    for day in range(sessions):
        chat.at(MONDAY + timedelta(weeks=week, days=day))
        chat.say("/done", user=user)


@pytest.fixture
def chat(store: MemoryStore) -> Conversation:
    return Conversation(store, at=MONDAY)


def test_counted_weeks_grow_the_streak(chat: Conversation) -> None:
    for week in range(3):
        lift_week(chat, week)
    chat.at(MONDAY + timedelta(weeks=3))
    answer = chat.say("/streak")
    assert "Streak: 3 weeks (best 3)" in answer
    assert "This week: 0/2" in answer


def test_this_week_counts_once_its_target_is_met(chat: Conversation) -> None:
    chat.say("/done")
    assert "Streak: 0 weeks" in chat.say("/streak")
    chat.advance(days=1).say("/done")
    assert "Streak: 1 week (best 1)" in chat.say("/streak")


def test_a_missed_week_spends_a_freeze_announced_at_the_next_interaction(chat: Conversation) -> None:
    for week in range(4):
        lift_week(chat, week)
    chat.at(MONDAY + timedelta(weeks=4))
    assert "Freezes: 1 banked" in chat.say("/streak")
    chat.at(MONDAY + timedelta(weeks=5, days=2))
    answer = chat.say("/today")
    assert "❄️ A freeze kept your 4-week streak alive" in answer
    assert "Streak: 4 weeks" in chat.say("/streak")
    assert "Freezes: 0 banked" in chat.say("/streak")
    assert "freeze" not in chat.say("/plan")


def test_a_missed_week_without_a_freeze_resets_the_streak(chat: Conversation) -> None:
    lift_week(chat, 0)
    lift_week(chat, 1)
    chat.at(MONDAY + timedelta(weeks=3))
    assert "Streak: 0 weeks (best 2)" in chat.say("/streak")


def test_paused_weeks_neither_count_nor_break(chat: Conversation) -> None:
    lift_week(chat, 0)
    chat.at(MONDAY + timedelta(weeks=1))
    assert "Paused for 2 weeks" in chat.say("/pause 2")
    chat.at(MONDAY + timedelta(weeks=3))
    answer = chat.say("/streak")
    assert "Streak: 1 week" in answer
    assert "Freezes: 0" in answer
    assert "freeze kept" not in answer


def test_resume_ends_a_pause_and_later_misses_break_again(chat: Conversation) -> None:
    lift_week(chat, 0)
    chat.at(MONDAY + timedelta(weeks=1, days=2))
    chat.say("/pause 4")
    assert "Welcome back" in chat.advance(days=1).say("/resume")
    assert "not paused" in chat.say("/resume")
    chat.at(MONDAY + timedelta(weeks=2))
    assert "Streak: 1 week" in chat.say("/streak")  # the pause still covered the week it began in
    chat.at(MONDAY + timedelta(weeks=3))
    assert "Streak: 0 weeks (best 1)" in chat.say("/streak")


@pytest.mark.parametrize("text", ["/pause", "/pause 0", "/pause 5", "/pause -1", "/pause soon"])
def test_a_bad_pause_is_refused_and_nothing_changes(chat: Conversation, text: str) -> None:
    assert "1–4" in chat.say(text) or "Form" in chat.say(text)
    assert "Paused" not in chat.say("/streak")


def test_a_late_log_on_monday_makes_last_week_count(chat: Conversation) -> None:
    lift_week(chat, 0, sessions=1)  # only Monday's session last week
    chat.at(MONDAY + timedelta(weeks=1))
    assert "Streak: 0 weeks" in chat.say("/streak")
    answer = chat.say("/log squat 3x8 @20kg; rdl 3x8 @30kg; calf raise 3x10 yesterday")
    assert "Session complete for Sunday" in answer
    assert "Streak: 1 week (best 1)" in chat.say("/streak")
    chat.say("/undo")
    assert "Streak: 0 weeks" in chat.say("/streak")


def test_a_late_log_into_a_frozen_week_gives_the_freeze_back(chat: Conversation) -> None:
    for week in range(4):
        lift_week(chat, week)
    lift_week(chat, 4, sessions=1)
    chat.at(MONDAY + timedelta(weeks=5))
    assert "A freeze kept" in chat.say("/today")
    chat.say("/log squat 3x8 @20kg; rdl 3x8 @30kg; calf raise 3x10 yesterday")
    answer = chat.say("/streak")
    assert "Streak: 5 weeks" in answer
    assert "Freezes: 1 banked" in answer


def test_far_east_runner_sunday_utc_is_already_next_monday(chat: Conversation) -> None:
    chat.say("/setup tz=Pacific/Kiritimati", user="kai")
    chat.at(datetime(2026, 12, 6, 11, 0, tzinfo=UTC))  # Monday 7 Dec, 01:00 in Kiritimati
    chat.say("/done", user="kai")
    chat.at(datetime(2026, 12, 6, 12, 0, tzinfo=UTC)).say(
        "/log squat 3x8; rdl 3x8; calf raise 3x10", user="kai"
    )
    assert "This week: 1/2" in chat.say("/streak", user="kai")
    chat.at(datetime(2026, 12, 7, 11, 0, tzinfo=UTC))  # Tuesday 8 Dec there
    chat.say("/done", user="kai")
    assert "Streak: 1 week" in chat.say("/streak", user="kai")


def test_far_west_runner_keeps_sunday_in_the_old_week_across_new_year(chat: Conversation) -> None:
    chat.say("/setup tz=Pacific/Pago_Pago", user="pia")
    chat.at(datetime(2026, 12, 29, 5, 0, tzinfo=UTC)).say("/done", user="pia")  # Mon 28 Dec there
    chat.at(datetime(2027, 1, 4, 5, 0, tzinfo=UTC)).say("/done", user="pia")  # Sun 3 Jan there
    answer = chat.say("/streak", user="pia")
    assert "This week: 2/2" in answer
    assert "Streak: 1 week" in answer
    chat.at(datetime(2027, 1, 4, 12, 0, tzinfo=UTC))  # Mon 4 Jan there: a new week
    assert "This week: 0/2" in chat.say("/streak", user="pia")
    assert "Streak: 1 week" in chat.say("/streak", user="pia")

"""Each screen shows the same number, undo withdraws, announcements come once: the cases the ledger fixed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from tests.fakes import Conversation
from tests.memory_store import MemoryStore

MONDAY = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SESSION = "/log squat 3x8 @20kg; rdl 3x8 @30kg; calf raise 3x10"


@pytest.fixture
def chat(store: MemoryStore) -> Conversation:
    return Conversation(store, at=MONDAY)


def two_sessions(chat: Conversation, user: str, week: int, where: str | None = None) -> None:
    for day in (0, 2):
        chat.at(MONDAY + timedelta(weeks=week, days=day)).say("/done", user=user, chat=where)


def test_a_member_far_east_sees_the_same_numbers_on_every_screen(chat: Conversation) -> None:
    chat.say("/setup tz=Asia/Tokyo", user="ben")
    chat.say("/join", user="ana", chat="club")
    chat.say("/setup tz=America/New_York", user="ana", chat="club")
    chat.say("/join", user="ben", chat="club")
    two_sessions(chat, "ben", 0)
    two_sessions(chat, "ben", 1)
    # Sunday 19:00 in New York is Monday morning in Tokyo: the recap goes out, ben's new week has begun.
    sunday_evening = datetime(2026, 12, 14, 0, 0, tzinfo=UTC)
    sent: list[Outgoing] = []
    run_nudge_pass(chat.core.store, sunday_evening, sent.append)
    [recap] = [o.reply.full_text() for o in sent if o.kind == "recap"]
    chat.at(sunday_evening + timedelta(hours=1))
    board = chat.say("/leaderboard", user="ana", chat="club")
    mine = chat.say("/streak", user="ben")
    assert "Week of Mon 7 Dec" in recap and "Ben 🔥2" in recap
    assert "Ben — 0 this week · 🔥 2 wks" in board
    assert "Streak: 2 weeks (best 2)" in mine and "This week: 0/2" in mine
    assert "• Ben — 0/2" in chat.say("/group", user="ana", chat="club")


def test_plan_ticks_a_done_day_even_when_no_lift_was_planned(chat: Conversation) -> None:
    chat.at(MONDAY + timedelta(days=2)).say("/done")  # Wednesday: not a planned lift day
    plan = chat.say("/plan")
    assert "Wed 2 Dec: rest · lifted ✓" in plan
    assert "This week: 1/2" in chat.say("/streak")


def test_streak_and_next_freeze_count_the_same_weeks(chat: Conversation) -> None:
    two_sessions(chat, "ana", 0)
    two_sessions(chat, "ana", 1)
    answer = chat.say("/streak")
    assert "Streak: 2 weeks" in answer and "next after 2 more counted weeks" in answer


def test_undo_withdraws_the_pr_from_badges_progress_and_the_recap(chat: Conversation) -> None:
    chat.say("/join", user="dan", chat="club")
    chat.say("/log squat 3x8 @60kg", user="dan", chat="club")
    chat.advance(days=1)
    answer = chat.say("/log squat 3x8 @65kg", user="dan", chat="club")
    assert "New PR: Barbell back squat 65 kg × 8" in answer and "Badge: First PR" in answer
    undone = chat.say("/undo", user="dan")
    assert (
        "Badge withdrawn: First PR" in undone and "takes back the PR Barbell back squat 65 kg × 8" in undone
    )
    assert "First PR" not in chat.say("/badges", user="dan").split("Within reach")[0]
    assert "60 kg" in chat.say("/progress squat", user="dan") and "65" not in chat.say(
        "/progress squat", user="dan"
    )
    chat.at(MONDAY + timedelta(weeks=1))
    recap = chat.say("/group recap", user="dan", chat="club")
    assert "PR" not in recap and "First PR" not in recap
    doc = json.loads(chat.replies("/export", user="dan")[0].attachments[1].data)
    assert doc["records"] == [] and all(b["id"] != "first-pr" for b in doc["badges"])


def test_after_resume_the_group_sees_the_member_again(chat: Conversation) -> None:
    chat.say("/join", user="cara", chat="club")
    chat.say("/pause 2", user="cara")
    chat.advance(days=1).say("/resume", user="cara")
    chat.say(SESSION, user="cara", chat="club")
    answer = chat.advance(hours=2).say("/done", user="cara", chat="club")
    assert "already marked done" in answer  # the same day counts once
    chat.advance(days=1)
    answer = chat.say("/done", user="cara", chat="club")
    assert "Cara: 2/2 this week ✓ · Group: 1/1 have hit this week." in answer
    assert "• Cara — 2/2 ✓" in chat.say("/group", user="cara", chat="club")
    chat.at(MONDAY + timedelta(weeks=1))
    recap = chat.say("/group recap", user="cara", chat="club")
    assert "1/1 hit target." in recap and "On target: Cara (2/2)" in recap


def test_the_freeze_comes_with_the_session_that_earns_it_and_a_reset_is_said_once(chat: Conversation) -> None:
    for week in range(3):
        two_sessions(chat, "ana", week)
    chat.at(MONDAY + timedelta(weeks=3)).say("/done")
    answer = chat.at(MONDAY + timedelta(weeks=3, days=2)).say("/done")
    assert "Freeze earned" in answer and "Badge: Four weeks strong" in answer
    assert "Freezes: 1 banked" in chat.say("/streak")
    # Two short weeks: the first spends the freeze, the second ends the streak.
    chat.at(MONDAY + timedelta(weeks=6, days=1))
    first = chat.say("/today")
    assert first.count("A freeze kept your 4-week streak alive") == 1
    assert first.count("Your 4-week streak ended") == 1
    again = chat.say("/today")
    assert "freeze" not in again.lower() and "streak ended" not in again
    assert "Streak: 0 weeks (best 4)" in chat.say("/streak")


def test_streak_news_from_a_group_chat_waits_for_a_direct_message(chat: Conversation) -> None:
    chat.say("/join", chat="club")
    two_sessions(chat, "ana", 0)
    chat.at(MONDAY + timedelta(weeks=2, days=1))
    assert "streak ended" not in chat.say("/group", chat="club")
    assert "Your 1-week streak ended" in chat.say("/streak")


def test_a_late_log_that_completes_last_week_says_so(chat: Conversation) -> None:
    two_sessions(chat, "ana", 0)
    chat.at(MONDAY + timedelta(weeks=1)).say("/done")
    chat.at(MONDAY + timedelta(weeks=2))  # Monday: last week had one session
    assert "Streak: 0 weeks (best 1)" in chat.say("/streak")
    answer = chat.say(SESSION + " yesterday")
    assert "That completes the week of Mon 7 Dec: 2/2 ✓, streak 2." in answer
    assert "Streak: 2 weeks (best 2)" in chat.say("/streak")
    assert "no longer counts (1/2)" in chat.say("/undo")
    assert "Streak: 0 weeks (best 1)" in chat.say("/streak")


def test_remind_on_brings_back_a_time_set_while_reminders_were_off(chat: Conversation) -> None:
    chat.say("/remind off")
    assert "Reminders are off: /remind on sends them at 20:30" in chat.say("/setup remind=20:30")
    assert "I'll nudge you at 20:30" in chat.say("/remind on")


def test_a_log_with_one_unreadable_entry_saves_nothing_and_names_it(chat: Conversation) -> None:
    answer = chat.say("/log hex bar deadlift 5x5 @100kg; bulgarian split squat 3x8; calf raise 3x8 @50kg")
    assert answer.startswith("Nothing saved — entry 2 of 3, 'bulgarian split squat 3x8':")
    assert "\n" not in answer
    assert "Nothing to undo" in chat.say("/undo")


@pytest.mark.parametrize(
    ("typo", "meant"), [("strek", "streak"), ("tday", "today"), ("leaderbord", "leaderboard")]
)
def test_a_command_typo_suggests_the_nearest_command(chat: Conversation, typo: str, meant: str) -> None:
    assert f"did you mean /{meant}?" in chat.say(f"/{typo}")


def test_a_word_that_is_no_command_at_all_points_to_help(chat: Conversation) -> None:
    answer = chat.say("/xylophone")
    assert "/help" in answer and "did you mean" not in answer

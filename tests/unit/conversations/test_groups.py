"""Buddy groups, rewards, badges, recaps and the data rules, through the core on the in-memory store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from core.ledger import membership
from core.ledger.recap import group_recap
from tests.fakes import Conversation
from tests.memory_store import MemoryStore

MONDAY = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
SESSION = "/log squat 3x8 @20kg; rdl 3x8 @30kg; calf raise 3x10"


@pytest.fixture
def chat(store: MemoryStore) -> Conversation:
    c = Conversation(store, at=MONDAY)
    for user in ("ana", "ben", "cy"):
        c.say("/join", user=user, chat="club")
    return c


def hit_target(chat: Conversation, user: str, where: str | None = None) -> None:
    start = chat.clock.now()
    for day in range(2):
        chat.at(start + timedelta(days=day)).say("/done", user=user, chat=where)
    chat.at(start)


def test_join_twice_and_leave(chat: Conversation) -> None:
    assert "already in" in chat.say("/join", user="ben", chat="club")
    assert "left the group" in chat.say("/leave", user="ben", chat="club")
    assert "not in this group" in chat.say("/leave", user="ben", chat="club")
    assert "Ben" not in chat.say("/group", user="ana", chat="club")


def test_group_commands_need_a_group_chat(chat: Conversation) -> None:
    assert "group chat" in chat.say("/join", user="ana")
    assert "group chat" in chat.say("/leaderboard", user="ana")
    assert "No buddy group here" in chat.say("/group", user="ana", chat="elsewhere")


def test_logging_in_the_group_posts_a_line_and_the_groups_progress(chat: Conversation) -> None:
    answer = chat.say(SESSION, user="ana", chat="club")
    assert "Ana: 1/2 this week · Group: 0/3 have hit this week." in answer
    chat.advance(days=1)
    assert "Group: 1/3 have hit this week." in chat.say("/done", user="ana", chat="club")


def test_a_non_admin_cannot_set_the_group_reward_and_nothing_changes(chat: Conversation) -> None:
    assert "Only a group admin" in chat.say("/reward pizza night", user="ben", chat="club")
    assert "No group reward yet" in chat.say("/group", user="ben", chat="club")
    assert "Only a group admin" in chat.say("/reward pizza", user="ana", chat="club", admin=False)
    assert "Group reward set" in chat.say("/reward pizza", user="ben", chat="club", admin=True)


def test_the_group_reward_unlocks_the_first_week_everyone_hits_and_is_announced_once(
    chat: Conversation,
) -> None:
    chat.say("/reward pizza night", user="ana", chat="club")
    hit_target(chat, "ana", "club")
    hit_target(chat, "ben")
    assert "unlocked" not in chat.say("/group", user="ana", chat="club").split("Group reward")[0]
    chat.at(MONDAY + timedelta(days=1)).say("/done", user="cy")  # cy's second session, in a DM
    chat.at(MONDAY + timedelta(days=0)).say("/done", user="cy")
    first = chat.at(MONDAY + timedelta(days=2)).say("/group", user="ben", chat="club")
    assert first.count("Group reward unlocked: pizza night") == 1
    again = chat.say("/group", user="ben", chat="club")
    assert "Group reward unlocked: pizza night!" not in again
    assert "unlocked Tue 1 Dec" in again  # the day the last member hit target


def test_a_group_reward_takes_no_session_count_and_text_is_limited(chat: Conversation) -> None:
    assert "leave out" in chat.say("/reward pizza after 3", user="ana", chat="club")
    assert "200 characters" in chat.say("/reward " + "x" * 201, user="ana", chat="club")
    assert "No group reward yet" in chat.say("/reward", user="ana", chat="club")


def test_a_personal_reward_unlocks_after_n_more_sessions(chat: Conversation) -> None:
    chat.say("/done", user="ana")
    assert "after 2 more sessions" in chat.say("/reward smoothie after 2", user="ana")
    assert "After how many" in chat.say("/reward smoothie", user="ana")
    assert "1–50" in chat.say("/reward smoothie after 0", user="ana")
    assert "Reward unlocked" not in chat.advance(days=1).say("/done", user="ana")
    assert "Reward unlocked: smoothie" in chat.advance(days=1).say("/done", user="ana")
    assert "✓ smoothie — earned" in chat.say("/reward", user="ana")


def test_badges_are_announced_once_with_their_reason(chat: Conversation) -> None:
    first = chat.say("/done", user="ana")
    assert "Badge: First session" in first
    second = chat.advance(days=1).say("/done", user="ana")
    assert "First session" not in second
    answer = chat.say("/badges", user="ana")
    assert answer.count("First session") == 1
    assert "Within reach" in answer and "2/10 sessions" in answer


def test_a_pr_and_a_goal_earn_their_badges(chat: Conversation) -> None:
    chat.say("/goal squat 30kg x8", user="ana")
    chat.say("/log squat 3x8 @20kg", user="ana")
    answer = chat.advance(days=1).say("/log squat 3x8 @30kg", user="ana")
    assert "Badge: First PR" in answer
    assert "Badge: Goal reached" in answer


def test_the_leaderboard_leaves_hidden_members_out(chat: Conversation) -> None:
    hit_target(chat, "ben")
    chat.say("/done", user="cy")
    chat.say("/hide", user="cy")
    board = chat.say("/leaderboard", user="ana", chat="club")
    assert "1. Ben — 2 this week · 🔥 1 wk" in board
    assert "Cy" not in board
    assert "Cy (hidden)" in chat.say("/group", user="ana", chat="club")
    chat.say("/show", user="cy")
    assert "Cy — 1 this week" in chat.say("/leaderboard", user="ana", chat="club")


def test_sessions_count_in_every_group_of_the_runner(chat: Conversation) -> None:
    chat.say("/join", user="ana", chat="track")
    hit_target(chat, "ana")
    assert "• Ana — 2/2 ✓" in chat.say("/group", user="ana", chat="club")
    assert "• Ana — 2/2 ✓" in chat.say("/group", user="ana", chat="track")


def test_the_recap_names_who_hit_and_what_they_posted_there(chat: Conversation, store: MemoryStore) -> None:
    chat.say("/reward pizza night", user="ana", chat="club")
    chat.say("/log squat 3x8 @20kg", user="ana", chat="club")
    chat.advance(days=1).say("/log squat 3x8 @25kg; rdl 3x8; calf raise 3x10", user="ana", chat="club")
    chat.advance(days=1).say("/done", user="ana")
    chat.say("/log squat 3x5 @20kg", user="ben")
    chat.advance(days=1).say("/log squat 3x5 @40kg", user="ben")  # a PR in a DM: not for the group
    hit_target(chat, "ben")
    chat.at(MONDAY + timedelta(weeks=1))
    recap = chat.say("/group recap", user="cy", chat="club")
    assert "Week of Mon 30 Nov — club" in recap
    assert "2/3 hit target." in recap
    assert "On target: Ana (2/2), Ben (2/2)" in recap
    assert "Streaks: Ana 🔥1, Ben 🔥1" in recap
    assert "Ana: 🏆 PR Squat 25 kg × 8" in recap
    assert "40 kg" not in recap
    assert "pizza night — unlocks the first week" in recap
    with store.unit() as uow:
        group = uow.groups.find("test", "club")
        assert group is not None
        assert group_recap(uow, group, MONDAY.date(), chat.clock.now()).full_text() == recap


def test_forget_removes_the_member_from_groups_and_recaps(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @20kg", user="cy", chat="club")
    chat.advance(days=1).say("/log squat 3x8 @25kg", user="cy", chat="club")
    chat.say("/forget confirm", user="cy")
    assert "Cy" not in chat.say("/group", user="ana", chat="club")
    assert "Cy" not in chat.say("/leaderboard", user="ana", chat="club")
    chat.at(MONDAY + timedelta(weeks=1))
    assert "Cy" not in chat.say("/group recap", user="ana", chat="club")


def test_only_an_admin_sets_the_groups_time_zone(chat: Conversation, store: MemoryStore) -> None:
    assert "Only a group admin" in chat.say("/setup tz=Asia/Tokyo", user="ben", chat="club")
    assert "time zone only" in chat.say("/setup equipment=home", user="ana", chat="club")
    assert "Asia/Tokyo" in chat.say("/setup tz=Asia/Tokyo", user="ana", chat="club")
    with store.unit() as uow:
        group = uow.groups.find("test", "club")
        assert group is not None and group.tz == "Asia/Tokyo"


def test_a_member_leaving_the_chat_or_the_chat_closing_cleans_up(
    chat: Conversation, store: MemoryStore
) -> None:
    with store.unit() as uow:
        assert membership.member_left(uow, "test", "club", "ben", chat.clock.now())
        uow.commit()
    assert "Ben" not in chat.say("/group", user="ana", chat="club")
    with store.unit() as uow:
        assert membership.chat_closed(uow, "test", "club", chat.clock.now())
        uow.commit()
    assert "No buddy group here" in chat.say("/group", user="ana", chat="club")


def test_export_carries_streak_badges_and_rewards(chat: Conversation) -> None:
    chat.say("/reward smoothie after 1", user="ana")
    hit_target(chat, "ana")
    replies = chat.replies("/export", user="ana")
    document = json.loads(replies[0].attachments[1].data)
    assert document["streak"]["current"] == 1
    assert document["streak"]["best"] == 1
    assert document["streak"]["freezes"] == 0
    assert {"id": "first-session", "earned_on": "2026-11-30"} in document["badges"]
    assert document["rewards"][0]["text"] == "smoothie"
    assert document["rewards"][0]["unlocked_on"] == "2026-11-30"


def test_a_chat_that_got_a_new_id_keeps_its_group_members_and_reward_once(
    chat: Conversation, store: MemoryStore
) -> None:
    chat.say("/reward pizza night", user="ana", chat="club")
    with store.unit() as uow:
        assert membership.chat_moved(uow, "test", "club", "club-2")
        assert not membership.chat_moved(uow, "test", "club", "club-2")  # the second notice changes nothing
        uow.commit()
    moved = chat.say("/group", user="ben", chat="club-2")
    assert "Ana" in moved and "Cy" in moved and "pizza night" in moved
    assert "No buddy group here" in chat.say("/group", user="ben", chat="club")


def test_a_big_group_is_summed_up_never_cut(store: MemoryStore) -> None:
    chat = Conversation(store, at=MONDAY)
    people = [f"r{i:02d}" for i in range(40)]
    for who in people:
        chat.say("/join", user=who, chat="big")
        chat.say("/done", user=who)
    listing = chat.say("/group", user="r00", chat="big")
    assert "…and 15 more" in listing and "0/40 have hit this week." in listing
    board = chat.say("/leaderboard", user="r00", chat="big")
    assert board.count("\n") == 26 and "…and 15 more" in board
    chat.at(MONDAY + timedelta(days=1))
    for who in people:
        chat.say("/done", user=who)
    chat.at(MONDAY + timedelta(weeks=1))
    recap = chat.say("/group recap", user="r00", chat="big")
    assert "40/40 hit target." in recap and "and 10 others" in recap

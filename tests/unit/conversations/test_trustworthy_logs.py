"""Trustworthy logs: a second look at odd loads and repeats, /history and /delete, own exercises, /swap."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fakes import Conversation
from tests.memory_store import MemoryStore, snapshot

TUE = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


@pytest.fixture
def chat(store: object) -> Conversation:
    return Conversation(store, at=TUE)


def entries(chat: Conversation) -> str:
    return chat.say("/history")


def test_an_implausible_load_is_asked_about_and_nothing_counts_before_the_confirm(chat: Conversation) -> None:
    replies = chat.replies("/log row 3x8 @300kg")
    assert (
        "300 kg" in replies[0].text and "typo" in replies[0].text and "Nothing is logged" in replies[0].text
    )
    assert [b.command for row in replies[0].buttons for b in row] == ["/log confirm"]
    assert "Nothing logged yet" in entries(chat)
    answer = chat.say("/log confirm")
    assert "Logged: Seated cable row 3×8 @ 300 kg." in answer
    assert "Nothing is waiting" in chat.say("/log confirm")  # a second tap logs nothing twice
    assert entries(chat).count("#") == 1


def test_a_load_far_above_the_runners_best_is_asked_about(chat: Conversation) -> None:
    chat.say("/log squat 3x5 @60kg")
    chat.advance(days=2)
    assert "far above your best barbell back squat so far (60 kg)" in chat.say("/log squat 3x5 @100kg")
    assert "Logged" in chat.say("/log squat 3x5 @85kg")  # a big but believable jump
    assert "PR" in chat.last[0].text


def test_a_repeat_within_minutes_asks_before_doubling(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @40kg; rdl 3x8 @40kg")
    ask = chat.advance(minutes=2).say("/log rdl 3x8 @40kg; squat 3x8 @40kg")
    assert "You logged exactly this" in ask and "2 min ago" in ask
    assert entries(chat).count("#") == 1
    assert "Logged" in chat.say("/log confirm")
    assert entries(chat).count("#") == 2
    assert "Logged" in chat.advance(minutes=11).say("/log rdl 3x8 @40kg; squat 3x8 @40kg")


def test_an_old_question_is_not_confirmed(chat: Conversation) -> None:
    chat.say("/log row 3x8 @300kg")
    answer = chat.advance(minutes=16).say("/log confirm")
    assert "over 15 minutes old" in answer and "/log cable-row 3x8 @300kg 2026-12-01" in answer
    assert "Nothing logged yet" in entries(chat)


def test_history_lists_entries_with_ids_and_dates_and_delete_removes_any_of_them(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @60kg")
    chat.advance(days=1).say("/log squat 3x8 @70kg")  # a PR
    chat.advance(hours=1).say("/done")
    history = entries(chat)
    ids = [int(part.split(" ")[0]) for part in history.split("#")[1:]]
    assert len(ids) == 3 and "Wed 2 Dec" in history and "session marked done" in history
    pr_entry = ids[1]
    answer = chat.say(f"/delete {pr_entry}")
    assert "Removed Barbell back squat 3×8 @ 70 kg (Wed 2 Dec)." in answer
    assert "takes back the PR" in answer
    assert f"#{pr_entry}" not in entries(chat)
    assert "Streak" in chat.say("/streak")
    assert "70" not in chat.say("/progress squat")
    assert "no entry #999" in chat.say("/delete 999")
    assert "Form: /delete ID" in chat.say("/delete squat")


def test_one_runner_cannot_delete_anothers_entry(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @60kg", user="ben")
    ben_id = chat.say("/history", user="ben").split("#")[1].split(" ")[0]
    assert "no entry" in chat.say(f"/delete {ben_id}", user="ana")
    assert f"#{ben_id}" in chat.say("/history", user="ben")


def test_the_exercises_list_names_every_movement_and_the_log_name_of_each_variant(chat: Conversation) -> None:
    listing = chat.say("/exercises")
    for name in ("Squat:", "Deadlift:", "Calf raise:", "Lunge:", "Side lunge:", "Romanian deadlift:", "Row:"):
        assert name in listing
    assert "barbell-back-squat ▶" in listing and "goblet-squat" in listing


def test_an_own_exercise_logs_charts_and_counts_toward_sessions(chat: Conversation) -> None:
    added = chat.say("/exercises add Bulgarian split squat movement=lunge")
    assert "Added Bulgarian split squat" in added and "/swap lunge bulgarian split squat" in added
    chat.say("/exercises add Nordic curl movement=rdl")
    chat.say("/exercises add plank movement=other")
    answer = chat.say("/log bulgarian split squats 3x8 @12kg; nordic curl 3x5; plank 3x45s")
    assert "Bulgarian split squat 3×8 @ 12 kg, Nordic curl 3×5, Plank 3×45 s" in answer
    assert "Session complete" in answer
    assert "Bulgarian split squat" in chat.say("/progress bulgarian split squat")
    assert "Your own: Bulgarian split squat (lunge), Nordic curl (romanian deadlift), Plank" in chat.say(
        "/exercises"
    )
    assert "already" in chat.say("/exercises add bulgarian split squat movement=lunge")
    assert "in the catalog already" in chat.say("/exercises add goblet squat movement=squat")
    assert "Movement" in chat.say("/exercises add step-up movement=dance")
    assert "Form: /exercises add" in chat.say("/exercises add")


def test_a_swap_keeps_the_variant_in_the_plan_until_undone(chat: Conversation) -> None:
    assert "Barbell back squat" in chat.say("/today")
    assert "Kept: Goblet squat for the squat" in chat.say("/swap squat goblet")
    assert "1. Goblet squat" in chat.say("/today")
    assert "Logged: Goblet squat 3×8 @ 16 kg" in chat.say("/log squat 3x8 @16kg")
    assert "Squat: Goblet squat" in chat.say("/swap")
    chat.say("/swap squat default")
    assert "1. Barbell back squat" in chat.say("/today")


def test_a_swap_to_kit_the_runner_lacks_is_refused_and_an_own_exercise_can_be_kept(
    chat: Conversation,
) -> None:
    chat.say("/setup equipment=bodyweight")
    assert "needs barbell" in chat.say("/swap squat barbell back squat")
    chat.say("/exercises add bulgarian split squat movement=lunge")
    assert "Kept: Bulgarian split squat" in chat.say("/swap lunge bulgarian split squat")
    assert "2. Bulgarian split squat" in chat.say("/today")
    assert "Can't tell which variant" in chat.say("/swap squat unicorn")


@pytest.mark.parametrize(
    ("typed", "logged"),
    [
        ("/log squats 3 sets of 8 @20kg", "Barbell back squat 3×8 @ 20 kg"),
        ("/log 3x8 goblet squat @16kg", "Goblet squat 3×8 @ 16 kg"),
        ("/log wall sit 3x45s", "Wall sit 3×45 s"),
        ("/log goblet squat 3x8 @16kg 💪🔥!", "Goblet squat 3×8 @ 16 kg"),
        ("/log push-ups 10, 10, 8.", "Push-up 10,10,8"),
    ],
)
def test_the_forgiving_grammar(chat: Conversation, typed: str, logged: str) -> None:
    assert f"Logged: {logged}." in chat.say(typed)


@pytest.mark.parametrize(
    "bad",
    [
        "/log squat three sets",
        "/log wall sit 3x700s",
        "/log plank 3x45s",
        "/delete",
        "/delete abc",
        "/exercises add",
        "/exercises add x movement=unicorn",
        "/swap",
        "/swap squat unicorn",
        "/swap squat barbell back squat",
        "/today next year",
        "/plan in a month",
        "/log confirm",
    ],
)
def test_bad_input_writes_nothing(bad: str) -> None:
    store = MemoryStore()
    chat = Conversation(store, at=TUE)
    chat.say("/setup equipment=bodyweight")
    before = snapshot(store)
    answer = chat.say(bad)
    assert answer.strip()
    assert snapshot(store) == before, bad


def test_history_is_personal_and_stays_out_of_a_group_chat(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @60kg")
    assert "direct message" in chat.say("/history", chat="club")
    assert "Barbell back squat" in chat.say("/history")


def test_an_own_exercise_can_be_mapped_onto_another_movement_and_the_groups_follow(
    chat: Conversation,
) -> None:
    chat.say("/setup terrain=trail")
    chat.say("/exercises add sissy squat movement=other")
    chat.say("/log sissy squat 3x10")
    assert "All eight: 0/8" in chat.say("/badges")
    assert "Sissy squat now counts as a quad extension." in chat.say(
        "/exercises map sissy squat quad extension"
    )
    assert "All eight: 1/8" in chat.say("/badges")
    assert "Form: /exercises map" in chat.say("/exercises map goblet squat squat")  # not one of your own

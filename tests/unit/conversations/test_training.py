"""Conversations with the core: setup, today, log, undo, goals, progress, export, forget."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from tests.fakes import Conversation

TUE = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # a Tuesday
WED = datetime(2026, 12, 2, 19, 0, tzinfo=UTC)


@pytest.fixture
def chat(store: object) -> Conversation:
    return Conversation(store, at=TUE)


def test_today_works_before_setup_and_says_how_to_personalise(chat: Conversation) -> None:
    answer = chat.say("/today")
    assert "Speed day" in answer
    assert "~" in answer and "min" in answer
    assert "/setup" in answer


def test_today_on_a_rest_day_names_the_next_lift_day(chat: Conversation) -> None:
    answer = chat.at(WED).say("/today")
    assert "no lifting" in answer.lower()
    assert "Sunday" in answer


def test_setup_with_arguments_is_saved_and_changes_the_plan(chat: Conversation) -> None:
    answer = chat.say("/setup runs=mon:speed,wed:easy,sat:long equipment=home tz=Europe/Berlin")
    assert "Saved" in answer
    plan = chat.say("/plan")
    assert "Mon 30 Nov: speed run → lift" in plan
    assert "Sat 5 Dec: long run → lift" in plan
    assert "Wed 2 Dec: easy run\n" in plan + "\n"
    today = chat.at(datetime(2026, 11, 30, 17, 0, tzinfo=UTC)).say("/today")
    assert "goblet" in today.lower() or "dumbbell" in today.lower() or "kettlebell" in today.lower()
    assert "/setup runs=" not in today  # configured: no defaults hint


def test_setup_with_an_unknown_key_names_the_valid_ones_and_saves_nothing(chat: Conversation) -> None:
    answer = chat.say("/setup colour=blue")
    assert "runs" in answer and "equipment" in answer
    assert "Runs: Tue speed, Sun long" in chat.say("/setup")


def test_setup_with_one_bad_value_saves_none_of_the_others(chat: Conversation) -> None:
    chat.say("/setup equipment=home sessions=7")
    assert "gym" in chat.say("/setup")


def test_guided_setup_offers_buttons_with_typed_equivalents(chat: Conversation) -> None:
    replies = chat.replies("/setup")
    commands = [b.command for row in replies[0].buttons for b in row]
    assert "/setup equipment=home" in commands
    assert "/setup sessions=3" in commands
    chat.replies("/setup equipment=home")
    assert "home" in chat.say("/setup")


def test_a_remind_time_in_quiet_hours_is_refused_with_the_reason(chat: Conversation) -> None:
    answer = chat.say("/setup remind=23:00")
    assert "quiet hours" in answer.lower()
    assert "18:00" in chat.say("/setup")


def test_logging_several_entries_records_every_set_and_completes_the_session(chat: Conversation) -> None:
    answer = chat.say("/log goblet squat 3x8 @16kg; pushups 8,8,6; calf raises 3 x 12")
    assert "Squat 3×8 @ 16 kg" in answer
    assert "Push-up 8,8,6" in answer
    assert "Session complete" in answer
    assert "done" in chat.say("/today").lower()


def test_logging_in_pounds_is_stored_in_kg_and_shown_in_the_runners_units(chat: Conversation) -> None:
    chat.say("/setup units=lb")
    answer = chat.say("/log squat 3x8 @45lb")
    assert "45 lb" in answer
    exported = _export(chat)
    rows = list(csv.DictReader(io.StringIO(exported["runlift-sets.csv"].decode())))
    assert float(rows[0]["weight_kg"]) == pytest.approx(20.41, abs=0.01)


def test_an_unknown_exercise_gets_did_you_mean_and_nothing_is_written(chat: Conversation) -> None:
    answer = chat.say("/log squatt jumps 3x8")
    assert "did you mean" in answer.lower() or "try" in answer.lower()
    assert "Nothing to undo" in chat.say("/undo")


def test_a_typo_close_to_one_exercise_is_accepted(chat: Conversation) -> None:
    assert "Romanian deadlift 3×8" in chat.say("/log romanain deadlift 3x8 @40kg")


def test_out_of_range_input_is_refused_with_the_form_and_nothing_is_written(chat: Conversation) -> None:
    for bad in ("/log squat 30x8", "/log squat 3x800", "/log squat 3x8 @900kg", "/log squat"):
        answer = chat.say(bad)
        assert "e.g." in answer, bad
        assert "\n" not in answer.strip(), bad
    assert "Nothing to undo" in chat.say("/undo")


def test_undo_removes_the_whole_last_entry_and_the_session_it_completed(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @20kg")
    chat.say("/log rdl 3x8 @30kg; calf raise 3x10")
    assert "Session complete" in chat.last[0].text
    answer = chat.say("/undo")
    assert "Romanian deadlift" in answer and "Calf raise" in answer
    assert "no longer counts" in answer
    assert "Squat" in chat.say("/undo")
    assert "Nothing to undo" in chat.say("/undo")


def test_done_marks_the_day_once(chat: Conversation) -> None:
    assert "Session done" in chat.say("/done")
    assert "already" in chat.say("/done")
    assert "no longer counts" in chat.say("/undo")


def test_a_heavier_lift_for_the_same_reps_is_announced_as_a_pr(chat: Conversation) -> None:
    chat.say("/log squat 3x5 @60kg")
    assert "PR" not in chat.last[0].text
    chat.at(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    assert "PR" not in chat.say("/log squat 3x8 @70kg")  # other rep count: its first entry
    assert "New PR: Squat 65 kg × 5" in chat.say("/log squat 3x5 @65kg")


def test_load_suggestion_follows_the_last_logs(chat: Conversation) -> None:
    chat.say("/log squat 3x10 @40kg")
    next_tuesday = chat.at(datetime(2026, 12, 8, 12, 0, tzinfo=UTC)).say("/today")
    line = next(x for x in next_tuesday.splitlines() if x.startswith("1. Squat"))
    assert "4×8 @ " in line and " kg" in line
    assert "+" in line or "all" in line  # every rep done last time: a step up


def test_logging_late_with_yesterday_and_a_date(chat: Conversation) -> None:
    assert "for Mon 30 Nov" in chat.say("/log squat 3x8 @20kg yesterday")
    assert "for Fri 27 Nov" in chat.say("/log squat 3x8 @20kg 2026-11-27")
    assert "7 days" in chat.say("/log squat 3x8 @20kg 2026-11-20")
    assert "future" in chat.say("/log squat 3x8 @20kg 2026-12-05").lower()


def test_goal_is_tracked_and_reached(chat: Conversation) -> None:
    assert "Goal set: Hex bar deadlift 100 kg × 5" in chat.say("/goal hex bar deadlift 100kg x5")
    assert "Goal reached" in chat.say("/log hexbar 1x5 @100kg")
    assert "goal 100 kg × 5: reached" in chat.say("/progress hexbar")
    chat.say("/log squat 3x5 @50kg")
    assert "Goal: Hex bar deadlift 100 kg × 5 — reached" in chat.say("/progress squat")


def test_progress_sends_a_chart_image_and_a_summary_line(chat: Conversation) -> None:
    chat.say("/log squat 3x5 @60kg")
    chat.at(datetime(2026, 12, 6, 12, 0, tzinfo=UTC)).say("/log squat 3x5 @65kg")
    replies = chat.replies("/progress")
    (image,) = replies[0].attachments
    assert image.kind == "image"
    assert image.data.startswith(b"\x89PNG")
    assert "Squat" in replies[0].text and "65" in replies[0].text


def test_progress_with_nothing_logged_says_how_to_start(chat: Conversation) -> None:
    assert "/log" in chat.say("/progress")


def _export(chat: Conversation) -> dict[str, bytes]:
    (reply,) = chat.replies("/export")
    return {a.filename: a.data for a in reply.attachments}


def test_export_writes_the_two_files_of_the_contract(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @20kg; pushups 10,9")
    chat.say("/goal squat 40kg x5")
    files = _export(chat)
    lines = files["runlift-sets.csv"].decode().splitlines()
    assert lines[0] == "date,exercise,set,reps,weight_kg"
    assert len(lines) == 1 + 3 + 2
    assert lines[-1].endswith(",")  # bodyweight: empty weight
    assert lines[1].startswith("2026-12-01,")
    doc = json.loads(files["runlift-profile.json"])
    assert {"profile", "streak", "badges", "goals", "rewards"} <= set(doc)
    assert {"current", "best", "freezes"} <= set(doc["streak"])
    assert doc["goals"][0]["reps"] == 5


def test_forget_asks_first_and_confirm_deletes_everything(chat: Conversation) -> None:
    chat.say("/log squat 3x8 @20kg")
    replies = chat.replies("/forget")
    assert any(b.command == "/forget confirm" for row in replies[0].buttons for b in row)
    assert "Squat" in chat.say("/undo")
    chat.say("/log squat 3x8 @20kg")
    assert "deleted" in chat.say("/forget confirm")
    assert "Nothing to undo" in chat.say("/undo")


def test_log_without_arguments_offers_todays_exercises_to_tick(chat: Conversation) -> None:
    replies = chat.replies("/log")
    commands = [b.command for row in replies[0].buttons for b in row]
    assert commands and all(c.startswith("/log ") for c in commands)
    chat.replies(commands[0])
    after = [b.command for row in chat.replies("/log")[0].buttons for b in row]
    assert commands[0] not in after


def test_a_duplicate_event_takes_effect_once(chat: Conversation) -> None:
    assert "Logged" in chat.say("/log squat 3x8 @20kg", event="test:1")
    assert chat.replies("/log squat 3x8 @20kg", event="test:1") == []
    assert "Logged" in chat.say("/log squat 3x8 @20kg", event="test:2")
    chat.say("/undo")
    chat.say("/undo")
    assert "Nothing to undo" in chat.say("/undo")


def test_unknown_commands_and_plain_text_are_handled_politely(chat: Conversation) -> None:
    assert "/help" in chat.say("/dance")
    assert chat.replies("hello there") == []


def test_help_lists_every_command_of_the_table_with_an_example(chat: Conversation) -> None:
    from core.commands.table import COMMANDS

    answer = chat.say("/help")
    for command in COMMANDS:
        assert f"/{command.name}" in answer
    assert answer.count("e.g.") == len(COMMANDS)


def test_playlist_accepts_http_links_only(chat: Conversation) -> None:
    assert "Saved" in chat.say("/playlist https://example.com/mix")
    assert "http" in chat.say("/playlist ftp://example.com/mix")
    assert "example.com/mix" in chat.say("/playlist")


def test_remind_off_on_and_a_time(chat: Conversation) -> None:
    assert "off" in chat.say("/remind off")
    assert "reminders 18:00 (off)" in chat.say("/setup")
    assert "07:30" in chat.say("/remind 07:30")
    assert "quiet hours" in chat.say("/remind 23:30").lower()
    assert "07:30" in chat.say("/setup")


def test_an_unexpected_error_is_answered_with_a_short_apology(chat: Conversation, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from core.commands.table import BY_NAME

    def boom(ctx: object) -> list:  # type: ignore[type-arg]
        raise RuntimeError("boom")

    monkeypatch.setitem(BY_NAME, "plan", replace(BY_NAME["plan"], handler=boom))
    answer = chat.say("/plan")
    assert "Sorry" in answer and "Traceback" not in answer


def test_whole_data_commands_are_refused_in_groups_and_setup_answers_privately(store: object) -> None:
    from core.messages import Incoming

    chat = Conversation(store, at=TUE)
    assert "direct message" in chat.say("/export", chat="club")

    def in_channel(text: str) -> list:  # type: ignore[type-arg]
        return chat.core.handle(Incoming("test", "ana", "Ana", "club", True, text, TUE, private_reply=True))

    for text in ("/export", "/forget", "/forget confirm"):
        (reply,) = in_channel(text)
        assert reply.personal and not reply.attachments and "direct message" in reply.text
    assert "Logged" not in chat.say("/undo")  # nothing was deleted or written
    assert "deleted" not in chat.say("/forget confirm", chat="club")
    (reply,) = in_channel("/setup equipment=home")
    assert reply.personal and "home" in reply.text

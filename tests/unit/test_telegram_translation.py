"""Telegram Update -> Incoming translation and Reply rendering, on real PTB objects built offline."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import Bot, Update

from adapters.telegram_render import bot_commands, chunks, keyboard, reply_html
from adapters.telegram_updates import (
    TokenRedactor,
    bot_removed,
    command_text,
    event_id,
    incoming_from_callback,
    incoming_from_message,
    members_gone,
    readable,
)
from core.messages import Button, Reply

TOKEN = "4242:SECRET-abc"
BOT_ID = 4242
ANNA = {"id": 7, "is_bot": False, "first_name": "Anna", "username": "anna_runs"}
NAMELESS = {"id": 8, "is_bot": False, "first_name": "", "username": "ben_b"}
GROUP = {"id": -1001, "type": "supergroup", "title": "Crew"}
WHEN = 1_733_150_000


@pytest.fixture
def bot() -> Bot:
    return Bot(TOKEN)


def update(bot: Bot, **body: Any) -> Update:
    parsed = Update.de_json({"update_id": 55, **body}, bot)
    assert parsed is not None
    return parsed


def message(text: str, who: dict[str, Any] = ANNA, chat: dict[str, Any] | None = None) -> dict[str, Any]:
    chat = chat or {"id": who["id"], "type": "private", "first_name": who["first_name"]}
    return {"message_id": 3, "from": who, "chat": chat, "date": WHEN, "text": text}


def test_a_command_for_this_bot_loses_its_suffix_and_keeps_its_arguments() -> None:
    assert command_text("/Log@RunliftBot squat 3x8\ncalf raises 3x10", "runliftbot", True) == (
        "/log squat 3x8\ncalf raises 3x10"
    )


def test_commands_for_other_bots_are_ignored() -> None:
    assert command_text("/log@otherbot squat 3x8", "runliftbot", True) is None
    assert command_text("/log@otherbot", "runliftbot", False) is None


def test_an_unknown_bare_command_is_ignored_in_groups_but_passed_on_in_private() -> None:
    assert command_text("/weather", "runliftbot", True) is None
    assert command_text("/weather", "runliftbot", False) == "/weather"
    assert command_text("/weather@runliftbot", "runliftbot", True) == "/weather"


def test_text_that_is_not_a_command_is_not_translated() -> None:
    assert command_text("hello /log", "runliftbot", False) is None
    assert command_text("/", "runliftbot", False) is None


def test_a_private_message_becomes_an_incoming_with_string_ids_and_an_aware_time(bot: Bot) -> None:
    tg = update(bot, message=message("/start"))
    assert tg.message is not None
    incoming = incoming_from_message(event_id(BOT_ID, tg.update_id), tg.message, "runliftbot")
    assert incoming is not None
    assert (incoming.platform, incoming.user_id, incoming.chat_id) == ("telegram", "7", "7")
    assert incoming.text == "/start" and not incoming.is_group and incoming.user_name == "Anna"
    assert incoming.at == datetime.fromtimestamp(WHEN, UTC) and incoming.at.tzinfo is not None
    assert incoming.event_id == f"tg:{BOT_ID}:update:55" and incoming.is_admin is None
    assert incoming.platform_admins  # Telegram has admins of its own: unknown status is never guessed


def test_a_group_message_carries_the_chat_title(bot: Bot) -> None:
    tg = update(bot, message=message("/reward@runliftbot pizza", NAMELESS, GROUP))
    assert tg.message is not None
    incoming = incoming_from_message("e", tg.message, "runliftbot")
    assert incoming is not None
    assert incoming.is_group and incoming.chat_id == "-1001" and incoming.chat_title == "Crew"
    assert incoming.user_name == "ben_b" and incoming.text == "/reward pizza" and incoming.thread_id == ""


def test_messages_from_bots_and_plain_text_are_not_commands(bot: Bot) -> None:
    other_bot = {"id": 9, "is_bot": True, "first_name": "Helper"}
    for body in (message("/start", other_bot), message("nice run!")):
        tg = update(bot, message=body)
        assert tg.message is not None
        assert incoming_from_message("e", tg.message, "runliftbot") is None


def test_a_button_press_becomes_the_command_it_stands_for(bot: Bot) -> None:
    sent = message("Tick what you did", {"id": BOT_ID, "is_bot": True, "first_name": "Runlift"}, GROUP)
    query = {"id": "q1", "from": ANNA, "message": sent, "chat_instance": "c", "data": "/log squat 3x8"}
    tg = update(bot, callback_query=query)
    assert tg.callback_query is not None
    now = datetime(2024, 12, 2, 18, 0, tzinfo=UTC)
    incoming = incoming_from_callback(event_id(BOT_ID, tg.update_id), tg.callback_query, now)
    assert incoming is not None
    assert (incoming.text, incoming.user_id, incoming.chat_id, incoming.is_group) == (
        "/log squat 3x8",
        "7",
        "-1001",
        True,
    )
    assert incoming.at == now and incoming.event_id == f"tg:{BOT_ID}:update:55"


def test_members_leaving_are_found_in_service_messages_and_member_updates(bot: Bot) -> None:
    service = {**message("", ANNA, GROUP), "left_chat_member": NAMELESS}
    del service["text"]
    assert members_gone(update(bot, message=service), BOT_ID) == [("-1001", "8")]
    change = {
        "chat": GROUP,
        "from": ANNA,
        "date": WHEN,
        "old_chat_member": {"status": "member", "user": ANNA},
        "new_chat_member": {"status": "left", "user": ANNA},
    }
    assert members_gone(update(bot, chat_member=change), BOT_ID) == [("-1001", "7")]


def test_the_bot_being_removed_names_the_chat(bot: Bot) -> None:
    me = {"id": BOT_ID, "is_bot": True, "first_name": "Runlift"}
    change = {
        "chat": GROUP,
        "from": ANNA,
        "date": WHEN,
        "old_chat_member": {"status": "member", "user": me},
        "new_chat_member": {"status": "kicked", "user": me, "until_date": 0},
    }
    removed = bot_removed(update(bot, my_chat_member=change))
    assert removed is not None and removed.id == -1001
    assert bot_removed(update(bot, message=message("/start"))) is None


def test_replies_are_escaped_html_with_a_bold_title() -> None:
    reply = Reply("squat <3x8> & calf raises", title="Today <Tue>")
    assert reply_html(reply) == "<b>Today &lt;Tue&gt;</b>\nsquat &lt;3x8&gt; &amp; calf raises"


def test_long_texts_are_cut_at_line_breaks_under_the_limit() -> None:
    text = "\n".join(f"line {i} " + "x" * 50 for i in range(200))
    pieces = chunks(text, 1000)
    assert all(len(p) <= 1000 for p in pieces) and len(pieces) > 1
    assert "\n".join(pieces) == text


def test_buttons_become_an_inline_keyboard_of_typed_commands() -> None:
    reply = Reply(
        "Tick", buttons=((Button("Squat", "/log squat 3x8"), Button("Calf", "/log calf raises 3x10")),)
    )
    markup = keyboard(reply)
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ["/log squat 3x8", "/log calf raises 3x10"]
    ]
    assert keyboard(Reply("no buttons")) is None


def test_the_menus_split_commands_by_scope() -> None:
    private, group = bot_commands()
    assert "join" in {c.command for c in group} and "join" not in {c.command for c in private}
    assert "start" in {c.command for c in private} and "log" in {c.command for c in group}
    assert all(c.command == c.command.lower() and 0 < len(c.description) <= 256 for c in private + group)


def test_an_unreadable_update_is_emptied_to_its_id(bot: Bot) -> None:
    good = readable({"update_id": 1, "message": message("/start")}, bot)
    bad = readable({"update_id": 2, "message": {**message("x"), "sticker": {"file_id": "s"}}}, bot)
    assert good.update_id == 1 and good.message is not None and good.message.text == "/start"
    assert bad.update_id == 2 and bad.message is None and bad.effective_chat is None


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks() -> None:
    redactor = TokenRedactor(TOKEN)
    try:
        raise ValueError(f"GET https://api.example/bot{TOKEN}/getMe failed")
    except ValueError as error:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            "f",
            1,
            "calling %s",
            (f"/bot{TOKEN}/x",),
            (
                type(error),
                error,
                error.__traceback__,
            ),
        )
    assert redactor.filter(record)
    assert TOKEN not in record.getMessage() and "<token>" in record.getMessage()
    assert record.exc_text is not None and TOKEN not in record.exc_text
    encoded = logging.LogRecord("x", logging.INFO, "f", 1, "url /bot4242%3ASECRET-abc/getMe", (), None)
    redactor.filter(encoded)
    assert "SECRET" not in encoded.getMessage()


@pytest.mark.parametrize(
    ("name", "mime", "chat", "text"),
    [
        ("Runna plan.ics", "text/calendar", None, "/setup calendar=upload"),
        ("export", "text/calendar", None, "/setup calendar=upload"),
        ("PLAN.ICS", "application/octet-stream", None, "/setup calendar=upload"),
        ("Runna plan.ics", "text/calendar", GROUP, None),  # a group never sets up anyone's calendar
        ("strong-export.csv", "text/csv", None, None),
        ("photo.jpg", "image/jpeg", None, None),
    ],
)
def test_a_calendar_file_sent_privately_becomes_the_calendar_setup(
    bot: Bot, name: str, mime: str, chat: dict[str, Any] | None, text: str | None
) -> None:
    sent = message("", chat=chat)
    del sent["text"]
    sent["document"] = {"file_id": "BQAC1", "file_unique_id": "u1", "file_name": name, "mime_type": mime}
    parsed = update(bot, message=sent).message
    assert parsed is not None
    found = incoming_from_message(event_id(BOT_ID, 55), parsed, "runliftbot")
    assert (found.text if found is not None else None) == text

"""The Telegram adapter on real python-telegram-bot against the fake Bot API, with a recording hub."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession

from adapters.telegram_chat import TelegramChat
from core.messages import Attachment, Button, ChatAddress, Incoming, RecipientUnreachable, Reply
from core.texts import APOLOGY
from tests.e2e.fake_telegram import BOT, TOKEN, FakeTelegram, group_chat, private_chat, user
from tests.fakes import RecordingHub as BaseRecordingHub

FAKE = FakeTelegram  # the server the `fake` fixture (tests/e2e/conftest.py) starts

pytestmark = pytest.mark.e2e

ANNA = user(1001, "Anna", "anna_runs")
BEN = user(1002, "Ben")
CREW = group_chat(-100500, "Tuesday crew")


class RecordingHub(BaseRecordingHub):
    """Answers each command with a reply naming it; remembers everything the adapter told it."""

    async def answer(self, incoming: Incoming) -> list[Reply]:
        name = incoming.text.split()[0]
        if name == "/boom":
            raise RuntimeError("a bug in the core")
        if incoming.text == "/log":
            ticks = (Button("Squat", "/log squat 3x8"), Button("Calf raises", "/log calf raises 3x10"))
            return [Reply("Tick what you did:", buttons=(ticks,))]
        if name == "/progress":
            return [
                Reply(
                    "Squat best: 60 kg", attachments=(Attachment("progress.png", b"\x89PNG" * 300, "image"),)
                )
            ]
        if name == "/export":
            files = (
                Attachment("runlift-sets.csv", b"date,exercise\n"),
                Attachment("runlift-profile.json", b"{}"),
            )
            return [Reply("Your data", attachments=files)]
        return [Reply(f"You said {incoming.text} <ok> & fine", title=f"Re {name}")]


@pytest.fixture
async def hub() -> RecordingHub:
    return RecordingHub()


@pytest.fixture
async def adapter(fake: FakeTelegram, hub: RecordingHub) -> AsyncIterator[TelegramChat]:
    chat = TelegramChat(TOKEN, fake.root, poll_timeout=2)
    await chat.start(hub)
    yield chat
    await chat.stop()


def sent_to(chat_id: int, needle: str = "") -> object:
    return lambda c: c.method == "sendMessage" and c.chat_id == chat_id and needle in c.text


async def test_a_private_command_reaches_the_hub_and_the_reply_is_escaped_html(fake, hub, adapter) -> None:
    update = fake.send("/start", ANNA)
    call = await fake.wait_for(sent_to(ANNA["id"]))
    assert call.params["parse_mode"] == "HTML"
    assert call.text == "<b>Re /start</b>\nYou said /start &lt;ok&gt; &amp; fine"
    assert call.reply_to is None
    incoming = hub.incoming[0]
    assert (incoming.platform, incoming.user_id, incoming.chat_id) == ("telegram", "1001", "1001")
    assert incoming.user_name == "Anna" and not incoming.is_group
    assert incoming.event_id == f"tg:{fake.token.split(':')[0]}:update:{update['update_id']}"
    assert incoming.at.utcoffset() is not None


async def test_the_commands_menu_is_registered_for_private_chats_and_groups(fake, adapter) -> None:
    menus = {c.params["scope"]["type"]: c.params["commands"] for c in fake.calls_to("setMyCommands")}
    private = {c["command"] for c in menus["all_private_chats"]}
    group = {c["command"] for c in menus["all_group_chats"]}
    assert {"start", "setup", "log", "export"} <= private and "join" not in private
    assert {"join", "leaderboard", "log"} <= group
    assert all(len(c["description"]) <= 256 for c in menus["all_group_chats"])


async def test_group_replies_are_threaded_and_commands_for_other_bots_ignored(fake, hub, adapter) -> None:
    fake.send("/today@otherbot", BEN, CREW)
    mine = fake.send(f"/today@{BOT['username']} please", ANNA, CREW)
    call = await fake.wait_for(sent_to(CREW["id"]))
    assert call.reply_to == mine["message"]["message_id"]
    assert [i.text for i in hub.incoming] == ["/today please"]
    assert hub.incoming[0].is_group and hub.incoming[0].chat_title == "Tuesday crew"


async def test_admin_status_is_read_fresh_for_each_command_that_may_need_it(fake, hub, adapter) -> None:
    fake.statuses[(CREW["id"], ANNA["id"])] = "administrator"
    fake.send("/reward pizza night", ANNA, CREW)
    fake.send("/reward pizza night", BEN, CREW)
    fake.send("/reward tacos", ANNA, CREW)
    fake.send("/today", BEN, CREW)
    await fake.wait_for(sent_to(CREW["id"]), count=4)
    admin = {(i.user_id, i.text): i.is_admin for i in hub.incoming}
    assert admin[("1001", "/reward pizza night")] is True
    assert admin[("1002", "/reward pizza night")] is False
    assert admin[("1002", "/today")] is None
    assert len(fake.calls_to("getChatMember")) == 3  # no cache: a demoted admin loses the power at once


async def test_a_button_press_is_answered_and_edits_the_message(fake, hub, adapter) -> None:
    fake.send("/log", ANNA)
    keyboard = await fake.wait_for(sent_to(ANNA["id"], "Tick"))
    owner = str(ANNA["id"])
    assert [b["callback_data"] for b in keyboard.buttons] == [
        f"{owner}:/log squat 3x8",
        f"{owner}:/log calf raises 3x10",
    ]
    fake.press(keyboard, f"{owner}:/log squat 3x8", ANNA)
    answered = await fake.wait_for(lambda c: c.method == "answerCallbackQuery")
    edited = await fake.wait_for(lambda c: c.method == "editMessageText")
    assert answered.at <= edited.at + 1
    assert edited.params["message_id"] == str(keyboard.params["_message_id"])
    assert "You said /log squat 3x8" in edited.text and "reply_markup" not in edited.params
    assert hub.incoming[-1].text == "/log squat 3x8"


async def test_charts_go_as_photos_and_exports_as_documents(fake, adapter) -> None:
    fake.send("/progress", ANNA)
    fake.send("/export", ANNA)
    photo = await fake.wait_for(lambda c: c.method == "sendPhoto")
    assert photo.params["photo"]["size"] == 1200 and photo.text == "Squat best: 60 kg"
    await fake.wait_for(lambda c: c.method == "sendDocument", count=2)
    names = [c.params["document"]["filename"] for c in fake.calls_to("sendDocument")]
    assert names == ["runlift-sets.csv", "runlift-profile.json"]


async def test_a_blocked_bot_marks_the_user_unreachable_and_keeps_answering(fake, hub, adapter) -> None:
    fake.fail_next("sendMessage", 403)
    fake.send("/today", ANNA)
    fake.send("/plan", BEN)
    await fake.wait_for(sent_to(BEN["id"]))
    assert hub.unreachable_users == ["1001"]
    with pytest.raises(RecipientUnreachable):
        fake.fail_next("sendMessage", 403)
        await adapter.send(ChatAddress("telegram", "1001"), Reply("Speed day!"))


async def test_flood_control_is_waited_out_and_the_reply_still_arrives(fake, adapter) -> None:
    fake.fail_next("sendMessage", 429, retry_after=1)
    started = time.perf_counter()
    fake.send("/today", ANNA)
    call = await fake.wait_for(sent_to(ANNA["id"]), count=2)
    failed = fake.calls_to("sendMessage")[0]
    assert failed is not call and call.at - failed.at >= 0.9
    assert call.at - started < 5


async def test_members_leaving_and_the_bot_removed_reach_the_hub(fake, hub, adapter) -> None:
    leave = fake.message("", BEN, CREW)
    del leave["message"]["text"]
    leave["message"]["left_chat_member"] = BEN
    fake.enqueue(leave)
    fake.member_update(CREW, ANNA, "member", "left", mine=False)
    fake.member_update(CREW, ANNA, "member", "kicked", mine=True)
    fake.member_update(private_chat(BEN), BEN, "member", "kicked", mine=True)
    fake.send("/today", ANNA)
    await fake.wait_for(sent_to(ANNA["id"]))
    assert hub.left == [("-100500", "1002"), ("-100500", "1001")]
    assert hub.closed == ["-100500"]
    assert hub.unreachable_users == ["1002"]


async def test_a_failing_command_or_an_odd_update_never_stops_polling(fake, hub, adapter) -> None:
    fake.send("/boom", ANNA)
    sticker = fake.message("", ANNA)
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1}
    fake.enqueue(sticker)
    fake.enqueue({"edited_message": fake.message("/today", ANNA)["message"]})
    fake.send("hello there", ANNA)
    fake.send("/plan", ANNA)
    await fake.wait_for(sent_to(ANNA["id"], "/plan"))
    assert fake.calls_to("sendMessage")[0].text == APOLOGY
    assert [i.text for i in hub.incoming] == ["/boom", "/plan"]


async def test_bot_initiated_sends_render_like_replies_without_threading(fake, adapter) -> None:
    await adapter.send(
        ChatAddress("telegram", str(CREW["id"]), True), Reply("3/5 hit <target>", title="Recap")
    )
    call = fake.calls_to("sendMessage")[-1]
    assert call.text == "<b>Recap</b>\n3/5 hit &lt;target&gt;" and call.reply_to is None


async def test_the_token_never_reaches_the_logs(fake, hub, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    chat = TelegramChat(TOKEN, fake.root, poll_timeout=1)
    await chat.start(hub)
    fake.send("/today", ANNA)
    await fake.wait_for(sent_to(ANNA["id"]))
    await chat.stop()
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "getUpdates" in logged
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged


async def test_stop_is_quick_and_safe_to_repeat(fake, hub) -> None:
    chat = TelegramChat(TOKEN, fake.root, poll_timeout=10)
    await chat.start(hub)
    started = time.perf_counter()
    await chat.stop()
    await chat.stop()
    assert time.perf_counter() - started < 3


SECRET = "hook-Secret_0123456789"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_registers_the_url_and_takes_updates_posted_to_it(fake, hub) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    chat = TelegramChat(
        TOKEN, fake.root, webhook_url=url, webhook_listen=f"127.0.0.1:{port}", webhook_secret=SECRET
    )
    await chat.start(hub)
    try:
        registered = fake.calls_to("setWebhook")[0]
        assert registered.params["url"] == url and registered.params["secret_token"] == SECRET
        update = {"update_id": 77, **fake.message("/today", ANNA)}
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": SECRET,
            "Content-Type": "application/json",
        }
        async with (
            ClientSession() as session,
            session.post(url, data=json.dumps(update), headers=headers) as answer,
        ):
            assert answer.status == 200
        call = await fake.wait_for(sent_to(ANNA["id"]))
        assert "/today" in call.text and hub.incoming[0].event_id.endswith(":update:77")
    finally:
        await chat.stop()


async def test_a_rejected_token_stops_start_without_showing_the_token(fake, hub) -> None:
    chat = TelegramChat("999:WRONG-secret", fake.root)
    with pytest.raises(RuntimeError) as failure:
        await chat.start(hub)
    assert "WRONG-secret" not in str(failure.value) and failure.value.__cause__ is None
    assert failure.value.__suppress_context__


async def test_a_burst_in_one_group_is_paced_and_merged_never_flooding(fake, hub, adapter) -> None:
    people = [user(3000 + i, f"Runner{i}") for i in range(24)]
    for who in people:
        fake.send("/today", who, CREW)
    await fake.wait_for(
        lambda c: sum(d.text.count("You said /today") for d in fake.calls_to("sendMessage")) >= 24, timeout=20
    )
    sent = fake.calls_to("sendMessage")
    assert sum(c.text.count("You said /today") for c in sent) == 24  # every command answered once
    assert len(sent) < 24  # the ones that had to wait went out together
    assert fake.flood.refused == 0


async def test_the_webhook_secret_never_reaches_the_logs_even_at_debug(
    fake, hub, caplog: pytest.LogCaptureFixture
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    chat = TelegramChat(
        TOKEN, fake.root, webhook_url=url, webhook_listen=f"127.0.0.1:{port}", webhook_secret=SECRET
    )
    with caplog.at_level(logging.DEBUG):
        await chat.start(hub)
        await chat.stop()
    assert "setWebhook" in caplog.text
    assert SECRET not in caplog.text and TOKEN not in caplog.text


async def test_answers_waiting_for_their_chats_pace_are_held_until_they_go_out(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers with buttons do not go out together: a chat's queue of them waits one pace slot each.
    While they wait, the adapter holds their kept answers (so no sender sends them as left by a
    dead process), each until it is out; every one is sent once."""
    from adapters import telegram_chat
    from adapters.pacing import Limit, Pacer

    monkeypatch.setattr(telegram_chat, "HOLD_EVERY_S", 0.3)
    hub = RecordingHub()
    chat = TelegramChat(TOKEN, fake.root, poll_timeout=2, pacer=Pacer((Limit(1, 0.5, "chat"),)))
    await chat.start(hub)
    try:
        updates = [fake.send("/log", ANNA) for _ in range(5)]
        await fake.wait_for(sent_to(ANNA["id"], "Tick what you did"), timeout=15, count=5)
        await asyncio.sleep(0.5)
    finally:
        await chat.stop()
    events = [f"tg:{fake.token.split(':')[0]}:update:{u['update_id']}" for u in updates]
    assert len(fake.calls_to("sendMessage", ANNA["id"])) == 5
    held = [set(call) for call in hub.held_events]
    assert held, "the queue waited over a second and nothing was held"
    assert all(call <= set(events) for call in held)
    assert events[-1] in set().union(*held)  # the last answer waited longest
    assert sorted(hub.replied_events) == sorted(events)

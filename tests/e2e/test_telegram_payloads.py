"""Real-world Telegram payloads, shaped as the Bot API documents them: supergroup migration, anonymous
admins and channels, forum topics, edits and channel posts, a private chat that blocked the bot,
and other members' button presses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.telegram_chat import TelegramChat
from core.messages import Button, Incoming, Reply
from tests.e2e.fake_telegram import TOKEN, FakeTelegram, group_chat, user
from tests.fakes import RecordingHub

FAKE = FakeTelegram

pytestmark = pytest.mark.e2e

ANNA = user(1001, "Anna")
BEN = user(1002, "Ben")
CREW = group_chat(-100500, "Tuesday crew")
# https://core.telegram.org/bots/api#message: sender_chat is set for anonymous admins (the group itself,
# posted through @GroupAnonymousBot) and for messages a linked channel forwards automatically.
ANONYMOUS_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}


class Hub(RecordingHub):
    async def answer(self, incoming: Incoming) -> list[Reply]:
        if incoming.text == "/today":
            return [Reply("Your session", buttons=((Button("✓ Squat", "/log squat 3x8"),),))]
        return [Reply(f"You said {incoming.text}")]


@pytest.fixture
async def hub() -> Hub:
    return Hub()


@pytest.fixture
async def adapter(fake: FakeTelegram, hub: Hub) -> AsyncIterator[TelegramChat]:
    chat = TelegramChat(TOKEN, fake.root, poll_timeout=1)
    await chat.start(hub)
    yield chat
    await chat.stop()


def sent_to(chat_id: int, text: str = "") -> Any:
    return lambda c: c.method == "sendMessage" and c.chat_id == chat_id and text in c.text


async def settled(fake: FakeTelegram, hub: Hub, count: int) -> None:
    import asyncio

    for _ in range(200):
        if len(hub.settled_events) + len(hub.incoming) + len(hub.moved) >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"only {hub.settled_events} settled")


async def test_a_group_upgraded_to_a_supergroup_moves_once(
    fake: FakeTelegram, hub: Hub, adapter: TelegramChat
) -> None:
    old = {"id": -4001, "type": "group", "title": "Crew"}
    new = {"id": -1009001, "type": "supergroup", "title": "Crew"}
    to = fake.message("", ANNA, old)
    del to["message"]["text"]
    to["message"]["migrate_to_chat_id"] = new["id"]
    fake.enqueue(to)
    came = fake.message("", {**ANONYMOUS_BOT, "id": 1087968824}, new)
    del came["message"]["text"]
    came["message"]["migrate_from_chat_id"] = old["id"]
    came["message"]["sender_chat"] = new
    fake.enqueue(came)
    await settled(fake, hub, 2)
    assert hub.moved == [("-4001", "-1009001"), ("-4001", "-1009001")]  # the core moves it once


async def test_an_anonymous_admin_is_asked_to_post_as_themselves_and_nothing_is_run(
    fake: FakeTelegram, hub: Hub, adapter: TelegramChat
) -> None:
    update = fake.message("/log squat 3x8 @20kg", ANONYMOUS_BOT, CREW)
    update["message"]["sender_chat"] = CREW
    fake.enqueue(update)
    channel = {"id": -1007777, "type": "channel", "title": "Club news"}
    forwarded = fake.message("/done", {"id": 777000, "is_bot": False, "first_name": "Telegram"}, CREW)
    forwarded["message"]["sender_chat"] = channel
    forwarded["message"]["is_automatic_forward"] = True
    fake.enqueue(forwarded)
    reply = await fake.wait_for(sent_to(CREW["id"], "Post as yourself"))
    await fake.wait_for(sent_to(CREW["id"], "Post as yourself"), count=2)
    assert reply.reply_to == update["message"]["message_id"]
    assert hub.incoming == []
    await settled(fake, hub, 2)


async def test_replies_stay_in_the_forum_topic_the_command_came_from(
    fake: FakeTelegram, hub: Hub, adapter: TelegramChat
) -> None:
    forum = {"id": -1005005, "type": "supergroup", "title": "Club", "is_forum": True}
    update = fake.message("/streak", ANNA, forum)
    update["message"].update({"message_thread_id": 42, "is_topic_message": True})
    fake.enqueue(update)
    general = fake.message("/plan", ANNA, forum)  # the General topic: no thread id
    fake.enqueue(general)
    in_topic = await fake.wait_for(sent_to(forum["id"], "/streak"))
    outside = await fake.wait_for(sent_to(forum["id"], "/plan"))
    assert in_topic.params["message_thread_id"] == "42"
    assert "message_thread_id" not in outside.params
    assert hub.incoming[0].thread_id == "42"


async def test_edits_and_channel_posts_are_ignored_without_error(
    fake: FakeTelegram, hub: Hub, adapter: TelegramChat
) -> None:
    fake.enqueue({"edited_message": {**fake.message("/today", ANNA)["message"], "edit_date": 1}})
    post = fake.message("/today", ANNA, {"id": -1007777, "type": "channel", "title": "News"})["message"]
    del post["from"]
    fake.enqueue({"channel_post": {**post, "sender_chat": post["chat"]}})
    fake.send("/plan", ANNA)
    await fake.wait_for(sent_to(ANNA["id"], "/plan"))
    assert [i.text for i in hub.incoming] == ["/plan"]
    await settled(fake, hub, 3)


async def test_a_private_chat_that_blocked_the_bot_marks_the_runner_unreachable_at_once(
    fake: FakeTelegram, hub: Hub, adapter: TelegramChat
) -> None:
    private = {"id": ANNA["id"], "type": "private", "first_name": "Anna"}
    fake.member_update(private, ANNA, "member", "kicked", mine=True)
    fake.member_update(CREW, BEN, "member", "left", mine=False)
    fake.send("/plan", ANNA)
    await fake.wait_for(sent_to(ANNA["id"], "/plan"))
    assert hub.unreachable_users == [str(ANNA["id"])]
    assert hub.left == [(str(CREW["id"]), str(BEN["id"]))]


async def test_a_button_acts_only_for_whose_it_is(
    fake: FakeTelegram, hub: Hub, adapter: TelegramChat
) -> None:
    asked = fake.send("/today", ANNA, CREW)
    session = await fake.wait_for(sent_to(CREW["id"], "Your session"))
    [button] = session.buttons
    fake.press(session, button["callback_data"], BEN)
    refused = await fake.wait_for(lambda c: c.method == "answerCallbackQuery")
    assert refused.params["show_alert"] in (True, "true") and "Anna's" in refused.params["text"]
    assert [i.text for i in hub.incoming] == ["/today"]  # nothing ran for Ben
    assert not fake.calls_to("editMessageText")  # Anna's message untouched
    fake.press(session, button["callback_data"], ANNA)
    await fake.wait_for(lambda c: c.method == "editMessageText")
    assert hub.incoming[-1].text == "/log squat 3x8" and hub.incoming[-1].user_id == str(ANNA["id"])
    del asked

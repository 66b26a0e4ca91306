"""The Discord adapter on real discord.py against the fake Discord, with a recording hub."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from adapters.discord_chat import DiscordChat
from core.messages import Attachment, Button, ChatAddress, Incoming, RecipientUnreachable, Reply
from core.texts import APOLOGY
from tests.e2e.fake_discord import FakeDiscord
from tests.fakes import RecordingHub as BaseRecordingHub

FAKE = FakeDiscord  # the server the `fake` fixture (tests/e2e/conftest.py) starts

pytestmark = pytest.mark.e2e

EPHEMERAL = 64
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


class RecordingHub(BaseRecordingHub):
    """Answers each command with a reply naming it; remembers everything the adapter told it."""

    def __init__(self) -> None:
        super().__init__()
        self.delay = 0.0

    async def answer(self, incoming: Incoming) -> list[Reply]:
        await asyncio.sleep(self.delay)
        name = incoming.text.split()[0]
        if name == "/boom" or incoming.text == "/goal boom":
            raise RuntimeError("a bug in the core")
        if name == "/today":
            ticks = (Button("Squat", "/log squat 3x8"), Button("Calf raises", "/log calf raises 3x10"))
            return [Reply("Squat 3x8, calf raises 3x10", title="Today", buttons=(ticks,))]
        if name == "/progress":
            chart = Attachment("progress.png", b"\x89PNG" * 300, "image")
            return [Reply("Squat best: 60 kg", title="Progress", attachments=(chart,))]
        if name == "/export":
            files = (
                Attachment("runlift-sets.csv", b"date,exercise\n"),
                Attachment("runlift-profile.json", b"{}"),
            )
            return [Reply("Your data", attachments=files, personal=True)]
        if name == "/undo" and incoming.event_id in {i.event_id for i in self.incoming[:-1]}:
            return []
        return [Reply(f"You said {incoming.text} *ok*")]


@pytest.fixture
async def hub() -> RecordingHub:
    return RecordingHub()


@pytest.fixture
async def adapter(fake: FakeDiscord, hub: RecordingHub) -> AsyncIterator[DiscordChat]:
    chat = DiscordChat(
        fake.token, fake.api_url, fake.gateway_url, fake.guild_id, answer_within=0.5, guild_ready_timeout=0.1
    )
    await chat.start(hub)
    yield chat
    await chat.stop()


def callback_of(interaction: dict) -> object:
    return lambda c: c.path.startswith(f"/interactions/{interaction['id']}/") and c.status == 200


async def test_it_logs_in_without_privileged_intents_and_registers_commands_to_the_guild(
    fake, adapter
) -> None:
    assert fake.identifies == 1 and fake.intents is not None
    assert fake.intents & PRIVILEGED_INTENTS == 0
    synced = [c for c in fake.calls if c.method == "PUT"]
    assert [c.path for c in synced] == [f"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands"]
    names = {c["name"] for c in fake.commands[fake.guild_id]}
    assert {"setup", "today", "log", "streak", "export", "forget", "help"} <= names


async def test_a_slash_command_in_a_channel_becomes_one_typed_group_message(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    options = {"exercise": "Squat", "sets": 3, "reps": 8, "weight": "16kg", "more": "pushups 3x10"}
    interaction = await fake.slash("log", options, ana)
    call = await fake.wait_for(callback_of(interaction))
    assert call.json["type"] == 4
    assert call.json["data"]["content"] == "You said /log Squat 3x8 @16kg; pushups 3x10 \\*ok\\*"
    assert not call.json["data"].get("flags")
    incoming = hub.incoming[0]
    assert incoming.text == "/log Squat 3x8 @16kg; pushups 3x10"
    assert (incoming.platform, incoming.user_id, incoming.chat_id) == ("discord", ana["id"], fake.channel_id)
    assert incoming.is_group and incoming.chat_title == "lifting-club" and incoming.is_admin is False
    assert incoming.event_id == f"discord:{fake.app_id}:interaction:{interaction['id']}"
    assert incoming.at.utcoffset() is not None and incoming.user_name == "Ana"


async def test_managers_of_the_server_are_admins(fake, hub, adapter) -> None:
    coach = fake.add_user("Coach")
    interaction = await fake.slash("reward", {"reward": "pizza night"}, coach, admin=True)
    await fake.wait_for(callback_of(interaction))
    assert hub.incoming[0].is_admin is True and hub.incoming[0].text == "/reward pizza night"


async def test_in_a_dm_the_chat_is_the_user_and_personal_answers_are_ephemeral(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    interaction = await fake.slash("setup", {"tz": "Europe/Berlin", "equipment": "home"}, ana, dm=True)
    call = await fake.wait_for(callback_of(interaction))
    assert call.json["data"]["flags"] & EPHEMERAL
    incoming = hub.incoming[0]
    assert incoming.text == "/setup tz=Europe/Berlin equipment=home"
    assert (incoming.chat_id, incoming.is_group, incoming.is_admin) == (ana["id"], False, None)


async def test_a_slow_answer_is_deferred_then_sent_as_the_follow_up(fake, hub, adapter) -> None:
    hub.delay = 0.8
    ana = fake.add_user("Ana")
    sent = time.monotonic()
    interaction = await fake.slash("export", {}, ana)
    followup = await fake.wait_for(lambda c: c.method == "POST" and c.path.startswith("/webhooks/"))
    deferral = fake.calls_for(interaction)[0]
    assert deferral.json == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert deferral.at - sent < 0.8 < followup.at - sent
    assert [name for name, _ in followup.files] == ["runlift-sets.csv", "runlift-profile.json"]
    assert followup.json["flags"] & EPHEMERAL
    message = fake.messages[fake.originals[interaction["token"]]]
    assert [a["filename"] for a in message["attachments"]] == ["runlift-sets.csv", "runlift-profile.json"]


async def test_a_chart_is_an_attachment_shown_in_the_embed(fake, adapter) -> None:
    ana = fake.add_user("Ana")
    interaction = await fake.slash("progress", {"exercise": "Squat"}, ana)
    call = await fake.wait_for(callback_of(interaction))
    assert [(name, len(data)) for name, data in call.files] == [("progress.png", 1200)]
    embed = call.json["data"]["embeds"][0]
    assert embed["title"] == "Progress" and embed["image"]["url"] == "attachment://progress.png"


async def test_a_button_press_runs_its_command_and_edits_the_message(fake, hub, adapter) -> None:
    ana, ben = fake.add_user("Ana"), fake.add_user("Ben")
    today = await fake.slash("today", {}, ana)
    call = await fake.wait_for(callback_of(today))
    buttons = call.json["data"]["components"][0]["components"]
    owner = ana["id"]
    assert [b["custom_id"] for b in buttons] == [f"{owner}:/log squat 3x8", f"{owner}:/log calf raises 3x10"]
    message_id = fake.originals[today["token"]]
    press = await fake.press(message_id, "/log squat 3x8", ben)
    edit = await fake.wait_for(callback_of(press))
    assert edit.json["type"] == 7
    assert edit.json["data"]["content"] == "You said /log squat 3x8 \\*ok\\*"
    assert edit.json["data"]["components"] == [] and edit.json["data"]["embeds"] == []
    assert fake.messages[message_id]["content"].startswith("You said /log squat 3x8")
    assert (hub.incoming[-1].user_id, hub.incoming[-1].text) == (ben["id"], "/log squat 3x8")


async def test_exercise_names_autocomplete_from_the_catalog(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    interaction = await fake.autocomplete("log", {"exercise": "hex"}, "exercise", ana)
    call = await fake.wait_for(lambda c: c.path.startswith(f"/interactions/{interaction['id']}/"))
    assert call.json["type"] == 8
    assert call.json["data"]["choices"][0] == {"name": "Hex bar deadlift", "value": "Hex bar deadlift"}
    assert hub.incoming == []


async def test_a_failing_command_gets_a_short_ephemeral_apology(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    interaction = await fake.slash("goal", {"goal": "boom"}, ana)
    call = await fake.wait_for(callback_of(interaction))
    assert call.json["data"]["content"] == APOLOGY and call.json["data"]["flags"] & EPHEMERAL


async def test_a_rate_limited_answer_is_retried_after_the_wait(fake, adapter) -> None:
    ana = fake.add_user("Ana")
    fake.rate_limit_next("/callback", retry_after=0.3)
    interaction = await fake.slash("streak", {}, ana)
    answered = await fake.wait_for(callback_of(interaction))
    limited = fake.calls_for(interaction)[0]
    assert limited.status == 429 and answered is not limited
    assert answered.at - limited.at >= 0.28


async def test_after_a_dropped_gateway_it_resumes_and_keeps_answering(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    await fake.drop_gateway()
    await fake.wait_until(lambda: fake.resumes == 1, timeout=15)
    interaction = await fake.slash("plan", {}, ana)
    await fake.wait_for(callback_of(interaction))
    assert hub.incoming[-1].text == "/plan" and fake.identifies == 1


async def test_bot_initiated_sends_reach_channels_and_dms(fake, adapter) -> None:
    ana = fake.add_user("Ana")
    await adapter.send(ChatAddress("discord", fake.channel_id, True), Reply("Recap: 3/5 hit", title="Week"))
    await adapter.send(ChatAddress("discord", ana["id"]), Reply("Speed day: lift after your run. /today"))
    posts = [c for c in fake.calls if c.method == "POST" and c.path.endswith("/messages")]
    assert posts[0].path == f"/channels/{fake.channel_id}/messages"
    assert posts[0].json["embeds"][0]["title"] == "Week"
    assert posts[1].path == f"/channels/{fake.dm_channels[ana['id']]['id']}/messages"
    assert posts[1].json["content"] == "Speed day: lift after your run. /today"


async def test_closed_dms_raise_unreachable_and_the_adapter_records_nothing(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    fake.blocked.add(ana["id"])
    with pytest.raises(RecipientUnreachable):
        await adapter.send(ChatAddress("discord", ana["id"]), Reply("Speed day!"))
    assert hub.unreachable_users == []  # the nudge pass settles what it means, once


async def test_leaving_members_and_a_removed_bot_reach_the_hub(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    await fake.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": fake.guild_id, "user": ana})
    await fake.wait_until(lambda: bool(hub.left))
    await fake.dispatch("GUILD_DELETE", {"id": fake.guild_id})
    await fake.wait_until(lambda: bool(hub.closed))
    assert hub.left == [(fake.channel_id, ana["id"])]
    assert hub.closed == [fake.channel_id]


async def test_a_deleted_channel_closes_its_group(fake, hub, adapter) -> None:
    await fake.dispatch("CHANNEL_DELETE", fake.channels[fake.channel_id])
    await fake.wait_until(lambda: bool(hub.closed))
    assert hub.closed == [fake.channel_id]


async def test_a_duplicate_delivery_is_not_answered_twice(fake, hub, adapter) -> None:
    ana = fake.add_user("Ana")
    first = await fake.slash("undo", {}, ana)
    await fake.wait_for(callback_of(first))
    await fake.dispatch("INTERACTION_CREATE", first)
    later = await fake.slash("plan", {}, ana)
    await fake.wait_for(callback_of(later))
    await fake.wait_until(lambda: len(hub.incoming) == 3)
    assert [c.status for c in fake.calls_for(first)] == [200]

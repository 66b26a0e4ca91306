"""Real-world Discord interactions, shaped as the API documents them: other members' button presses,
threads, partial members, DMs, commands sent with an out-of-date signature, interactions kept across
a restart, and answers longer than one message."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

import pytest

from adapters.discord_chat import UPGRADED, DiscordChat
from core.messages import Button, InboxEvent, Incoming, Reply
from tests.e2e import fake_discord_objects as obj
from tests.e2e.fake_discord import FakeDiscord
from tests.fakes import RecordingHub

FAKE = FakeDiscord

pytestmark = pytest.mark.e2e


class Hub(RecordingHub):
    def __init__(self) -> None:
        super().__init__()
        self.kept: list[InboxEvent] = []

    async def answer(self, incoming: Incoming) -> list[Reply]:
        if incoming.text == "/today":
            return [Reply("Your session", title="Today", buttons=((Button("✓ Squat", "/log squat 3x8"),),))]
        if incoming.text == "/group":
            lines = "\n".join(f"• Runner {i} — 1/2" for i in range(300))
            return [Reply(lines, title="Club — this week")]
        return [Reply(f"You said {incoming.text}")]

    async def replied(self, event_ids: Sequence[str]) -> None:
        return None

    async def holding(self, event_ids: Sequence[str]) -> None:
        return None

    async def pending(self, platform: str, chat_id: str | None = None) -> list[InboxEvent]:
        return self.kept


@pytest.fixture
async def hub() -> Hub:
    return Hub()


async def start(fake: FakeDiscord, hub: Hub) -> DiscordChat:
    chat = DiscordChat(
        fake.token, fake.api_url, fake.gateway_url, fake.guild_id, answer_within=0.5, guild_ready_timeout=0.1
    )
    await chat.start(hub)
    return chat


@pytest.fixture
async def adapter(fake: FakeDiscord, hub: Hub) -> AsyncIterator[DiscordChat]:
    chat = await start(fake, hub)
    yield chat
    await chat.stop()


def answered(interaction: dict) -> object:
    return lambda c: c.path.startswith(f"/interactions/{interaction['id']}/") and c.status == 200


async def test_a_button_acts_only_for_whose_it_is(fake: FakeDiscord, hub: Hub, adapter: DiscordChat) -> None:
    ana, ben = fake.add_user("Ana"), fake.add_user("Ben")
    today = await fake.slash("today", {}, ana)
    call = await fake.wait_for(answered(today))
    [button] = call.json["data"]["components"][0]["components"]
    assert button["custom_id"] == f"{ana['id']}:/log squat 3x8"
    message_id = fake.originals[today["token"]]
    press = await fake.press(message_id, button["custom_id"], ben)
    refused = await fake.wait_for(answered(press))
    assert refused.json["type"] == 4 and refused.json["data"]["flags"] & obj.EPHEMERAL
    assert "That button is Ana's" in refused.json["data"]["content"]
    assert [i.text for i in hub.incoming] == ["/today"]  # nothing ran for Ben
    assert "Your session" in json.dumps(fake.messages[message_id])  # Ana's message untouched
    mine = await fake.press(message_id, button["custom_id"], ana)
    edit = await fake.wait_for(answered(mine))
    assert edit.json["type"] == 7 and hub.incoming[-1].user_id == ana["id"]


async def test_a_thread_is_a_group_chat_of_its_own(fake: FakeDiscord, hub: Hub, adapter: DiscordChat) -> None:
    ana = fake.add_user("Ana")
    thread = obj.thread(obj.snowflake(), fake.guild_id, fake.channel_id, ana["id"], "tuesday-track")
    payload = obj.interaction(2, {"id": obj.snowflake(), "name": "plan", "type": 1}, ana, fake.app_id, thread)
    fake.interactions[payload["id"]] = payload
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_for(answered(payload))
    incoming = hub.incoming[-1]
    assert (incoming.chat_id, incoming.is_group) == (thread["id"], True)


async def test_a_partial_member_and_a_dm_without_member_are_read(
    fake: FakeDiscord, hub: Hub, adapter: DiscordChat
) -> None:
    ana = fake.add_user("Ana")
    partial = obj.interaction(
        2,
        {"id": obj.snowflake(), "name": "plan", "type": 1},
        ana,
        fake.app_id,
        fake.channels[fake.channel_id],
    )
    # A member object with only what the API guarantees for interactions.
    partial["member"] = {
        "user": ana,
        "roles": [],
        "joined_at": obj.now_iso(),
        "permissions": str(obj.VIEW_AND_SEND),
        "flags": 0,
    }
    fake.interactions[partial["id"]] = partial
    await fake.dispatch("INTERACTION_CREATE", partial)
    await fake.wait_for(answered(partial))
    await fake.wait_for(answered(await fake.slash("streak", {}, ana, dm=True)))
    group, dm = hub.incoming[-2:]
    assert group.is_group and group.is_admin is False
    assert (dm.is_group, dm.chat_id, dm.is_admin) == (False, ana["id"], None)


async def test_a_command_sent_with_an_old_signature_gets_a_short_answer(
    fake: FakeDiscord, hub: Hub, adapter: DiscordChat
) -> None:
    ana = fake.add_user("Ana")
    data = {
        "id": fake._command_id("pause"),
        "name": "pause",
        "type": 1,
        "options": [{"name": "days", "type": 4, "value": 3}],
    }
    stale = await fake.interact(2, data, ana)
    call = await fake.wait_for(answered(stale))
    assert call.json["data"]["content"] == UPGRADED and call.json["data"]["flags"] & obj.EPHEMERAL
    assert hub.incoming == []
    assert hub.settled_events == [f"discord:{fake.app_id}:interaction:{stale['id']}"]


async def test_an_answer_longer_than_a_message_is_split_never_cut(
    fake: FakeDiscord, hub: Hub, adapter: DiscordChat
) -> None:
    ana = fake.add_user("Ana")
    group = await fake.slash("group", {}, ana)
    await fake.wait_for(answered(group))
    await fake.wait_until(lambda: any(c.path.startswith("/webhooks/") for c in fake.calls))
    shown = "".join(
        (e.get("description") or "")
        for c in fake.calls
        if c.json and (c.path.startswith("/webhooks/") or c.path.endswith("/callback"))
        for e in ((c.json.get("data") or c.json).get("embeds") or [])
    )
    assert all(f"Runner {i} —" in shown for i in range(300))


async def test_an_interaction_kept_before_a_crash_is_run_and_followed_up_after_the_restart(
    fake: FakeDiscord, hub: Hub
) -> None:
    ana = fake.add_user("Ana")
    stale = obj.interaction(
        2,
        {"id": obj.snowflake(), "name": "done", "type": 1},
        ana,
        fake.app_id,
        fake.channels[fake.channel_id],
    )
    fake.interactions[stale["id"]] = stale
    kept = {
        "text": "/done",
        "user_id": ana["id"],
        "user_name": "Ana",
        "chat_id": fake.channel_id,
        "is_group": True,
        "is_admin": False,
        "chat_title": "lifting-club",
        "at": datetime.now(UTC).isoformat(),
        "application_id": fake.app_id,
        "token": stale["token"],
    }
    event_id = f"discord:{fake.app_id}:interaction:{stale['id']}"
    hub.kept = [InboxEvent(event_id, "discord", fake.channel_id, json.dumps(kept), datetime.now(UTC))]
    chat = await start(fake, hub)
    try:
        follow = await fake.wait_for(lambda c: c.path == f"/webhooks/{fake.app_id}/{stale['token']}")
        assert "You said /done" in follow.json["content"]
        assert [(i.text, i.event_id) for i in hub.incoming] == [("/done", event_id)]
    finally:
        await chat.stop()

"""Discord sharded (``DISCORD_SHARD_COUNT`` / ``DISCORD_SHARD_IDS``): real discord.py against the fake
Discord, which routes each guild's events to the shard that owns it (``(guild_id >> 22) % count``)
and refuses an invalid shard as Discord does.

One process runs every shard; or two processes' adapters (here, two adapters with real elections on
PostgreSQL) split them, one lock per shard: a shard's gateway runs in exactly one of them at a time,
and when its owner's lock connection is cut the other takes the shard over.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from adapters.discord_chat import DiscordChat
from adapters.store.engine import make_engine
from bot.leadership import Leadership
from core.messages import ChatAddress, Reply
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.fake_discord_gateway import shard_of
from tests.fakes import RecordingHub

FAKE = FakeDiscord
pytestmark = pytest.mark.e2e


def guilds_on_every_shard(fake: FakeDiscord, count: int) -> dict[int, str]:
    """A channel in a guild of each shard (guild ids are snowflakes: add guilds until each shard has one)."""
    found: dict[int, str] = {shard_of(fake.guild_id, count): fake.channel_id}
    while len(found) < count:
        channel = fake.add_guild(f"Club{len(fake.guilds)}")
        found.setdefault(shard_of(fake.channels[channel]["guild_id"], count), channel)
        time.sleep(0.002)  # the next snowflake's timestamp moves on
    return found


def adapter(fake: FakeDiscord, shards: tuple[int, tuple[int, ...]], elect: Any = None) -> DiscordChat:
    return DiscordChat(
        fake.token,
        fake.api_url,
        fake.gateway_url,
        answer_within=0.5,
        guild_ready_timeout=0.1,
        shards=shards,
        elect=elect,
    )


async def answered_once(fake: FakeDiscord, hub: RecordingHub, channel: str, who: dict[str, Any]) -> None:
    before = len(hub.incoming)
    sent = await fake.slash("streak", {}, who, channel_id=channel)
    await fake.wait_until(lambda: any(c.path.startswith(f"/interactions/{sent['id']}/") for c in fake.calls))
    await asyncio.sleep(0.3)
    assert len(hub.incoming) == before + 1
    assert len([c for c in fake.calls if c.path.startswith(f"/interactions/{sent['id']}/")]) == 1


async def test_one_process_runs_every_shard_and_each_guild_is_answered_by_its_own(fake: FakeDiscord) -> None:
    channels = guilds_on_every_shard(fake, 3)
    hub = RecordingHub()
    chat = adapter(fake, (3, (0, 1, 2)))
    await chat.start(hub)
    try:
        assert sorted(fake.gateway.shards_identified) == [(0, 3), (1, 3), (2, 3)]
        assert fake.gateway.live_shards() == [0, 1, 2] and fake.gateway.concurrent == 0
        assert chat.owned_shards() == [0, 1, 2] and chat.connected()
        assert len([c for c in fake.calls if c.method == "PUT" and "/commands" in c.path]) == 1
        who = fake.add_user("Kim")
        for shard in (0, 1, 2):
            await answered_once(fake, hub, channels[shard], who)
        await chat.send(ChatAddress("discord", who["id"]), Reply("A nudge through REST"))
        await fake.wait_for(lambda c: c.method == "POST" and c.path.endswith("/messages"))
    finally:
        await chat.stop()
    assert fake.gateway.live_shards() == []


async def test_a_shard_outside_the_count_is_refused_by_discord(fake: FakeDiscord) -> None:
    chat = adapter(fake, (2, (0,)))
    await chat.start(RecordingHub())
    try:
        assert fake.gateway.shards_identified == [(0, 2)]
    finally:
        await chat.stop()
    wrong = adapter(fake, (2, (5,)))  # cannot come from the settings (they refuse it): Discord's check
    with pytest.raises(RuntimeError, match="shard 5"):
        await wrong.start(RecordingHub())
    assert fake.gateway.invalid_shards >= 1
    fake.refused.clear()


pg = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="a lock per shard needs PostgreSQL (TEST_DATABASE_URL)"
)


@pytest.fixture
async def elections(database_url: str) -> AsyncIterator[list[Leadership]]:
    made: list[Leadership] = []
    yield made
    for election in made:
        await election.release()


@pg
async def test_two_processes_split_the_shards_and_one_takes_over_a_shard_whose_lock_is_lost(
    fake: FakeDiscord, database_url: str, elections: list[Leadership]
) -> None:
    channels = guilds_on_every_shard(fake, 2)

    def elect(shard: int) -> Leadership:
        made = Leadership(
            database_url, retry_s=0.2, check_s=0.2, check_timeout_s=1.0, role=f"discord-shard-{shard}"
        )
        elections.append(made)
        return made

    first_hub, second_hub = RecordingHub(), RecordingHub()
    first = adapter(fake, (2, (0,)), elect)  # DISCORD_SHARD_IDS=0
    second = adapter(fake, (2, (0, 1)), elect)  # may run either
    await first.start(first_hub)
    await fake.wait_until(lambda: first.owned_shards() == [0], 15)
    await second.start(second_hub)
    try:
        await fake.wait_until(lambda: second.owned_shards() == [1], 15)
        assert first.owned_shards() == [0] and fake.gateway.live_shards() == [0, 1]
        who = fake.add_user("Lou")
        await answered_once(fake, first_hub, channels[0], who)
        await answered_once(fake, second_hub, channels[1], who)
        assert (len(first_hub.incoming), len(second_hub.incoming)) == (1, 1)

        first_lock = elections[0]  # the first adapter's election for shard 0
        assert first_lock.leading
        cut_at = time.monotonic()
        pid = (await (await first_lock._conn.execute("select pg_backend_pid()")).fetchone())[0]
        engine = make_engine(database_url)
        with engine.connect() as conn:
            conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
        engine.dispose()
        await fake.wait_until(lambda: first.owned_shards() == [], 5)  # fenced: its gateway closed
        await fake.wait_until(lambda: second.owned_shards() == [0, 1], 15)
        took = time.monotonic() - cut_at
        await answered_once(fake, second_hub, channels[0], who)
        assert len(first_hub.incoming) == 1  # the fenced one answered nothing more
    finally:
        await second.stop()
        await first.stop()
    assert fake.gateway.concurrent == 0, "one shard had two gateway sessions at once"
    assert took < 10, f"shard 0 came back after {took:.1f} s"
    print(f"shard 0 taken over {took:.2f} s after its owner's lock connection was cut")

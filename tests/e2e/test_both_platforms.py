"""`runlift run` with both tokens: both adapters and the scheduler in one process, each nudge on its platform."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from core.commands.context import CoreConfig
from core.messages import Incoming
from core.service import Runlift
from core.training.profile import DAY_NAMES
from tests.conftest import database_url_for
from tests.e2e.botproc import BotProcess
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.fake_telegram import FakeTelegram, group_chat
from tests.e2e.fake_telegram import user as tg_user
from tests.e2e.scene import SCENE_NOW

pytestmark = pytest.mark.e2e


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeDiscord]]:
    telegram, discord = FakeTelegram(), FakeDiscord()
    await telegram.start()
    await discord.start()
    yield telegram, discord
    await discord.stop()
    await telegram.stop()


def _midday_zone(now: datetime) -> str:
    """A fixed-offset zone where it is around noon now, far from quiet hours whenever the test runs."""
    offset = (12 - now.hour + 12) % 24 - 12  # -12..+11 hours
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")  # Etc/GMT-5 is UTC+5


def _runner_due_now(core: Runlift, platform: str, user_id: str, now: datetime, zone: str) -> None:
    local = now.astimezone(__import__("zoneinfo").ZoneInfo(zone))
    remind = (local - timedelta(minutes=5)).strftime("%H:%M")
    today = DAY_NAMES[local.weekday()]
    text = f"/setup runs={today}:speed tz={zone} remind={remind}"
    replies = core.handle(
        Incoming(platform, user_id, user_id, user_id, False, text, now - timedelta(minutes=30))
    )
    assert "Saved" in replies[0].text, replies[0].text


async def test_one_process_serves_both_platforms_and_nudges_each_runner_where_they_are(
    fakes: tuple[FakeTelegram, FakeDiscord], tmp_path: Path
) -> None:
    telegram, discord = fakes
    now = SCENE_NOW  # the bot process runs as of the scene's instant too
    zone = _midday_zone(now)
    discord_user = discord.add_user("Dana")
    engine = make_engine(database_url_for(tmp_path))
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig())
    _runner_due_now(core, "telegram", "4242", now, zone)
    _runner_due_now(core, "discord", discord_user["id"], now, zone)
    engine.dispose()

    bot = BotProcess(
        telegram,
        tmp_path,
        env={
            "DISCORD_BOT_TOKEN": discord.token,
            "DISCORD_API_URL": discord.api_url,
            "DISCORD_GATEWAY_URL": discord.gateway_url,
            "DISCORD_GUILD_ID": discord.guild_id,
        },
    )
    await bot.start()
    try:
        # The first pass runs at start: both nudges were due five minutes ago (inside the late window).
        sent = await telegram.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 4242, timeout=20)
        assert "Speed day" in sent.text
        dm = await discord.wait_for(
            lambda c: c.method == "POST" and c.path.endswith("/messages") and "/channels/" in c.path,
            timeout=20,
        )
        assert "Speed day" in str(dm.json)
        assert "discord adapter running" in bot.output and "telegram adapter running" in bot.output
        # Exactly once: no second copy on either platform.
        assert len(telegram.calls_to("sendMessage", 4242)) == 1
    finally:
        code = await bot.stop()
    assert code == 0, bot.output
    assert "Traceback" not in bot.output
    assert telegram.token not in bot.output and discord.token not in bot.output
    dms = [
        c
        for c in discord.calls
        if c.method == "POST" and "/channels/" in c.path and c.path.endswith("/messages")
    ]
    assert len(dms) == 1


@pytest.mark.parametrize("platform", ["telegram", "discord"])
async def test_a_rejected_token_is_one_clear_line_and_exit_code_1(
    fakes: tuple[FakeTelegram, FakeDiscord], tmp_path: Path, platform: str
) -> None:
    telegram, discord = fakes
    env = (
        {"TELEGRAM_BOT_TOKEN": "123:wrong", "TELEGRAM_API_URL": telegram.root}
        if platform == "telegram"
        else {
            "DISCORD_BOT_TOKEN": "wrong-token",
            "DISCORD_API_URL": discord.api_url,
            "DISCORD_GATEWAY_URL": discord.gateway_url,
        }
    )
    process = BotProcess(telegram, tmp_path, env=env)
    process.platform_env = lambda: {}  # type: ignore[method-assign]
    code = await process.run_to_end(timeout=30)
    assert code == 1, process.output
    errors = [line for line in process.output.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and ("token" in errors[0].lower() or "Unauthorized" in errors[0]), process.output
    assert "Traceback" not in process.output and "wrong" not in process.output.replace("wrong-token", "")


async def test_a_telegram_group_and_a_discord_channel_linked_share_one_tally_and_one_recap(
    fakes: tuple[FakeTelegram, FakeDiscord], tmp_path: Path
) -> None:
    telegram, discord = fakes
    ada, crew = tg_user(5101, "Ada"), group_chat(-100777, "Tuesday crew")
    telegram.statuses[(crew["id"], ada["id"])] = "administrator"
    dana = discord.add_user("Dana")
    env = {
        "DISCORD_BOT_TOKEN": discord.token,
        "DISCORD_API_URL": discord.api_url,
        "DISCORD_GATEWAY_URL": discord.gateway_url,
        "DISCORD_GUILD_ID": discord.guild_id,
    }

    async def in_crew(text: str) -> str:
        update = telegram.send(text, ada, crew)
        message_id = update["message"]["message_id"]
        sent = await telegram.wait_for(
            lambda c: c.method == "sendMessage" and c.reply_to == message_id, timeout=15
        )
        return sent.text

    async def in_channel(name: str, options: dict[str, object], admin: bool = False) -> str:
        interaction = await discord.slash(name, options, dana, admin=admin)
        token = interaction["token"]

        def final() -> bool:
            message = discord.messages.get(discord.originals.get(token, ""))
            return message is not None and not message["flags"] & 128  # no longer "thinking…"

        await discord.wait_until(final, timeout=15)
        message = discord.messages[discord.originals[token]]
        embeds = " ".join(f"{e.get('title', '')}\n{e.get('description', '')}" for e in message["embeds"])
        return f"{message['content']} {embeds}"

    bot = BotProcess(telegram, tmp_path, env=env)
    await bot.start()
    try:
        await in_crew("/join")
        await in_crew("/setup tz=UTC")
        found = re.search(r"Link code: ([A-Z0-9]{6})", await in_crew("/group link"))
        assert found
        await in_channel("join", {})
        assert "Only a group admin" in await in_channel("group", {"view": "link", "code": found.group(1)})
        linked = await in_channel("group", {"view": "link", "code": found.group(1)}, admin=True)
        assert "Linked" in linked and "2 members" in linked, linked
        assert "Group: 0/2 have hit this week." in await in_crew("/done")
        assert "Group: 0/2 have hit this week." in await in_channel("done", {})
        tg_week, dc_week = await in_crew("/group"), await in_channel("group", {})
        for week in (tg_week, dc_week):
            assert "Ada — 1/2" in week and "Dana — 1/2" in week, week
    finally:
        assert await bot.stop() == 0, bot.output

    # Sunday 19:01 in the group's zone: a process starting then posts the recap in both chats.
    sunday = BotProcess(telegram, tmp_path, env={**env, "RUNLIFT_NOW": "2026-12-06T19:01:00+00:00"})
    await sunday.start()
    try:
        tg_recap = await telegram.wait_for(
            lambda c: c.method == "sendMessage" and c.chat_id == crew["id"] and "Week of" in c.text,
            timeout=20,
        )
        dc_recap = await discord.wait_for(
            lambda c: (
                c.method == "POST"
                and c.path.endswith(f"/channels/{discord.channel_id}/messages")
                and "Week of" in str(c.json)
            ),
            timeout=20,
        )
    finally:
        assert await sunday.stop() == 0, sunday.output
    assert "0/2 hit target." in tg_recap.text and "0/2 hit target." in str(dc_recap.json)
    assert "Week of Mon 30 Nov" in tg_recap.text and "Week of Mon 30 Nov" in str(dc_recap.json)
    recaps = [c for c in telegram.calls_to("sendMessage", crew["id"]) if "Week of" in c.text]
    assert len(recaps) == 1
    assert "Traceback" not in bot.output + sunday.output


async def test_one_runner_merged_across_telegram_and_discord_has_one_streak(
    fakes: tuple[FakeTelegram, FakeDiscord], tmp_path: Path
) -> None:
    telegram, discord = fakes
    ada, dana = tg_user(5201, "Ada"), discord.add_user("Dana")
    bot = BotProcess(
        telegram,
        tmp_path,
        env={
            "DISCORD_BOT_TOKEN": discord.token,
            "DISCORD_API_URL": discord.api_url,
            "DISCORD_GATEWAY_URL": discord.gateway_url,
            "DISCORD_GUILD_ID": discord.guild_id,
        },
    )

    async def tg_dm(text: str) -> str:
        seen = len(telegram.calls)
        telegram.send(text, ada)
        sent = await telegram.wait_for(
            lambda c: c in telegram.calls[seen:] and c.method == "sendMessage" and c.chat_id == ada["id"],
            timeout=15,
        )
        return sent.text

    async def dc_dm(name: str, options: dict[str, object]) -> str:
        interaction = await discord.slash(name, options, dana, dm=True)
        token = interaction["token"]

        def final() -> bool:
            message = discord.messages.get(discord.originals.get(token, ""))
            return message is not None and not message["flags"] & 128

        await discord.wait_until(final, timeout=15)
        message = discord.messages[discord.originals[token]]
        embeds = " ".join(f"{e.get('title', '')}\n{e.get('description', '')}" for e in message["embeds"])
        return f"{message['content']} {embeds}"

    await bot.start()
    try:
        await tg_dm("/log squat 3x5 @40kg")
        await dc_dm("done", {})
        found = re.search(r"Your code: ([A-Z0-9]{6})", await tg_dm("/me link"))
        assert found
        preview = await dc_dm("me", {"action": "link", "code": found.group(1)})
        assert (
            "Kept: Telegram (Ada): 1 log entry" in preview
            and "Joined in: Discord (Dana): 1 log entry" in preview
        )
        done = await dc_dm("me", {"action": "link", "code": found.group(1), "confirm": "confirm"})
        assert "Linked" in done, done
        tg_streak, dc_streak = await tg_dm("/streak"), await dc_dm("streak", {})
        week = re.search(r"This week: \d/\d", tg_streak)
        assert week and week.group(0) in dc_streak, (tg_streak, dc_streak)
        assert "Telegram + Discord" in await tg_dm("/me")
    finally:
        assert await bot.stop() == 0, bot.output
    assert "Traceback" not in bot.output

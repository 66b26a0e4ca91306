"""The whole bot (`runlift run`) on Discord: a real process, real discord.py, the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.commands.table import COMMANDS
from tests.e2e.discord_botproc import BotProcess
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.fake_discord_objects import EPHEMERAL, LOADING

FAKE = FakeDiscord  # the server the `fake` fixture (tests/e2e/conftest.py) starts

pytestmark = pytest.mark.e2e


@pytest.fixture
async def bot(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(fake, tmp_path)
    await process.start()
    yield process
    code = await process.stop()
    assert "Traceback" not in process.output, process.output
    assert fake.token not in process.output
    assert code == 0, process.output


async def answer(fake: FakeDiscord, interaction: dict[str, Any]) -> dict[str, Any]:
    """The message answering a slash command, once it is final (no longer "thinking…")."""

    def final() -> bool:
        message = fake.messages.get(fake.originals.get(interaction["token"], ""))
        return message is not None and not message["flags"] & LOADING

    await fake.wait_until(final, timeout=15)
    return fake.messages[fake.originals[interaction["token"]]]


async def edit(fake: FakeDiscord, press: dict[str, Any]) -> dict[str, Any]:
    """The pressed message after the bot edited it (an update callback, or a deferral then an edit)."""
    token = press["token"]
    await fake.wait_for(
        lambda c: (
            c.status == 200
            and (
                (c.path.endswith(f"/{token}/callback") and c.json["type"] == 7)
                or c.path.endswith(f"/{token}/messages/@original")
            )
        ),
        timeout=15,
    )
    return fake.messages[press["message"]["id"]]


def text_of(message: dict[str, Any]) -> str:
    embeds = " ".join(f"{e.get('title', '')}\n{e.get('description', '')}" for e in message["embeds"])
    return f"{message['content']} {embeds}"


async def test_every_command_is_synced_to_the_guild_with_typed_options(fake, bot) -> None:
    synced = {c["name"]: c for c in fake.commands[fake.guild_id]}
    assert set(synced) == {c.name for c in COMMANDS}
    log = {o["name"]: o for o in synced["log"]["options"]}
    assert list(log) == ["exercise", "sets", "reps", "weight", "more"]
    assert log["exercise"]["autocomplete"] and log["exercise"]["required"] and log["exercise"]["type"] == 3
    assert (log["sets"]["type"], log["sets"]["min_value"], log["sets"]["max_value"]) == (4, 1, 20)
    assert not log["weight"]["required"] and not log["more"]["required"]
    setup = {o["name"]: o for o in synced["setup"]["options"]}
    assert set(setup) == {
        "runs",
        "tz",
        "equipment",
        "terrain",
        "sessions",
        "remind",
        "units",
        "calendar",
        "file",
    }
    assert setup["file"]["type"] == 11  # an attachment: an .ics read once
    assert "choices" not in setup["calendar"] or not setup["calendar"]["choices"]
    assert [c["value"] for c in setup["equipment"]["choices"]] == [
        "gym",
        "home",
        "home+bar",
        "bodyweight",
        "bodyweight+bar",
    ]
    assert "choices" not in setup["tz"]
    assert all(len(c["description"]) <= 100 for c in synced.values())


async def test_a_runner_sets_up_plans_logs_and_checks_the_streak(fake, bot) -> None:
    ana = fake.add_user("Ana")
    setup = await answer(
        fake, await fake.slash("setup", {"tz": "Europe/Berlin", "equipment": "home"}, ana, dm=True)
    )
    assert setup["flags"] & EPHEMERAL and "Europe/Berlin" in text_of(setup)

    today = await answer(fake, await fake.slash("today", {}, ana))
    ticks = [b["custom_id"] for row in today["components"] for b in row["components"]]
    assert ticks and all(t.startswith(f"{ana['id']}:/") for t in ticks) and not today["flags"] & EPHEMERAL

    typing = await fake.autocomplete("log", {"exercise": "squ"}, "exercise", ana)
    choices = await fake.wait_for(lambda c: c.path.startswith(f"/interactions/{typing['id']}/"))
    assert choices.json["type"] == 8 and choices.json["data"]["choices"][0]["value"] == "Squat"

    options = {"exercise": "Squat", "sets": 3, "reps": 8, "weight": "16kg", "more": "pushups 3x10"}
    logged = await answer(fake, await fake.slash("log", options, ana))
    assert "Goblet squat 3×8 @ 16 kg" in text_of(logged)

    streak = await answer(fake, await fake.slash("streak", {}, ana))
    assert text_of(streak).strip()

    tick = next(t for t in ticks if t.startswith(f"{ana['id']}:/log"))
    edited = await edit(fake, await fake.press(today["id"], tick, ana))
    assert edited["edited_timestamp"] and "Logged" in text_of(edited)


async def test_charts_and_exports_arrive_as_attachments_and_the_export_is_private(fake, bot) -> None:
    ana = fake.add_user("Ana")
    await answer(
        fake, await fake.slash("log", {"exercise": "Squat", "sets": 3, "reps": 5, "weight": "40kg"}, ana)
    )
    chart = await answer(fake, await fake.slash("progress", {"exercise": "Squat"}, ana))
    assert [a["filename"].endswith(".png") for a in chart["attachments"]] == [True]
    export = await answer(fake, await fake.slash("export", {}, ana, dm=True))
    assert sorted(a["filename"] for a in export["attachments"]) == [
        "runlift-profile.json",
        "runlift-sets.csv",
    ]
    assert export["flags"] & EPHEMERAL


async def test_rate_limits_a_dropped_gateway_and_a_restart_are_survived(fake, bot, tmp_path) -> None:
    ana = fake.add_user("Ana")
    today = await answer(fake, await fake.slash("today", {}, ana))

    fake.rate_limit_next("/interactions/", retry_after=0.3)
    plan = await fake.slash("plan", {}, ana)
    await answer(fake, plan)
    limited, *retried = fake.calls_for(plan)
    assert limited.status == 429 and retried[0].status == 200 and retried[0].at - limited.at >= 0.28

    await fake.drop_gateway()
    await fake.wait_until(lambda: fake.resumes == 1, timeout=15)
    assert "help" in text_of(await answer(fake, await fake.slash("help", {}, ana))).lower()

    assert await bot.stop() == 0
    again = BotProcess(fake, tmp_path)
    await again.start()
    try:
        tick = today["components"][0]["components"][0]["custom_id"]

        edited = await edit(fake, await fake.press(today["id"], tick, ana))
        assert edited["edited_timestamp"]
    finally:
        assert await again.stop() == 0
        assert "Traceback" not in again.output, again.output
    assert fake.identifies == 2


async def test_interaction_tokens_never_reach_the_logs_even_at_debug(fake, tmp_path) -> None:
    process = BotProcess(fake, tmp_path / "debug", env={"LOG_LEVEL": "DEBUG"})
    await process.start()
    try:
        ana = fake.add_user("Ana")
        asked = [await fake.slash(name, {}, ana) for name in ("today", "streak", "help")]
        for interaction in asked:
            await answer(fake, interaction)
    finally:
        assert await process.stop() == 0
    assert "discord.http" in process.output  # the DEBUG lines that carry the URLs are there…
    for interaction in asked:
        leaks = [line for line in process.output.splitlines() if interaction["token"] in line]
        assert leaks == [], leaks[:3]  # …without the tokens
    assert fake.token not in process.output

"""An .ics file attached to Discord's /setup: the real bot downloads it and sets up the calendar, privately."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.discord_answers import answer, text_of
from tests.e2e.discord_botproc import BotProcess
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.fake_discord_objects import EPHEMERAL

FAKE = FakeDiscord
FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendars"

pytestmark = pytest.mark.e2e


@pytest.fixture
async def bot(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(fake, tmp_path)
    await process.start()
    yield process
    code = await process.stop()
    assert "Traceback" not in process.output, process.output
    assert code == 0, process.output


async def test_setup_has_a_file_option(fake: FakeDiscord, bot: BotProcess) -> None:
    synced = {c["name"]: c for c in fake.commands[fake.guild_id]}
    options = {o["name"]: o for o in synced["setup"]["options"]}
    assert options["file"]["type"] == 11 and not options["file"]["required"]


async def test_an_ics_file_attached_in_a_dm_sets_up_the_calendar(fake: FakeDiscord, bot: BotProcess) -> None:
    ruth = fake.add_user("Ruth")
    await answer(fake, await fake.slash("setup", {"tz": "Europe/London"}, ruth, dm=True))
    ics = (FIXTURES / "runna.ics").read_bytes()
    reply = await answer(fake, await fake.slash_with_file("setup", {}, ruth, "Runna plan.ics", ics, dm=True))
    assert fake.downloads == ["Runna plan.ics"]
    assert reply["flags"] & EPHEMERAL
    assert "Calendar connected: file Runna plan.ics — 9 runs found, read once" in text_of(reply)
    week = text_of(await answer(fake, await fake.slash("plan", {}, ruth, dm=True)))
    assert "Intervals · 6 x 800m → lift" in week and "Long Run · 20km → lift" in week


async def test_a_file_that_is_no_calendar_changes_nothing(fake: FakeDiscord, bot: BotProcess) -> None:
    ruth = fake.add_user("Ruth")
    reply = await answer(
        fake, await fake.slash_with_file("setup", {}, ruth, "plan.ics", b"<html>not this</html>", dm=True)
    )
    assert "Couldn't use file plan.ics" in text_of(reply) and "Your plan stays as it was" in text_of(reply)

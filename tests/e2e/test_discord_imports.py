"""A Hevy export attached to Discord's /import in a DM: the real bot downloads it, previews, imports once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from tests.e2e.discord_answers import answer, text_of
from tests.e2e.discord_botproc import BotProcess
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.fake_discord_objects import EPHEMERAL
from tests.export_files import hevy_file

FAKE = FakeDiscord

pytestmark = pytest.mark.e2e
HEVY = hevy_file(date(2026, 6, 1), 20)


@pytest.fixture
async def bot(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(fake, tmp_path)
    await process.start()
    yield process
    code = await process.stop()
    assert "Traceback" not in process.output, process.output
    assert code == 0, process.output


async def test_import_has_an_attachment_option(fake: FakeDiscord, bot: BotProcess) -> None:
    synced = {c["name"]: c for c in fake.commands[fake.guild_id]}
    options = {o["name"]: o for o in synced["import"]["options"]}
    assert options["file"]["type"] == 11 and not options["file"]["required"]


async def test_a_hevy_file_in_a_dm_previews_imports_and_a_second_time_adds_nothing(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    ana = fake.add_user("Ana")
    preview = await answer(fake, await fake.slash_with_file("import", {}, ana, "hevy.csv", HEVY, dm=True))
    text = text_of(preview)
    assert fake.downloads == ["hevy.csv"]
    assert preview["flags"] & EPHEMERAL
    assert "Hevy export" in text and "20 workouts, 240 sets" in text and "Weights in kg" in text
    confirm = next(
        b["custom_id"]
        for row in preview["components"]
        for b in row["components"]
        if b["custom_id"].endswith("/import confirm")
    )
    done = await answer(fake, await fake.slash("import", {"action": "confirm"}, ana, dm=True))
    assert "Imported 240 sets" in text_of(done), confirm
    chart = await answer(fake, await fake.slash("progress", {"exercise": "barbell back squat"}, ana, dm=True))
    assert [a["filename"].endswith(".png") for a in chart["attachments"]] == [True]
    again = await answer(fake, await fake.slash_with_file("import", {}, ana, "hevy.csv", HEVY, dm=True))
    assert "Nothing new in that file" in text_of(again)


async def test_in_a_server_channel_the_answer_is_ephemeral(fake: FakeDiscord, bot: BotProcess) -> None:
    ana = fake.add_user("Ana")
    preview = await answer(fake, await fake.slash_with_file("import", {}, ana, "hevy.csv", HEVY))
    assert preview["flags"] & EPHEMERAL and "Hevy export" in text_of(preview)


async def test_an_attachment_that_cannot_be_downloaded_gets_one_answer(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    ana = fake.add_user("Ana")
    gone = await answer(
        fake, await fake.slash_with_file("import", {}, ana, "hevy.csv", HEVY, dm=True, served=False)
    )
    assert "couldn't download" in text_of(gone)
    assert "Hevy export" not in text_of(gone)

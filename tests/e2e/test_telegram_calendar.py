"""A calendar sent as a file on Telegram: the real bot fetches it with getFile and the file URL of
the (fake) Bot API server, reads it once, and /plan follows it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.botproc import BotProcess
from tests.e2e.fake_telegram import FakeTelegram, user
from tests.e2e.test_telegram_bot import ask, said
from tests.feed_server import FIXTURES

FAKE = FakeTelegram  # the server the `fake` fixture (tests/e2e/conftest.py) starts

pytestmark = pytest.mark.e2e

RUTH = user(5301, "Ruth")


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(fake, tmp_path / "bot")
    await process.start()
    yield process
    await process.stop()
    process.assert_clean()


async def test_an_ics_file_sent_privately_sets_up_the_calendar(fake: FakeTelegram, bot: BotProcess) -> None:
    await ask(fake, "/setup tz=Europe/London", RUTH)
    seen = len(fake.calls)
    fake.send_document((FIXTURES / "runna.ics").read_bytes(), "Runna plan.ics", RUTH)
    answer = await fake.wait_for(lambda c: c.method == "sendMessage" and "Calendar" in c.text, timeout=30)
    assert "Calendar connected: file Runna plan.ics — 9 runs found, read once" in answer.text
    methods = [c.method for c in fake.calls[seen:]]
    assert "getFile" in methods and "file" in methods and methods.index("getFile") < methods.index("file")
    week = said(await ask(fake, "/plan", RUTH))
    assert "Intervals · 6 x 800m → lift" in week and "Long Run · 20km → lift" in week


async def test_a_file_that_is_no_calendar_gets_one_short_answer(fake: FakeTelegram, bot: BotProcess) -> None:
    fake.send_document(b"<html><body>not this</body></html>", "plan.ics", RUTH)
    answer = await fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == RUTH["id"], timeout=30)
    assert "Couldn't use file plan.ics" in answer.text and "Your plan stays as it was" in answer.text

"""A Strong export sent to the real bot process as a Telegram document: getFile, download, preview, import."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.botproc import BotProcess
from tests.e2e.fake_telegram import Call, FakeTelegram, group_chat, user
from tests.export_files import strong_file

FAKE = FakeTelegram

pytestmark = pytest.mark.e2e

RUTH = user(5301, "Ruth")
CREW = group_chat(-100888, "Long run club")
OUTPUTS = ("sendMessage", "sendPhoto", "sendDocument", "editMessageText")
THREE_YEARS = strong_file(date(2023, 11, 27), 156)


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(fake, tmp_path / "bot")
    await process.start()
    yield process
    await process.stop()
    process.assert_clean()


async def answer(fake: FakeTelegram, update: dict[str, Any], chat_id: int) -> list[Call]:
    seen = len(fake.calls)
    fake.enqueue(update)

    def answers() -> list[Call]:
        return [c for c in fake.calls[seen:] if c.method in OUTPUTS and c.chat_id == chat_id]

    await fake.wait_for(lambda c: c in answers(), timeout=30)
    count = -1
    while count != len(answers()):
        count = len(answers())
        await asyncio.sleep(1.1)
    return answers()


def said(calls: list[Call]) -> str:
    return "\n".join(str(c.params.get("text") or c.params.get("caption") or "") for c in calls)


async def test_three_years_of_strong_sent_as_a_document(fake: FakeTelegram, bot: BotProcess) -> None:
    await answer(fake, fake.message("/start", RUTH), RUTH["id"])
    preview = await answer(fake, fake.document("/import", RUTH, "strong.csv", THREE_YEARS), RUTH["id"])
    text = said(preview)
    assert fake.downloads == ["documents/strong.csv"]
    assert "Strong export · 2023-11-28 → 2026-11-21" in text
    assert "312 workouts" in text and "weights read as kg" in text
    assert "Squat (Barbell) → Barbell back squat" in text
    buttons = [
        b["callback_data"] for row in preview[0].params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert len(buttons) == 3
    done = await answer(fake, fake.message("/import confirm", RUTH), RUTH["id"])
    assert "Imported" in said(done) and "312 workouts" in said(done)
    progress = await answer(fake, fake.message("/progress squat", RUTH), RUTH["id"])
    assert any(c.method == "sendPhoto" for c in progress)
    assert "Barbell back squat" in said(progress)
    today = said(await answer(fake, fake.message("/today", RUTH), RUTH["id"]))
    assert "kg" in today
    again = await answer(
        fake, fake.reply("/import", RUTH, fake.document("", RUTH, "strong.csv", THREE_YEARS)), RUTH["id"]
    )
    assert "Nothing new in that file" in said(again)
    exported = await answer(fake, fake.message("/export", RUTH), RUTH["id"])
    assert any(c.method == "sendDocument" for c in exported)


async def test_in_a_group_it_asks_for_a_direct_message_and_fetches_nothing(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    update = fake.document("/import", RUTH, "strong.csv", THREE_YEARS, chat=CREW)
    replies = await answer(fake, update, CREW["id"])
    assert "direct message" in said(replies)
    assert "Squat" not in said(replies)
    assert fake.downloads == []
    assert fake.calls_to("getFile") == []


async def test_a_refused_download_and_a_file_too_big_get_one_answer(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    update = fake.document("/import", RUTH, "gone.csv", b"Date,Exercise\n")
    fake.files.clear()  # getFile refuses the id
    assert "couldn't download" in said(await answer(fake, update, RUTH["id"]))
    big = fake.document("/import", RUTH, "big.csv", b"x", size=25 * 1024 * 1024)
    assert "over 20 MB" in said(await answer(fake, big, RUTH["id"]))


async def test_a_download_that_times_out_is_said_once_and_a_good_one_arrives_whole(
    fake: FakeTelegram,
) -> None:
    from telegram import Bot, Document

    from adapters.telegram_files import fetch_document
    from adapters.uploads import FAILED
    from tests.e2e.fake_telegram import TOKEN

    client = Bot(TOKEN, base_url=f"{fake.root}/bot", base_file_url=f"{fake.root}/file/bot")
    async with client:
        update = fake.document("/import", RUTH, "slow.csv", THREE_YEARS)
        document = Document.de_json(update["message"]["document"], client)
        assert document is not None
        good = await fetch_document(client, document)
        fake.file_delay = 2.0
        slow = await fetch_document(client, document, timeout=0.5)
    assert good.data == THREE_YEARS and not good.error
    assert slow.error == FAILED and not slow.data


async def test_the_preview_buttons_switch_the_unit_and_import(fake: FakeTelegram, bot: BotProcess) -> None:
    small = strong_file(date(2026, 9, 7), 4)
    preview = await answer(fake, fake.document("/import", RUTH, "strong.csv", small), RUTH["id"])
    rows = preview[0].params["reply_markup"]["inline_keyboard"]
    by_label = {b["text"]: b["callback_data"] for row in rows for b in row}
    assert set(by_label) == {"Import", "Cancel", "Weights are lb"}

    async def press(label: str) -> str:
        seen = len(fake.calls)
        fake.press(preview[0], by_label[label], RUTH)
        edited = await fake.wait_for(
            lambda c: c in fake.calls[seen:] and c.method in ("editMessageText", "sendMessage"), timeout=20
        )
        return str(edited.params.get("text", ""))

    assert "weights read as lb" in await press("Weights are lb")
    assert "Imported 160 sets from 8 workouts" in await press("Import")

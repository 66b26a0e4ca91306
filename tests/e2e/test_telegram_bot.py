"""The real bot process (`python -m bot.cli run`) talking to the fake Telegram Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from adapters.telegram_updates import read_owned
from core.commands.context import CoreConfig
from core.messages import Incoming
from core.service import Runlift
from tests.conftest import database_url_for
from tests.e2e.botproc import BotProcess
from tests.e2e.fake_telegram import Call, FakeTelegram, group_chat, user
from tests.e2e.scene import SCENE_NOW

FAKE = FakeTelegram  # the server the `fake` fixture (tests/e2e/conftest.py) starts

pytestmark = pytest.mark.e2e

ANNA = user(5001, "Anna", "anna_runs")
ADA = user(5101, "Ada")
BEN = user(5102, "Ben")
CREW = group_chat(-100777, "Tuesday crew")
OUTPUTS = ("sendMessage", "sendPhoto", "sendDocument")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(fake, tmp_path / "bot")
    await process.start()
    yield process
    await process.stop()
    process.assert_clean()


async def ask(
    fake: FakeTelegram, text: str, who: dict[str, Any], chat: dict[str, Any] | None = None
) -> list[Call]:
    """Send a command and return what the bot sent back to that chat (settled for a moment)."""
    chat_id = (chat or who)["id"]
    seen = len(fake.calls)
    update = fake.send(text, who, chat)

    def answers() -> list[Call]:
        return [c for c in fake.calls[seen:] if c.method in OUTPUTS and c.chat_id == chat_id]

    if chat is not None:  # group replies are threaded to the message they answer
        message_id = update["message"]["message_id"]
        await fake.wait_for(lambda c: c.method in OUTPUTS and c.reply_to == message_id)
    else:
        await fake.wait_for(lambda c: c in answers())
    # Quiet for longer than the per-chat pace (one message a second after a burst of three).
    count = -1
    while count != len(answers()):
        count = len(answers())
        await asyncio.sleep(1.1)
    return answers()


def said(calls: list[Call]) -> str:
    return "\n".join(c.text for c in calls)


async def test_a_private_conversation_from_start_to_a_logged_set(fake: FakeTelegram, bot: BotProcess) -> None:
    welcome = await ask(fake, "/start", ANNA)
    assert "Runlift" in said(welcome) and all(c.params["parse_mode"] == "HTML" for c in welcome)
    assert welcome[0].text.startswith("<b>")
    setup = await ask(fake, "/setup runs=tue:speed,sun:long tz=Europe/Berlin", ANNA)
    assert "Europe/Berlin" in said(setup) and "Tue" in said(setup)
    today = await ask(fake, "/today", ANNA)
    assert len(said(today)) > 20
    logged = await ask(fake, "/log squat 3x8 @20kg", ANNA)
    assert "Barbell back squat 3×8 @ 20 kg" in said(logged)
    assert all(c.params["parse_mode"] == "HTML" for c in fake.calls_to("sendMessage"))


async def test_a_group_logs_together_and_only_an_admin_sets_the_reward(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    fake.statuses[(CREW["id"], ADA["id"])] = "administrator"
    fake.statuses[(CREW["id"], BEN["id"])] = "member"
    for who in (ADA, BEN):
        await ask(fake, "/join", who, CREW)
        logged = await ask(fake, "/log squat 3x8 @20kg", who, CREW)
        assert "Barbell back squat" in said(logged)
    refused = await ask(fake, "/reward pizza night", BEN, CREW)
    accepted = await ask(fake, "/reward@runlift_test_bot pizza night", ADA, CREW)
    assert "admin" in said(refused).lower() and "pizza night" in said(accepted)
    assert said(refused) != said(accepted)
    asked = {int(c.params["user_id"]) for c in fake.calls_to("getChatMember")}
    assert asked == {ADA["id"], BEN["id"]}
    assert "pizza night" in said(await ask(fake, "/group", BEN, CREW))


async def test_ticking_an_inline_button_answers_it_and_edits_the_message(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    today = DAYS[SCENE_NOW.weekday()]
    other = DAYS[(SCENE_NOW.weekday() + 3) % 7]
    await ask(fake, f"/setup runs={today}:speed,{other}:long", ANNA)
    session = await ask(fake, "/today", ANNA)
    with_buttons = next(c for c in session if c.buttons)
    tick = next(
        b["callback_data"]
        for b in with_buttons.buttons
        if read_owned(b["callback_data"])[1].startswith("/log ")
    )
    assert read_owned(tick)[0] == str(ANNA["id"])  # the button carries whose it is
    fake.press(with_buttons, tick, ANNA)
    await fake.wait_for(lambda c: c.method == "answerCallbackQuery")
    edited = await fake.wait_for(lambda c: c.method == "editMessageText")
    assert edited.params["message_id"] == str(with_buttons.params["_message_id"])
    assert "Logged" in edited.text and edited.params["parse_mode"] == "HTML"


async def test_progress_is_a_photo_and_export_is_two_documents(fake: FakeTelegram, bot: BotProcess) -> None:
    await ask(fake, "/log squat 3x8 @20kg", ANNA)
    chart = await ask(fake, "/progress squat", ANNA)
    photos = [c for c in chart if c.method == "sendPhoto"]
    assert len(photos) == 1 and photos[0].params["photo"]["size"] > 1000
    export = await ask(fake, "/export", ANNA)
    documents = {
        c.params["document"]["filename"]: c.params["document"]["size"]
        for c in export
        if c.method == "sendDocument"
    }
    assert set(documents) == {"runlift-sets.csv", "runlift-profile.json"} and all(documents.values())


async def test_an_update_delivered_twice_takes_effect_once(fake: FakeTelegram, bot: BotProcess) -> None:
    update = fake.send("/log squat 3x8 @20kg", ANNA, CREW)
    message_id = update["message"]["message_id"]
    await fake.wait_for(lambda c: c.reply_to == message_id)
    fake.enqueue(update, redeliver=True)
    first_undo = await ask(fake, "/undo", ANNA, CREW)
    second_undo = await ask(fake, "/undo", ANNA, CREW)
    assert "Barbell back squat" in said(first_undo) and "squat" not in said(second_undo)
    assert len([c for c in fake.calls if c.reply_to == message_id]) == 1


async def test_a_block_and_flood_control_leave_the_bot_answering(fake: FakeTelegram, bot: BotProcess) -> None:
    fake.fail_next("sendMessage", 403)
    fake.send("/today", BEN)
    await fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == BEN["id"])
    assert said(await ask(fake, "/streak", ANNA))
    fake.fail_next("sendMessage", 429, retry_after=1)
    seen = len(fake.calls_to("sendMessage", ANNA["id"]))
    fake.send("/plan", ANNA)
    to_anna = lambda c: c.method == "sendMessage" and c.chat_id == ANNA["id"]  # noqa: E731
    retried = await fake.wait_for(to_anna, count=seen + 2)
    failed = fake.calls_to("sendMessage", ANNA["id"])[seen]
    assert retried.text == failed.text and "Week of" in retried.text
    assert 0.9 <= retried.at - failed.at < 5
    assert said(await ask(fake, "/streak", BEN))


async def test_sigterm_mid_conversation_exits_quickly_and_loses_nothing(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    fake.flood.allowed = 3  # the restarted bot paces afresh
    process = BotProcess(fake, tmp_path / "bot")
    await process.start()
    fake.delays["sendMessage"] = 0.25  # replies in flight when the signal lands
    people = [user(6000 + i, f"Runner{i}") for i in range(8)]
    updates = [fake.send("/log squat 3x8 @20kg", who, CREW) for who in people[:5]]
    await fake.wait_for(lambda c: c.reply_to == updates[0]["message"]["message_id"])
    stopping = asyncio.create_task(process.stop())
    await asyncio.sleep(0.05)
    updates += [fake.send("/log squat 3x8 @20kg", who, CREW) for who in people[5:]]
    code = await stopping
    fake.delays.clear()
    answered_before = sum(c.text.count("Logged") for c in fake.calls_to("sendMessage"))
    assert answered_before >= 2  # work in flight at the signal was finished, not dropped
    process.assert_clean()
    assert code == 0 and process.stop_seconds < 5
    again = BotProcess(fake, tmp_path / "bot")
    await again.start()
    try:
        # Replies waiting together in a busy group go out as one message: count what they say.
        await fake.wait_for(
            lambda c: sum(d.text.count("Logged") for d in fake.calls_to("sendMessage")) >= len(updates)
        )
        await asyncio.sleep(1.5)
        assert sum(c.text.count("Logged") for c in fake.calls_to("sendMessage")) == len(updates)
    finally:
        await again.stop()
        again.assert_clean()


async def test_sigterm_during_the_start_up_nudge_pass_is_quiet_and_leaves_the_rest_for_the_next(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    workdir = tmp_path / "bot"
    engine = make_engine(database_url_for(workdir))
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig())
    runners = [str(7000 + i) for i in range(40)]  # more than a sender has in flight at once
    for user_id in runners:  # each due at the scene's Tuesday noon (UTC), a lift day for them
        core.handle(
            Incoming(
                "telegram",
                user_id,
                user_id,
                user_id,
                False,
                "/setup remind=11:55",
                SCENE_NOW - timedelta(hours=1),
            )
        )
    engine.dispose()
    fake.delays["sendMessage"] = 0.6
    fake.flood.allowed = 3  # the restarted bot paces afresh
    process = BotProcess(fake, workdir)
    await process.start()
    await fake.wait_for(lambda c: c.method == "sendMessage")
    code = await process.stop()
    process.assert_clean()
    assert code == 0 and process.stop_seconds < 5
    delivered = {c.params["chat_id"] for c in fake.calls_to("sendMessage")}
    assert 1 <= len(delivered) < len(runners), process.output
    fake.delays.clear()
    again = BotProcess(fake, workdir)
    await again.start()
    try:
        await fake.wait_for(
            lambda c: {d.params.get("chat_id") for d in fake.calls_to("sendMessage")} >= set(runners)
        )
        await asyncio.sleep(0.3)
        per_runner = [
            sum(1 for c in fake.calls_to("sendMessage") if c.params["chat_id"] == r) for r in runners
        ]
        assert per_runner == [1] * len(runners), (
            process.output + again.output
        )  # released ones went out on restart, none twice
    finally:
        await again.stop()
        again.assert_clean()


async def test_a_sigterm_in_the_first_moments_of_start_up_exits_cleanly(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    import signal
    import sys

    process = BotProcess(fake, tmp_path / "early")
    process.workdir.mkdir(parents=True, exist_ok=True)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *process.command,
        cwd=process.workdir,
        env=process.env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    seen = b""
    while b"starting" not in seen:  # its stop handler is in place; the database is still being opened
        line = await asyncio.wait_for(proc.stdout.readline(), 20)
        assert line, seen.decode()
        seen += line
    await asyncio.sleep(0.05)  # migrating, connecting: before the event loop serves anything
    proc.send_signal(signal.SIGTERM)
    out, _ = await asyncio.wait_for(proc.communicate(), 20)
    out = seen + out
    assert proc.returncode == 0, out.decode()
    assert b"Traceback" not in out

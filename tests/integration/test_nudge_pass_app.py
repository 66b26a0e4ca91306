"""The pass as the running bot does it: from a worker thread, routed to the adapter that owns the chat."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from adapters.store.tables import runners
from bot.app import App
from bot.settings import Settings
from core.clock import FixedClock
from core.messages import Incoming
from tests.conftest import fresh_database_url
from tests.fakes import RecordingChat

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TUESDAY_SIX = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def _message(user: str, text: str) -> Incoming:
    return Incoming("test", user, user.capitalize(), user, False, text, MONDAY)


async def test_the_bot_delivers_nudges_through_the_owning_adapter(tmp_path: Path) -> None:
    app = App(Settings(database_url=fresh_database_url(tmp_path, "runlift_nudge_app")), FixedClock(MONDAY))
    chat = RecordingChat(unreachable={"ben"})
    await chat.start(app)
    app.adapters[chat.platform] = chat
    scheduler = app.start_scheduler(catch_up=False)
    try:
        for user in ("ana", "ben"):
            await app.handle(_message(user, "/today"))
        report = await app.nudge_pass(TUESDAY_SIX)
        assert [address.chat_id for address, _ in chat.sent] == ["ana"]
        assert chat.sent[0][1].text.startswith("Speed day: lift after your run")
        assert report.unreachable == 1
        with app.store.unit() as uow:
            flags = dict(uow.conn.execute(select(runners.c.user_id, runners.c.unreachable)).all())
        assert flags == {"ana": False, "ben": True}
        again = await app.nudge_pass(TUESDAY_SIX)
        assert (again.claimed, len(chat.sent)) == (0, 1)
    finally:
        await scheduler.stop()
        app.close()

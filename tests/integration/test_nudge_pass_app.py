"""The pass as the running bot does it: decided into the outbox, drained by each adapter's sender."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from adapters.store.tables import outbox, runners
from bot.app import App
from bot.settings import Settings
from core.clock import FixedClock
from core.messages import ChatAddress, Incoming, Reply
from core.nudges import outbox as delivery
from tests.conftest import fresh_database_url
from tests.fakes import RecordingChat

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TUESDAY_SIX = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def _message(user: str, text: str, at: datetime = MONDAY) -> Incoming:
    return Incoming("test", user, user.capitalize(), user, False, text, at)


def _app(tmp_path: Path, name: str, clock: FixedClock) -> App:
    return App(Settings(database_url=fresh_database_url(tmp_path, name)), clock)


class GatedChat(RecordingChat):
    """Sends wait for ``gate``: a platform slower than the passes; records send moments."""

    def __init__(self, rate: float | None = None) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.nudge_rate = rate
        self.moments: list[float] = []

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        await self.gate.wait()
        self.moments.append(time.monotonic())
        await super().send(address, reply)


def _states(app: App) -> dict[str, int]:
    with app.store.unit() as uow:
        rows = uow.conn.execute(select(outbox.c.state)).scalars().all()
    return {s: rows.count(s) for s in sorted(set(rows))}


async def test_the_bot_delivers_nudges_through_the_owning_adapter(tmp_path: Path) -> None:
    clock = FixedClock(MONDAY)
    app = _app(tmp_path, "runlift_nudge_app", clock)
    chat = RecordingChat(unreachable={"ben"})
    await chat.start(app)
    app.attach(chat)
    try:
        for user in ("ana", "ben"):
            await app.handle(_message(user, "/today"))
        clock.set(TUESDAY_SIX)
        report = await app.nudge_pass(TUESDAY_SIX)
        assert (report.candidates, report.queued) == (2, 2)
        await app.outbox_idle()
        assert [address.chat_id for address, _ in chat.sent] == ["ana"]
        assert chat.sent[0][1].text.startswith("Speed day: lift after your run")
        with app.store.unit() as uow:
            flags = dict(uow.conn.execute(select(runners.c.user_id, runners.c.unreachable)).all())
        assert flags == {"ana": False, "ben": True}
        assert _states(app) == {"sent": 1, "unreachable": 1}
        again = await app.nudge_pass(TUESDAY_SIX)
        await app.outbox_idle()
        assert (again.queued, len(chat.sent)) == (0, 1)
    finally:
        await app.stop_senders()
        app.close()


async def test_a_pass_never_waits_for_delivery_and_the_next_minute_runs_while_the_outbox_drains(
    tmp_path: Path,
) -> None:
    clock = FixedClock(MONDAY)
    app = _app(tmp_path, "runlift_nudge_drain", clock)
    chat = GatedChat()
    app.attach(chat)
    try:
        for i in range(30):
            remind = "18:00" if i < 20 else "18:01"
            await app.handle(_message(f"r{i}", f"/setup remind={remind}"))
        clock.set(TUESDAY_SIX)
        first = await app.nudge_pass(TUESDAY_SIX)  # returns although no send can finish
        assert first.queued == 20 and chat.sent == []
        clock.set(TUESDAY_SIX + timedelta(minutes=1))
        second = await asyncio.wait_for(app.nudge_pass(TUESDAY_SIX + timedelta(minutes=1)), 5)
        assert second.queued == 10 and chat.sent == []
        chat.gate.set()
        await app.outbox_idle()
        assert sorted(a.chat_id for a, _ in chat.sent) == sorted(f"r{i}" for i in range(30))
        assert _states(app) == {"sent": 30}
    finally:
        chat.gate.set()
        await app.stop_senders()
        app.close()


async def test_two_instances_on_one_database_deliver_each_nudge_once(tmp_path: Path) -> None:
    clock = FixedClock(MONDAY)
    url = fresh_database_url(tmp_path, "runlift_nudge_two")
    one, two = (App(Settings(database_url=url), clock) for _ in range(2))
    chats = [GatedChat(), GatedChat()]
    for app, chat in zip((one, two), chats, strict=True):
        app.attach(chat)
    try:
        for i in range(120):
            await one.handle(_message(f"r{i}", "/today"))
        clock.set(TUESDAY_SIX)
        reports = await asyncio.gather(one.nudge_pass(TUESDAY_SIX), two.nudge_pass(TUESDAY_SIX))
        assert sum(r.queued for r in reports) == 120  # the unique key gave each nudge to one pass
        for chat in chats:
            chat.gate.set()
        await asyncio.gather(one.outbox_idle(), two.outbox_idle())
        delivered = [a.chat_id for chat in chats for a, _ in chat.sent]
        assert sorted(delivered) == sorted(f"r{i}" for i in range(120))
    finally:
        for app in (one, two):
            await app.stop_senders()
            app.close()


async def test_a_lease_left_by_a_dead_sender_is_offered_again_inside_the_window_only(tmp_path: Path) -> None:
    clock = FixedClock(MONDAY)
    app = _app(tmp_path, "runlift_nudge_lease", clock)
    try:
        for i in range(3):
            await app.handle(_message(f"r{i}", "/today"))
        clock.set(TUESDAY_SIX)
        await app.nudge_pass(TUESDAY_SIX)
        with app.store.unit() as uow:  # an instance leased them all and died before sending
            assert len(delivery.take(uow, "test", TUESDAY_SIX, 10).entries) == 3
            uow.commit()
        chat = RecordingChat()
        app.attach(chat)
        await app.outbox_idle()
        assert chat.sent == []  # still leased
        clock.set(TUESDAY_SIX + delivery.LEASE)
        await app.outbox_idle()
        assert len(chat.sent) == 3
        assert _states(app) == {"sent": 3}
    finally:
        await app.stop_senders()
        app.close()


async def test_a_nudge_whose_window_closes_in_the_outbox_is_dropped_and_counted(tmp_path: Path) -> None:
    clock = FixedClock(MONDAY)
    app = _app(tmp_path, "runlift_nudge_late", clock)
    try:
        for i in range(4):
            await app.handle(_message(f"r{i}", "/today"))
        clock.set(TUESDAY_SIX)
        await app.nudge_pass(TUESDAY_SIX)  # no adapter running: nothing drains
        clock.set(TUESDAY_SIX + timedelta(hours=2))
        chat = RecordingChat()
        app.attach(chat)
        await app.outbox_idle()
        assert chat.sent == []
        assert _states(app) == {"dropped": 4}
        assert app.senders["test"].totals.dropped == 4
    finally:
        await app.stop_senders()
        app.close()


async def test_a_lift_nudge_still_queued_when_the_runner_trains_is_not_sent(tmp_path: Path) -> None:
    clock = FixedClock(MONDAY)
    app = _app(tmp_path, "runlift_nudge_skip", clock)
    try:
        for user in ("ana", "ben"):
            await app.handle(_message(user, "/today"))
        clock.set(TUESDAY_SIX)
        await app.nudge_pass(TUESDAY_SIX)
        await app.handle(_message("ana", "/done", TUESDAY_SIX + timedelta(minutes=3)))
        clock.set(TUESDAY_SIX + timedelta(minutes=4))
        chat = RecordingChat()
        app.attach(chat)
        await app.outbox_idle()
        assert [a.chat_id for a, _ in chat.sent] == ["ben"]
        assert _states(app) == {"sent": 1, "skipped": 1}
    finally:
        await app.stop_senders()
        app.close()


async def test_a_sender_keeps_to_its_adapters_rate(tmp_path: Path) -> None:
    clock = FixedClock(MONDAY)
    app = _app(tmp_path, "runlift_nudge_rate", clock)
    chat = GatedChat(rate=40.0)
    chat.gate.set()
    try:
        for i in range(12):
            await app.handle(_message(f"r{i}", "/today"))
        clock.set(TUESDAY_SIX)
        app.attach(chat)
        await app.nudge_pass(TUESDAY_SIX)
        await app.outbox_idle()
        assert len(chat.sent) == 12
        # The k-th send starts no sooner than (k - 1) / rate after the first: one slot of slack, as
        # a first send that started late (a busy machine) brings the next, on time, nearer to it.
        early = [k for k, at in enumerate(chat.moments) if at - chat.moments[0] < (k - 1) / 40 - 0.002]
        assert early == [], chat.moments
    finally:
        await app.stop_senders()
        app.close()


async def test_stopping_puts_what_was_leased_but_not_tried_back_at_once(tmp_path: Path) -> None:
    clock = FixedClock(MONDAY)
    app = _app(tmp_path, "runlift_nudge_stop", clock)
    chat = GatedChat(rate=20.0)
    chat.gate.set()
    try:
        for i in range(20):
            await app.handle(_message(f"r{i}", "/today"))
        clock.set(TUESDAY_SIX)
        app.attach(chat)
        await app.nudge_pass(TUESDAY_SIX)
        while len(chat.sent) < 3:
            await asyncio.sleep(0.01)
        await app.stop_senders()
        sent_before = len(chat.sent)
        assert sent_before < 20
        with app.store.unit() as uow:
            leased = uow.conn.execute(select(outbox.c.id).where(outbox.c.lease_until.is_not(None))).all()
        assert leased == []  # nothing waits for a lease to run out
        again = RecordingChat()
        app.attach(again)
        await app.outbox_idle()
        assert sorted(a.chat_id for a, _ in chat.sent + again.sent) == sorted(f"r{i}" for i in range(20))
    finally:
        await app.stop_senders()
        app.close()

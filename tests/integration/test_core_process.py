"""The core in its own process: the same answers and records as on the database thread, the parent's
clock, /admin status asked back of the parent, a child that dies replaced with no command lost or doubled."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.core_process import CoreGone, CoreProcess, RelayClock
from bot.operations import health
from bot.settings import Settings
from core.clock import FixedClock
from core.messages import InboxEvent, Incoming
from tests.conftest import fresh_database_url

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _say(user: str, text: str, at: datetime = MONDAY, event: str = "", chat: str = "") -> Incoming:
    return Incoming(
        "telegram",
        user,
        user.capitalize(),
        chat or user,
        bool(chat),
        text,
        at,
        chat_title="Crew" if chat else "",
        event_id=event,
    )


def _app(tmp_path: Path, name: str, **settings: str) -> App:
    url = fresh_database_url(tmp_path, name)
    return App(Settings(database_url=url, runlift_core_process="on", **settings), FixedClock(MONDAY))


async def _texts(app: App, *messages: Incoming) -> list[str]:
    said = []
    for message in messages:
        said += [reply.text for reply in await app.handle(message)]
    return said


CONVERSATION = (
    _say("ana", "/today"),
    _say("ana", "/log squat 3x8 @40kg"),
    _say("ben", "/log squat 3x8 @40kg", event="tg:1:update:7", chat="-100"),
    _say("ben", "/log squat 3x8 @40kg", event="tg:1:update:7", chat="-100"),  # redelivered
    _say("ana", "/log squat 3xx8"),  # bad input: one short answer, nothing written
    _say("ana", "/streak"),
    _say("ana", "/progress squat"),
)


async def test_the_core_process_answers_and_records_as_the_database_thread_does(tmp_path: Path) -> None:
    inline = App(
        Settings(database_url=fresh_database_url(tmp_path, "inline"), runlift_core_process="off"),
        FixedClock(MONDAY),
    )
    apart = _app(tmp_path, "apart")
    try:
        await apart.start_core_process()
        assert apart.core_process is not None and apart.core_process.pid != os.getpid()
        expected = await _texts(inline, *CONVERSATION)
        got = await _texts(apart, *CONVERSATION)
        assert got == expected
        assert any("3x8" in t or "3 × 8" in t or "squat" in t.lower() for t in got)
        for app in (inline, apart):
            with app.store.unit() as uow:
                ana = uow.runners.find("telegram", "ana")
                ben = uow.runners.find("telegram", "ben")
                assert ana is not None and ben is not None
                assert len(uow.logbook.entries_on(ana[0].id, MONDAY.date())) == 1  # one /log
                assert (
                    len(uow.logbook.entries_on(ben[0].id, MONDAY.date())) == 1
                )  # redelivery took effect once
    finally:
        await apart.stop_core_process()
        apart.close()
        inline.close()


async def test_inbox_and_membership_calls_reach_the_database_through_the_core_process(tmp_path: Path) -> None:
    app = _app(tmp_path, "inbox")
    try:
        await app.start_core_process()
        event = InboxEvent("tg:1:update:9", "telegram", "9", '{"update_id": 9}', MONDAY)
        await app.receive([event])
        assert [e.event_id for e in await app.pending("telegram")] == ["tg:1:update:9"]
        await app.settled("tg:1:update:9")
        assert await app.pending("telegram") == []
        await app.handle(_say("cat", "/join", chat="-200"))
        await app.member_left("telegram", "-200", "cat", "tg:1:update:10")
        with app.store.unit() as uow:
            group = uow.groups.find("telegram", "-200")
            assert group is not None and "cat" not in {m.runner.user_id for m in uow.groups.members(group.id)}
    finally:
        await app.stop_core_process()
        app.close()


async def test_admin_status_in_the_core_process_is_the_parents_live_state(tmp_path: Path) -> None:
    app = _app(tmp_path, "status", runlift_operators="telegram:olga")
    try:
        await app.start_core_process()
        [reply] = await app.handle(_say("olga", "/admin status"))
        assert reply.title == "Runlift status"
        # The scheduler's line is the parent's (the child has none), as are the adapters it names.
        assert reply.text.endswith(health.scheduler(app).line())
        assert "has not ticked yet" in reply.text
    finally:
        await app.stop_core_process()
        app.close()


async def test_a_core_process_that_dies_is_started_again_and_the_command_is_answered_once(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path, "dies")
    try:
        await app.start_core_process()
        process = app.core_process
        assert process is not None and process.pid is not None
        first = process.pid
        os.kill(first, signal.SIGKILL)
        replies = await app.handle(_say("dan", "/log squat 3x8 @40kg", event="tg:1:update:11", chat="-300"))
        assert replies and "squat" in replies[0].text.lower()
        assert process.restarts == 1 and process.pid not in (None, first)
        await app.handle(_say("dan", "/log squat 3x8 @40kg", event="tg:1:update:11", chat="-300"))
        with app.store.unit() as uow:
            dan = uow.runners.find("telegram", "dan")
            assert dan is not None and len(uow.logbook.entries_on(dan[0].id, MONDAY.date())) == 1
    finally:
        await app.stop_core_process()
        app.close()


async def test_a_call_the_child_cannot_finish_is_an_error_and_the_child_ends_with_its_input(
    tmp_path: Path,
) -> None:
    url = fresh_database_url(tmp_path, "bare")
    app = App(Settings(database_url=url), FixedClock(MONDAY))
    app.close()

    async def status() -> str:
        return "status"

    process = CoreProcess(Settings(database_url=url), status)
    await process.start()
    try:
        with pytest.raises(CoreGone, match="no such hub call"):
            await process.call("drop_everything", now=MONDAY)
        assert await process.call("pending", "telegram", None, now=MONDAY) == []
    finally:
        await process.close()
    with pytest.raises(CoreGone):
        await process.call("pending", "telegram", None, now=MONDAY)


def test_the_child_reads_the_time_its_parent_sent() -> None:
    clock = RelayClock()
    clock.set(MONDAY)
    assert MONDAY <= clock.now() < MONDAY + timedelta(seconds=5)
    clock.set(MONDAY + timedelta(days=3))
    assert clock.now() >= MONDAY + timedelta(days=3)


@pytest.mark.parametrize(("value", "expected"), [("on", True), ("off", False), ("OFF", False), ("1", True)])
def test_the_core_process_setting(value: str, expected: bool) -> None:
    assert Settings(runlift_core_process=value).core_process() is expected


def test_auto_runs_a_core_process_only_with_more_than_one_cpu() -> None:
    assert Settings(runlift_core_process="auto").core_process() is (len(os.sched_getaffinity(0)) > 1)


def test_a_wrong_core_process_setting_names_the_form() -> None:
    with pytest.raises(ValueError, match="RUNLIFT_CORE_PROCESS must be auto, on or off"):
        Settings(runlift_core_process="sometimes").core_process()


async def test_a_child_killed_under_a_stream_of_calls_is_replaced_each_time_and_no_call_fails_twice(
    tmp_path: Path,
) -> None:
    """The old child's ending fails only the calls sent to it — never its successor's start or calls —
    so each call succeeds at its first or second try however the kill falls (App._work's rule)."""
    url = fresh_database_url(tmp_path, "stream")
    App(Settings(database_url=url), FixedClock(MONDAY)).close()

    async def status() -> str:
        return "status"

    process = CoreProcess(Settings(database_url=url), status)
    await process.start()

    async def twice() -> object:
        try:
            return await process.call("pending", "telegram", None, now=MONDAY)
        except CoreGone:
            return await process.call("pending", "telegram", None, now=MONDAY)

    try:
        for _ in range(4):
            calls = [asyncio.ensure_future(twice()) for _ in range(60)]
            await asyncio.sleep(0.01)
            pid = process.pid
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            calls += [asyncio.ensure_future(twice()) for _ in range(60)]
            assert await asyncio.gather(*calls) == [[]] * 120
        assert process.restarts == 4
    finally:
        await process.close()


async def test_the_end_of_an_old_child_never_fails_its_successors_start_or_calls(tmp_path: Path) -> None:
    """The race behind a lost command: the old child's reader ended after its successor was starting."""
    url = fresh_database_url(tmp_path, "succession")
    App(Settings(database_url=url), FixedClock(MONDAY)).close()

    async def status() -> str:
        return "status"

    process = CoreProcess(Settings(database_url=url), status)
    await process.start()
    old = process.pid
    assert old is not None
    try:
        successor = asyncio.ensure_future(process.start())  # as a restart does, the old one not yet gone
        await asyncio.sleep(0)
        os.kill(old, signal.SIGKILL)  # its reader ends while the successor waits to be ready
        await successor
        assert process.pid != old
        call = asyncio.ensure_future(process.call("pending", "telegram", None, now=MONDAY))
        assert await call == []
        assert await process.call("pending", "telegram", None, now=MONDAY) == []
    finally:
        await process.close()

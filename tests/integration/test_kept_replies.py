"""Answers kept with their command: written in the command's transaction (only when the adapter will
say they went out), gone once it does, and — when the process that handled the command died first —
sent by the leader's sender once their lease has run out: a chat's plain answers together in one
message, a personal answer from a group to the runner's direct messages, a failed one kept."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.store.tables import kept_replies
from bot.app import App
from bot.senders import KEPT_LEASE, TOGETHER_MAX, by_turns, together
from bot.settings import Settings
from core.clock import FixedClock
from core.messages import REPLY_LEASE, Button, ChatAddress, DeliveryError, Incoming, Reply
from core.ports import KeptReply
from tests.conftest import fresh_database_url
from tests.fakes import RecordingChat, SlowChat

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _say(user: str, text: str, event: str, chat: str = "", keep: bool = True) -> Incoming:
    return Incoming(
        "test",
        user,
        user.capitalize(),
        chat or user,
        bool(chat),
        text,
        MONDAY,
        chat_title="Crew" if chat else "",
        event_id=event,
        keep_reply=keep,
    )


def _kept(app: App) -> list[str]:
    with app.store.unit() as uow:
        return list(
            uow.conn.execute(select(kept_replies.c.event_id).order_by(kept_replies.c.event_id)).scalars()
        )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
async def app(tmp_path: Path, clock: FixedClock) -> AsyncIterator[App]:
    made = App(Settings(database_url=fresh_database_url(tmp_path, "kept")), clock)
    yield made
    await made.stop_senders()
    made.close()


@pytest.mark.parametrize(
    ("text", "keep", "event", "kept"),
    [
        ("/log squat 3x8 @40kg", True, "e1", ["e1"]),  # a command that writes
        ("/today", True, "e1", ["e1"]),  # one that only reads
        ("/log squat 3x", True, "e1", ["e1"]),  # a form error: answered, kept
        ("/nosuchcommand", True, "e1", []),  # answered without the event being handled
        ("/log squat 3x8 @40kg", False, "e1", []),  # the adapter will not say: nothing kept
        ("/log squat 3x8 @40kg", True, "", []),  # no event to name it by
    ],
)
async def test_an_answer_is_kept_with_its_command_only_when_the_adapter_will_say_it_went_out(
    app: App, text: str, keep: bool, event: str, kept: list[str]
) -> None:
    replies = await app.handle(_say("ana", text, event, keep=keep))
    assert replies
    assert _kept(app) == kept


async def test_an_answer_is_gone_once_sent_and_a_redelivery_keeps_nothing_more(app: App) -> None:
    first = await app.handle(_say("ana", "/log squat 3x8 @40kg", "e1"))
    again = await app.handle(_say("ana", "/log squat 3x8 @40kg", "e1"))
    assert first and again == [] and _kept(app) == ["e1"]
    await app.replied(["e1", "unknown"])
    assert _kept(app) == []
    with app.store.unit() as uow:
        assert uow.conn.execute(select(func.count()).select_from(kept_replies)).scalar() == 0


async def test_the_sender_sends_what_a_dead_process_left_once_its_lease_has_run_out(
    app: App, clock: FixedClock
) -> None:
    chat = RecordingChat()
    await chat.start(app)
    await app.handle(_say("ana", "/log squat 3x8 @40kg", "e1", chat="crew"))
    await app.handle(_say("ben", "/log squat 3x5 @60kg", "e2", chat="crew"))
    await app.handle(_say("ana", "/streak", "e3"))
    app.attach(chat)
    await app.outbox_idle()
    assert chat.sent == []  # still the handling process's to send
    clock.set(MONDAY + REPLY_LEASE + timedelta(seconds=1))
    await app.outbox_idle()
    sent = {(a.chat_id, a.is_group): r.text for a, r in chat.sent}
    assert len(chat.sent) == 2  # the group's two answers went together
    assert "3×8" in sent[("crew", True)] and "3×5" in sent[("crew", True)]
    assert ("ana", False) in sent
    assert _kept(app) == []
    await app.outbox_idle()
    assert len(chat.sent) == 2  # once


class FailingChat(RecordingChat):
    async def send(self, address: ChatAddress, reply: Reply) -> None:
        raise DeliveryError("the platform is away")


async def test_an_answer_that_cannot_go_out_stays_kept_for_a_later_try(app: App, clock: FixedClock) -> None:
    chat = FailingChat()
    await chat.start(app)
    await app.handle(_say("ana", "/streak", "e1"))
    clock.set(MONDAY + REPLY_LEASE + timedelta(seconds=1))
    app.attach(chat)
    await app.outbox_idle()
    assert _kept(app) == ["e1"]


def _answer(event: str, chat: str, *replies: Reply, group: bool = True) -> KeptReply:
    return KeptReply(event, "test", chat, group, "ana", replies, MONDAY)


def test_plain_answers_of_a_chat_go_together_in_order_and_others_alone() -> None:
    button = Reply("Tick", buttons=((Button("Squat", "/log squat 3x8"),),))
    personal = Reply("Your export", personal=True)
    kept = [
        _answer("a", "crew", Reply("one")),
        _answer("b", "other", Reply("x")),
        _answer("c", "crew", Reply("two")),
        _answer("d", "crew", button),
        _answer("e", "crew", Reply("three")),
        _answer("f", "crew", personal),
    ]
    out = together(kept)
    assert [(k.chat_id, k.event_id.split("\n")) for k in out] == [
        ("crew", ["a", "c"]),
        ("crew", ["d"]),
        ("crew", ["e"]),
        ("crew", ["f"]),
        ("other", ["b"]),
    ]
    assert out[0].replies == (Reply("one\n\ntwo"),)
    assert sorted(e for k in out for e in k.event_id.split("\n")) == list("abcdef")


def _reps_in(text: str) -> list[int]:
    return [int(r) for r in re.findall(r"squat 1×(\d+) @", text)]


@pytest.mark.parametrize(("chats", "each"), [(1, 60), (12, 25), (40, 3), (3, 1)])
async def test_a_backlog_of_kept_answers_goes_out_in_few_messages_each_chat_in_order(
    app: App, clock: FixedClock, chats: int, each: int
) -> None:
    """What dead processes left (here every answer of a burst) goes out a message or two a chat,
    turn by turn across the chats, each chat's answers once and in the order they were given."""
    chat = RecordingChat()
    await chat.start(app)
    people = [f"r{i}" for i in range(chats)]
    for k in range(each):
        for who in people:
            await app.handle(_say(who, f"/log squat 1x{k + 1} @20kg", f"{who}-{k}"))
    clock.set(MONDAY + REPLY_LEASE + timedelta(seconds=1))
    app.attach(chat)
    await app.outbox_idle()
    assert _kept(app) == []
    got: dict[str, list[int]] = {}
    for address, reply in chat.sent:
        assert len(reply.full_text()) <= TOGETHER_MAX + 100
        got.setdefault(address.chat_id, []).extend(_reps_in(reply.text))
    assert got == {who: list(range(1, each + 1)) for who in people}
    per_chat = max(1, -(-each * 90 // TOGETHER_MAX))  # an answer here is well under 90 characters
    assert len(chat.sent) <= chats * per_chat
    first_turn = [a.chat_id for a, _ in chat.sent[:chats]]
    assert sorted(first_turn) == sorted(people)  # every chat had its first message before any its second


def test_by_turns_keeps_each_chats_order_and_takes_the_chats_in_turn() -> None:
    kept = [
        _answer(e, c, Reply(e))
        for e, c in [("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("c1", "c"), ("c2", "c")]
    ]
    assert [k.event_id for k in by_turns(kept)] == ["a1", "b1", "c1", "a2", "c2", "a3"]
    assert by_turns([]) == []


async def test_answers_a_stopping_sender_took_but_did_not_try_are_due_again_at_once(
    app: App, clock: FixedClock
) -> None:
    chat = SlowChat()
    await chat.start(app)
    for i, who in enumerate(["ana", "ben", "cy"]):
        await app.handle(_say(who, "/streak", f"e{i}"))
    later = MONDAY + REPLY_LEASE + timedelta(seconds=1)
    clock.set(later)
    app.attach(chat)
    await asyncio.wait_for(chat.waiting.wait(), 10)
    stopping = asyncio.create_task(app.stop_senders())
    await asyncio.sleep(0.05)
    chat.go.set()
    await stopping
    assert len(chat.sent) == 1
    assert len(_kept(app)) == 2
    with app.store.unit() as uow:  # due now, not when the taken batch's lease would have run out
        due = uow.replies.take_due("test", later, later + KEPT_LEASE, 10)
        uow.commit()
    assert sorted(k.event_id for k in due) == _kept(app)


async def test_an_answer_held_by_its_adapter_is_not_taken_until_its_hold_runs_out(
    app: App, clock: FixedClock
) -> None:
    """An adapter holding answers back for their chat's pace renews their leases: the sender leaves
    them alone (no answer twice), and sends them once the holds stop and run out."""
    chat = RecordingChat()
    await chat.start(app)
    await app.handle(_say("ana", "/streak", "e1"))
    clock.set(MONDAY + REPLY_LEASE - timedelta(seconds=5))
    await app.holding(["e1", "unknown"])
    app.attach(chat)
    clock.set(MONDAY + REPLY_LEASE + timedelta(seconds=1))  # the first lease has run out
    await app.outbox_idle()
    assert chat.sent == [] and _kept(app) == ["e1"]
    clock.set(MONDAY + 2 * REPLY_LEASE - timedelta(seconds=4))  # the hold has run out too
    await app.outbox_idle()
    assert len(chat.sent) == 1 and _kept(app) == []


async def test_a_hold_never_shortens_a_lease(app: App, clock: FixedClock) -> None:
    await app.handle(_say("ana", "/streak", "e1"))
    later = MONDAY + REPLY_LEASE + timedelta(seconds=1)
    with app.store.unit() as uow:  # a sender took it: leased for its batch
        assert [k.event_id for k in uow.replies.take_due("test", later, later + KEPT_LEASE, 10)] == ["e1"]
        uow.commit()
    clock.set(later)
    await app.holding(["e1"])  # the adapter's hold ends before the sender's lease
    with app.store.unit() as uow:
        assert uow.replies.take_due("test", later + REPLY_LEASE + timedelta(seconds=1), later, 10) == []
        due = uow.replies.take_due("test", later + KEPT_LEASE, later, 10)
    assert [k.event_id for k in due] == ["e1"]

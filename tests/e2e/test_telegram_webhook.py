"""Telegram in webhook mode: the real adapter behind its own webhook server, posted to as Telegram does.

The secret is checked before anything is read, an update is kept in the inbox before it is answered
200, a chat's updates are handled one at a time in Telegram's order while other chats go on, a
redelivered update takes effect once, and only a leader registers the webhook.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import ClientSession

from adapters.telegram_chat import TelegramChat
from core.messages import InboxEvent, Incoming, Reply
from tests.e2e.fake_telegram import TOKEN, FakeTelegram, group_chat, user
from tests.fakes import RecordingHub

FAKE = FakeTelegram
pytestmark = pytest.mark.e2e

SECRET = "webhook_Secret-42"
ANNA = user(2001, "Anna")
BEN = user(2002, "Ben")
TRACK = group_chat(-100700, "Track group")
HILLS = group_chat(-100701, "Hill group")
BOT_ID = TOKEN.split(":")[0]


class SlowHub(RecordingHub):
    """Answers every command; ``/progress`` takes half a second. Records when each command finished."""

    def __init__(self) -> None:
        super().__init__()
        self.finished: list[tuple[str, float]] = []
        self.refuse_keeping = False

    async def answer(self, incoming: Incoming) -> list[Reply]:
        if incoming.text.startswith("/progress"):
            await asyncio.sleep(0.5)
        self.finished.append((incoming.text, time.perf_counter()))
        return [Reply(f"done {incoming.text}")]

    async def receive(self, events: Sequence[InboxEvent]) -> None:
        if self.refuse_keeping:
            raise ConnectionError("the database is away")
        await super().receive(events)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def hub() -> SlowHub:
    return SlowHub()


@pytest.fixture
async def hook(fake: FakeTelegram, hub: SlowHub) -> AsyncIterator[tuple[TelegramChat, str]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/tg/hook"
    chat = TelegramChat(
        TOKEN,
        fake.root,
        webhook_url=url,
        webhook_listen=f"127.0.0.1:{port}",
        webhook_secret=SECRET,
        max_connections=7,
        paced=False,
    )
    await chat.start(hub)
    yield chat, url
    await chat.stop()


async def post(url: str, body: Any, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with ClientSession() as session, session.post(url, data=data, headers=headers) as answer:
        return answer.status


def update(
    fake: FakeTelegram, update_id: int, text: str, who: dict[str, Any], chat: dict[str, Any]
) -> dict[str, Any]:
    return {"update_id": update_id, **fake.message(text, who, chat)}


async def until(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_the_leader_registers_the_webhook_with_its_secret_and_max_connections(fake, hook) -> None:
    _, url = hook
    registered = fake.calls_to("setWebhook")
    assert len(registered) == 1
    params = registered[0].params
    assert params["url"] == url and params["secret_token"] == SECRET
    assert int(params["max_connections"]) == 7 and "message" in params["allowed_updates"]
    assert fake.calls_to("getUpdates") == [] and fake.refused == []


async def test_a_standby_serves_the_webhook_but_registers_it_only_when_it_leads(fake, hub) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    chat = TelegramChat(
        TOKEN,
        fake.root,
        webhook_url=url,
        webhook_listen=f"127.0.0.1:{port}",
        webhook_secret=SECRET,
        register=False,
    )
    await chat.start(hub)
    try:
        assert fake.calls_to("setWebhook") == [] and chat.connected()
        assert await post(url, update(fake, 5, "/today", ANNA, TRACK)) == 200
        await until(lambda: any(c.method == "sendMessage" for c in fake.calls))
        await chat.lead()
        assert len(fake.calls_to("setWebhook")) == 1
    finally:
        await chat.stop()


@pytest.mark.parametrize(
    ("secret", "body", "status"),
    [
        (None, {"update_id": 1}, 401),
        ("", {"update_id": 1}, 401),
        ("webhook_Secret-43", {"update_id": 1}, 401),
        (SECRET.upper(), {"update_id": 1}, 401),
        (SECRET, b"not json", 400),
        (SECRET, b"\xff\xfe", 400),
        (SECRET, [1, 2], 400),
        (SECRET, {"message": {}}, 400),
        (SECRET, {"update_id": "7"}, 400),
        (SECRET, {"update_id": -1}, 400),
        (SECRET, {"update_id": True}, 400),
    ],
)
async def test_a_post_without_the_secret_or_not_an_update_is_refused_and_nothing_is_kept(
    hub, hook, secret, body, status
) -> None:
    _, url = hook
    assert await post(url, body, secret) == status
    assert hub.received == [] and hub.incoming == []


async def test_an_update_is_kept_before_telegram_hears_200(fake, hub, hook) -> None:
    _, url = hook
    assert await post(url, update(fake, 40, "/today", ANNA, TRACK)) == 200
    assert [e.event_id for e in hub.received] == [f"tg:{BOT_ID}:update:40"]  # already, at the 200
    await until(lambda: len(hub.incoming) == 1)


async def test_an_update_that_cannot_be_kept_is_answered_503_so_telegram_sends_it_again(
    fake, hub, hook
) -> None:
    _, url = hook
    hub.refuse_keeping = True
    body = update(fake, 41, "/today", ANNA, TRACK)
    assert await post(url, body) == 503
    await asyncio.sleep(0.2)
    assert hub.incoming == []
    hub.refuse_keeping = False
    assert await post(url, body) == 200
    await until(lambda: len(hub.incoming) == 1)


async def test_a_chat_is_handled_in_order_while_a_slow_command_never_holds_up_another_chat(
    fake, hub, hook
) -> None:
    _, url = hook
    assert await post(url, update(fake, 10, "/progress", ANNA, TRACK)) == 200
    assert await post(url, update(fake, 11, "/today", BEN, TRACK)) == 200
    assert await post(url, update(fake, 12, "/streak", ANNA, TRACK)) == 200
    assert await post(url, update(fake, 13, "/help", BEN, HILLS)) == 200
    await until(lambda: len(hub.finished) == 4)
    order = [text for text, _ in hub.finished]
    assert order.index("/help") < order.index("/progress")  # the other chat did not wait
    track = [t for t in order if t != "/help"]
    assert track == ["/progress", "/today", "/streak"]
    await until(lambda: len(fake.calls_to("sendMessage")) == 4)


async def test_an_update_posted_again_takes_effect_once(fake, hub, hook) -> None:
    _, url = hook
    body = update(fake, 50, "/progress", ANNA, TRACK)
    statuses = await asyncio.gather(*(post(url, body) for _ in range(3)))
    assert statuses == [200, 200, 200]
    await until(lambda: len(hub.finished) == 1)
    await asyncio.sleep(0.8)
    assert len(hub.incoming) == 1 and len(fake.calls_to("sendMessage")) == 1


async def test_updates_kept_by_a_process_that_died_are_handled_at_the_next_start(fake, hub) -> None:
    """A process answered 200 and died before handling: the update waits in the inbox for any process."""
    body = update(fake, 60, "/today", ANNA, TRACK)
    hub.received.append(
        InboxEvent(
            f"tg:{BOT_ID}:update:60", "telegram", str(TRACK["id"]), json.dumps(body), datetime.now(UTC)
        )
    )
    port = _free_port()
    chat = TelegramChat(
        TOKEN,
        fake.root,
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_listen=f"127.0.0.1:{port}",
        webhook_secret=SECRET,
    )
    await chat.start(hub)
    try:
        await until(lambda: len(hub.incoming) == 1)
        assert hub.incoming[0].event_id == f"tg:{BOT_ID}:update:60"
    finally:
        await chat.stop()


def test_webhook_mode_without_a_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramChat(TOKEN, "http://127.0.0.1:1", webhook_url="https://example.org/hook")

"""Test doubles: a conversation with the core, a recording chat adapter and hub, and the dict-backed store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from core.clock import FixedClock
from core.commands.context import CoreConfig
from core.messages import ChatAddress, InboxEvent, Incoming, Reply, Upload
from core.ports import CalendarReader, Hub
from core.service import Runlift
from tests.memory_store import MemoryStore

__all__ = ["Conversation", "MemoryStore", "RecordingChat", "RecordingHub"]


class Conversation:
    """Messages from named users at a settable instant, straight into the core."""

    def __init__(
        self,
        store: object,
        at: datetime | None = None,
        platform: str = "test",
        tz: str = "UTC",
        calendar_reader: CalendarReader | None = None,
    ) -> None:
        config = CoreConfig(default_tz=tz, calendar_reader=calendar_reader)
        self.core = Runlift(store, config)  # type: ignore[arg-type]
        self.clock = FixedClock(at or datetime(2026, 12, 1, 19, 0, tzinfo=UTC))
        self.platform = platform
        self.last: list[Reply] = []

    def replies(
        self,
        text: str,
        user: str = "ana",
        chat: str | None = None,
        admin: bool | None = None,
        event: str = "",
        upload: Upload | None = None,
    ) -> list[Reply]:
        incoming = Incoming(
            platform=self.platform,
            user_id=user,
            user_name=user.capitalize(),
            chat_id=chat or user,
            is_group=chat is not None,
            text=text,
            at=self.clock.now(),
            is_admin=admin,
            event_id=event,
            upload=upload,
        )
        self.last = self.core.handle(incoming)
        return self.last

    def say(self, text: str, **kwargs: object) -> str:
        """The whole answer as one text, titles included."""
        return "\n".join(r.full_text() for r in self.replies(text, **kwargs))  # type: ignore[arg-type]

    def at(self, when: datetime) -> Conversation:
        self.clock.set(when)
        return self

    def advance(self, **delta: float) -> Conversation:
        self.clock.set(self.clock.now() + timedelta(**delta))
        return self


class RecordingChat:
    """A chat adapter that records what it was asked to send."""

    platform = "test"
    nudge_rate: float | None = None

    def __init__(self, unreachable: set[str] | None = None) -> None:
        self.sent: list[tuple[ChatAddress, Reply]] = []
        self.unreachable = unreachable or set()
        self.hub: Hub | None = None

    async def start(self, hub: Hub) -> None:
        self.hub = hub

    async def stop(self) -> None:
        self.hub = None

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        from core.messages import RecipientUnreachable

        if address.chat_id in self.unreachable:
            raise RecipientUnreachable(address.chat_id)
        self.sent.append((address, reply))


class SlowChat(RecordingChat):
    """Delivers one message at a time when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.go = asyncio.Event()
        self.waiting = asyncio.Event()

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        self.waiting.set()
        await self.go.wait()
        self.go.clear()
        await super().send(address, reply)


class RecordingHub:
    """A hub for adapter tests: remembers everything the adapter told it; subclasses answer."""

    def __init__(self) -> None:
        self.incoming: list[Incoming] = []
        self.left: list[tuple[str, str]] = []
        self.closed: list[str] = []
        self.moved: list[tuple[str, str]] = []
        self.unreachable_users: list[str] = []
        self.received: list[InboxEvent] = []
        self.settled_events: list[str] = []
        self.replied_events: list[str] = []
        self.held_events: list[list[str]] = []  # each call to holding

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.incoming.append(incoming)
        return await self.answer(incoming)

    async def answer(self, incoming: Incoming) -> list[Reply]:
        return [Reply(f"You said {incoming.text}")]

    async def member_left(self, platform: str, chat_id: str, user_id: str, event_id: str = "") -> None:
        self.left.append((chat_id, user_id))

    async def chat_closed(self, platform: str, chat_id: str, event_id: str = "") -> None:
        self.closed.append(chat_id)

    async def chat_moved(self, platform: str, old_chat_id: str, new_chat_id: str, event_id: str = "") -> None:
        self.moved.append((old_chat_id, new_chat_id))

    async def unreachable(self, platform: str, user_id: str, event_id: str = "") -> None:
        self.unreachable_users.append(user_id)

    async def receive(self, events: Sequence[InboxEvent]) -> None:
        self.received.extend(events)

    async def replied(self, event_ids: Sequence[str]) -> None:
        self.replied_events.extend(event_ids)

    async def holding(self, event_ids: Sequence[str]) -> None:
        self.held_events.append(list(event_ids))

    async def pending(self, platform: str, chat_id: str | None = None) -> list[InboxEvent]:
        """Kept and neither handled (passed to ``handle``) nor settled, each once."""
        done = set(self.settled_events) | {i.event_id for i in self.incoming}
        found: dict[str, InboxEvent] = {}
        for e in self.received:
            if e.platform == platform and e.event_id not in done and chat_id in (None, e.chat_id):
                found.setdefault(e.event_id, e)
        return list(found.values())

    async def settled(self, event_id: str) -> None:
        self.settled_events.append(event_id)

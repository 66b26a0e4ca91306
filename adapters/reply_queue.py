"""Replies on their way to a chat: in order, at the platform's pace, plain ones that wait together sent as one."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from adapters.pacing import Pacer
from core.messages import Reply

log = logging.getLogger(__name__)

MERGED_MAX = 3500  # well inside one Telegram message (4096) once escaped


@dataclass(frozen=True)
class Outbound:
    """One reply for a chat: the message it answers, whose its buttons are; ``more`` are replies
    that waited with it and go out in the same message."""

    reply: Reply
    reply_to: int | None = None
    owner: str = ""
    more: tuple[Reply, ...] = ()
    events: tuple[str, ...] = ()  # the commands whose kept answers are out once this is sent

    @property
    def replies(self) -> tuple[Reply, ...]:
        return (self.reply, *self.more)


@dataclass(frozen=True)
class Chat:
    chat_id: str
    is_group: bool
    thread: str = ""


Send = Callable[[Chat, Outbound, Callable[[], Awaitable[None]]], Awaitable[None]]


def plain(item: Outbound) -> bool:
    return all(not r.buttons and not r.attachments for r in item.replies)


def size(item: Outbound) -> int:
    return sum(len(r.full_text()) + 2 for r in item.replies)


def merge(items: list[Outbound]) -> list[Outbound]:
    """Consecutive replies without buttons or files become one message (answering the first)."""
    out: list[Outbound] = []
    for item in items:
        last = out[-1] if out else None
        if last is not None and plain(last) and plain(item) and size(last) + size(item) <= MERGED_MAX:
            out[-1] = replace(last, more=(*last.more, *item.replies), events=(*last.events, *item.events))
            continue
        out.append(item)
    return out


class ReplyQueue:
    """One queue per chat (and topic), drained by its own task so handling never waits on pacing.

    While a chat waits for the pace to allow its next message, further plain replies
    for it pile up and go out together: a busy group gets fewer, denser messages.
    """

    def __init__(self, pacer: Pacer, send: Send) -> None:
        self._pacer = pacer
        self._send = send
        self._queues: dict[Chat, deque[Outbound]] = {}
        self._tasks: dict[Chat, asyncio.Task[None]] = {}
        self._sending: dict[Chat, Outbound] = {}

    def put(self, chat: Chat, items: list[Outbound]) -> None:
        if not items:
            return
        self._queues.setdefault(chat, deque()).extend(items)
        if chat not in self._tasks:
            self._tasks[chat] = asyncio.create_task(self._drain(chat), name=f"replies-{chat.chat_id}")

    async def _pace(self, chat: Chat) -> None:
        await self._pacer.wait(chat.chat_id, chat.is_group)

    async def _drain(self, chat: Chat) -> None:
        queue = self._queues[chat]
        try:
            while queue:
                # Only replies that had to wait for their turn are merged: the rest go as they are.
                waited = self._pacer.delay(chat.chat_id, chat.is_group) > 0
                await self._pace(chat)
                if waited:
                    batch = merge(list(queue))
                    queue.clear()
                    queue.extend(batch[1:])
                    first = batch[0]
                else:
                    first = queue.popleft()
                paced = False

                async def pace_more() -> None:
                    nonlocal paced
                    if paced:  # the first message of this reply was paced above
                        await self._pace(chat)
                    paced = True

                self._sending[chat] = first
                try:
                    await self._send(chat, first, pace_more)
                except Exception:
                    log.exception("a reply to chat %s could not be sent", chat.chat_id)
                finally:
                    self._sending.pop(chat, None)
        finally:
            self._tasks.pop(chat, None)
            if not queue:
                self._queues.pop(chat, None)

    def holding(self) -> list[str]:
        """The events whose kept answers are still here: waiting for their turn, or being sent."""
        items = [*self._sending.values(), *(item for queue in self._queues.values() for item in queue)]
        return [event for item in items for event in item.events]

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def flush(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for every queue to empty; returns how many replies were left."""
        tasks = list(self._tasks.values())
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        left = self.waiting
        self._queues.clear()
        return left

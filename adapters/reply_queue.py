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
    """One reply for a chat: the message it answers, whose its buttons are, the topic it goes to."""

    reply: Reply
    reply_to: int | None = None
    owner: str = ""


@dataclass(frozen=True)
class Chat:
    chat_id: str
    is_group: bool
    thread: str = ""


Send = Callable[[Chat, Outbound, Callable[[], Awaitable[None]]], Awaitable[None]]


def plain(item: Outbound) -> bool:
    r = item.reply
    return not r.buttons and not r.attachments and not r.title and bool(r.text)


def merge(items: list[Outbound]) -> list[Outbound]:
    """Consecutive plain replies become one message (answering the first); the rest stay as they are."""
    out: list[Outbound] = []
    for item in items:
        last = out[-1] if out else None
        if last is not None and plain(last) and plain(item):
            text = f"{last.reply.text}\n\n{item.reply.text}"
            if len(text) <= MERGED_MAX:
                out[-1] = replace(last, reply=replace(last.reply, text=text))
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
                await self._pace(chat)
                batch = merge(list(queue))
                queue.clear()
                first, rest = batch[0], batch[1:]
                queue.extendleft(reversed(rest))
                paced = False

                async def pace_more() -> None:
                    nonlocal paced
                    if paced:  # the first message of this reply was paced above
                        await self._pace(chat)
                    paced = True

                try:
                    await self._send(chat, first, pace_more)
                except Exception:
                    log.exception("a reply to chat %s could not be sent", chat.chat_id)
        finally:
            self._tasks.pop(chat, None)
            if not queue:
                self._queues.pop(chat, None)

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

"""Outbound pacing: sliding-window limits per platform, per chat and per group."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most ``count`` sends per ``seconds``, for every key ``scope`` gives (``"*"`` for all sends).

    A ``bucket`` limit allows a burst of ``count`` and then one send per ``seconds / count``
    (a token bucket); otherwise no window of ``seconds`` holds more than ``count`` sends.
    """

    count: int
    seconds: float
    scope: str = "*"  # "*" all sends, "chat" per chat, "group" per group chat
    bucket: bool = False


# Telegram: about 30 messages a second in all; one a second per chat, with a short burst allowed
# (three in any three seconds); 20 a minute per group.
TELEGRAM_LIMITS = (Limit(30, 1.0), Limit(3, 3.0, "chat", bucket=True), Limit(20, 60.0, "group"))
DISCORD_LIMITS = (Limit(50, 1.0),)


class Pacer:
    """Waits before each send until every limit allows it; one pacer per adapter."""

    def __init__(self, limits: tuple[Limit, ...], clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._clock = clock
        self._sent: dict[tuple[int, str], deque[float]] = defaultdict(deque)
        self._tokens: dict[tuple[int, str], tuple[float, float]] = {}  # bucket: (tokens, at)
        self._lock = asyncio.Lock()

    def _keys(self, chat_id: str, is_group: bool) -> list[tuple[int, str, Limit]]:
        keys = []
        for i, limit in enumerate(self._limits):
            if limit.scope == "*":
                keys.append((i, "*", limit))
            elif limit.scope == "chat" or (limit.scope == "group" and is_group):
                keys.append((i, chat_id, limit))
        return keys

    def delay(self, chat_id: str, is_group: bool) -> float:
        """Seconds to wait before a send to this chat would respect every limit."""
        now = self._clock()
        wait = 0.0
        for i, key, limit in self._keys(chat_id, is_group):
            if limit.bucket:
                tokens = self._refilled((i, key), limit, now)
                if tokens < 1:
                    wait = max(wait, (1 - tokens) * limit.seconds / limit.count)
                continue
            window = self._sent[(i, key)]
            while window and now - window[0] >= limit.seconds:
                window.popleft()
            if len(window) >= limit.count:
                wait = max(wait, limit.seconds - (now - window[0]))
        return wait

    def _refilled(self, key: tuple[int, str], limit: Limit, now: float) -> float:
        tokens, at = self._tokens.get(key, (float(limit.count), now))
        return min(float(limit.count), tokens + (now - at) * limit.count / limit.seconds)

    async def wait(self, chat_id: str, is_group: bool = False) -> None:
        async with self._lock:
            while (pause := self.delay(chat_id, is_group)) > 0:
                await asyncio.sleep(pause)
            self.note(chat_id, is_group)

    def note(self, chat_id: str, is_group: bool = False) -> None:
        """Count a send now, without waiting (a shared budget already allowed it)."""
        now = self._clock()
        for i, key, limit in self._keys(chat_id, is_group):
            if limit.bucket:
                self._tokens[(i, key)] = (self._refilled((i, key), limit, now) - 1, now)
            else:
                self._sent[(i, key)].append(now)

    def keys(self, chat_id: str, is_group: bool) -> list[tuple[int, str, Limit]]:
        """Each limit this send counts against, with its key (``"*"`` or the chat)."""
        return self._keys(chat_id, is_group)

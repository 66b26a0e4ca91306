"""One outbound budget for every process on one PostgreSQL (Telegram in webhook mode, where every
process behind the load balancer answers the commands it handled).

Each limit of the platform is a token bucket kept in ``send_budget``, one row per limit and key
(all sends, a chat, a group). A send takes one token from every bucket it counts against, all in one
transaction with the rows locked in key order, or takes none and learns how long to wait; the
refill is reckoned from the database's clock, so processes on several machines agree. A sliding
window (``count`` in any ``seconds``) becomes a bucket holding half of ``count`` refilled at half
the rate, so that no window of ``seconds`` ever sees more than ``count``; a bucket limit stays as
it is. Without the database (it does not answer), a send waits by this process's own pacer alone.
"""

from __future__ import annotations

import asyncio
import logging

from adapters.pacing import Limit, Pacer
from adapters.store.direct import DirectConnection

log = logging.getLogger(__name__)

QUERY_TIMEOUT_S = 5.0
PRUNE_EVERY = 2_000  # takes; rows of chats quiet for an hour are removed then
MIN_WAIT_S = 0.01
MARGIN = 0.98


def bucket_of(limit: Limit) -> tuple[float, float]:
    """(capacity, tokens a second) of the bucket that holds ``limit`` across processes."""
    if limit.bucket:
        return float(limit.count), limit.count / limit.seconds
    capacity = max(1.0, float(limit.count // 2))
    # In a window of ``seconds`` the bucket gives at most capacity + rate × seconds: the count, less a
    # margin for clocks and rounding (a send at exactly the refill instant stays outside the window).
    return capacity, max(limit.count - capacity, 1.0) * MARGIN / limit.seconds


TAKE = """
select key, tokens, extract(epoch from clock_timestamp() - at)::float8 from send_budget
where key = any(%s) order by key for update
"""


class SharedPacer(Pacer):
    """A ``Pacer`` whose ``wait`` spends from the shared buckets; ``delay`` is this process's own view."""

    def __init__(self, database_url: str, platform: str, limits: tuple[Limit, ...]) -> None:
        self._direct = DirectConnection(database_url, "runlift-budget")
        super().__init__(limits)
        self._platform = platform
        self._taking = asyncio.Lock()  # one transaction at a time on the one connection
        self._takes = 0
        self.waited = 0  # sends that had to wait for the shared budget (the figure the tests read)

    async def wait(self, chat_id: str, is_group: bool = False) -> None:
        buckets = {
            f"{self._platform}:{i}:{key}": bucket_of(limit) for i, key, limit in self.keys(chat_id, is_group)
        }
        while True:
            try:
                pause = await self._take(buckets)
            except Exception as error:
                log.warning(
                    "shared send budget: PostgreSQL did not answer (%s); pacing by this process alone", error
                )
                await self._direct.drop()
                await super().wait(chat_id, is_group)
                return
            if pause <= 0:
                self.note(chat_id, is_group)
                return
            self.waited += 1
            await asyncio.sleep(max(pause, MIN_WAIT_S))

    async def _take(self, buckets: dict[str, tuple[float, float]]) -> float:
        """0 when a token was taken from every bucket; else the seconds until each would hold one."""
        async with self._taking:
            conn, _ = await self._direct.get()
            async with conn.transaction():
                await conn.execute(
                    "insert into send_budget (key, tokens, at) select k, c, clock_timestamp() "
                    "from unnest(%s::text[], %s::float8[]) as t(k, c) on conflict (key) do nothing",
                    (list(buckets), [capacity for capacity, _ in buckets.values()]),
                )
                cursor = await asyncio.wait_for(conn.execute(TAKE, (list(buckets),)), QUERY_TIMEOUT_S)
                rows = await cursor.fetchall()
                now: dict[str, float] = {}
                wait = 0.0
                for key, tokens, elapsed in rows:
                    capacity, rate = buckets[key]
                    have = min(capacity, float(tokens) + max(0.0, float(elapsed)) * rate)
                    now[key] = have
                    if have < 1:
                        wait = max(wait, (1 - have) / rate)
                if wait > 0:
                    return wait
                await conn.execute(
                    "update send_budget set tokens = t.v, at = clock_timestamp() "
                    "from unnest(%s::text[], %s::float8[]) as t(k, v) where send_budget.key = t.k",
                    (list(now), [v - 1 for v in now.values()]),
                )
            self._takes += 1
            if self._takes % PRUNE_EVERY == 0:
                await conn.execute("delete from send_budget where at < clock_timestamp() - interval '1 hour'")
            return 0.0

    async def close(self) -> None:
        await self._direct.drop()

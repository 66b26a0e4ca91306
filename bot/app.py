"""The composition root: ``build(settings)`` makes the store, the core, the clock and the adapters once;
``run``, ``console`` and ``nudges`` are short callers of it."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from bot.settings import Settings
from core.clock import Clock
from core.commands.context import CoreConfig
from core.ledger import membership
from core.ledger.restore import restore
from core.messages import InboxEvent, Incoming, Reply
from core.nudges.passes import NudgePass, PassReport, prune
from core.ports import ChatAdapter, UnitOfWork
from core.service import Runlift

if TYPE_CHECKING:
    from bot.scheduler import NudgeScheduler
    from bot.senders import Sender

log = logging.getLogger(__name__)
T = TypeVar("T")


def rebuild_missing(store: SqlStore, now: datetime) -> int:
    """Build the caches of runners who have none (a database from before the ledger); returns how many."""
    count = 0
    with store.unit() as uow:
        for runner_id in uow.runners.ids():
            found = uow.runners.get(runner_id)
            if found is not None and found[1] is None:
                restore(uow, found[0], now)
                count += 1
        if count:
            uow.commit()
    if count:
        log.info("rebuilt the ledger of %d runners from their records", count)
    return count


class App:
    """The hub every adapter talks to, and the router for messages the bot starts itself."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.engine = make_engine(settings.database_url)
        migrate(self.engine)
        self.store = SqlStore(self.engine)
        rebuild_missing(self.store, clock.now())
        self.core = Runlift(self.store, CoreConfig(default_tz=settings.runlift_tz))
        self.adapters: dict[str, ChatAdapter] = {}
        # SQLite takes one writer at a time: one database thread avoids waiting on its lock.
        workers = 1 if self.engine.dialect.name == "sqlite" else 4
        self._db = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="runlift-db")
        self.senders: dict[str, Sender] = {}

    async def in_db(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._db, work)

    # Hub

    async def handle(self, incoming: Incoming) -> list[Reply]:
        return await self.in_db(lambda: self.core.handle(incoming))

    async def member_left(self, platform: str, chat_id: str, user_id: str, event_id: str = "") -> None:
        log.info("member left %s chat %s", platform, chat_id)

        def remove() -> None:
            with self.store.unit() as uow:
                if self._claim(uow, event_id):
                    membership.member_left(uow, platform, chat_id, user_id, self.clock.now())
                    uow.commit()

        await self.in_db(remove)

    async def chat_closed(self, platform: str, chat_id: str, event_id: str = "") -> None:
        log.info("bot removed from %s chat %s", platform, chat_id)

        def close() -> None:
            with self.store.unit() as uow:
                if self._claim(uow, event_id):
                    membership.chat_closed(uow, platform, chat_id, self.clock.now())
                    uow.commit()

        await self.in_db(close)

    async def chat_moved(self, platform: str, old_chat_id: str, new_chat_id: str, event_id: str = "") -> None:
        def move() -> None:
            with self.store.unit() as uow:
                if self._claim(uow, event_id):
                    if membership.chat_moved(uow, platform, old_chat_id, new_chat_id):
                        log.info(
                            "%s chat %s is now %s: its group moved with it",
                            platform,
                            old_chat_id,
                            new_chat_id,
                        )
                    uow.commit()

        await self.in_db(move)

    async def unreachable(self, platform: str, user_id: str, event_id: str = "") -> None:
        def mark() -> None:
            with self.store.unit() as uow:
                if self._claim(uow, event_id):
                    uow.runners.set_unreachable(platform, user_id, True)
                    uow.commit()

        await self.in_db(mark)

    def _claim(self, uow: UnitOfWork, event_id: str) -> bool:
        """The event is handled in this transaction (false: it was, before)."""
        return not event_id or uow.events.claim(event_id, self.clock.now())

    async def receive(self, events: Sequence[InboxEvent]) -> None:
        def keep() -> None:
            with self.store.unit() as uow:
                uow.inbox.add(events)
                uow.commit()

        if events:
            await self.in_db(keep)

    async def pending(self, platform: str) -> list[InboxEvent]:
        def read() -> list[InboxEvent]:
            with self.store.unit() as uow:
                return uow.inbox.pending(platform)

        return await self.in_db(read)

    async def settled(self, event_id: str) -> None:
        def claim() -> None:
            with self.store.unit() as uow:
                self._claim(uow, event_id)
                uow.commit()

        if event_id:
            await self.in_db(claim)

    # adapters

    def build_adapters(self) -> list[ChatAdapter]:
        """Every adapter with a token configured; heavy libraries are imported only when needed."""
        adapters: list[ChatAdapter] = []
        if self.settings.telegram_bot_token:
            from adapters.telegram_chat import TelegramChat

            adapters.append(TelegramChat.from_settings(self.settings, self.clock))
        if self.settings.discord_bot_token:
            from adapters.discord_chat import DiscordChat

            adapters.append(DiscordChat.from_settings(self.settings, self.clock))
        return adapters

    async def serve(self, adapters: list[ChatAdapter]) -> None:
        """Run the adapters, their senders and the nudge scheduler until SIGINT or SIGTERM."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        started: list[ChatAdapter] = []
        scheduler = None
        try:
            for adapter in adapters:
                await adapter.start(self)
                self.attach(adapter)
                started.append(adapter)
                log.info("%s adapter running", adapter.platform)
            scheduler = self.start_scheduler()
            await stop.wait()
            log.info("stopping")
        finally:
            if scheduler is not None:
                await scheduler.stop()
            await self.stop_senders()
            for adapter in reversed(started):
                try:
                    await asyncio.wait_for(adapter.stop(), timeout=4)
                except Exception:
                    log.exception("stopping %s failed", adapter.platform)
            self.close()

    def attach(self, adapter: ChatAdapter) -> None:
        """Route bot-initiated messages for the adapter's platform to it, drained by its own sender."""
        from bot.senders import Sender

        self.adapters[adapter.platform] = adapter
        self.senders[adapter.platform] = Sender(adapter, self.store, self.clock, self.in_db).start()

    async def stop_senders(self) -> None:
        senders, self.senders = list(self.senders.values()), {}
        await asyncio.gather(*(s.stop() for s in senders))

    async def outbox_idle(self) -> None:
        """Wait until every sender has sent what it may send now (tests, `runlift nudges`)."""
        await asyncio.gather(*(s.idle() for s in self.senders.values()))

    def start_scheduler(self, catch_up: bool = True) -> NudgeScheduler:
        """Start the once-a-minute nudge pass; call from inside the running event loop."""
        from bot.scheduler import NudgeScheduler  # APScheduler stays out of the console's start-up

        return NudgeScheduler(self.nudge_pass, self.clock, catch_up).start()

    async def nudge_pass(self, at: datetime) -> PassReport:
        """Decide what is due at ``at`` and put it in the outbox, one short unit of work per chunk
        (commands interleave on the database thread), then wake the senders: never waits for delivery."""
        run = NudgePass(at)

        def step() -> bool:
            with self.store.unit() as uow:
                more = run.step(uow)
                if run.finished:
                    prune(uow, run.now)
                uow.commit()
            return more

        while await self.in_db(step):
            pass
        if run.report.queued:
            for sender in self.senders.values():
                sender.wake()
        return run.report

    def close(self) -> None:
        self._db.shutdown(wait=True)
        self.engine.dispose()


def build(settings: Settings, clock: Clock | None = None) -> App:
    """Everything the bot needs, made once from the settings."""
    return App(settings, clock or settings.clock())

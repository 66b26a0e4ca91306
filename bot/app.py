"""The composition root: build the store, the core and the adapters; start them; stop in reverse."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from bot.settings import Settings
from core import groups
from core.context import CoreConfig
from core.messages import DeliveryError, Incoming, Outgoing, RecipientUnreachable, Reply
from core.nudge_pass import PassReport, run_nudge_pass
from core.ports import ChatAdapter
from core.service import Runlift

if TYPE_CHECKING:
    from bot.scheduler import NudgeScheduler

log = logging.getLogger(__name__)

DELIVERY_TIMEOUT_S = 120


class App:
    """The hub every adapter talks to, and the router for messages the bot starts itself."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        migrate(self.engine)
        self.store = SqlStore(self.engine)
        self.core = Runlift(self.store, CoreConfig(default_tz=settings.runlift_tz))
        self.adapters: dict[str, ChatAdapter] = {}
        # SQLite takes one writer at a time: one database thread avoids waiting on its lock.
        workers = 1 if self.engine.dialect.name == "sqlite" else 4
        self._db = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="runlift-db")

    async def _in_db_thread(self, work: Callable[[], object]) -> object:
        return await asyncio.get_running_loop().run_in_executor(self._db, work)

    # Hub
    async def handle(self, incoming: Incoming) -> list[Reply]:
        return await asyncio.get_running_loop().run_in_executor(self._db, self.core.handle, incoming)

    async def member_left(self, platform: str, chat_id: str, user_id: str) -> None:
        log.info("member left %s chat %s", platform, chat_id)

        def remove() -> None:
            with self.store.unit() as uow:
                groups.member_left(uow, platform, chat_id, user_id)
                uow.commit()

        await self._in_db_thread(remove)

    async def chat_closed(self, platform: str, chat_id: str) -> None:
        log.info("bot removed from %s chat %s", platform, chat_id)

        def close() -> None:
            with self.store.unit() as uow:
                groups.chat_closed(uow, platform, chat_id)
                uow.commit()

        await self._in_db_thread(close)

    async def unreachable(self, platform: str, user_id: str) -> None:
        def mark() -> None:
            with self.store.unit() as uow:
                uow.set_unreachable(platform, user_id, True)
                uow.commit()

        await self._in_db_thread(mark)

    # router
    async def deliver(self, outgoing: Outgoing) -> None:
        """Send a bot-initiated message through the adapter that owns its chat."""
        adapter = self.adapters.get(outgoing.address.platform)
        if adapter is None:
            raise DeliveryError(f"no adapter for {outgoing.address.platform}")
        try:
            await adapter.send(outgoing.address, outgoing.reply)
        except RecipientUnreachable:
            if not outgoing.address.is_group:
                await self.unreachable(outgoing.address.platform, outgoing.address.chat_id)
            raise

    def build_adapters(self) -> list[ChatAdapter]:
        """Every adapter with a token configured; heavy libraries are imported only when needed."""
        adapters: list[ChatAdapter] = []
        if self.settings.telegram_bot_token:
            from adapters.telegram_chat import TelegramChat

            adapters.append(TelegramChat.from_settings(self.settings))
        if self.settings.discord_bot_token:
            from adapters.discord_chat import DiscordChat

            adapters.append(DiscordChat.from_settings(self.settings))
        return adapters

    async def serve(self, adapters: list[ChatAdapter]) -> None:
        """Run the adapters (and the nudge scheduler) until SIGINT or SIGTERM."""
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
                self.adapters[adapter.platform] = adapter
                started.append(adapter)
                log.info("%s adapter running", adapter.platform)
            scheduler = self.start_scheduler()
            await stop.wait()
            log.info("stopping")
        finally:
            if scheduler is not None:
                await scheduler.stop()
            for adapter in reversed(started):
                try:
                    await asyncio.wait_for(adapter.stop(), timeout=4)
                except Exception:
                    log.exception("stopping %s failed", adapter.platform)
            self.close()

    def start_scheduler(self) -> NudgeScheduler:
        """Start the once-a-minute nudge pass; call from inside the running event loop."""
        from bot.scheduler import NudgeScheduler  # APScheduler stays out of the console's start-up

        self._loop = asyncio.get_running_loop()
        return NudgeScheduler(self.run_nudge_pass).start()

    def run_nudge_pass(self, at: datetime) -> PassReport:
        """One nudge pass, from a worker thread: deliveries hop back to the loop the adapters run on."""
        loop = self._loop

        def deliver(outgoing: Outgoing) -> None:
            asyncio.run_coroutine_threadsafe(self.deliver(outgoing), loop).result(timeout=DELIVERY_TIMEOUT_S)

        return run_nudge_pass(self.store, at, deliver)

    def close(self) -> None:
        self._db.shutdown(wait=True)
        self.engine.dispose()

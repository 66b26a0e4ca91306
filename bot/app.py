"""The composition root: ``build(settings)`` makes the store, the core, the clock and the adapters once;
``run``, ``console`` and ``nudges`` are short callers of it."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from adapters.feeds.feed_http import FeedLimits, FeedReader
from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from bot.hub_work import HubWork
from bot.operations import health
from bot.operations import passes as pass_figures
from bot.operations.labels import command_label
from bot.operations.logs import pseudonym
from bot.operations.memory import settle_heap
from bot.settings import Settings
from core.calendar.refresh import RefreshReport, refresh_calendars
from core.clock import Clock
from core.commands.context import CoreConfig
from core.ledger.keeper import GroupKeeper
from core.ledger.restore import restore
from core.messages import InboxEvent, Incoming, Reply
from core.nudges.passes import NudgePass, PassReport, prune
from core.ports import ChatAdapter
from core.service import Runlift
from core.texts import APOLOGY

if TYPE_CHECKING:
    from bot.core_process import CoreProcess
    from bot.leadership import Leadership, Waitable
    from bot.operations.http import OperationsServer
    from bot.operations.metrics import Metrics
    from bot.scheduler import NudgeScheduler
    from bot.senders import Round, Sender

log = logging.getLogger(__name__)
T = TypeVar("T")

ADAPTER_RETRY_S = (30, 60, 120, 300, 600)  # an adapter that could not start is tried again, then every 10 min
BACKUP_AT = (3, 17)  # the daily backup, UTC


def rebuild_missing(store: SqlStore, now: datetime) -> int:
    """Build the caches of runners who have none (a database from before the ledger); returns how many."""
    count = 0
    touched: set[int] = set()
    with store.unit() as uow:
        for runner_id in uow.runners.ids():
            found = uow.runners.get(runner_id)
            if found is not None and found[1] is None:
                restore(uow, found[0], now, groups=False)
                touched.update(g.id for g in uow.groups.of_runner(runner_id))
                count += 1
        # Each group once, after all its members: per member it would be rebuilt once each
        # (a 2,000-member club 2,000 times). The latest local day anywhere bounds the weeks.
        until = (now.astimezone(UTC) + timedelta(hours=14)).date()
        for group_id in sorted(touched):
            GroupKeeper(uow, group_id, now).rebuild(until)
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
        timeout, max_bytes = settings.calendar_limits()
        self.feeds = FeedReader(lambda: clock.now().date(), FeedLimits(timeout, max_bytes))
        config = CoreConfig(
            default_tz=settings.runlift_tz,
            operators=settings.operators(),
            status_report=self.status_text,
            calendar_reader=self.feeds,
        )
        self.core = Runlift(self.store, config)
        self.work = HubWork(self.store, self.core)
        self.core_process: CoreProcess | None = None
        self.adapters: dict[str, ChatAdapter] = {}
        self.adapter_failures: dict[str, str] = {}
        self.scheduler: NudgeScheduler | None = None
        self._depth: dict[str, int] = {}  # queued in the outbox per platform (see outbox_depth)
        self._backup_now: asyncio.Task[None] | None = None
        self.metrics: Metrics | None = None  # the running bot's (observe()); the console keeps none
        # SQLite takes one writer at a time: one database thread avoids waiting on its lock.
        workers = 1 if self.engine.dialect.name == "sqlite" else 4
        self._db = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="runlift-db")
        # Marks of answers sent wait for the write lock on a thread of their own: never ahead of, nor
        # behind, the database thread's work (the core process may be waiting on that for /admin status).
        self._marks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="runlift-marks")
        self.senders: dict[str, Sender] = {}
        self._settled = False
        self._stopping = asyncio.Event()
        self._refreshing: asyncio.Task[None] | None = None
        self._recount_wanted = False
        self._reading_feeds: asyncio.Task[RefreshReport] | None = None
        self.leadership: Leadership | None = None
        if settings.ha():
            from bot.leadership import Leadership

            self.leadership = Leadership(settings.database_url)

    async def in_db(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._db, work)

    # Hub

    async def handle(self, incoming: Incoming) -> list[Reply]:
        started = time.perf_counter()
        replies: list[Reply] | None = None
        try:
            replies = await self._work("handle", incoming)
            return replies
        finally:
            seconds = time.perf_counter() - started
            failed = replies is None or any(r.text == APOLOGY for r in replies)
            if self.metrics is not None:
                self.metrics.command(incoming, seconds, failed)
            label = command_label(incoming, self.settings.operators())
            if label is not None and log.isEnabledFor(logging.INFO):
                log.info(
                    "/%s %s in %.0f ms",
                    label,
                    "failed" if failed else "handled",
                    seconds * 1000,
                    extra={
                        "platform": incoming.platform,
                        "command": label,
                        "chat": pseudonym(f"{incoming.platform}:{incoming.chat_id}"),
                        "user": pseudonym(f"{incoming.platform}:{incoming.user_id}"),
                        "duration_ms": round(seconds * 1000, 1),
                    },
                )

    async def member_left(self, platform: str, chat_id: str, user_id: str, event_id: str = "") -> None:
        log.info("member left %s chat %s", platform, chat_id)
        await self._work("member_left", platform, chat_id, user_id, event_id)

    async def chat_closed(self, platform: str, chat_id: str, event_id: str = "") -> None:
        log.info("bot removed from %s chat %s", platform, chat_id)
        await self._work("chat_closed", platform, chat_id, event_id)

    async def chat_moved(self, platform: str, old_chat_id: str, new_chat_id: str, event_id: str = "") -> None:
        await self._work("chat_moved", platform, old_chat_id, new_chat_id, event_id)

    async def unreachable(self, platform: str, user_id: str, event_id: str = "") -> None:
        await self._work("unreachable", platform, user_id, event_id)

    async def receive(self, events: Sequence[InboxEvent]) -> None:
        if events:
            await self._work("receive", list(events))

    async def pending(self, platform: str, chat_id: str | None = None) -> list[InboxEvent]:
        found: list[InboxEvent] = await self._work("pending", platform, chat_id)
        return found

    async def settled(self, event_id: str) -> None:
        if event_id:
            await self._work("settled", event_id)

    async def replied(self, event_ids: Sequence[str]) -> None:
        """Marked here, in this process, not queued behind the core process's commands: the shorter
        the time between a send and its mark, the fewer answers a kill -9 at that instant sends twice."""
        if event_ids:
            ids, now = list(event_ids), self.clock.now()
            await asyncio.get_running_loop().run_in_executor(self._marks, lambda: self.work.replied(ids, now))

    async def holding(self, event_ids: Sequence[str]) -> None:
        """Leases of answers still waiting for their chat's pace run on (written as the marks are)."""
        if event_ids:
            ids, now = list(event_ids), self.clock.now()
            await asyncio.get_running_loop().run_in_executor(self._marks, lambda: self.work.holding(ids, now))

    async def _work(self, name: str, *args: object) -> Any:
        """One hub call: in the core process when one runs, else on the database thread."""
        now = self.clock.now()
        if self.core_process is not None:
            from bot.core_process import CoreGone

            try:
                return await self.core_process.call(name, *args, now=now)
            except CoreGone:
                # The core process died under this call and is started again. Each call is safe to
                # repeat: an event handled before the death is not handled twice (its event id).
                return await self.core_process.call(name, *args, now=now)
        call = getattr(self.work, name)
        return await self.in_db(lambda: call(*args, now))

    async def start_core_process(self) -> None:
        """With more than one CPU (``RUNLIFT_CORE_PROCESS``), the hub's work moves to its own process."""
        if not self.settings.core_process():
            return
        from bot.core_process import CoreProcess

        async def status() -> str:
            # On a thread of its own: the core process asks while its command holds SQLite's write
            # lock, so this must not wait behind anything on the database thread that wants it.
            return await asyncio.to_thread(self.status_text)

        process = CoreProcess(self.settings, status)
        await process.start()
        self.core_process = process

    async def stop_core_process(self) -> None:
        process, self.core_process = self.core_process, None
        if process is not None:
            await process.close()

    # adapters

    def build_adapters(self) -> list[ChatAdapter]:
        """Every adapter with a token configured; heavy libraries are imported only when needed."""
        adapters: list[ChatAdapter] = []
        if self.settings.telegram_bot_token:
            from adapters.telegram_chat import TelegramChat

            adapters.append(TelegramChat.from_settings(self.settings, self.clock))
        if self.settings.discord_bot_token:
            from adapters.discord_chat import DiscordChat

            elect = None
            if self.leadership is not None and self.settings.shards() is not None:
                from bot.leadership import Leadership

                url = self.settings.database_url

                def elect(shard: int) -> Leadership:
                    # One lock per shard: a shard's gateway runs in exactly one process at a time.
                    return Leadership(
                        url, role=f"discord-shard-{shard}", title=f"the owner of Discord shard {shard}"
                    )

            adapters.append(DiscordChat.from_settings(self.settings, self.clock, elect=elect))
        return adapters

    async def serve(self, adapters: list[ChatAdapter]) -> None:
        """Run the adapters, their senders and the nudge scheduler until SIGINT or SIGTERM.

        With ``RUNLIFT_HA=on`` they run only while this process is the elected leader; a
        standby keeps its database and HTTP port up and takes over when the leader goes."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        self.observe()
        http = await self.start_http()
        try:
            await self.start_core_process()
            if self.leadership is None:
                await self.lead(adapters, stop, keep_going=http is not None)
            else:
                from bot.leadership import serve_elected

                await serve_elected(self, self.leadership, adapters, stop)
            log.info("stopping")
        finally:
            self._stopping.set()
            await self.stop_core_process()
            if http is not None:
                await http.stop()
            self.close()

    def take_over_leases(self) -> None:
        """Only the leader sends: leases still held were the last leader's, whose nudges are offered again
        at once (within their window) rather than when the lease would have run out."""
        with self.store.unit() as uow:
            freed = {p: uow.outbox.release_all(p) for p in self.configured_platforms()}
            uow.commit()
        if any(freed.values()):
            log.info("HA: %d nudges the last leader had leased are offered again", sum(freed.values()))

    async def lead(
        self,
        adapters: list[ChatAdapter],
        until: Waitable,
        keep_going: bool,
        lost: asyncio.Event | None = None,
        ingress: Sequence[ChatAdapter] = (),
    ) -> None:
        """Start the adapters, senders and scheduler; stop them, fetching first, when ``until`` is set
        (a fenced leader, ``lost`` set, gives its adapters longer to deliver replies it owes).

        ``ingress``: adapters every process runs whether it leads or not (Telegram in webhook mode);
        leading, this process registers them (``lead()``) and runs their senders for the term."""
        started: list[ChatAdapter] = []
        retrying: list[asyncio.Task[None]] = []
        try:
            for adapter in ingress:
                if self.adapters.get(adapter.platform) is adapter:
                    await lead_adapter(adapter)
                    self.attach_sender(adapter)
            for adapter in adapters:
                # With the HTTP port, a refused adapter is named on /readyz and retried; without
                # it, it ends the process with one clear line (the service manager shows it).
                if await self.start_adapter(adapter, keep_going=keep_going):
                    started.append(adapter)
                else:
                    retrying.append(asyncio.create_task(self._keep_starting(adapter, started)))
            self.scheduler = self.start_scheduler()
            self.start_backups(self.scheduler)
            if not self._settled:  # once: what the first term started stays for the process's life
                settle_heap()
                self._settled = True
            await until.wait()
        finally:
            for task in retrying:
                task.cancel()
            await asyncio.gather(*retrying, return_exceptions=True)
            if self.scheduler is not None:
                await self.scheduler.stop()
            if self._reading_feeds is not None:  # a feed read in flight ends within its timeout
                await asyncio.gather(self._reading_feeds, return_exceptions=True)
            await self.stop_senders()
            for adapter in reversed(started):
                try:
                    owes = (lost is not None and lost.is_set()) or active_active(adapter)
                    await asyncio.wait_for(adapter.stop(), timeout=12 if owes else 4)
                except Exception:
                    log.exception("stopping %s failed", adapter.platform)
                self.adapters.pop(adapter.platform, None)

    def attach(self, adapter: ChatAdapter) -> None:
        """Route bot-initiated messages for the adapter's platform to it, drained by its own sender."""
        self.adapters[adapter.platform] = adapter
        self.attach_sender(adapter)

    def attach_sender(self, adapter: ChatAdapter) -> None:
        """The sender draining the outbox into ``adapter`` (only a leader runs senders)."""
        from bot.senders import Sender

        self.senders[adapter.platform] = Sender(
            adapter, self.store, self.clock, self.in_db, on_round=self._delivered
        ).start()

    async def stop_senders(self) -> None:
        senders, self.senders = list(self.senders.values()), {}
        await asyncio.gather(*(s.stop() for s in senders))

    async def outbox_idle(self) -> None:
        """Wait until every sender has sent what it may send now (tests, `runlift nudges`)."""
        await asyncio.gather(*(s.idle() for s in self.senders.values()))

    async def start_adapter(self, adapter: ChatAdapter, keep_going: bool = True, sender: bool = True) -> bool:
        """Start one adapter; with ``keep_going`` one that fails is named on /readyz and the others go on
        (``sender=False``: its sender is left to the leader's term)."""
        try:
            await adapter.start(self)
        except Exception as error:
            if not keep_going:
                raise
            reason = str(error) or type(error).__name__
            self.adapter_failures[adapter.platform] = reason
            log.error("%s adapter not running: %s", adapter.platform, reason)
            return False
        self.adapter_failures.pop(adapter.platform, None)
        if sender:
            self.attach(adapter)
        else:
            self.adapters[adapter.platform] = adapter
        log.info("%s adapter running", adapter.platform)
        return True

    async def _keep_starting(self, adapter: ChatAdapter, started: list[ChatAdapter]) -> None:
        for attempt in range(10_000):
            await asyncio.sleep(ADAPTER_RETRY_S[min(attempt, len(ADAPTER_RETRY_S) - 1)])
            if self._stopping.is_set():
                return
            if await self.start_adapter(adapter):
                started.append(adapter)
                return

    def observe(self) -> Metrics:
        """The Prometheus metrics of this process, made on first use (the console needs none)."""
        if self.metrics is None:
            from bot.operations.metrics import Metrics

            self.metrics = Metrics(
                self.engine, self.settings.configured_adapters(), self.outbox_depth, self.settings.operators()
            )
        return self.metrics

    async def start_http(self) -> OperationsServer | None:
        """The operator's HTTP port, when ``RUNLIFT_HTTP`` is set (it starts before the adapters)."""
        address = self.settings.http_address()
        if address is None:
            return None
        from bot.operations.http import OperationsServer

        server = OperationsServer(*address, lambda: health.readiness(self), self.observe().exposition)
        await server.start()
        return server

    def start_backups(self, scheduler: NudgeScheduler) -> None:
        """With ``RUNLIFT_BACKUP_DIR``: a backup every day, and one now when the newest is a day old."""
        if not self.settings.runlift_backup_dir:
            return
        from bot.operations.backup import newest_age_s

        scheduler.daily(self.daily_backup, *BACKUP_AT, job_id="daily-backup")
        age = newest_age_s(Path(self.settings.runlift_backup_dir), self.clock.now())
        if age is None or age > 86_400:
            self._backup_now = asyncio.create_task(self.daily_backup())

    async def daily_backup(self) -> None:
        from bot.operations.backup import daily

        folder = Path(self.settings.runlift_backup_dir)
        try:
            outcome = await asyncio.to_thread(
                daily, self.settings.database_url, folder, self.settings.backup_keep(), self.clock.now()
            )
        except Exception as error:
            log.error("daily backup into %s failed: %s", folder, error)
            return
        self.observe().last_backup_at = self.clock.now()
        log.info("daily backup: %s", outcome.summary("wrote"))

    # what the operator's tools read

    def configured_platforms(self) -> list[str]:
        return self.settings.configured_adapters()

    def last_tick(self) -> datetime | None:
        return self.scheduler.last_tick if self.scheduler is not None else None

    def now(self) -> datetime:
        return self.clock.now()

    def outbox_depth(self) -> dict[str, int]:
        """Nudges queued in the outbox per platform, as of the last pass or sender that looked."""
        return dict(self._depth)

    def _count_backlog(self) -> None:
        with self.store.unit() as uow:
            self._depth = uow.outbox.backlog()

    def status_text(self) -> str:
        """What `runlift status` prints, with the live state of this process."""
        from bot.operations.status import gather, render

        now = self.clock.now()
        connected = {p: health.adapter(self, p).detail for p in self.configured_platforms()}
        text = render(gather(self.settings, self.engine, now, connected), now)
        return text + "\n" + health.scheduler(self).line()

    def start_scheduler(self, catch_up: bool = True) -> NudgeScheduler:
        """Start the once-a-minute nudge pass; call from inside the running event loop."""
        from bot.scheduler import NudgeScheduler  # APScheduler stays out of the console's start-up

        return NudgeScheduler(self.nudge_pass, self.clock, catch_up).start()

    async def nudge_pass(self, at: datetime) -> PassReport:
        """Decide what is due at ``at`` and put it in the outbox, one short unit of work per chunk
        (commands interleave on the database thread), then wake the senders: never waits for delivery."""
        run = NudgePass(at)

        started = time.perf_counter()
        previous = await self.in_db(lambda: pass_figures.previous_pass(self.engine))
        missed = await self.in_db(lambda: pass_figures.missed_since(self.store, previous, at))

        def step() -> bool:
            with self.store.unit() as uow:
                more = run.step(uow)
                if run.finished:
                    prune(uow, run.now)
                uow.commit()
            return more

        if self.store.writers > 1:
            # A database that writes in parallel claims the shared schedules on workers of their own
            # (commands run on other connections meanwhile); then the rest, step by step.
            await asyncio.to_thread(run.claim_shared, self.store, self.store.writers)
        while await self.in_db(step):
            pass
        if self._reading_feeds is None or self._reading_feeds.done():
            # Feeds are read on a thread of their own (a slow server never holds up a pass or a
            # command); what they change is seen by the next pass.
            self._reading_feeds = asyncio.create_task(asyncio.to_thread(self.refresh_feeds, at))
        if run.report.queued:
            for sender in self.senders.values():
                sender.wake()
        seconds = time.perf_counter() - started
        if self.metrics is not None:
            self.metrics.nudge_pass(at, run.report, seconds, missed)
        await self.in_db(lambda: pass_figures.keep(self.engine, at, run.report, seconds, missed))
        self._recount()
        if self._refreshing is not None:
            await asyncio.shield(self._refreshing)  # the depth as of this pass, for what reads it next
        if missed:
            log.warning(
                "nudge pass %s: %d nudges missed (due while no pass ran, now too late)",
                at.isoformat(),
                missed,
            )
        return run.report

    def refresh_feeds(self, at: datetime) -> RefreshReport:
        """Read the calendar feeds due at ``at`` (blocking: a thread's work)."""
        report = refresh_calendars(self.store, self.feeds, at)
        if report.read:
            log.info(
                "calendar feeds: %d read, %d changed, %d unchanged, %d failed",
                report.read,
                report.changed,
                report.unchanged,
                report.failed,
            )
        return report

    def _delivered(self, platform: str, round_: Round) -> None:
        """What a sender's round came to: the metrics, and the backlog once the sender has caught up."""
        if self.metrics is not None:
            self.metrics.delivered(platform, round_, self.clock.now())
        if round_.idle:
            self._recount()

    def _recount(self) -> None:
        """Count the backlog again soon; a count asked for while one runs is done after it, so the
        depth never stays at what a count that started before the last delivery saw."""
        self._recount_wanted = True
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.create_task(self._recounting())

    async def _recounting(self) -> None:
        while self._recount_wanted:
            self._recount_wanted = False
            await self.in_db(self._count_backlog)

    def close(self) -> None:
        if self.metrics is not None:
            self.metrics.close()
        self._db.shutdown(wait=True)
        self._marks.shutdown(wait=True)
        self.engine.dispose()


def active_active(adapter: ChatAdapter) -> bool:
    """An adapter every process runs, leader or not (Telegram in webhook mode)."""
    return bool(getattr(adapter, "active_active", False))


async def lead_adapter(adapter: ChatAdapter) -> None:
    """What only the leader does for an ingress adapter (Telegram: register the webhook)."""
    lead = getattr(adapter, "lead", None)
    if not callable(lead):
        return
    try:
        await lead()
    except Exception as error:
        log.warning("%s: the leader could not register with the platform: %s", adapter.platform, error)


def build(settings: Settings, clock: Clock | None = None) -> App:
    """Everything the bot needs, made once from the settings."""
    return App(settings, clock or settings.clock())

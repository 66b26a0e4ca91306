"""The Telegram adapter: python-telegram-bot with a manual lifecycle, an inbox, rendering, retries and pacing.

Every update fetched is kept in the inbox (see ``SturdyBot``) before Telegram is told
it arrived; each is then handled exactly once — a command in the transaction that
claims its id, anything else by claiming it directly — and what a crash or a stop
left unhandled is handled first at the next start.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from telegram import Bot, CallbackQuery, ChatMember, Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from adapters import traffic
from adapters.chat_turns import ChatTurns
from adapters.pacing import TELEGRAM_LIMITS, Pacer
from adapters.reply_queue import Chat, Outbound, ReplyQueue
from adapters.telegram_files import fetch_document
from adapters.telegram_render import MENUS, bot_commands, call, deliver, edit
from adapters.telegram_updates import (
    CALENDAR_UPLOAD,
    PLATFORM,
    ChatOrderedProcessor,
    SturdyBot,
    TokenRedactor,
    anonymous,
    bot_id_of,
    bot_removed,
    calendar_document,
    chat_of_raw,
    command_name,
    command_text,
    document_of,
    event_id,
    incoming_from_callback,
    incoming_from_message,
    is_group,
    members_gone,
    migration,
    needs_admin,
    read_owned,
    thread_of,
    typed,
    user_name,
)
from adapters.telegram_webhook import WebhookServer
from core.clock import Clock, SystemClock
from core.messages import (
    REPLY_LEASE,
    ChatAddress,
    DeliveryError,
    InboxEvent,
    Incoming,
    RecipientUnreachable,
    Reply,
    StartFailed,
)
from core.texts import APOLOGY

if TYPE_CHECKING:
    from bot.settings import Settings
    from core.ports import Hub

log = logging.getLogger(__name__)
UPLOAD_MAX = 5_000_000  # the largest calendar file fetched (the reader refuses larger ones too)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER, Update.CHAT_MEMBER]
ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
STOP_BUDGET = 3.0  # bot/app.py gives stop() 4 s in all; shutdown needs the rest
FENCED_FLUSH_S = 6.0  # …and a fenced leader's stop 10 s (no service manager is waiting on it)
ANONYMOUS = "Post as yourself to log — I can't tell whose sets an anonymous admin or a channel sends."
# A few connections are plenty: httpx scans its whole pool on every request.
SEND_POOL = 8
# Answers waiting for their chat's pace longer than their lease (a busy group's 20 a minute) are
# held on this often, so the leader's sender does not take them for answers a dead process left.
HOLD_EVERY_S = REPLY_LEASE.total_seconds() / 3
MARK_GATHER_S = 0.05  # how long the marks of sent answers gather before one write tells the hub
NUDGE_RATE = 25.0
TURN_RETRY_S = 0.05  # how often a process whose chat's turn another process holds looks again
SWEEP_S = 5.0  # webhook mode: how often updates kept but left unhandled (their process died) are looked for
STRANDED_S = 10.0  # …and how old such an update must be before any process takes it on


def _chat_id(raw: str) -> int | str:
    return int(raw) if raw.lstrip("-").isdigit() else raw


def not_yours(owner_name: str) -> str:
    whose = f"{owner_name}'s" if owner_name else "someone else's"
    return f"That button is {whose} — send /today for your own."


class TelegramChat:
    """ChatAdapter for Telegram: long polling (or a webhook) into the hub, replies rendered natively."""

    platform = PLATFORM

    def __init__(
        self,
        token: str,
        api_url: str = "",
        webhook_url: str = "",
        webhook_listen: str = "0.0.0.0:8443",
        *,
        webhook_secret: str = "",
        max_connections: int = 40,
        register: bool = True,
        turns: ChatTurns | None = None,
        pacer: Pacer | None = None,
        concurrency: int = 16,
        poll_timeout: int = 10,
        clock: Clock | None = None,
        paced: bool = True,
    ) -> None:
        self._clock = clock or SystemClock()
        self._token = token
        self._bot_id = bot_id_of(token)
        self._api_url = api_url.rstrip("/")
        if webhook_url and not webhook_secret:
            raise ValueError("webhook mode needs a secret (TELEGRAM_WEBHOOK_SECRET)")
        self._webhook_url = webhook_url
        self._webhook_listen = webhook_listen
        self._webhook_secret = webhook_secret
        self._max_connections = max_connections
        self._register = register
        self._turns = turns or ChatTurns()
        self._webhook: WebhookServer | None = None
        self._turn_locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._replied: list[str] = []
        self._marking: asyncio.Future[None] | None = None
        self._sweeping: asyncio.Task[None] | None = None
        self._holding: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._concurrency = concurrency
        self._poll_timeout = poll_timeout
        self._redactor = TokenRedactor(token, webhook_secret)
        self._pacer = pacer or Pacer(TELEGRAM_LIMITS if paced else ())
        # Nudges stay under the 30 a second so that replies to commands never wait behind them.
        self.nudge_rate: float | None = NUDGE_RATE if paced else None
        self._replies = ReplyQueue(self._pacer, self._send_queued)
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._bot: Bot | None = None
        self._hub: Hub | None = None
        self._old_factory: Callable[..., logging.LogRecord] | None = None
        self._fenced = False

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock) -> TelegramChat:
        from adapters.chat_turns import PgChatTurns, chat_turns

        webhook = settings.webhook()
        secret, max_connections = webhook or ("", 40)
        turns = chat_turns(settings.database_url) if webhook else None
        pacer: Pacer | None = None
        if isinstance(turns, PgChatTurns) and settings.telegram_limits != "none":
            from adapters.shared_pacing import SharedPacer

            # Every process behind the webhook answers commands: they spend one budget together.
            pacer = SharedPacer(settings.database_url, PLATFORM, TELEGRAM_LIMITS)
        return cls(
            settings.telegram_bot_token,
            settings.telegram_api_url,
            settings.telegram_webhook_url if webhook else "",
            settings.telegram_webhook_listen,
            webhook_secret=secret,
            max_connections=max_connections,
            # With RUNLIFT_HA=on every process serves the webhook; the leader alone registers it.
            register=not settings.ha(),
            turns=turns,
            pacer=pacer,
            clock=clock,
            paced=settings.telegram_limits != "none",
        )

    @property
    def active_active(self) -> bool:
        """Webhook mode: every process takes updates (and none needs to lead to do so)."""
        return bool(self._webhook_url)

    # lifecycle

    async def start(self, hub: Hub) -> None:
        self._guard_logs()
        self._hub = hub
        root = self._api_url or "https://api.telegram.org"
        bot = SturdyBot(
            self._token,
            base_url=f"{root}/bot",
            base_file_url=f"{root}/file/bot",
            request=HTTPXRequest(connection_pool_size=SEND_POOL),
            get_updates_request=HTTPXRequest(connection_pool_size=1),
            keep=self._keep,
            fenced=lambda: self._fenced,
        )
        builder = ApplicationBuilder().bot(bot).job_queue(None)
        app = builder.concurrent_updates(ChatOrderedProcessor(self._concurrency)).build()
        app.add_handler(TypeHandler(Update, self._on_update))
        app.add_error_handler(self._on_error)
        try:
            await call(app.initialize)
        except TelegramError as error:
            # PTB puts a rejected token in the message; the redacted text alone goes on.
            raise StartFailed(f"Telegram: cannot start: {self._redactor.redact(str(error))}") from None
        self._app, self._bot = app, app.bot
        self._holding = asyncio.create_task(self._hold_queued(), name="telegram-hold")
        try:
            await self._register_menu()
            await app.start()
            if self._webhook_url:
                await self._serve_webhook()
            else:
                await self._replay(app)
                await self._receive(app)
        except BaseException as error:
            await self.stop()
            if isinstance(error, TelegramError):
                raise StartFailed(f"Telegram: cannot start: {self._redactor.redact(str(error))}") from None
            raise
        log.info("Telegram: running as @%s", app.bot.username)

    async def _keep(self, raw: list[dict[str, Any]]) -> None:
        """Write a fetched batch to the inbox before Telegram learns it arrived (the next getUpdates)."""
        assert self._hub is not None
        now = self._clock.now()
        await self._hub.receive(
            [
                InboxEvent(
                    event_id(self._bot_id, int(r["update_id"])), PLATFORM, chat_of_raw(r), json.dumps(r), now
                )
                for r in raw
            ]
        )

    async def _replay(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Updates kept but not handled before the last stop go first, in the order they came."""
        assert self._hub is not None
        pending = await self._hub.pending(PLATFORM)
        for event in pending:
            update = Update.de_json(json.loads(event.payload), app.bot)
            if update is not None:
                await app.update_queue.put(update)
        if pending:
            log.info("Telegram: %d updates kept from before the restart are handled first", len(pending))

    async def _receive(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Long polling (``getUpdates``), every batch kept in the inbox before it is confirmed."""
        assert app.updater is not None
        await app.updater.start_polling(
            timeout=timedelta(seconds=self._poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
            error_callback=self._on_polling_error,
        )

    # webhook mode

    async def _serve_webhook(self) -> None:
        """Serve the webhook (every process does), register it if this process leads, handle what is kept."""
        host, _, port = self._webhook_listen.rpartition(":")
        server = WebhookServer(
            host.strip("[]") or "0.0.0.0",
            int(port) if port.isdigit() else 8443,
            urlsplit(self._webhook_url).path or "/",
            self._webhook_secret,
            self._on_webhook,
        )
        await server.start()
        self._webhook = server
        if self._register:
            await self.lead()
        self._sweeping = asyncio.create_task(self._sweep())

    async def lead(self) -> None:
        """The leader's part in webhook mode: tell Telegram where to post (once per term, never a standby)."""
        if not self._webhook_url:
            return
        await call(
            partial(
                self.bot.set_webhook,
                self._webhook_url,
                allowed_updates=ALLOWED_UPDATES,
                secret_token=self._webhook_secret,
                max_connections=self._max_connections,
                drop_pending_updates=False,
            )
        )
        log.info("Telegram: webhook registered (max_connections %d)", self._max_connections)

    async def _on_webhook(self, raw: dict[str, Any]) -> None:
        """Kept in the inbox (Telegram hears 200 only after this), then handled in the chat's turn."""
        await self._keep([raw])
        self._spawn(self._take_turn(chat_of_raw(raw), event_id(self._bot_id, int(raw["update_id"]))))

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _take_turn(self, chat: str, event: str) -> None:
        """Handle the chat's kept updates once this process has the chat's turn. While another
        process has it, look again until that process has handled ``event`` (or this one gets the
        turn); with no ``event`` (a sweep), leave the chat to the process that has the turn."""
        assert self._hub is not None
        lock = self._turn_locks.setdefault(chat, asyncio.Lock())
        try:
            async with lock:
                while self._webhook is not None:
                    if await self._turns.take(PLATFORM, chat):
                        try:
                            await self._handle_kept(chat)
                        finally:
                            await self._turns.give_up(PLATFORM, chat)
                        return
                    if not event:
                        return
                    if event not in {e.event_id for e in await self._hub.pending(PLATFORM, chat)}:
                        return
                    await asyncio.sleep(TURN_RETRY_S)
        except Exception:
            log.exception("Telegram: handling chat %s's updates failed; they stay kept", chat)
        finally:
            if not lock.locked() and self._turn_locks.get(chat) is lock:
                del self._turn_locks[chat]

    async def _handle_kept(self, chat: str) -> None:
        """Every update of ``chat`` kept and not yet handled, in Telegram's order, until none is left."""
        assert self._hub is not None and self._app is not None
        app, tried = self._app, set()
        while self._webhook is not None:
            kept = [e for e in await self._hub.pending(PLATFORM, chat) if e.event_id not in tried]
            if not kept:
                return
            for event in sorted(kept, key=lambda e: int(e.event_id.rpartition(":")[2])):
                tried.add(event.event_id)  # one that fails without being claimed waits for the sweep
                update = Update.de_json(json.loads(event.payload), app.bot)
                if update is None:
                    await self._hub.settled(event.event_id)
                    continue
                async with self._slots:
                    await app.process_update(update)

    async def _sweep(self) -> None:
        """Updates kept by a process that died before handling them: any process takes them on."""
        assert self._hub is not None
        first = True
        while self._webhook is not None:
            try:
                now = self._clock.now()
                chats = {
                    e.chat_id
                    for e in await self._hub.pending(PLATFORM)
                    if first or (now - e.received_at).total_seconds() >= STRANDED_S
                }
                for chat in chats:
                    self._spawn(self._take_turn(chat, ""))
            except Exception as error:
                log.warning("Telegram: looking for kept updates failed: %s", error)
            first = False
            await asyncio.sleep(SWEEP_S)

    def fence(self) -> None:
        """Leadership lost: from now on no getUpdates is made, no batch in flight is kept or handled
        (Telegram was not told it arrived, so the new leader fetches it) and no update waiting in the
        queue is handled (it is in the inbox); ``stop()`` follows."""
        self._fenced = True

    async def stop(self) -> None:
        """Stop fetching first; finish what was fetched within the budget (the rest waits in the inbox)."""
        app = self._app
        if app is None:
            return
        await self._stop_webhook()
        self._app = None
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await asyncio.wait_for(app.stop(), STOP_BUDGET)
        except TimeoutError:
            log.info("Telegram: updates still running at shutdown stay in the inbox for the next start")
        except TelegramError as error:
            log.warning("Telegram: stopping: %s", self._redactor.redact(str(error)))
        finally:
            # A fenced leader's replies answer commands it committed: nobody else will send them.
            # A fenced leader's replies, and in webhook mode any process's, nobody else will send.
            owed = self._fenced or bool(self._webhook_url)
            left = await self._replies.flush(FENCED_FLUSH_S if owed else 1.0)
            if left:
                log.info("Telegram: %d replies were still waiting for their turn at shutdown", left)
            if self._marking is not None:
                await asyncio.gather(self._marking, return_exceptions=True)
            holding, self._holding = self._holding, None
            if holding is not None:
                holding.cancel()
                await asyncio.gather(holding, return_exceptions=True)
            await app.shutdown()
            close = getattr(self._pacer, "close", None)
            if callable(close):
                await close()
            self._bot = None
            self._release_logs()

    async def _stop_webhook(self) -> None:
        """No post is taken any more; what is being handled finishes within the budget (the rest stays
        kept, for this process's next start or another process's sweep)."""
        server, self._webhook = self._webhook, None
        if server is None:
            return
        await server.stop()
        sweeping, self._sweeping = self._sweeping, None
        if sweeping is not None:
            sweeping.cancel()
            await asyncio.gather(sweeping, return_exceptions=True)
        tasks = list(self._tasks)
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=STOP_BUDGET)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        await self._turns.close()

    def _guard_logs(self) -> None:
        """httpx logs every URL (which holds the token) at INFO; quieten it and redact every record."""
        logging.getLogger("httpx").setLevel(logging.WARNING)
        # PTB warns on every flood-control answer that retry_after will become a timedelta; we handle both.
        warnings.filterwarnings("ignore", message=r".*attribute `retry_after` will be of type")
        if self._old_factory is not None:
            return
        old = self._old_factory = logging.getLogRecordFactory()
        redactor = self._redactor

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = old(*args, **kwargs)
            redactor.filter(record)
            return record

        logging.setLogRecordFactory(factory)

    def _release_logs(self) -> None:
        if self._old_factory is not None:
            logging.setLogRecordFactory(self._old_factory)
            self._old_factory = None

    def connected(self) -> bool:
        """Running and receiving updates (polling or the webhook server)."""
        app = self._app
        if app is None or not app.running:
            return False
        if self._webhook_url:
            return self._webhook is not None and self._webhook.running
        return app.updater is not None and app.updater.running

    @property
    def bot(self) -> Bot:
        if self._bot is None:
            raise DeliveryError("Telegram adapter is not running")
        return self._bot

    async def _register_menu(self) -> None:
        bot = self.bot
        for scope, commands in zip(MENUS, bot_commands(), strict=True):
            try:
                await call(partial(bot.set_my_commands, commands, scope=scope()))
            except TelegramError as error:
                log.warning("Telegram: could not register the commands menu: %s", error)

    # outbound

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        """A message the bot starts (a nudge, a recap), paced; its buttons are the recipient's."""
        if self._app is None:
            raise DeliveryError("Telegram adapter is not running")
        owner = "" if address.is_group else address.chat_id

        async def pace() -> None:
            await self._pacer.wait(address.chat_id, address.is_group)

        try:
            await deliver(self.bot, _chat_id(address.chat_id), reply, owner=owner, pace=pace)
        except Forbidden as error:
            raise RecipientUnreachable(str(error)) from error
        except TelegramError as error:
            raise DeliveryError(self._redactor.redact(str(error))) from error

    async def _send_queued(self, chat: Chat, item: Outbound, pace: Callable[[], Awaitable[None]]) -> None:
        assert self._hub is not None
        try:
            await deliver(
                self.bot,
                _chat_id(chat.chat_id),
                item.reply,
                item.reply_to,
                owner=item.owner,
                topic=chat.thread,
                pace=pace,
                together=item.more,
            )
        except Forbidden:
            self._mark_replied(item.events)  # it can never go out
            if chat.is_group:
                await self._hub.chat_closed(PLATFORM, chat.chat_id)
            else:
                await self._hub.unreachable(PLATFORM, chat.chat_id)
        except TelegramError as error:
            # Kept: once its lease runs out the leader's sender tries it again.
            log.warning("Telegram: a reply to chat %s was not delivered: %s", chat.chat_id, error)
        else:
            self._mark_replied(item.events)

    def _queue(self, incoming: Incoming, replies: list[Reply], reply_to: int | None) -> None:
        chat = Chat(incoming.chat_id, incoming.is_group, incoming.thread_id)
        items = [Outbound(r, reply_to, incoming.user_id) for r in replies]
        if items and incoming.event_id:  # the kept answer is out once its last message is
            items[-1] = dataclasses.replace(items[-1], events=(incoming.event_id,))
        self._replies.put(chat, items)

    def _mark_replied(self, events: tuple[str, ...]) -> None:
        """Tell the hub these kept answers went out: one call at a time, taking all that came meanwhile."""
        if not events:
            return
        self._replied.extend(events)
        if self._marking is None or self._marking.done():
            self._marking = asyncio.ensure_future(self._flush_replied())

    async def _hold_queued(self) -> None:
        """Every few seconds: the leases of kept answers still queued here run on."""
        while True:
            await asyncio.sleep(HOLD_EVERY_S)
            events = self._replies.holding()
            if not events or self._hub is None:
                continue
            try:
                await self._hub.holding(events)
            except Exception as error:
                # Their leases may run out: the leader's sender would then send them too.
                log.warning("Telegram: %d queued answers could not be held: %s", len(events), error)

    async def _flush_replied(self) -> None:
        assert self._hub is not None
        while self._replied:
            # A moment to gather the marks of answers going out together: one write for many (a
            # write per answer was a tenth of this process's time on PostgreSQL). The moment is the
            # most an answer on the wire at a kill -9 adds to what is sent twice.
            await asyncio.sleep(MARK_GATHER_S)
            batch, self._replied = self._replied, []
            try:
                await self._hub.replied(batch)
            except Exception as error:
                # Still kept: the leader's sender sends them again once their lease runs out.
                log.warning("Telegram: %d answers sent could not be marked so: %s", len(batch), error)

    # inbound

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every update is handled once: passed to a hub call that claims its id, or claimed here."""
        assert self._hub is not None
        if self._fenced and not self._webhook_url:
            # Leadership lost: left in the inbox (or unconfirmed at Telegram) for the new leader. A
            # webhook update was answered 200 and kept nowhere else: the fenced leader handles it.
            return
        event = event_id(self._bot_id, update.update_id)
        claimed = False
        try:
            claimed = await self._dispatch(update, event)
        finally:
            if not claimed:
                await self._hub.settled(event)

    async def _dispatch(self, update: Update, event: str) -> bool:
        assert self._hub is not None
        traffic.report(PLATFORM, "update")
        if update.callback_query is not None:
            return await self._on_callback(event, update.callback_query)
        moved = migration(update)
        if moved is not None:
            await self._hub.chat_moved(PLATFORM, moved[0], moved[1], event)
            return True
        removed = bot_removed(update)
        if removed is not None:
            if is_group(removed):
                await self._hub.chat_closed(PLATFORM, str(removed.id), event)
            else:
                await self._hub.unreachable(PLATFORM, str(removed.id), event)
            return True
        gone = members_gone(update, self.bot.id)
        for i, (chat_id, user_id) in enumerate(gone):
            await self._hub.member_left(PLATFORM, chat_id, user_id, event if i == 0 else "")
        if gone:
            return True
        message = update.message  # edited messages and channel posts are not for the bot
        if message is None:
            return False
        if not calendar_document(message) and not typed(message).startswith("/"):
            return False
        if anonymous(message):  # sent as the group or a channel (its "from" is a placeholder bot)
            if command_text(typed(message), self.bot.username, is_group(message.chat)) is not None:
                chat = Chat(str(message.chat.id), is_group(message.chat), thread_of(message))
                self._replies.put(chat, [Outbound(Reply(ANONYMOUS), message.message_id)])
            return False
        incoming = incoming_from_message(event, message, self.bot.username)
        if incoming is None:
            return False
        if incoming.text == CALENDAR_UPLOAD and message.document is not None:
            incoming = await self._with_upload(incoming, message)
        reply_to = message.message_id if incoming.is_group else None
        document = document_of(message)
        if document is not None and command_name(incoming.text) == "import" and not incoming.is_group:
            # Only in a direct message: a group is told to send the file privately, and nothing is fetched.
            incoming = dataclasses.replace(incoming, upload=await fetch_document(self.bot, document))
        self._queue(incoming, await self._handle(await self._with_admin(incoming)), reply_to)
        return True

    async def _on_callback(self, event: str, query: CallbackQuery) -> bool:
        """A button press acts only for whose the button is; anyone else is told so, and nothing changes."""
        owner, _ = read_owned(query.data or "")
        if owner and owner != str(query.from_user.id):
            await self._answer_query(query, not_yours(_owner_name(query.message, owner)), alert=True)
            return False
        incoming = incoming_from_callback(event, query, self._clock.now())
        if incoming is None:
            await self._answer_query(query)
            return False
        replies = await self._handle(await self._with_admin(incoming))
        await self._answer_query(query)
        if not replies:
            return True
        first, rest = replies[0], list(replies[1:])
        try:
            edited = await edit(query, first, incoming.user_id)
        except TelegramError as error:
            log.info("Telegram: could not edit after a button press: %s", error)
            edited = False
        if not edited:
            rest.insert(0, first)
        elif not rest:
            self._mark_replied((incoming.event_id,))
        self._queue(incoming, rest, None)
        return True

    async def _answer_query(self, query: CallbackQuery, text: str = "", alert: bool = False) -> None:
        try:
            await call(partial(query.answer, text or None, show_alert=alert))
        except TelegramError as error:
            log.warning("Telegram: could not answer a button press: %s", error)

    async def _with_upload(self, incoming: Incoming, message: Message) -> Incoming:
        """``incoming`` with the sent calendar file (or, when the Bot API cannot hand it over, the
        reason why: the core then asks for it again)."""
        document = message.document
        assert document is not None
        upload = await fetch_document(self.bot, document, limit=UPLOAD_MAX, default_name="calendar.ics")
        return dataclasses.replace(incoming, upload=upload)

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        assert self._hub is not None
        try:
            # The answer is kept with the command until it is sent (``_mark_replied``).
            return await self._hub.handle(dataclasses.replace(incoming, keep_reply=bool(incoming.event_id)))
        except Exception:
            log.exception("Telegram: handling %s failed", incoming.event_id)
            return [Reply(APOLOGY)]

    async def _with_admin(self, incoming: Incoming) -> Incoming:
        """``incoming`` with the sender's admin status, read fresh, when the command may need it.

        When Telegram cannot say, the status stays unknown and the core refuses the admin action.
        """
        if not incoming.is_group or not needs_admin(incoming.text):
            return incoming
        try:
            member = await call(
                partial(self.bot.get_chat_member, int(incoming.chat_id), int(incoming.user_id))
            )
        except TelegramError as error:
            log.info("Telegram: admin status unknown: %s", error)
            return incoming
        return dataclasses.replace(incoming, is_admin=member.status in ADMIN_STATUSES)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else "?"
        if isinstance(error, TelegramError):
            log.warning("Telegram: update %s: %s", update_id, self._redactor.redact(str(error)))
        else:
            log.error("Telegram: update %s failed", update_id, exc_info=error)

    def _on_polling_error(self, error: TelegramError) -> None:
        log.warning("Telegram: polling failed (%s); retrying", self._redactor.redact(str(error)))


def _owner_name(message: object, owner: str) -> str:
    """The button's owner's name, when the bot's message answers one of theirs."""
    if isinstance(message, Message):
        asked = message.reply_to_message
        if asked is not None and asked.from_user is not None and str(asked.from_user.id) == owner:
            return user_name(asked.from_user)
    return ""

"""The Telegram adapter: python-telegram-bot with a manual lifecycle, rendering, retries and pacing."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import time
import warnings
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from telegram import Bot, CallbackQuery, ChatMember, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from adapters import traffic
from adapters.pacing import TELEGRAM_LIMITS, Pacer
from adapters.telegram_render import MENUS, bot_commands, call, deliver, edit
from adapters.telegram_updates import (
    PLATFORM,
    ChatOrderedProcessor,
    SturdyBot,
    TokenRedactor,
    bot_removed,
    incoming_from_callback,
    incoming_from_message,
    is_group,
    members_gone,
    needs_admin,
)
from core.clock import Clock, SystemClock
from core.messages import ChatAddress, DeliveryError, Incoming, RecipientUnreachable, Reply
from core.texts import APOLOGY

if TYPE_CHECKING:
    from bot.settings import Settings
    from core.ports import Hub

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER, Update.CHAT_MEMBER]
ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
STOP_BUDGET = 3.0  # bot/app.py gives stop() 4 s in all; shutdown needs the rest


def webhook_secret(token: str) -> str:
    """The secret Telegram echoes in each webhook call, derived from the token so it needs no setting."""
    return hashlib.sha256(token.encode()).hexdigest()[:48]


def _chat_id(raw: str) -> int | str:
    return int(raw) if raw.lstrip("-").isdigit() else raw


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
        concurrency: int = 16,
        admin_ttl: float = 60.0,
        poll_timeout: int = 10,
        clock: Clock | None = None,
    ) -> None:
        self._clock = clock or SystemClock()
        self._token = token
        self._api_url = api_url.rstrip("/")
        self._webhook_url = webhook_url
        self._webhook_listen = webhook_listen
        self._concurrency = concurrency
        self._admin_ttl = admin_ttl
        self._poll_timeout = poll_timeout
        self._redactor = TokenRedactor(token)
        self._pacer = Pacer(TELEGRAM_LIMITS)
        self._admins: dict[tuple[int, int], tuple[float, bool]] = {}
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._bot: Bot | None = None
        self._hub: Hub | None = None
        self._old_factory: Callable[..., logging.LogRecord] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock) -> TelegramChat:
        return cls(
            settings.telegram_bot_token,
            settings.telegram_api_url,
            settings.telegram_webhook_url,
            settings.telegram_webhook_listen,
            clock=clock,
        )

    # lifecycle

    async def start(self, hub: Hub) -> None:
        self._guard_logs()
        self._hub = hub
        root = self._api_url or "https://api.telegram.org"
        bot = SturdyBot(
            self._token,
            base_url=f"{root}/bot",
            base_file_url=f"{root}/file/bot",
            request=HTTPXRequest(connection_pool_size=256),
            get_updates_request=HTTPXRequest(connection_pool_size=1),
        )
        builder = ApplicationBuilder().bot(bot).job_queue(None)
        app = builder.concurrent_updates(ChatOrderedProcessor(self._concurrency)).build()
        app.add_handler(TypeHandler(Update, self._on_update))
        app.add_error_handler(self._on_error)
        try:
            await call(app.initialize)
        except TelegramError as error:
            # PTB puts a rejected token in the message; the redacted text alone goes on.
            raise RuntimeError(f"Telegram: cannot start: {self._redactor.redact(str(error))}") from None
        self._app, self._bot = app, app.bot
        try:
            await self._register_menu()
            await app.start()
            await self._receive(app)
        except BaseException as error:
            await self.stop()
            if isinstance(error, TelegramError):
                raise RuntimeError(f"Telegram: cannot start: {self._redactor.redact(str(error))}") from None
            raise
        log.info("Telegram: running as @%s", app.bot.username)

    async def _receive(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Long polling, or a webhook server when a webhook URL is set."""
        assert app.updater is not None
        if not self._webhook_url:
            await app.updater.start_polling(
                timeout=timedelta(seconds=self._poll_timeout),
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
                error_callback=self._on_polling_error,
            )
            return
        host, _, port = self._webhook_listen.rpartition(":")
        await app.updater.start_webhook(
            listen=host or "0.0.0.0",
            port=int(port) if port.isdigit() else 8443,
            url_path=urlsplit(self._webhook_url).path.lstrip("/"),
            webhook_url=self._webhook_url,
            allowed_updates=ALLOWED_UPDATES,
            secret_token=webhook_secret(self._token),
        )

    async def stop(self) -> None:
        app, self._app = self._app, None
        if app is None:
            return
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                # Application.stop finishes every update already fetched; bounded so shutdown stays quick.
                await asyncio.wait_for(app.stop(), STOP_BUDGET)
        except TimeoutError:
            log.warning("Telegram: updates still running at shutdown were cut short")
        except TelegramError as error:
            log.warning("Telegram: stopping: %s", self._redactor.redact(str(error)))
        finally:
            await app.shutdown()
            self._bot = None
            self._release_logs()

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
        return app is not None and app.running and app.updater is not None and app.updater.running

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
        if self._app is None:
            raise DeliveryError("Telegram adapter is not running")
        await self._pacer.wait(address.chat_id, address.is_group)
        try:
            await deliver(self.bot, _chat_id(address.chat_id), reply)
        except Forbidden as error:
            raise RecipientUnreachable(str(error)) from error
        except TelegramError as error:
            raise DeliveryError(self._redactor.redact(str(error))) from error

    # inbound

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert self._hub is not None
        traffic.report(PLATFORM, "update")
        if update.callback_query is not None:
            await self._on_callback(update.update_id, update.callback_query)
            return
        removed = bot_removed(update)
        if removed is not None:
            if is_group(removed):
                await self._hub.chat_closed(PLATFORM, str(removed.id))
            else:
                await self._hub.unreachable(PLATFORM, str(removed.id))
            return
        for chat_id, user_id in members_gone(update, self.bot.id):
            await self._hub.member_left(PLATFORM, chat_id, user_id)
        message = update.message
        if message is not None and message.text and message.text.startswith("/"):
            incoming = incoming_from_message(update.update_id, message, self.bot.username)
            if incoming is not None:
                reply_to = message.message_id if incoming.is_group else None
                await self._answer(await self._with_admin(incoming), reply_to)

    async def _on_callback(self, update_id: int, query: CallbackQuery) -> None:
        assert self._hub is not None
        replies: list[Reply] = []
        incoming: Incoming | None = None
        try:
            incoming = incoming_from_callback(update_id, query, self._clock.now())
            if incoming is not None:
                replies = await self._handle(await self._with_admin(incoming))
        finally:
            try:
                await call(query.answer)
            except TelegramError as error:
                log.warning("Telegram: could not answer a button press: %s", error)
        if not replies or incoming is None:
            return
        first, rest = replies[0], list(replies[1:])
        try:
            edited = await edit(query, first)
        except TelegramError as error:
            log.info("Telegram: could not edit after a button press: %s", error)
            edited = False
        if not edited:
            rest.insert(0, first)
        await self._send_replies(incoming, rest, None)

    async def _answer(self, incoming: Incoming, reply_to: int | None) -> None:
        await self._send_replies(incoming, await self._handle(incoming), reply_to)

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        assert self._hub is not None
        try:
            return await self._hub.handle(incoming)
        except Exception:
            log.exception("Telegram: handling %s failed", incoming.event_id)
            return [Reply(APOLOGY)]

    async def _send_replies(self, incoming: Incoming, replies: list[Reply], reply_to: int | None) -> None:
        assert self._hub is not None
        for reply in replies:
            try:
                await deliver(self.bot, _chat_id(incoming.chat_id), reply, reply_to)
            except Forbidden:
                if incoming.is_group:
                    await self._hub.chat_closed(PLATFORM, incoming.chat_id)
                else:
                    await self._hub.unreachable(PLATFORM, incoming.user_id)
                return
            except TelegramError as error:
                log.warning("Telegram: a reply to %s was not delivered: %s", incoming.event_id, error)

    async def _with_admin(self, incoming: Incoming) -> Incoming:
        """``incoming`` with the sender's admin status when the command may need it (cached briefly)."""
        if not incoming.is_group or not needs_admin(incoming.text):
            return incoming
        key = (int(incoming.chat_id), int(incoming.user_id))
        cached = self._admins.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return dataclasses.replace(incoming, is_admin=cached[1])
        try:
            member = await call(partial(self.bot.get_chat_member, *key))
        except TelegramError as error:
            log.info("Telegram: admin status unknown: %s", error)
            return incoming
        admin = member.status in ADMIN_STATUSES
        if len(self._admins) > 10_000:
            self._admins.clear()
        self._admins[key] = (now + self._admin_ttl, admin)
        return dataclasses.replace(incoming, is_admin=admin)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else "?"
        if isinstance(error, TelegramError):
            log.warning("Telegram: update %s: %s", update_id, self._redactor.redact(str(error)))
        else:
            log.error("Telegram: update %s failed", update_id, exc_info=error)

    def _on_polling_error(self, error: TelegramError) -> None:
        log.warning("Telegram: polling failed (%s); retrying", self._redactor.redact(str(error)))

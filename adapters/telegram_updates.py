"""Telegram updates coming in: translation to neutral messages, per-chat ordering, sturdy polling, token redaction."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, CallbackQuery, Chat, Document, Message, Update, User
from telegram.ext import BaseUpdateProcessor, ExtBot

from core.commands.table import BY_NAME
from core.messages import Incoming

log = logging.getLogger(__name__)

PLATFORM = "telegram"
GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)
GONE = ("left", "kicked")

_COMMAND = re.compile(r"^/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(?=\s|$)(.*)$", re.DOTALL)


def command_text(text: str, bot_username: str, in_group: bool) -> str | None:
    """The command as the core should read it, or None when it is not for this bot.

    ``/log@thisbot squat 3x8`` becomes ``/log squat 3x8``; a command for another
    bot is ignored, and so is an unknown bare command in a group (it may belong
    to another bot there).
    """
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    name, addressee, rest = match.groups()
    name = name.lower()
    if addressee is not None:
        if addressee.lower() != bot_username.lower():
            return None
    elif in_group and name not in BY_NAME:
        return None
    return f"/{name}{rest}"


def event_id(bot_id: int, update_id: int) -> str:
    """``tg:123456:update:42``: scoped to the bot, so two bots sharing a database never clash."""
    return f"tg:{bot_id}:update:{update_id}"


def bot_id_of(token: str) -> int:
    """A bot's id is the number before the colon of its token (no call needed to learn it)."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0


def chat_of_raw(raw: dict[str, Any]) -> str:
    """The chat an update (as JSON) belongs to, for ordering; empty when it has none."""
    for key in ("message", "edited_message", "channel_post", "my_chat_member", "chat_member"):
        part = raw.get(key)
        if isinstance(part, dict) and isinstance(part.get("chat"), dict):
            return str(part["chat"].get("id", ""))
    query = raw.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return str(message["chat"].get("id", ""))
        return str(query.get("from", {}).get("id", ""))
    return ""


# Button data carries whose the button is: ``123456:/log squat 3x8``.
_OWNED = re.compile(r"^(?P<owner>[0-9]{1,20}):(?P<command>/.*)$", re.DOTALL)


def owned_data(owner: str, command: str) -> str:
    return f"{owner}:{command}" if owner else command


def read_owned(data: str) -> tuple[str, str]:
    """``(owner, command)`` from a button's data (owner empty for buttons that carry none)."""
    match = _OWNED.match(data)
    if match is None:
        return "", data
    return match["owner"], match["command"]


def user_name(user: User) -> str:
    return user.first_name or user.username or str(user.id)


def is_group(chat: Chat) -> bool:
    return chat.type in GROUP_TYPES


def command_name(text: str) -> str:
    return text.split(maxsplit=1)[0].lstrip("/") if text.strip() else ""


def needs_admin(text: str) -> bool:
    """Whether, in a group chat, the core may need to know if the sender is an admin."""
    command = BY_NAME.get(command_name(text))
    return command is not None and command.admin_in_groups


def thread_of(message: Message | None) -> str:
    """The forum topic a message was posted in (where its replies belong), if any."""
    if message is not None and message.is_topic_message and message.message_thread_id:
        return str(message.message_thread_id)
    return ""


def typed(message: Message) -> str:
    """What the sender typed: the text, or a document's caption (``/import`` sent with the file)."""
    return message.text or message.caption or ""


def document_of(message: Message) -> Document | None:
    """The file a command came with: its own document, or the one it replies to."""
    if message.document is not None:
        return message.document
    replied = message.reply_to_message
    return replied.document if replied is not None else None


CALENDAR_UPLOAD = "/setup calendar=upload"


def calendar_document(message: Message) -> bool:
    """An ``.ics`` file sent in a private chat without a command: the runner's plan, read once."""
    document = message.document
    if document is None or is_group(message.chat) or typed(message).startswith("/"):
        return False
    name, mime = (document.file_name or "").lower(), document.mime_type or ""
    return name.endswith(".ics") or mime.startswith("text/calendar")


def incoming_from_message(event: str, message: Message, bot_username: str) -> Incoming | None:
    """A text command from a chat (or an ``.ics`` file sent privately, which sets up the calendar),
    or None when the message is not a command for this bot."""
    user = message.from_user
    if user is None or user.is_bot:
        return None
    said = CALENDAR_UPLOAD if calendar_document(message) else typed(message)
    if not said:
        return None
    text = command_text(said, bot_username, is_group(message.chat))
    if text is None:
        return None
    chat = message.chat
    return Incoming(
        platform=PLATFORM,
        user_id=str(user.id),
        user_name=user_name(user),
        chat_id=str(chat.id),
        is_group=is_group(chat),
        text=text,
        at=message.date.astimezone(UTC),
        platform_admins=True,
        chat_title=chat.title or "",
        event_id=event,
        thread_id=thread_of(message),
    )


def incoming_from_callback(event: str, query: CallbackQuery, now: datetime) -> Incoming | None:
    """A button press as the command it stands for, or None when it carries no command."""
    _, data = read_owned(query.data or "")
    if not data.startswith("/"):
        return None
    user = query.from_user
    message = query.message
    chat = message.chat if message is not None else None
    return Incoming(
        platform=PLATFORM,
        user_id=str(user.id),
        user_name=user_name(user),
        chat_id=str(chat.id) if chat is not None else str(user.id),
        is_group=chat is not None and is_group(chat),
        text=data,
        at=now,  # a button press carries no date of its own: the bot's clock says when
        platform_admins=True,
        chat_title=(chat.title or "") if chat is not None else "",
        event_id=event,
        thread_id=thread_of(message) if isinstance(message, Message) else "",
    )


def migration(update: Update) -> tuple[str, str] | None:
    """``(old chat id, new chat id)`` when a group was upgraded to a supergroup."""
    message = update.message
    if message is None:
        return None
    if message.migrate_to_chat_id:
        return str(message.chat.id), str(message.migrate_to_chat_id)
    if message.migrate_from_chat_id:
        return str(message.migrate_from_chat_id), str(message.chat.id)
    return None


def anonymous(message: Message) -> bool:
    """Posted as the group or a channel (an anonymous admin, a linked channel): nobody to log for."""
    return message.sender_chat is not None


def members_gone(update: Update, bot_id: int) -> list[tuple[str, str]]:
    """(chat_id, user_id) for every member other than the bot who left a group in this update."""
    gone: list[tuple[str, str]] = []
    message = update.message
    left = message.left_chat_member if message is not None else None
    if message is not None and left is not None and left.id != bot_id:
        gone.append((str(message.chat.id), str(left.id)))
    change = update.chat_member
    member = change.new_chat_member if change is not None else None
    if change is not None and member is not None and member.status in GONE and member.user.id != bot_id:
        gone.append((str(change.chat.id), str(member.user.id)))
    return gone


def bot_removed(update: Update) -> Chat | None:
    """The chat the bot was removed from (or blocked in, for a private chat), if that is this update."""
    change = update.my_chat_member
    if change is not None and change.new_chat_member.status in GONE:
        return change.chat
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates from different chats run concurrently; those from one chat run in arrival order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._locks.get(chat.id) or (asyncio.Lock(), 0)
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[chat.id]
            if users <= 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def readable(raw: dict[str, Any], bot: Bot | None) -> Update:
    """The update, or an empty one with the same id when the library cannot read it."""
    try:
        update = Update.de_json(raw, bot)
    except Exception as error:
        log.warning("Telegram: update %s could not be read and is skipped: %r", raw.get("update_id"), error)
        update = None
    return update if update is not None else Update(int(raw["update_id"]))


Keep = Callable[[list[dict[str, Any]]], Awaitable[None]]


class SturdyBot(ExtBot[None]):
    """An ExtBot whose getUpdates keeps each batch before returning it, and reads each update on its own.

    Telegram learns a batch arrived only from the next getUpdates (its offset), so
    ``keep`` writing the batch durably first means a crash at any moment loses none
    of it; if keeping fails, the batch is not returned and is fetched again.
    python-telegram-bot retries a batch it cannot parse forever (logging a traceback
    each time); here an unreadable update is emptied to its bare id, so it is
    confirmed and ignored and polling goes on.
    """

    def __init__(
        self, *args: Any, keep: Keep | None = None, fenced: Callable[[], bool] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self.keep = keep
            self.fenced = fenced or (lambda: False)

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Any = None,
        *,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
        api_kwargs: dict[str, Any] | None = None,
    ) -> tuple[Update, ...]:
        if self.fenced():
            return ()  # leadership lost: not even the confirming call polling's stop makes
        wait = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout or 0)
        base = read_timeout if isinstance(read_timeout, int | float) else self._request[0].read_timeout
        data = {"timeout": timeout, "offset": offset, "limit": limit, "allowed_updates": allowed_updates}
        extra = {
            "write_timeout": write_timeout,
            "connect_timeout": connect_timeout,
            "pool_timeout": pool_timeout,
        }
        result = await self._post(
            "getUpdates",
            data,
            read_timeout=(base or 0) + wait,
            api_kwargs=api_kwargs,
            **{k: v for k, v in extra.items() if v is not None},
        )
        if self.fenced():
            return ()  # fetched after leadership was lost: never kept nor handled; the new leader gets it
        if result and self.keep is not None:
            await self.keep(list(result))
        return tuple(readable(raw, self) for raw in result)


class TokenRedactor(logging.Filter):
    """Replaces the bot token (and other secrets, such as the webhook's) in a log record's text."""

    def __init__(self, token: str, *more: str) -> None:
        super().__init__()
        self._secrets = [s for s in {token, token.replace(":", "%3A"), *more} if s]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<token>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True

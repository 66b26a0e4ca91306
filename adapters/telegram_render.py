"""Neutral replies rendered and sent the Telegram way: escaped HTML, inline keyboards, retries."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter

from adapters import traffic
from adapters.telegram_updates import owned_data
from core.commands.table import COMMANDS
from core.messages import Reply

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 4
RETRY_AFTER_TIMES = 2
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
LABEL_LIMIT = 64
DESCRIPTION_LIMIT = 256


def reply_html(reply: Reply) -> str:
    """The whole reply as HTML: the title in bold, every piece of text escaped."""
    body = html.escape(reply.text, quote=False)
    if reply.title:
        title = f"<b>{html.escape(reply.title, quote=False)}</b>"
        return f"{title}\n{body}" if body else title
    return body


def chunks(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` cut at line breaks into pieces Telegram accepts (a bare over-long line is cut hard).

    Only called on reply_html output, whose one tag (the title) sits on its own line.
    """
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            cut = line.rfind("&", 0, limit)
            cut = cut if cut > limit - 8 else limit
            pieces.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def keyboard(reply: Reply, owner: str = "") -> InlineKeyboardMarkup | None:
    """Buttons as an inline keyboard whose callback data is whose it is and the button's typed command."""
    rows = []
    for row in reply.buttons:
        data = [(b, owned_data(owner, b.command)) for b in row]
        buttons = [
            InlineKeyboardButton(b.label[:LABEL_LIMIT], callback_data=d)
            for b, d in data
            if len(d.encode()) <= CALLBACK_DATA_LIMIT
        ]
        if buttons:
            rows.append(buttons)
    return InlineKeyboardMarkup(rows) if rows else None


def bot_commands() -> tuple[list[BotCommand], list[BotCommand]]:
    """The commands menu from the one command table: (private chats, group chats)."""
    private: list[BotCommand] = []
    group: list[BotCommand] = []
    for c in COMMANDS:
        entry = BotCommand(c.name.lower(), c.summary[:DESCRIPTION_LIMIT])
        if c.scope in ("any", "private"):
            private.append(entry)
        if c.scope in ("any", "group"):
            group.append(entry)
    return private, group


MENUS = (BotCommandScopeAllPrivateChats, BotCommandScopeAllGroupChats)


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB warns about the int form of retry_after
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def call(make: Callable[[], Awaitable[T]]) -> T:
    """One Bot API call, retried after RetryAfter (as told) and network errors (with backoff)."""
    waits = 0
    for attempt in range(ATTEMPTS):
        try:
            return await make()
        except RetryAfter as error:
            traffic.report("telegram", "rate_limited")
            waits += 1
            if waits > RETRY_AFTER_TIMES or attempt == ATTEMPTS - 1:
                raise
            traffic.report("telegram", "retry")
            log.info("Telegram: flood control, waiting %.1f s", _seconds(error))
            await asyncio.sleep(_seconds(error))
        except BadRequest:
            raise
        except NetworkError as error:
            if attempt == ATTEMPTS - 1:
                raise
            traffic.report("telegram", "retry")
            log.info("Telegram: %s; retrying", error)
            await asyncio.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


async def _no_pace() -> None:
    """Nothing to wait for."""


async def deliver(
    bot: Bot,
    chat_id: int | str,
    reply: Reply,
    reply_to: int | None = None,
    *,
    owner: str = "",
    topic: str = "",
    pace: Callable[[], Awaitable[None]] = _no_pace,
    together: tuple[Reply, ...] = (),
) -> list[Message]:
    """Send one reply: text in HTML pieces with the buttons on the last, then its files.

    A short text rides as the caption of the first file instead. ``reply_to``
    threads every message under the one it answers; ``topic`` keeps them in the
    forum topic it came from; ``pace`` is awaited before each message; ``owner`` is
    whose the buttons are; ``together`` are more replies (without buttons or files)
    sent in the same message.
    """
    text, markup = "\n\n".join(reply_html(r) for r in (reply, *together)), keyboard(reply, owner)
    thread = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    in_topic: dict[str, Any] = {"message_thread_id": int(topic)} if topic else {}
    sent: list[Message] = []
    captioned = bool(reply.attachments) and 0 < len(text) <= CAPTION_LIMIT
    if text.strip() and not captioned:
        pieces = chunks(text)
        for i, piece in enumerate(pieces):
            last_markup = markup if i == len(pieces) - 1 else None
            send = partial(
                bot.send_message,
                chat_id,
                piece,
                parse_mode=ParseMode.HTML,
                reply_markup=last_markup,
                reply_parameters=thread,
                **in_topic,
            )
            await pace()
            sent.append(await call(send))
    for i, item in enumerate(reply.attachments):
        caption = text if captioned and i == 0 else None
        extra: dict[str, Any] = {
            "caption": caption,
            "parse_mode": ParseMode.HTML if caption else None,
            "reply_markup": markup if caption else None,
            "reply_parameters": thread,
            "filename": item.filename,
            **in_topic,
        }
        method = bot.send_photo if item.kind == "image" else bot.send_document
        await pace()
        sent.append(await call(partial(method, chat_id, item.data, **extra)))
    return sent


async def edit(query: CallbackQuery, reply: Reply, owner: str = "") -> bool:
    """Show ``reply`` in place of the message whose button was pressed; False when that cannot be."""
    message = query.message
    text = reply_html(reply)
    if not isinstance(message, Message) or not message.text or not text or len(chunks(text)) != 1:
        return False
    change = partial(
        query.edit_message_text, text, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply, owner)
    )
    try:
        await call(change)
    except BadRequest as error:
        if "not modified" not in str(error):
            log.info("Telegram: could not edit a message: %s", error)
            return False
    if reply.attachments:
        files_only = dataclasses.replace(reply, text="", title="", buttons=())
        await deliver(query.get_bot(), message.chat_id, files_only, owner=owner)
    return True

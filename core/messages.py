"""Transport-neutral messages: what comes in from a chat and what goes back out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

# How long a kept answer is the handling process's to send (``Incoming.keep_reply``); after that the
# leader's sender sends it. An adapter holding an answer back for its chat's pace renews it.
REPLY_LEASE = timedelta(seconds=15)


@dataclass(frozen=True)
class ChatAddress:
    """Where a reply goes: a platform and a chat on it.

    For a direct message to a runner, ``chat_id`` is the runner's user id on that
    platform and ``is_group`` is false; adapters open the DM channel themselves.
    """

    platform: str
    chat_id: str
    is_group: bool = False


@dataclass(frozen=True)
class Upload:
    """A file the runner sent with the command (an export to import), as the adapter fetched it.

    ``error`` is set instead of ``data`` when fetching failed (too big, timed out, refused):
    the one short answer to give.
    """

    filename: str
    data: bytes = b""
    error: str = ""


@dataclass(frozen=True)
class Incoming:
    """One chat message addressed to the bot, already stripped of platform detail.

    ``text`` is the command as typed (``/log squat 3x8 @20kg``), without any
    ``@botname`` suffix. ``at`` is an aware datetime. ``is_admin`` is the
    platform's word on whether the sender administers the group chat, read fresh;
    ``None`` when it is not known. ``platform_admins`` says the platform has admins
    of its own (Telegram, Discord): then an unknown status is refused, never guessed;
    without (the console) the first member who joined is the admin. ``event_id`` names the platform event (``tg:123456:update:42``); an event
    already handled is ignored, so a duplicate delivery takes effect once.
    ``private_reply`` says the platform can show a personal answer to the sender
    alone even in a group chat (Discord's ephemeral replies). ``thread_id`` is the
    forum topic (or thread) the message came from, where its replies go. ``upload`` is a
    file sent with the command (an export for ``/import``, an ``.ics`` calendar for ``/setup``).
    ``keep_reply``: the adapter tells the hub when the answer went out (``Hub.replied``), so the
    answer is kept with the command until then and a process that dies in between loses it not.
    """

    platform: str
    user_id: str
    user_name: str
    chat_id: str
    is_group: bool
    text: str
    at: datetime
    is_admin: bool | None = None
    platform_admins: bool = False
    chat_title: str = ""
    event_id: str = ""
    private_reply: bool = False
    thread_id: str = ""
    upload: Upload | None = None
    keep_reply: bool = False

    @property
    def chat(self) -> ChatAddress:
        return ChatAddress(self.platform, self.chat_id, self.is_group)


@dataclass(frozen=True)
class InboxEvent:
    """A platform event as fetched, kept before the platform is told it arrived.

    ``payload`` is what the adapter needs to handle it again after a crash (the raw
    update, or an interaction's command and context), as text. ``event_id`` carries
    the bot's own id (``tg:123456:update:42``), so bots sharing a database stay apart.
    """

    event_id: str
    platform: str
    chat_id: str
    payload: str
    received_at: datetime


@dataclass(frozen=True)
class Button:
    """A choice offered under a reply; ``command`` is its typed equivalent."""

    label: str
    command: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply: a chart (``image``) or an export (``file``)."""

    filename: str
    data: bytes
    kind: Literal["image", "file"] = "file"


@dataclass(frozen=True)
class Reply:
    """What the bot says back.

    ``title`` is a short heading (bold on Telegram, an embed title on Discord);
    ``text`` is plain text, never markup: adapters escape it. ``buttons`` are
    rows of choices. ``personal`` marks answers that only the asker should see
    where the platform allows it (Discord ephemeral replies).
    """

    text: str
    title: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    personal: bool = False

    def full_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class Outgoing:
    """A reply the bot starts itself (a nudge, a recap), addressed to a chat."""

    address: ChatAddress
    reply: Reply
    kind: str = ""
    recipient_id: int | None = None
    meta: dict[str, str] = field(default_factory=dict, compare=False)


class StartFailed(RuntimeError):
    """An adapter could not start (a refused token, an unreachable platform): said in one line."""


class DeliveryError(Exception):
    """A send failed for a reason that may pass: try again later."""


class RecipientUnreachable(DeliveryError):
    """The recipient blocked the bot, left, or closed DMs: stop sending until they write."""

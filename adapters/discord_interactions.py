"""Answering Discord interactions: kept in the inbox first, neutral Incoming in, rendered replies out,
within the 3-second window; a button acts only for whose it is."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, cast

import discord

from adapters.discord_files import fetch_attachment
from adapters.discord_render import NO_PINGS, render_all
from core.clock import parse_instant
from core.messages import InboxEvent, Incoming, Reply
from core.texts import APOLOGY

log = logging.getLogger(__name__)

PLATFORM = "discord"

HandleFn = Callable[[Incoming], Awaitable[list[Reply]]]
KeepFn = Callable[[Sequence[InboxEvent]], Awaitable[None]]
SettleFn = Callable[[str], Awaitable[None]]


def chat_of(interaction: discord.Interaction) -> tuple[str, bool]:
    """``(chat_id, is_group)``: a guild channel or thread is a group; a DM's address is the user's id."""
    if interaction.guild_id is not None and interaction.channel_id is not None:
        return str(interaction.channel_id), True
    return str(interaction.user.id), False


def custom_id_of(interaction: discord.Interaction) -> str:
    """A pressed button's custom id ("" for other interactions)."""
    data = cast(dict[str, Any], interaction.data or {})
    return str(data.get("custom_id", ""))


def read_owned(custom_id: str) -> tuple[str, str]:
    head, sep, rest = custom_id.partition(":")
    if sep and head.isdigit() and rest.startswith("/"):
        return head, rest
    return "", custom_id


def event_id(interaction: discord.Interaction) -> str:
    """``discord:APP:interaction:ID``: scoped to the application, so two bots sharing a database stay apart."""
    return f"discord:{interaction.application_id}:interaction:{interaction.id}"


def incoming_from(interaction: discord.Interaction, text: str) -> Incoming:
    chat_id, is_group = chat_of(interaction)
    channel = interaction.channel
    return Incoming(
        platform=PLATFORM,
        user_id=str(interaction.user.id),
        user_name=interaction.user.display_name,
        chat_id=chat_id,
        is_group=is_group,
        text=text,
        at=interaction.created_at,
        # Resolved permissions of the member in this channel; Administrator implies Manage Server.
        is_admin=interaction.permissions.manage_guild if is_group else None,
        platform_admins=True,
        chat_title=str(getattr(channel, "name", "") or "") if is_group else "",
        event_id=event_id(interaction),
        private_reply=True,
    )


def kept(incoming: Incoming, interaction: discord.Interaction, received: datetime) -> InboxEvent:
    """The interaction as the inbox keeps it: enough to run it again and answer it after a restart."""
    payload = {
        "text": incoming.text,
        "user_id": incoming.user_id,
        "user_name": incoming.user_name,
        "chat_id": incoming.chat_id,
        "is_group": incoming.is_group,
        "is_admin": incoming.is_admin,
        "chat_title": incoming.chat_title,
        "at": incoming.at.isoformat(),
        "application_id": str(interaction.application_id),
        "token": interaction.token,
    }
    return InboxEvent(incoming.event_id, PLATFORM, incoming.chat_id, json.dumps(payload), received)


def incoming_from_kept(event: InboxEvent) -> tuple[Incoming, dict[str, Any]]:
    p = json.loads(event.payload)
    incoming = Incoming(
        platform=PLATFORM,
        user_id=p["user_id"],
        user_name=p["user_name"],
        chat_id=p["chat_id"],
        is_group=p["is_group"],
        text=p["text"],
        at=parse_instant(p["at"]),
        is_admin=p["is_admin"],
        platform_admins=True,
        chat_title=p["chat_title"],
        event_id=event.event_id,
        private_reply=True,
    )
    return incoming, p


def not_yours(owner_name: str) -> str:
    whose = f"{owner_name}'s" if owner_name else "someone else's"
    return f"That button is {whose} — send /today for your own."


def _owner_name(interaction: discord.Interaction, owner: str) -> str:
    """The owner's name, from the interaction that made the message with the button."""
    message = interaction.message
    meta = getattr(message, "interaction_metadata", None) if message is not None else None
    user = getattr(meta, "user", None)
    if user is not None and str(user.id) == owner:
        return str(user.display_name)
    return ""


class Answerer:
    """Keeps one interaction, runs it through the hub and answers it, deferring when the core is slow.

    ``answer_within`` is the time the core gets before the interaction is deferred,
    well inside Discord's 3 seconds.
    """

    def __init__(
        self,
        handle: HandleFn,
        keep: KeepFn,
        settle: SettleFn,
        now: Callable[[], datetime],
        answer_within: float = 1.5,
    ) -> None:
        self._handle = handle
        self._keep = keep
        self._settle = settle
        self._now = now
        self._answer_within = answer_within

    async def command(
        self,
        interaction: discord.Interaction,
        text: str,
        ephemeral: bool,
        attachment: discord.Attachment | None = None,
    ) -> None:
        """A slash command: a new message, ephemeral when the command or the reply is personal.

        An attachment (``/import``'s file) is downloaded while the answer waits, deferred if slow.
        """
        await self._run(interaction, text, update=False, ephemeral=ephemeral, attachment=attachment)

    async def component(self, interaction: discord.Interaction) -> None:
        """A button press: only whose the button is may press it; the result replaces the pressed message."""
        owner, command = read_owned(custom_id_of(interaction))
        if owner and owner != str(interaction.user.id):
            await self._refuse(interaction, not_yours(_owner_name(interaction, owner)))
            await self._settle(event_id(interaction))
            return
        await self._run(interaction, command, update=True, ephemeral=False)

    async def refuse(self, interaction: discord.Interaction, text: str) -> None:
        """An interaction the bot cannot run as sent (e.g. an out-of-date command): one short answer."""
        await self._refuse(interaction, text)
        await self._settle(event_id(interaction))

    async def _refuse(self, interaction: discord.Interaction, text: str) -> None:
        try:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("Discord: could not answer an interaction: %s %s", exc.status, exc.text)

    async def _run(
        self,
        interaction: discord.Interaction,
        text: str,
        update: bool,
        ephemeral: bool,
        attachment: discord.Attachment | None = None,
    ) -> None:
        incoming = incoming_from(interaction, text)
        try:
            await self._keep([kept(incoming, interaction, self._now())])
        except Exception:
            log.exception("Discord: an interaction could not be kept")
            await self._error(interaction)
            return
        task = asyncio.ensure_future(self._with_file(incoming, attachment))
        done, _ = await asyncio.wait({task}, timeout=self._answer_within)
        deferred = False if done else await self._defer(interaction, update, ephemeral)
        try:
            replies = await task
        except Exception:
            log.exception("Discord: %s failed", text.split(" ", 1)[0])
            await self._error(interaction)
            return
        try:
            await self._deliver(interaction, replies, update=update, ephemeral=ephemeral, deferred=deferred)
        except discord.HTTPException as exc:
            log.warning("Discord: answering %s failed: %s %s", text.split(" ", 1)[0], exc.status, exc.text)
            await self._error(interaction)

    async def _with_file(self, incoming: Incoming, attachment: discord.Attachment | None) -> list[Reply]:
        if attachment is not None:
            incoming = dataclasses.replace(incoming, upload=await fetch_attachment(attachment))
        return await self._handle(incoming)

    async def _defer(self, interaction: discord.Interaction, update: bool, ephemeral: bool) -> bool:
        try:
            if update:
                await interaction.response.defer()
            else:
                await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        except discord.HTTPException as exc:
            log.warning("Discord: could not defer an interaction: %s %s", exc.status, exc.text)
            return False
        return True

    async def _deliver(
        self,
        interaction: discord.Interaction,
        replies: list[Reply],
        update: bool,
        ephemeral: bool,
        deferred: bool,
    ) -> None:
        if not replies:
            # A duplicate delivery: the first one answered already, and Discord takes one answer.
            if deferred and not update:
                await interaction.delete_original_response()
            return
        owner = str(interaction.user.id)
        parts = [(reply, rendered) for reply in replies for rendered in render_all(reply, owner)]
        (first, rendered), rest = parts[0], parts[1:]
        private = ephemeral or first.personal
        if update and deferred:
            await interaction.edit_original_response(**rendered.edit_kwargs())
        elif update:
            await interaction.response.edit_message(**rendered.edit_kwargs())
        elif deferred:
            await interaction.followup.send(**rendered.send_kwargs(), ephemeral=private)
        else:
            await interaction.response.send_message(**rendered.send_kwargs(), ephemeral=private)
        for reply, more in rest:
            await interaction.followup.send(**more.send_kwargs(), ephemeral=ephemeral or reply.personal)

    async def _error(self, interaction: discord.Interaction) -> None:
        """Never leave an interaction spinning: a short apology, only for the asker."""
        try:
            if interaction.response.is_done():
                await interaction.followup.send(APOLOGY, ephemeral=True, allowed_mentions=NO_PINGS)
            else:
                await interaction.response.send_message(APOLOGY, ephemeral=True, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("Discord: could not report an error: %s %s", exc.status, exc.text)

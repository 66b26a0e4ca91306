"""Answering Discord interactions: neutral Incoming in, rendered replies out, within the 3-second window."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

import discord

from adapters.discord_render import NO_PINGS, render
from core.messages import Incoming, Reply
from core.texts import APOLOGY

log = logging.getLogger(__name__)

PLATFORM = "discord"

HandleFn = Callable[[Incoming], Awaitable[list[Reply]]]


def chat_of(interaction: discord.Interaction) -> tuple[str, bool]:
    """``(chat_id, is_group)``: a guild channel is a group; a DM's address is the user's id."""
    if interaction.guild_id is not None and interaction.channel_id is not None:
        return str(interaction.channel_id), True
    return str(interaction.user.id), False


def custom_id_of(interaction: discord.Interaction) -> str:
    """A pressed button's custom id ("" for other interactions)."""
    data = cast(dict[str, Any], interaction.data or {})
    return str(data.get("custom_id", ""))


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
        chat_title=str(getattr(channel, "name", "") or "") if is_group else "",
        event_id=f"discord:interaction:{interaction.id}",
        private_reply=True,
    )


class Answerer:
    """Runs one interaction through the hub and answers it, deferring when the core is slow.

    ``answer_within`` is the time the core gets before the interaction is deferred,
    well inside Discord's 3 seconds.
    """

    def __init__(self, handle: HandleFn, answer_within: float = 1.5) -> None:
        self._handle = handle
        self._answer_within = answer_within

    async def command(self, interaction: discord.Interaction, text: str, ephemeral: bool) -> None:
        """A slash command: a new message, ephemeral when the command or the reply is personal."""
        await self._run(interaction, text, update=False, ephemeral=ephemeral)

    async def component(self, interaction: discord.Interaction) -> None:
        """A button press: its custom id is the typed command; the result replaces the pressed message."""
        await self._run(interaction, custom_id_of(interaction), update=True, ephemeral=False)

    async def _run(self, interaction: discord.Interaction, text: str, update: bool, ephemeral: bool) -> None:
        incoming = incoming_from(interaction, text)
        task = asyncio.ensure_future(self._handle(incoming))
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
        first, *rest = replies
        rendered = render(first)
        if update and deferred:
            await interaction.edit_original_response(**rendered.edit_kwargs())
        elif update:
            await interaction.response.edit_message(**rendered.edit_kwargs())
        elif deferred:
            await interaction.followup.send(**rendered.send_kwargs(), ephemeral=ephemeral or first.personal)
        else:
            await interaction.response.send_message(
                **rendered.send_kwargs(), ephemeral=ephemeral or first.personal
            )
        for reply in rest:
            await interaction.followup.send(
                **render(reply).send_kwargs(), ephemeral=ephemeral or reply.personal
            )

    async def _error(self, interaction: discord.Interaction) -> None:
        """Never leave an interaction spinning: a short apology, only for the asker."""
        try:
            if interaction.response.is_done():
                await interaction.followup.send(APOLOGY, ephemeral=True, allowed_mentions=NO_PINGS)
            else:
                await interaction.response.send_message(APOLOGY, ephemeral=True)
        except discord.HTTPException as exc:
            log.warning("Discord: could not report an error: %s %s", exc.status, exc.text)

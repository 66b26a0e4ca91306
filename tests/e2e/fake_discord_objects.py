"""Realistic Discord API objects for the fake Discord: snowflakes, users, guilds, messages, interactions."""

from __future__ import annotations

import itertools
from datetime import UTC
from typing import Any

from core.clock import Clock
from tests.e2e.scene import scene_clock

DISCORD_EPOCH_MS = 1420070400000
VIEW_AND_SEND = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
MANAGE_GUILD = 1 << 5
EPHEMERAL = 64
LOADING = 128

_counter = itertools.count(1)
# The fake server's "now": the scene's, settable by a test (it dates snowflakes and timestamps).
clock: Clock = scene_clock()


def set_clock(new: Clock) -> None:
    global clock
    clock = new


def snowflake() -> str:
    """A fresh id whose timestamp is the fake's now, as Discord's are (discord.py reads created_at from it)."""
    ms = int(clock.now().timestamp() * 1000) - DISCORD_EPOCH_MS
    return str((ms << 22) | (next(_counter) % 4096))


def now_iso() -> str:
    return clock.now().astimezone(UTC).isoformat()


def user(user_id: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name.lower(),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def text_channel(channel_id: str, guild_id: str, name: str, position: int = 0) -> dict[str, Any]:
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def dm_channel(channel_id: str, recipient: dict[str, Any]) -> dict[str, Any]:
    return {"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None, "flags": 0}


def member(who: dict[str, Any], permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "user": who,
        "nick": None,
        "avatar": None,
        "roles": [],
        "joined_at": now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
    }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def guild(
    guild_id: str, name: str, owner_id: str, channels: list[dict[str, Any]], bot: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": guild_id,
        "name": name,
        "icon": None,
        "owner_id": owner_id,
        "unavailable": False,
        "member_count": 3,
        "large": False,
        "joined_at": now_iso(),
        "features": [],
        "roles": [
            {
                "id": guild_id,
                "name": "@everyone",
                "permissions": str(VIEW_AND_SEND),
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "channels": channels,
        "threads": [],
        "members": [member(bot)],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
        "preferred_locale": "en-US",
        "vanity_url_code": None,
        "description": None,
    }


def application(app_id: str, owner: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": app_id,
        "name": "Runlift",
        "icon": None,
        "description": "Keeps runners lifting",
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": owner,
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
        "summary": "",
        "rpc_origins": [],
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "tags": [],
    }


def message(
    message_id: str,
    channel_id: str,
    author: dict[str, Any],
    body: dict[str, Any],
    attachments: list[dict[str, Any]] | None = None,
    guild_id: str | None = None,
    app_id: str | None = None,
) -> dict[str, Any]:
    """A message as Discord returns it, built from what the client sent (content, embeds, components)."""
    data: dict[str, Any] = {
        "id": message_id,
        "channel_id": channel_id,
        "author": author,
        "content": body.get("content") or "",
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "attachments": attachments or [],
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "type": 0 if app_id is None else 20,
        "flags": int(body.get("flags") or 0),
    }
    if guild_id is not None:
        data["guild_id"] = guild_id
    if app_id is not None:
        data["webhook_id"] = app_id
        data["application_id"] = app_id
    return data


def attachment(filename: str, size: int, content_type: str) -> dict[str, Any]:
    att_id = snowflake()
    url = f"https://cdn.example.invalid/attachments/{att_id}/{filename}"
    return {
        "id": att_id,
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }


def command_options(options: dict[str, Any], focused: str | None = None) -> list[dict[str, Any]]:
    """Slash-command option values as Discord sends them (3 string, 4 integer, 10 number)."""
    out = []
    for name, value in options.items():
        kind = (
            4
            if isinstance(value, int) and not isinstance(value, bool)
            else 10
            if isinstance(value, float)
            else 3
        )
        option: dict[str, Any] = {"name": name, "type": kind, "value": value}
        if name == focused:
            option["focused"] = True
            option["type"] = 3
        out.append(option)
    return out


def interaction(
    kind: int,
    data: dict[str, Any],
    who: dict[str, Any],
    app_id: str,
    channel: dict[str, Any],
    admin: bool = False,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload from ``who`` in ``channel`` (a guild channel, or a DM with the bot)."""
    interaction_id = snowflake()
    payload: dict[str, Any] = {
        "id": interaction_id,
        "application_id": app_id,
        "type": kind,
        "token": f"itoken{interaction_id}",
        "version": 1,
        "data": data,
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
        "app_permissions": str(VIEW_AND_SEND),
        "channel_id": channel["id"],
        "channel": channel,
    }
    guild_id = channel.get("guild_id")
    if guild_id is None:
        payload.update(user=who, context=1)
    else:
        payload.update(
            guild_id=guild_id,
            guild_locale="en-US",
            guild={"id": guild_id, "locale": "en-US", "features": []},
            member=member(who, VIEW_AND_SEND | (MANAGE_GUILD if admin else 0)),
            context=0,
        )
        payload["authorizing_integration_owners"] = {"0": guild_id}
    if message is not None:
        payload["message"] = message
    return payload


def interaction_metadata(interaction: dict[str, Any]) -> dict[str, Any]:
    """What a message made by answering an interaction says about it (who ran the command)."""
    who = interaction.get("user") or interaction["member"]["user"]
    return {
        "id": interaction["id"],
        "type": interaction["type"],
        "user": who,
        "authorizing_integration_owners": interaction.get("authorizing_integration_owners", {}),
    }


def thread(thread_id: str, guild_id: str, parent_id: str, owner_id: str, name: str) -> dict[str, Any]:
    """A public thread (type 11) under a text channel."""
    return {
        **text_channel(thread_id, guild_id, name),
        "type": 11,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "member_count": 1,
        "message_count": 0,
        "total_message_sent": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": now_iso(),
            "locked": False,
        },
    }

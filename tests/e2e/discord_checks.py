"""What the real Discord API refuses (50035 Invalid Form Body), so the fake refuses it too."""

from __future__ import annotations

import re
from typing import Any

CONTENT_MAX = 2000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_TOTAL_MAX = 6000
EMBEDS_MAX = 10
ROWS_MAX = 5
PER_ROW_MAX = 5
CUSTOM_ID_MAX = 100
LABEL_MAX = 80
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
COMMAND_DESCRIPTION_MAX = 100
OPTIONS_MAX = 25


def _embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "") + len(
        (embed.get("author") or {}).get("name") or ""
    )
    return size + sum(len(f.get("name", "")) + len(f.get("value", "")) for f in embed.get("fields", []))


def check_message(body: dict[str, Any] | None, needs_mentions: bool = True) -> str:
    """Why a message body would be refused, or ``""``; ``needs_mentions``: the bot must say whom it may ping."""
    if not body:
        return ""
    content = body.get("content")
    if content is not None and len(content) > CONTENT_MAX:
        return "content: Must be 2000 or fewer in length."
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        return "embeds: Must be 10 or fewer in length."
    if sum(_embed_size(e) for e in embeds) > EMBED_TOTAL_MAX:
        return "embeds: Embed size exceeds maximum size of 6000"
    for embed in embeds:
        if len(embed.get("title") or "") > EMBED_TITLE_MAX:
            return "embeds.0.title: Must be 256 or fewer in length."
        if len(embed.get("description") or "") > EMBED_DESCRIPTION_MAX:
            return "embeds.0.description: Must be 4096 or fewer in length."
        if len(embed.get("fields") or []) > EMBED_FIELDS_MAX:
            return "embeds.0.fields: Must be 25 or fewer in length."
    rows = body.get("components") or []
    if len(rows) > ROWS_MAX:
        return "components: Must be 5 or fewer in length."
    seen: set[str] = set()
    for row in rows:
        buttons = row.get("components") or []
        if len(buttons) > PER_ROW_MAX:
            return "components.0.components: Must be 5 or fewer in length."
        for button in buttons:
            custom_id = str(button.get("custom_id") or "")
            if button.get("style") != 5 and not 1 <= len(custom_id) <= CUSTOM_ID_MAX:
                return "components.0.components.0.custom_id: Must be between 1 and 100 in length."
            if custom_id in seen:
                return "components.0.components.0.custom_id: Component custom id cannot be duplicated"
            seen.add(custom_id)
            if len(button.get("label") or "") > LABEL_MAX:
                return "components.0.components.0.label: Must be 80 or fewer in length."
    if needs_mentions and (content or embeds):
        mentions = body.get("allowed_mentions")
        if not isinstance(mentions, dict) or mentions.get("parse"):
            return "allowed_mentions: the bot must name what it may ping (nothing)"
    return ""


def check_commands(commands: list[dict[str, Any]]) -> str:
    for command in commands:
        name = str(command.get("name", ""))
        if not COMMAND_NAME.match(name) or name != name.lower():
            return f"name: Command name is invalid ({name!r})"
        if not 1 <= len(command.get("description", "")) <= COMMAND_DESCRIPTION_MAX:
            return "description: Must be between 1 and 100 in length."
        options = command.get("options") or []
        if len(options) > OPTIONS_MAX:
            return "options: Must be 25 or fewer in length."
        for option in options:
            if (
                not COMMAND_NAME.match(str(option.get("name", "")))
                or option.get("name") != str(option.get("name")).lower()
            ):
                return "options.0.name: Command name is invalid"
            if not 1 <= len(option.get("description", "")) <= COMMAND_DESCRIPTION_MAX:
                return "options.0.description: Must be between 1 and 100 in length."
    return ""

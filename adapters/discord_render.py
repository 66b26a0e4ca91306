"""Neutral replies rendered as Discord messages: embeds, plain content, files and button rows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import discord

from core.messages import Attachment, Button, Reply


def owned_id(owner: str, command: str) -> str:
    """A button's custom id: whose it is, then its typed command (``4242:/log squat 3x8``)."""
    return f"{owner}:{command}" if owner else command


CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
LABEL_MAX = 80
CUSTOM_ID_MAX = 100
ROWS_MAX = 5
PER_ROW_MAX = 5
EMBED_COLOUR = discord.Colour(0x2E9E6B)
NO_PINGS = discord.AllowedMentions.none()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str) -> str:
    """Reply text is plain: escape markdown so a name like ``__init__`` shows as typed."""
    return discord.utils.escape_markdown(text)


def _layout(rows: tuple[tuple[Button, ...], ...]) -> list[list[Button]]:
    """The rows as given when they fit Discord's 5×5 grid; otherwise reflowed five to a row."""
    if len(rows) <= ROWS_MAX and all(len(row) <= PER_ROW_MAX for row in rows):
        return [list(row) for row in rows]
    flat = [button for row in rows for button in row][: ROWS_MAX * PER_ROW_MAX]
    return [flat[i : i + PER_ROW_MAX] for i in range(0, len(flat), PER_ROW_MAX)]


def button_view(rows: tuple[tuple[Button, ...], ...], owner: str = "") -> discord.ui.View | None:
    """Buttons whose custom id is whose they are and the typed command, so a press works after a restart.

    The view is stopped at once: discord.py then keeps no state for it, and presses
    arrive at the client's generic interaction handler.
    """
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for r, row in enumerate(_layout(rows)):
        for button in row:
            custom_id = owned_id(owner, button.command)
            if len(custom_id) > CUSTOM_ID_MAX or custom_id in seen:  # Discord refuses either
                continue
            seen.add(custom_id)
            view.add_item(
                discord.ui.Button(
                    label=_clip(button.label, LABEL_MAX),
                    custom_id=custom_id,
                    style=discord.ButtonStyle.secondary,
                    row=r,
                )
            )
    view.stop()
    return view


def _file(attachment: Attachment) -> discord.File:
    return discord.File(io.BytesIO(attachment.data), filename=attachment.filename)


@dataclass
class Rendered:
    """One reply in Discord's terms; ``send_kwargs``/``edit_kwargs`` feed discord.py's send and edit."""

    content: str | None
    embed: discord.Embed | None
    files: list[discord.File]
    view: discord.ui.View | None

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": NO_PINGS}
        if self.content:
            kwargs["content"] = self.content
        if self.embed is not None:
            kwargs["embed"] = self.embed
        if self.files:
            kwargs["files"] = self.files
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """Replaces everything on the edited message, clearing what the reply does not carry."""
        return {
            "content": self.content,
            "embed": self.embed,
            "attachments": self.files,
            "view": self.view,
            "allowed_mentions": NO_PINGS,
        }


def pieces(text: str, limit: int) -> list[str]:
    """``text`` cut at line breaks into pieces of at most ``limit`` characters (a bare over-long line cut hard)."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current or not out:
        out.append(current)
    return out


def render_all(reply: Reply, owner: str = "") -> list[Rendered]:
    """One reply as Discord messages: never cut, split at line breaks when it is long.

    A titled reply is an embed (its image attachment shown inside it), otherwise plain
    content; files go with the first message and buttons (``owner``'s) with the last.
    """
    files = [_file(a) for a in reply.attachments]
    text = _plain(reply.text) if reply.text else ""
    limit = DESCRIPTION_MAX if reply.title else CONTENT_MAX
    parts = pieces(text, limit)
    out: list[Rendered] = []
    for i, part in enumerate(parts):
        view = button_view(reply.buttons, owner) if i == len(parts) - 1 else None
        attached = files if i == 0 else []
        if not reply.title:
            content = part or (None if attached else "…")
            out.append(Rendered(content, None, attached, view))
            continue
        embed = discord.Embed(
            title=_clip(_plain(reply.title), TITLE_MAX) if i == 0 else None,
            description=part or None,
            colour=EMBED_COLOUR,
        )
        image = next((a for a in reply.attachments if a.kind == "image"), None)
        if image is not None and i == 0:
            embed.set_image(url=f"attachment://{image.filename}")
        out.append(Rendered(None, embed, attached, view))
    return out


def render(reply: Reply, owner: str = "") -> Rendered:
    """The first message of :func:`render_all` (for replies known to fit one message)."""
    return render_all(reply, owner)[0]

"""Files runners attach to a Discord slash command (``/import``'s export): downloaded, bounded."""

from __future__ import annotations

import asyncio
import logging

import discord

from adapters.uploads import DOWNLOAD_TIMEOUT, FAILED, TOO_BIG
from core.imports.model import MAX_BYTES
from core.messages import Upload

log = logging.getLogger(__name__)


async def fetch_attachment(attachment: discord.Attachment, timeout: float = DOWNLOAD_TIMEOUT) -> Upload:
    """The attachment's bytes from its URL, or the one answer why not."""
    name = attachment.filename or "export.csv"
    if attachment.size > MAX_BYTES:
        return Upload(name, error=TOO_BIG)
    try:
        async with asyncio.timeout(timeout):
            data = await attachment.read()
    except (discord.HTTPException, TimeoutError, OSError) as error:
        log.info("Discord: downloading %s failed: %s", name, type(error).__name__)
        return Upload(name, error=FAILED)
    if len(data) > MAX_BYTES:
        return Upload(name, error=TOO_BIG)
    return Upload(name, data)

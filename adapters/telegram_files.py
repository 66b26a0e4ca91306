"""Files runners send the Telegram bot (an export to ``/import``): fetched through getFile, bounded."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Document
from telegram.error import TelegramError

from adapters.uploads import DOWNLOAD_TIMEOUT, FAILED, TOO_BIG
from core.imports.model import MAX_BYTES
from core.messages import Upload

log = logging.getLogger(__name__)


async def fetch_document(
    bot: Bot,
    document: Document,
    timeout: float = DOWNLOAD_TIMEOUT,
    limit: int = MAX_BYTES,
    default_name: str = "export.csv",
) -> Upload:
    """The document's bytes (getFile, then the file download), or the one answer why not."""
    name = document.file_name or default_name
    if document.file_size is not None and document.file_size > limit:
        return Upload(name, error=TOO_BIG)
    try:
        async with asyncio.timeout(timeout):
            file = await bot.get_file(document.file_id)
            data = await file.download_as_bytearray()
    except (TelegramError, TimeoutError, OSError) as error:
        log.info("Telegram: downloading %s failed: %s", name, type(error).__name__)
        return Upload(name, error=FAILED)
    if len(data) > limit:
        return Upload(name, error=TOO_BIG)
    return Upload(name, bytes(data))

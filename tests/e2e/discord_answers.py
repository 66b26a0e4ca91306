"""Reading the bot's answer to one interaction off the fake Discord server."""

from __future__ import annotations

from typing import Any

from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.fake_discord_objects import LOADING


async def answer(fake: FakeDiscord, interaction: dict[str, Any], timeout: float = 30) -> dict[str, Any]:
    """The interaction's original message once it is no longer "thinking"."""

    def final() -> bool:
        message = fake.messages.get(fake.originals.get(interaction["token"], ""))
        return message is not None and not message["flags"] & LOADING

    await fake.wait_until(final, timeout=timeout)
    return fake.messages[fake.originals[interaction["token"]]]


def text_of(message: dict[str, Any]) -> str:
    """A message's content and its embeds' titles and descriptions, as one text."""
    embeds = " ".join(f"{e.get('title', '')}\n{e.get('description', '')}" for e in message["embeds"])
    return f"{message['content']} {embeds}"

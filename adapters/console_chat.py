"""The console chat: each input line is a message; replies print as text, files as paths."""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from pathlib import Path
from typing import TextIO

from adapters.uploads import path_argument, read_path
from core.clock import Clock
from core.messages import ChatAddress, Incoming, Reply
from core.ports import Hub

log = logging.getLogger(__name__)


def _tolerant(stream: TextIO, errors: str) -> TextIO:
    """The stream reading (or writing) bytes that are not UTF-8 without failing; the core refuses them."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=errors)
    return stream


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:60] or "chat"


class ConsoleChat:
    """A chat adapter on standard input and output, for trying the bot and for scripted weeks."""

    platform = "console"
    nudge_rate: float | None = None

    def __init__(
        self,
        clock: Clock,
        user: str = "you",
        chat: str | None = None,
        files_dir: Path = Path("runlift-files"),
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self.user = user
        self.chat = chat
        self.clock = clock
        self.files_dir = files_dir
        self.stdin = stdin or _tolerant(sys.stdin, "surrogateescape")
        self.stdout = stdout or _tolerant(sys.stdout, "replace")
        self._hub: Hub | None = None

    async def start(self, hub: Hub) -> None:
        self._hub = hub

    async def stop(self) -> None:
        self._hub = None

    def incoming(self, text: str) -> Incoming:
        path = path_argument(text)
        upload = read_path(path) if path is not None else None
        if upload is not None:
            text = "/import"
        return Incoming(
            platform=self.platform,
            user_id=self.user,
            user_name=self.user,
            chat_id=self.chat or self.user,
            is_group=self.chat is not None,
            text=text,
            at=self.clock.now(),
            chat_title=self.chat or "",
            upload=upload,
        )

    async def run(self) -> None:
        """Read lines until end of input, answering each in turn."""
        assert self._hub is not None, "start() first"
        interactive = self.stdin.isatty()
        while True:
            if interactive:
                self.stdout.write(f"{self.user}> ")
                self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if not text.startswith("/"):
                self.stdout.write("(commands start with / — try /help)\n")
                continue
            for reply in await self._hub.handle(self.incoming(text)):
                self.render(reply)
            self.stdout.flush()

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        self.stdout.write(f"[console:{address.chat_id}] ")
        self.render(reply)
        self.stdout.flush()

    def render(self, reply: Reply) -> None:
        out = self.stdout
        if reply.title:
            out.write(f"== {reply.title} ==\n")
        if reply.text:
            out.write(reply.text + "\n")
        for row in reply.buttons:
            out.write("  " + "   ".join(f"[{b.label}] {b.command}" for b in row) + "\n")
        for attachment in reply.attachments:
            folder = self.files_dir / _safe(self.user)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / _safe(attachment.filename)
            path.write_bytes(attachment.data)
            out.write(f"{attachment.kind}: {path}\n")

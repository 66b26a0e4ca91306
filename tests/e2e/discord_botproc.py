"""Run the real bot (`python -m bot.cli run`) as a subprocess against the fake Discord, capturing its output."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path

from tests.e2e.fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]
READY_LINE = "discord adapter running"


class BotProcess:
    """One bot process; ``output`` holds everything it printed (stdout and stderr)."""

    def __init__(self, fake: FakeDiscord, workdir: Path) -> None:
        self.fake = fake
        self.workdir = workdir
        self.output = ""
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "RUNLIFT_"))}
        env.update(
            PYTHONPATH=str(ROOT),
            DATABASE_URL=f"sqlite:///{self.workdir / 'runlift.db'}",
            RUNLIFT_FILES=str(self.workdir / "files"),
            DISCORD_BOT_TOKEN=self.fake.token,
            DISCORD_API_URL=self.fake.api_url,
            DISCORD_GATEWAY_URL=self.fake.gateway_url,
            DISCORD_GUILD_ID=self.fake.guild_id,
            LOG_LEVEL="INFO",
        )
        return env

    async def start(self, timeout: float = 20.0) -> None:
        """Start the bot (cwd is the work dir, so no .env is read) and wait until Discord is running."""
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=self.workdir,
            env=self.env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        deadline = time.monotonic() + timeout
        while READY_LINE not in self.output:
            if self._proc.returncode is not None or time.monotonic() > deadline:
                await self.stop()
                raise AssertionError(f"the bot did not start:\n{self.output}")
            await asyncio.sleep(0.05)

    async def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        while line := await self._proc.stdout.readline():
            self.output += line.decode(errors="replace")

    async def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, as a service manager would; a kill only if it hangs."""
        proc = self._proc
        if proc is None:
            return None
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), timeout)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        return proc.returncode

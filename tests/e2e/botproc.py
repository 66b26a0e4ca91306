"""Run the real bot (`python -m bot.cli run`) as a subprocess against a fake platform, capturing its output."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import database_url_for
from tests.e2e.scene import SCENE_NOW

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """One bot process; ``output`` holds everything it printed (stdout and stderr)."""

    def __init__(
        self,
        fake: Any,
        workdir: Path,
        env: dict[str, str] | None = None,
        command: tuple[str, ...] = ("-m", "bot.cli", "run"),
        executable: str = sys.executable,
    ) -> None:
        self.fake = fake
        self.command = command
        self.executable = executable
        self.workdir = workdir
        self.extra_env = env or {}
        self.output = ""
        self.stop_seconds = 0.0
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        assert self._proc is not None, "not started"
        return self._proc.pid

    def children(self) -> list[int]:
        """The bot's live child processes (its core process), from /proc."""
        found: list[int] = []
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(c) for c in (task / "children").read_text().split()]
        return found

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "RUNLIFT_"))}
        env.update(
            PYTHONPATH=str(ROOT),
            DATABASE_URL=database_url_for(self.workdir),
            RUNLIFT_FILES=str(self.workdir / "files"),
            RUNLIFT_NOW=SCENE_NOW.isoformat(),
            LOG_LEVEL="INFO",
        )
        env.update(self.platform_env())
        env.update(self.extra_env)
        return env

    def platform_env(self) -> dict[str, str]:
        return {"TELEGRAM_BOT_TOKEN": self.fake.token, "TELEGRAM_API_URL": self.fake.root}

    def _mark(self) -> object:
        """Where readiness is measured from: the fake's long polls so far."""
        return self.fake.polls

    def _ready(self, mark: object) -> bool:
        return self.fake.polls > mark  # type: ignore[operator]

    async def start(self, timeout: float = 20.0) -> None:
        """Start the bot (cwd is the work dir, so no .env is read) and wait until it long-polls."""
        mark = self._mark()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._proc = await asyncio.create_subprocess_exec(
            self.executable,
            *self.command,
            cwd=self.workdir,
            env=self.env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        deadline = time.monotonic() + timeout
        while not self._ready(mark):
            if self._proc.returncode is not None or time.monotonic() > deadline:
                await self.stop()
                raise AssertionError(f"the bot did not start:\n{self.output}")
            await asyncio.sleep(0.02)

    async def run_to_end(self, timeout: float = 30.0) -> int | None:
        """Start the bot and wait for it to exit by itself (a start that fails); returns the exit code."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *self.command,
            cwd=self.workdir,
            env=self.env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        try:
            await asyncio.wait_for(self._proc.wait(), timeout)
        except TimeoutError:
            self._proc.kill()
            await self._proc.wait()
        await self._reader
        return self._proc.returncode

    async def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        while line := await self._proc.stdout.readline():
            self.output += line.decode(errors="replace")

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, as a service manager would; a kill only if it hangs. Returns the exit code."""
        proc = self._proc
        if proc is None:
            return None
        started = time.monotonic()
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), timeout)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        self.stop_seconds = time.monotonic() - started
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        return proc.returncode

    async def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would end it: no chance to clean up."""
        proc = self._proc
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    def assert_clean(self) -> None:
        """No traceback, no error line and never the token (nor its secret half) in what the bot printed."""
        assert "Traceback" not in self.output, self.output
        assert " ERROR " not in self.output, self.output
        secret = self.fake.token.split(":", 1)[-1]
        assert self.fake.token not in self.output and secret not in self.output, "the token was printed"

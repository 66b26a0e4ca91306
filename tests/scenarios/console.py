"""`runlift console` as a subprocess, the way a scripted week calls it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


class Console:
    """Each call is one `runlift console --at …` run; the database persists between calls."""

    def __init__(self, tmp: Path, database_url: str, tz: str = "UTC") -> None:
        self.tmp = tmp
        self.env = {**os.environ, "DATABASE_URL": database_url, "RUNLIFT_TZ": tz}
        self.env.pop("TELEGRAM_BOT_TOKEN", None)
        self.env.pop("DISCORD_BOT_TOKEN", None)
        self.transcript: list[str] = []

    def __call__(self, at: str, *lines: str, user: str = "ana", chat: str | None = None) -> str:
        args = [sys.executable, "-m", "bot.cli", "console", "--user", user, "--at", at]
        if chat:
            args += ["--chat", chat]
        done = subprocess.run(
            args,
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            cwd=self.tmp,
            env=self.env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        self.transcript.append(f"[{user}@{chat or 'dm'} {at}]\n{done.stdout}")
        return done.stdout

"""Typed settings read from the environment and an optional .env file."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from core.clock import Clock, ShiftedClock, SystemClock, parse_instant


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///runlift.db"
    telegram_bot_token: str = ""
    telegram_api_url: str = ""
    telegram_webhook_url: str = ""
    telegram_webhook_listen: str = "0.0.0.0:8443"
    telegram_limits: str = "official"
    discord_bot_token: str = ""
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = ""
    discord_guild_id: str = ""
    runlift_tz: str = "UTC"
    runlift_files: str = "runlift-files"
    runlift_now: str = ""
    log_level: str = "INFO"

    @classmethod
    def load(cls, env: dict[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
        """Settings from ``env`` (default ``os.environ``), falling back to a .env file, then defaults."""
        source = dict(os.environ if env is None else env)
        if dotenv is not None and dotenv.is_file():
            from dotenv import dotenv_values

            for key, value in dotenv_values(dotenv).items():
                if value is not None:
                    source.setdefault(key, value)
        values = {}
        for f in fields(cls):
            raw = source.get(f.name.upper())
            if raw is not None and raw.strip() != "":
                values[f.name] = raw.strip()
        return cls(**values)

    def clock(self) -> Clock:
        """The real time, or — with ``RUNLIFT_NOW`` (tests, demos) — time running on from that instant."""
        if not self.runlift_now:
            return SystemClock()
        return ShiftedClock(parse_instant(self.runlift_now))

    def redacted(self) -> dict[str, str]:
        """Settings safe to log: tokens are hidden."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = "***" if f.name.endswith("token") and value else value
        return out

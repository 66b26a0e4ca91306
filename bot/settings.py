"""Typed settings read from the environment and an optional .env file."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path

from core.clock import Clock, ShiftedClock, SystemClock, parse_instant

WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
MAX_SHARDS = 1024


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///runlift.db"
    telegram_bot_token: str = ""
    telegram_api_url: str = ""
    telegram_webhook_url: str = ""
    telegram_webhook_listen: str = "0.0.0.0:8443"
    telegram_webhook_secret: str = ""
    telegram_webhook_max_connections: str = "40"
    telegram_limits: str = "official"
    discord_bot_token: str = ""
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = ""
    discord_guild_id: str = ""
    discord_shard_count: str = ""
    discord_shard_ids: str = ""
    runlift_tz: str = "UTC"
    runlift_files: str = "runlift-files"
    runlift_now: str = ""
    log_level: str = "INFO"
    log_format: str = "text"
    runlift_http: str = ""
    runlift_operators: str = ""
    runlift_backup_dir: str = ""
    runlift_backup_keep: str = "7"
    runlift_calendar_timeout: str = "10"
    runlift_calendar_max_mb: str = "5"
    runlift_ha: str = "off"
    runlift_core_process: str = "auto"

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

    def calendar_limits(self) -> tuple[float, int]:
        """``RUNLIFT_CALENDAR_TIMEOUT`` (seconds) and ``RUNLIFT_CALENDAR_MAX_MB`` as bytes; a value
        that is not a positive number falls back to its default."""
        try:
            timeout = float(self.runlift_calendar_timeout)
        except ValueError:
            timeout = 10.0
        try:
            megabytes = float(self.runlift_calendar_max_mb)
        except ValueError:
            megabytes = 5.0
        timeout = timeout if 0 < timeout <= 120 else 10.0
        megabytes = megabytes if 0 < megabytes <= 100 else 5.0
        return timeout, int(megabytes * 1_000_000)

    def clock(self) -> Clock:
        """The real time, or — with ``RUNLIFT_NOW`` (tests, demos) — time running on from that instant."""
        if not self.runlift_now:
            return SystemClock()
        return ShiftedClock(parse_instant(self.runlift_now))

    def operators(self) -> frozenset[str]:
        """``RUNLIFT_OPERATORS`` as ``platform:user_id`` entries (platform lower case, blanks dropped)."""
        found = set()
        for item in self.runlift_operators.split(","):
            platform, sep, user_id = item.strip().partition(":")
            if sep and platform.strip() and user_id.strip():
                found.add(f"{platform.strip().lower()}:{user_id.strip()}")
        return frozenset(found)

    def http_address(self) -> tuple[str, int] | None:
        """``RUNLIFT_HTTP`` as (host, port); ``None`` when off. ``:9090`` listens on 127.0.0.1; port 0 picks one."""
        value = self.runlift_http.strip()
        if not value or value.lower() == "off":
            return None
        host, sep, port = value.rpartition(":")
        if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
            raise ValueError(f"RUNLIFT_HTTP must be host:port (e.g. 127.0.0.1:9090), not {value!r}")
        return (host.strip("[]") or "127.0.0.1", int(port))

    def core_process(self) -> bool:
        """``RUNLIFT_CORE_PROCESS``: run the hub's database work in a process of its own (``auto``: with
        more than one CPU, where it leaves the event loop's interpreter to the platforms)."""
        value = self.runlift_core_process.strip().lower()
        if value in ("on", "true", "1", "yes"):
            return True
        if value in ("off", "false", "0", "no"):
            return False
        if value in ("", "auto"):
            return len(os.sched_getaffinity(0)) > 1
        raise ValueError(
            f"RUNLIFT_CORE_PROCESS must be auto, on or off (e.g. RUNLIFT_CORE_PROCESS=off), "
            f"not {self.runlift_core_process!r}"
        )

    def webhook(self) -> tuple[str, int] | None:
        """Webhook mode (``TELEGRAM_WEBHOOK_URL`` set): its secret and ``max_connections``; ``None`` for
        long polling. The secret is required — every process behind the load balancer checks it."""
        if not self.telegram_webhook_url.strip():
            return None
        secret = self.telegram_webhook_secret.strip()
        if not WEBHOOK_SECRET.fullmatch(secret):
            raise ValueError(
                "TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET: 1–256 characters of A-Z, a-z, 0-9, _ "
                "and - that Telegram sends with every update (e.g. TELEGRAM_WEBHOOK_SECRET=$(openssl rand "
                "-hex 32))"
            )
        raw = self.telegram_webhook_max_connections.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 100:
            raise ValueError(
                "TELEGRAM_WEBHOOK_MAX_CONNECTIONS must be a whole number from 1 to 100 (e.g. "
                f"TELEGRAM_WEBHOOK_MAX_CONNECTIONS=40), not {raw!r}"
            )
        return secret, int(raw)

    def shards(self) -> tuple[int, tuple[int, ...]] | None:
        """``DISCORD_SHARD_COUNT`` and the shards this process may run (``DISCORD_SHARD_IDS``: ``0,2`` or
        ``0-3``; default all of them); ``None`` without a count: one gateway, unsharded."""
        raw = self.discord_shard_count.strip()
        if not raw:
            if self.discord_shard_ids.strip():
                raise ValueError(
                    "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, the total number of shards "
                    "(e.g. DISCORD_SHARD_COUNT=4 DISCORD_SHARD_IDS=0,1)"
                )
            return None
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_SHARDS:
            raise ValueError(
                f"DISCORD_SHARD_COUNT must be a whole number from 1 to {MAX_SHARDS} (e.g. "
                f"DISCORD_SHARD_COUNT=4), not {raw!r}"
            )
        count = int(raw)
        listed = self.discord_shard_ids.strip()
        if not listed:
            return count, tuple(range(count))
        ids: set[int] = set()
        for part in listed.split(","):
            first, dash, last = part.strip().partition("-")
            if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
                ids = set()
                break
            low, high = int(first), int(last) if dash else int(first)
            if low > high or high >= count:
                ids = set()
                break
            ids.update(range(low, high + 1))
        if not ids:
            raise ValueError(
                f"DISCORD_SHARD_IDS must list shards from 0 to {count - 1} as numbers or ranges (e.g. "
                f"DISCORD_SHARD_IDS=0,2 or 0-{count - 1}), not {listed!r}"
            )
        return count, tuple(sorted(ids))

    def ha(self) -> bool:
        """``RUNLIFT_HA``: ``on`` elects one leader among the processes on one PostgreSQL (default ``off``)."""
        value = self.runlift_ha.strip().lower()
        if value in ("on", "true", "yes", "1"):
            return True
        if value in ("off", "false", "no", "0", ""):
            return False
        raise ValueError(f"RUNLIFT_HA must be on or off (e.g. RUNLIFT_HA=on), not {self.runlift_ha!r}")

    def backup_keep(self) -> int:
        """How many daily backups ``RUNLIFT_BACKUP_DIR`` keeps (at least 1)."""
        try:
            return max(1, int(self.runlift_backup_keep))
        except ValueError:
            return 7

    def configured_adapters(self) -> list[str]:
        """The platforms `runlift run` starts, by the tokens set."""
        return [
            name
            for name, token in (("telegram", self.telegram_bot_token), ("discord", self.discord_bot_token))
            if token
        ]

    def redacted(self) -> dict[str, str]:
        """Settings safe to log: tokens are hidden."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = "***" if f.name.endswith(("token", "secret")) and value else value
        return out

"""Two `runlift run` processes with ``RUNLIFT_HA=on`` on one PostgreSQL, and ways to end the leader."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from adapters.store.engine import make_engine
from tests.e2e.botproc import BotProcess

LEADER = "is now the leader"


class HaBot(BotProcess):
    """A bot process of the pair; ready once it has said its role (leader or standby)."""

    def __init__(
        self, fake: Any, workdir: Path, database_url: str, env: dict[str, str] | None = None
    ) -> None:
        super().__init__(fake, workdir, env={"DATABASE_URL": database_url, "RUNLIFT_HA": "on", **(env or {})})
        self.database_url = database_url

    def _mark(self) -> object:
        return len(self.output)

    def _ready(self, mark: object) -> bool:
        return "HA: " in self.output[mark:]  # type: ignore[index]

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    @property
    def terms(self) -> int:
        return self.output.count(LEADER)

    async def until_leader(self, timeout: float = 20.0, terms: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while self.terms < terms:
            if time.monotonic() > deadline or not self.running:
                raise AssertionError(f"never became the leader:\n{self.output}")
            await asyncio.sleep(0.05)

    def cut_lock_connection(self) -> int:
        """``pg_terminate_backend`` on this process's lock connection (a database connection lost)."""
        engine = make_engine(self.database_url)
        try:
            with engine.connect() as conn:
                pids = conn.execute(
                    text("select pid from pg_stat_activity where application_name = :name"),
                    {"name": f"runlift-ha {socket.gethostname()}:{self.pid}"[:63]},
                ).scalars()
                found = [int(p) for p in pids]
                for pid in found:
                    conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            engine.dispose()
        return len(found)


async def end(bot: HaBot, how: str) -> None:
    """End the leader's term: ``kill`` (-9), ``term`` (SIGTERM, waited for) or ``cut`` (its lock connection)."""
    if how == "kill":
        await bot.kill()
    elif how == "term":
        await bot.stop()
    else:
        assert bot.cut_lock_connection() == 1, bot.output

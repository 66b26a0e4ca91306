"""Is the bot ready? The database answers, every configured adapter is connected, the scheduler ticks."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, text

TICK_WITHIN = timedelta(minutes=2)
DATABASE_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{self.name}: {'ok' if self.ok else 'FAILING'} — {self.detail}"


class Running(Protocol):
    """What the readiness checks read from the running application."""

    @property
    def engine(self) -> Engine: ...
    @property
    def adapters(self) -> Mapping[str, object]: ...
    @property
    def adapter_failures(self) -> Mapping[str, str]: ...

    def configured_platforms(self) -> list[str]: ...
    def last_tick(self) -> datetime | None: ...
    def now(self) -> datetime: ...


def _ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("select 1"))


async def database(engine: Engine, timeout: float = DATABASE_TIMEOUT_S) -> Check:
    """One round trip, in a thread of its own so a busy database thread does not delay the answer."""
    try:
        await asyncio.wait_for(asyncio.to_thread(_ping, engine), timeout)
    except TimeoutError:
        return Check("database", False, f"no answer within {timeout:g} s")
    except Exception as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return Check("database", False, f"unreachable: {type(error).__name__}: {first[:200]}")
    return Check("database", True, f"{engine.dialect.name} answers")


def adapter(app: Running, platform: str) -> Check:
    running = app.adapters.get(platform)
    if running is None:
        reason = app.adapter_failures.get(platform, "starting")
        return Check(platform, False, f"not connected: {reason}")
    connected = getattr(running, "connected", None)
    if callable(connected) and not connected():
        return Check(platform, False, "not connected: the connection dropped (reconnecting)")
    return Check(platform, True, "connected")


def scheduler(app: Running) -> Check:
    tick = app.last_tick()
    if tick is None:
        return Check("scheduler", False, "has not ticked yet")
    ago = app.now() - tick
    if ago > TICK_WITHIN:
        return Check("scheduler", False, f"last tick {int(ago.total_seconds())} s ago (more than 2 minutes)")
    return Check("scheduler", True, f"last tick {max(0, int(ago.total_seconds()))} s ago")


def role(app: Running) -> Check | None:
    """With ``RUNLIFT_HA=on``: leader or standby (a standby is ready: it takes over when the leader goes)."""
    leadership = getattr(app, "leadership", None)
    if leadership is None:
        return None
    if leadership.leading:
        return Check("role", True, "leader (holds the PostgreSQL advisory lock)")
    return Check("role", True, "standby (another process leads; this one takes over when it goes)")


async def readiness(app: Running) -> list[Check]:
    checks = [await database(app.engine)]
    held = role(app)
    if held is not None:
        checks.append(held)
        if not held.detail.startswith("leader"):
            return checks  # adapters and the scheduler run on the leader
    checks += [adapter(app, platform) for platform in app.configured_platforms()]
    checks.append(scheduler(app))
    return checks

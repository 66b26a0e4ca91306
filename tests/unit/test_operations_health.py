"""Readiness names what fails: the database, an adapter that could not start or dropped, a silent scheduler."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine

from bot.operations import health
from core.nudges.missed import missed
from core.training.model import Runner
from core.training.profile import Profile

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass
class Adapter:
    up: bool = True

    def connected(self) -> bool:
        return self.up


@dataclass
class FakeApp:
    engine: Engine
    adapters: dict[str, object] = field(default_factory=dict)
    adapter_failures: dict[str, str] = field(default_factory=dict)
    tick: datetime | None = None

    def configured_platforms(self) -> list[str]:
        return ["telegram", "discord"]

    def last_tick(self) -> datetime | None:
        return self.tick

    def now(self) -> datetime:
        return NOW


async def test_ready_when_everything_answers_and_each_failure_is_named(tmp_path: Path) -> None:
    app = FakeApp(
        create_engine(f"sqlite:///{tmp_path / 'ok.db'}"),
        {"telegram": Adapter(), "discord": Adapter()},
        tick=NOW - timedelta(seconds=30),
    )
    checks = await health.readiness(app)
    assert all(c.ok for c in checks) and [c.name for c in checks] == [
        "database",
        "telegram",
        "discord",
        "scheduler",
    ]
    app.adapters["discord"] = Adapter(up=False)
    del app.adapters["telegram"]
    app.adapter_failures["telegram"] = "Telegram: cannot start: Unauthorized"
    app.tick = NOW - timedelta(minutes=3)
    failing = {c.name: c.line() for c in await health.readiness(app) if not c.ok}
    assert failing == {
        "telegram": "telegram: FAILING — not connected: Telegram: cannot start: Unauthorized",
        "discord": "discord: FAILING — not connected: the connection dropped (reconnecting)",
        "scheduler": "scheduler: FAILING — last tick 180 s ago (more than 2 minutes)",
    }


async def test_a_database_that_cannot_be_opened_is_unreachable(tmp_path: Path) -> None:
    check = await health.database(create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"))
    assert not check.ok and check.detail.startswith("unreachable: OperationalError")


def test_missed_moments_are_only_those_no_pass_saw_in_time() -> None:
    ana = Runner(1, "test", "ana", "Ana", Profile(tz="UTC"), created_at=NOW - timedelta(days=30))
    tuesday_six = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert missed([ana], tuesday_six - timedelta(minutes=1), tuesday_six + timedelta(minutes=30)) == 0
    assert missed([ana], tuesday_six - timedelta(hours=1), tuesday_six + timedelta(hours=3)) == 1
    assert missed([ana], tuesday_six + timedelta(minutes=1), tuesday_six + timedelta(hours=3)) == 0

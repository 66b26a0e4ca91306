"""RUNLIFT_HA: the setting is read and checked, SQLite is refused with the fix, the lock key is one per
database and schema, and readiness says the role (a standby is ready without adapters or scheduler)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from bot import cli
from bot.leadership import REFUSE_SQLITE, HaRefused, libpq_url, lock_key
from bot.operations import health
from bot.settings import Settings

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "on"),
    [("on", True), ("ON", True), ("true", True), ("1", True), ("off", False), ("", False), ("no", False)],
)
def test_runlift_ha_reads_on_and_off(raw: str, on: bool) -> None:
    assert Settings.load({"RUNLIFT_HA": raw}, dotenv=None).ha() is on


def test_runlift_ha_with_another_word_is_refused_with_an_example() -> None:
    with pytest.raises(
        ValueError, match=r"RUNLIFT_HA must be on or off \(e\.g\. RUNLIFT_HA=on\), not 'maybe'"
    ):
        Settings.load({"RUNLIFT_HA": "maybe"}, dotenv=None).ha()


@pytest.mark.parametrize("url", ["sqlite:///runlift.db", "sqlite://", "mysql://u@h/db"])
def test_leader_election_refuses_what_is_not_postgresql(url: str) -> None:
    with pytest.raises(HaRefused, match="RUNLIFT_HA=on needs PostgreSQL"):
        libpq_url(url)


def test_the_lock_connection_keeps_the_url_and_its_schema_option() -> None:
    url = "postgresql+psycopg://postgres:pw@127.0.0.1:5432/test?options=-csearch_path%3Dclub"
    assert libpq_url(url) == "postgresql://postgres:pw@127.0.0.1:5432/test?options=-csearch_path%3Dclub"
    assert libpq_url("postgres://u@h/db") == "postgresql://u@h/db"


def test_the_lock_key_is_a_signed_64_bit_number_per_database_and_schema() -> None:
    keys = {lock_key(d, s) for d in ("runlift", "other") for s in ("public", "club")}
    assert len(keys) == 4 and all(-(2**63) <= k < 2**63 for k in keys)
    assert lock_key("runlift", "public") == lock_key("runlift", "public")


def test_runlift_run_with_ha_on_sqlite_exits_with_the_reason_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RUNLIFT_HA", "on")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'runlift.db'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    assert cli.main(["run"]) == 2
    assert capsys.readouterr().err == f"runlift: {REFUSE_SQLITE}\n"
    assert list(tmp_path.iterdir()) == []


@dataclass
class Elected:
    leading: bool


@dataclass
class FakeApp:
    engine: Engine
    leadership: Elected | None
    adapters: dict[str, object] = field(default_factory=dict)
    adapter_failures: dict[str, str] = field(default_factory=dict)

    def configured_platforms(self) -> list[str]:
        return ["telegram"]

    def last_tick(self) -> datetime | None:
        return None

    def now(self) -> datetime:
        return NOW


async def test_a_standby_is_ready_and_says_so_and_a_leader_is_checked_in_full(tmp_path: Path) -> None:
    app = FakeApp(create_engine(f"sqlite:///{tmp_path / 'ok.db'}"), Elected(False))
    checks = await health.readiness(app)
    assert [c.line() for c in checks][1:] == [
        "role: ok — standby (another process leads; this one takes over when it goes)"
    ]
    assert all(c.ok for c in checks)
    app.leadership = Elected(True)
    checks = await health.readiness(app)
    assert [c.name for c in checks] == ["database", "role", "telegram", "scheduler"]
    assert checks[1].detail.startswith("leader") and not checks[2].ok  # the leader must run its adapters
    app.leadership = None
    assert "role" not in [c.name for c in await health.readiness(app)]

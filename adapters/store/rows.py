"""Mapping between runner rows and the core's records, shared by every store module."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time
from typing import Any

from core.model import Runner
from core.profile import Profile, format_runs, parse_runs_text


def aware(value: datetime) -> datetime:
    """Instants come back as UTC (SQLite keeps the wall time and drops the offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def profile_columns(profile: Profile) -> dict[str, object]:
    return {
        "tz": profile.tz,
        "runs": format_runs(profile.runs),
        "equipment": profile.equipment,
        "terrain": profile.terrain,
        "sessions": profile.sessions,
        "remind": profile.remind.strftime("%H:%M") if profile.remind else None,
        "units": profile.units,
        "playlist": profile.playlist,
    }


def profile_from_row(r: Mapping[str, Any]) -> Profile:
    return Profile(
        tz=r["tz"],
        runs=parse_runs_text(r["runs"]),
        equipment=r["equipment"],
        terrain=r["terrain"],
        sessions=r["sessions"],
        remind=time.fromisoformat(r["remind"]) if r["remind"] else None,
        units=r["units"],
        playlist=r["playlist"],
    )


def runner_from_row(row: Any) -> Runner:
    r = row._mapping
    return Runner(
        id=r["id"],
        platform=r["platform"],
        user_id=r["user_id"],
        name=r["name"],
        profile=profile_from_row(r),
        configured=r["configured"],
        created_at=aware(r["created_at"]),
        paused_from=r["paused_from"],
        paused_until=r["paused_until"],
        hidden=bool(r["hidden"]),
        unreachable=bool(r["unreachable"]),
    )

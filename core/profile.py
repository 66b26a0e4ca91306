"""A runner's training profile: run days, time zone, equipment and preferences."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from typing import Literal

RunType = Literal["speed", "long", "easy"]
Equipment = Literal["gym", "home", "bodyweight"]
Terrain = Literal["road", "trail", "hilly"]
Units = Literal["kg", "lb"]

RUN_TYPES: tuple[RunType, ...] = ("speed", "long", "easy")
HARD_RUNS: frozenset[str] = frozenset({"speed", "long"})
EQUIPMENT: tuple[Equipment, ...] = ("gym", "home", "bodyweight")
TERRAIN: tuple[Terrain, ...] = ("road", "trail", "hilly")
UNITS: tuple[Units, ...] = ("kg", "lb")
SESSIONS: tuple[int, ...] = (2, 3)
DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_RUNS: dict[int, RunType] = {1: "speed", 6: "long"}
DEFAULT_REMIND = time(18, 0)
LB_PER_KG = 2.2046226218


@dataclass(frozen=True)
class Profile:
    """Training settings; ``runs`` maps weekday (Monday = 0) to the run on that day."""

    tz: str = "UTC"
    runs: dict[int, RunType] = field(default_factory=lambda: dict(DEFAULT_RUNS))
    equipment: Equipment = "gym"
    terrain: Terrain = "road"
    sessions: int = 2
    remind: time | None = DEFAULT_REMIND
    units: Units = "kg"
    playlist: str = ""

    def with_changes(self, **changes: object) -> Profile:
        return replace(self, **changes)  # type: ignore[arg-type]


def format_runs(runs: dict[int, RunType]) -> str:
    """``{1: "speed", 6: "long"}`` → ``tue:speed,sun:long``."""
    return ",".join(f"{DAY_NAMES[d]}:{runs[d]}" for d in sorted(runs))


def parse_runs_text(text: str) -> dict[int, RunType]:
    """The inverse of :func:`format_runs` for stored, already-valid values."""
    runs: dict[int, RunType] = {}
    for part in filter(None, text.split(",")):
        day, kind = part.split(":")
        runs[DAY_NAMES.index(day)] = kind  # type: ignore[assignment]
    return runs


def to_kg(weight: float, unit: Units) -> float:
    return weight / LB_PER_KG if unit == "lb" else weight


def from_kg(weight_kg: float, unit: Units) -> float:
    return weight_kg * LB_PER_KG if unit == "lb" else weight_kg


def show_weight(weight_kg: float | None, unit: Units) -> str:
    """A weight for people: ``16 kg``, ``35.5 lb``; ``bodyweight`` when there is none."""
    if weight_kg is None:
        return "bodyweight"
    value = round(from_kg(weight_kg, unit), 1)
    shown = f"{value:g}" if value != int(value) else str(int(value))
    return f"{shown} {unit}"

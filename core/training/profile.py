"""A runner's training profile: run days, time zone, equipment, reminders and units."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from typing import Literal

from core.calendar.plan import CalendarPlan

RunType = Literal["speed", "long", "easy"]
# ``+bar``: a pull-up bar on top of what the setting has (a gym always has one).
Equipment = Literal["gym", "home", "home+bar", "bodyweight", "bodyweight+bar"]
BaseEquipment = Literal["gym", "home", "bodyweight"]
Terrain = Literal["road", "trail", "hilly"]
Units = Literal["kg", "lb"]

RUN_TYPES: tuple[RunType, ...] = ("speed", "long", "easy")
HARD_RUNS: frozenset[str] = frozenset({"speed", "long"})
EQUIPMENT: tuple[Equipment, ...] = ("gym", "home", "home+bar", "bodyweight", "bodyweight+bar")
TERRAIN: tuple[Terrain, ...] = ("road", "trail", "hilly")
KNEE_TERRAIN: frozenset[str] = frozenset({"trail", "hilly"})  # runners whose plan has quad extensions
UNITS: tuple[Units, ...] = ("kg", "lb")
SESSIONS: tuple[int, ...] = (2, 3)
DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_RUNS: dict[int, RunType] = {1: "speed", 6: "long"}
DEFAULT_REMIND = time(18, 0)


@dataclass(frozen=True)
class Profile:
    """Training settings; ``runs`` maps weekday (Monday = 0) to the run on that day.

    ``remind`` is the reminder time, kept while ``reminders`` are off so that
    ``/remind on`` brings back the time the runner chose. ``swaps`` maps a movement
    to the variant the runner asked to keep (``/swap``). ``calendar`` is the plan read from the
    runner's calendar feed (``None`` without one): the weeks it covers follow it instead of ``runs``.
    """

    tz: str = "UTC"
    runs: dict[int, RunType] = field(default_factory=lambda: dict(DEFAULT_RUNS))
    equipment: Equipment = "gym"
    terrain: Terrain = "road"
    sessions: int = 2
    remind: time = DEFAULT_REMIND
    reminders: bool = True
    units: Units = "kg"
    playlist: str = ""
    swaps: dict[str, str] = field(default_factory=dict)
    calendar: CalendarPlan | None = None

    def with_changes(self, **changes: object) -> Profile:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def remind_at(self) -> time | None:
        """The reminder time, or ``None`` while reminders are off."""
        return self.remind if self.reminders else None

    @property
    def base_equipment(self) -> BaseEquipment:
        """``home+bar`` → ``home``: the setting that picks the default variants."""
        return self.equipment.split("+", 1)[0]  # type: ignore[return-value]

    @property
    def hard_weekdays(self) -> frozenset[int]:
        return frozenset(d for d, kind in self.runs.items() if kind in HARD_RUNS)


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


def format_swaps(swaps: dict[str, str]) -> str:
    """``{"squat": "goblet-squat"}`` → ``squat:goblet-squat`` (stored form)."""
    return ",".join(f"{m}:{v}" for m, v in sorted(swaps.items()))


def parse_swaps_text(text: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in filter(None, (text or "").split(",")))  # type: ignore[misc]

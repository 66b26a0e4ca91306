"""The nudge rules in one place: quiet hours, the late window, the daily cap, the weekly moments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

QUIET_START = time(22, 0)
QUIET_END = time(7, 0)
QUIET_REASON = "Reminders go out between 07:00 and 22:00 — quiet hours are 22:00–07:00"


def in_quiet_hours(local: time, start: time | None = QUIET_START, end: time = QUIET_END) -> bool:
    """Whether a local wall-clock time falls in quiet hours (``start=None``: never)."""
    if start is None:
        return False
    return local >= start or local < end


@dataclass(frozen=True)
class NudgeRules:
    """The scheduling rules; tests may relax one (e.g. ``quiet_start=None``) to pin another."""

    quiet_start: time | None = QUIET_START
    quiet_end: time = QUIET_END
    late_window: timedelta = timedelta(hours=2)
    daily_cap: int = 2
    streak_weekday: int = 5  # Saturday, at the runner's reminder time
    recap_weekday: int = 6  # Sunday
    recap_time: time = time(19, 0)

    def quiet(self, local: time) -> bool:
        return in_quiet_hours(local, self.quiet_start, self.quiet_end)


RULES = NudgeRules()

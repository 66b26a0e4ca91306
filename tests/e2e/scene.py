"""The instant every end-to-end test plays at: the fake servers and the bot process share it.

The bot runs with ``RUNLIFT_NOW`` set to it and the fakes date their messages from
it, so no result depends on the day the suite runs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.clock import ShiftedClock

SCENE_NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a Tuesday: a speed day in the default plan


def scene_clock(at: datetime = SCENE_NOW) -> ShiftedClock:
    return ShiftedClock(at)

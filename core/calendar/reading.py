"""What reading a feed gave: the events, the validators for the next conditional read, or why not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.calendar.events import CalendarEvent

Status = Literal["ok", "unchanged", "failed"]


@dataclass(frozen=True)
class FeedRead:
    """``unchanged``: the server said 304 (nothing to parse); ``failed``: ``problem`` says why, in
    a few words a runner understands (never the URL)."""

    status: Status
    events: tuple[CalendarEvent, ...] = ()
    etag: str = ""
    last_modified: str = ""
    problem: str = ""


def failed(problem: str) -> FeedRead:
    return FeedRead("failed", problem=problem)

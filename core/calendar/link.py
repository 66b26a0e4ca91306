"""A runner's connected calendar: where it is read from (a secret), what the last read said, when
to read it next, and whether a failure still has to be told."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

REFRESH = timedelta(hours=1)
MAX_BACKOFF = timedelta(hours=24)
FILE_PREFIX = "file:"


@dataclass(frozen=True)
class CalendarLink:
    """``source`` is the feed URL (a secret: shown only through :func:`masked`) or ``file:NAME`` for
    an ``.ics`` file read once; ``etag``/``last_modified`` the validators of the last good read;
    ``problem`` what the failing reads say (empty while the feed is fine) and ``told`` whether the
    runner has heard it."""

    runner_id: int
    source: str
    etag: str = ""
    last_modified: str = ""
    checked_at: datetime | None = None
    next_check_at: datetime | None = None
    failures: int = 0
    problem: str = ""
    told: bool = True

    @property
    def is_file(self) -> bool:
        return self.source.startswith(FILE_PREFIX)

    def succeeded(self, at: datetime, etag: str, last_modified: str) -> CalendarLink:
        return replace(
            self,
            etag=etag,
            last_modified=last_modified,
            checked_at=at,
            next_check_at=None if self.is_file else at + REFRESH,
            failures=0,
            problem="",
            told=True,
        )

    def failed(self, at: datetime, problem: str) -> CalendarLink:
        """A failed read: back off (1 h, 2 h, 4 h … up to a day); a new problem is told once."""
        failures = self.failures + 1
        wait = min(MAX_BACKOFF, REFRESH * 2 ** (failures - 1))
        told = self.told and problem == self.problem
        return replace(
            self, checked_at=at, next_check_at=at + wait, failures=failures, problem=problem, told=told
        )


def masked(source: str) -> str:
    """How a feed is shown: its host and the last four characters (``calendar.example.com …a1b2``).

    A trailing ``.ics`` (or ``/``) is not counted: every feed ends so, and the runner should see
    which of their links it is.
    """
    if source.startswith(FILE_PREFIX):
        return f"file {source[len(FILE_PREFIX) :]}"
    host = urlsplit(source).hostname or "?"
    tail = source.rstrip("/")
    tail = tail[:-4] if tail.lower().endswith(".ics") else tail
    return f"{host} …{tail[-4:]}"

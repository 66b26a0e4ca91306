"""A club-shaped population for the nudge benchmarks: clustered zones and reminder times, years of sign-ups.

Runner ``i`` (1-based) gets its attributes from ``i`` alone, so every bench and every
backend sees the same people: 40 % in Europe/Berlin, 60 % reminded at 18:00 (the default),
lift plans where six in ten lift on Tuesdays, sign-ups spread over two years. At ``AT``
(a Tuesday, 18:00 in Berlin) about 14 % of them are due in the same minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from core.nudges.schedule import LIFT, STREAK, next_due, slots_between
from core.training.model import Runner
from core.training.profile import Profile, parse_runs_text

AT = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # Tuesday 18:00 in Berlin
OTHER_ZONES = (
    "Pacific/Kiritimati",
    "Asia/Tokyo",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "Europe/Moscow",
    "Europe/London",
    "UTC",
    "America/Sao_Paulo",
    "America/St_Johns",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Pacific/Pago_Pago",
)
# 17:59 and 18:01 are as common as each other: the minutes either side of the busy one match.
OTHER_REMINDS = ("07:30", "12:00", "17:30", "17:59", "18:01", "18:30", "19:00", "20:00")
PLANS = (  # (runs, sessions): six of the ten lift on Tuesday
    ("tue:speed,sun:long", 2),
    ("tue:speed,thu:speed,sat:long", 2),
    ("tue:speed,sun:long", 3),
    ("tue:speed,thu:easy,sun:long", 2),
    ("wed:speed,sun:long", 2),
    ("tue:speed,thu:speed,sat:long", 3),
    ("mon:easy,wed:speed,sat:long", 2),
    ("thu:speed,sun:long", 2),
    ("wed:speed,sun:long", 3),
    ("mon:speed,thu:speed,sun:long", 2),
)
EQUIPMENT = ("gym", "home", "bodyweight")
HISTORY_DAYS = 9


def zone_of(i: int) -> str:
    return "Europe/Berlin" if i % 5 < 2 else OTHER_ZONES[(i // 5) % len(OTHER_ZONES)]


def remind_of(i: int) -> str:
    return "18:00" if (i // 3) % 5 < 3 else OTHER_REMINDS[(i // 15) % len(OTHER_REMINDS)]


def plan_of(i: int) -> tuple[str, int]:
    return PLANS[(i // 7) % len(PLANS)]


def created_of(i: int) -> datetime:
    return AT - timedelta(days=30 + (i * 7919) % 730, hours=(i * 31) % 24)


@cache
def profile_of(tz: str, remind: str, runs: str, sessions: int, equipment: str) -> Profile:
    return Profile(
        tz=tz,
        runs=parse_runs_text(runs),
        sessions=sessions,
        remind=time.fromisoformat(remind),
        equipment=equipment,  # type: ignore[arg-type]
    )


def runner_of(i: int) -> Runner:
    profile = profile_of(*key_of(i))
    created = created_of(i)
    return Runner(i, "bench", f"u{i}", f"Runner {i}", profile, configured=True, created_at=created)


Key = tuple[str, str, str, int, str]


def key_of(i: int) -> Key:
    runs, sessions = plan_of(i)
    return zone_of(i), remind_of(i), runs, sessions, EQUIPMENT[(i // 11) % 3]


@cache
def _next_at(key: Key, after: datetime) -> datetime | None:
    return next_due(Runner(0, "bench", "", "", profile_of(*key), created_at=AT - timedelta(days=30)), after)


@cache
def _past_slots(key: Key, start: datetime, end: datetime) -> tuple[tuple[str, date, datetime], ...]:
    runner = Runner(0, "bench", "", "", profile_of(*key), created_at=AT - timedelta(days=30))
    return tuple((s.kind, s.local_date, s.at) for s in slots_between(runner, start, end))


def runner_rows(n: int, steady_at: datetime) -> Iterator[dict[str, object]]:
    """Rows of the runners table, each scheduled as the pass at ``steady_at`` left it."""
    for i in range(1, n + 1):
        r = runner_of(i)
        p = r.profile
        assert r.created_at is not None
        yield {
            "id": i,
            "platform": "bench",
            "user_id": r.user_id,
            "name": r.name,
            "tz": p.tz,
            "runs": plan_of(i)[0],
            "equipment": p.equipment,
            "terrain": p.terrain,
            "sessions": p.sessions,
            "remind": remind_of(i),
            "reminders": True,
            "units": p.units,
            "playlist": "",
            "configured": True,
            "unreachable": False,
            "hidden": False,
            "created_at": r.created_at,
            "created_on": r.created_at.date(),
        }


def schedule_rows(n: int, steady_at: datetime) -> Iterator[dict[str, object]]:
    """Each runner's next nudge moment, as the pass at ``steady_at`` left it."""
    for i in range(1, n + 1):
        yield {"runner_id": i, "next_at": _next_at(key_of(i), steady_at)}


def history_rows(n: int, until: datetime) -> Iterator[dict[str, object]]:
    """The outbox as nine days of steady running left it: every lift-day nudge sent, and the
    weekend check for one runner in four."""
    start = until - timedelta(days=HISTORY_DAYS)
    for i in range(1, n + 1):
        r = runner_of(i)
        for kind, day, at in _past_slots(key_of(i), start, until):
            if kind == STREAK and i % 4:
                continue
            yield {
                "recipient": f"runner:{i}",
                "local_date": day,
                "kind": kind,
                "platform": "bench",
                "chat_id": r.user_id,
                "is_group": False,
                "runner_id": i,
                "title": "",
                "body": "Speed day: lift after your run — 5 moves, ~35 min. /today" if kind == LIFT else "",
                "state": "sent",
                "due_at": at,
                "expires_at": at + timedelta(hours=2),
                "attempts": 1,
                "settled_at": at,
            }


def week_rows(n: int, monday: date) -> Iterator[dict[str, object]]:
    """Ledger weeks: last week done twice by everyone, this Monday done by every other runner."""
    for i in range(1, n + 1):
        sessions = plan_of(i)[1]
        for first, mask in ((monday - timedelta(days=7), 0b0100010), (monday, 0b1 if i % 2 else 0)):
            if not mask:
                continue
            yield {
                "runner_id": i,
                "monday": first,
                "mask": mask,
                "hard_mask": 0,
                "target": sessions,
                "paused": False,
                "outcome": "counted" if first < monday else "open",
                "current": 3,
                "best": 5,
                "freezes": 0,
                "toward": 1,
                "sessions": bin(mask).count("1"),
                "hard": 0,
            }

"""Every mapping between table rows and the core's records, in one place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from functools import lru_cache
from operator import itemgetter
from typing import Any

from core.calendar.plan import decode as decode_plan
from core.calendar.plan import encode as encode_plan
from core.ledger.inputs import PlanChange
from core.ledger.model import Best, Book, FoldState, Group, GroupWeek, Post, Reward, WeekInputs, WeekRow
from core.training.model import Entry, Goal, LoggedSet, OwnExercise, Pause, PendingLog, Runner
from core.training.profile import Profile, format_runs, format_swaps, parse_runs_text, parse_swaps_text

Row = Mapping[Any, Any]
NOTE_SEP = "\x1e"


def aware(value: datetime) -> datetime:
    """Instants come back as UTC (SQLite keeps the wall time and drops the offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc(value: datetime) -> datetime:
    """Every instant is stored as UTC."""
    return value.astimezone(UTC)


# runners


def profile_columns(profile: Profile) -> dict[str, object]:
    return {
        "tz": profile.tz,
        "runs": format_runs(profile.runs),
        "equipment": profile.equipment,
        "terrain": profile.terrain,
        "sessions": profile.sessions,
        "remind": profile.remind.strftime("%H:%M"),
        "reminders": profile.reminders,
        "units": profile.units,
        "playlist": profile.playlist,
        "swaps": format_swaps(profile.swaps),
        "calendar_plan": encode_plan(profile.calendar) if profile.calendar is not None else None,
    }


def profile_from(r: Row) -> Profile:
    return Profile(
        tz=r["tz"],
        runs=parse_runs_text(r["runs"]),
        equipment=r["equipment"],
        terrain=r["terrain"],
        sessions=r["sessions"],
        remind=time.fromisoformat(r["remind"]),
        reminders=bool(r["reminders"]),
        units=r["units"],
        playlist=r["playlist"],
        swaps=parse_swaps_text(r["swaps"]),
        calendar=decode_plan(r["calendar_plan"]),
    )


PROFILE_COLUMNS = tuple(profile_columns(Profile()))


@lru_cache(maxsize=4096)
def _shared_profile(values: tuple[object, ...]) -> Profile:
    return profile_from(dict(zip(PROFILE_COLUMNS, values, strict=True)))


@lru_cache(maxsize=4096)
def schedule_profile(tz: str, remind: str, reminders: bool, runs: str, sessions: int) -> Profile:
    """What a nudge schedule without a calendar follows, one object per schedule (the pass)."""
    return Profile(
        tz=tz,
        runs=parse_runs_text(runs),
        sessions=sessions,
        remind=time.fromisoformat(remind),
        reminders=bool(reminders),
    )


def shared_profile(r: Row) -> Profile:
    """The profile of a row, one object for all rows with equal settings (read-only use: the pass)."""
    return _shared_profile(tuple(r[c] for c in PROFILE_COLUMNS))


def runner_columns(runner: Runner) -> dict[str, object]:
    pause = runner.pause
    return {
        "name": runner.name[:200],
        "configured": runner.configured,
        "hidden": runner.hidden,
        "created_on": runner.created_on,
        "paused_from": pause.start if pause else None,
        "paused_until": pause.until if pause else None,
        "plan_since": runner.plan_since,
        "pending_log": runner.pending.text if runner.pending else None,
        "pending_at": utc(runner.pending.asked_at) if runner.pending else None,
        **profile_columns(runner.profile),
    }


def pause_from(start: date | None, until: date | None) -> Pause | None:
    return Pause(start, until) if start is not None and until is not None else None


def runner_from(r: Row, profile: Profile | None = None) -> Runner:
    return Runner(
        id=r["id"],
        platform=r["platform"],
        user_id=r["user_id"],
        name=r["name"],
        profile=profile or profile_from(r),
        configured=bool(r["configured"]),
        created_at=aware(r["created_at"]),
        created_on=r["created_on"],
        pause=pause_from(r["paused_from"], r["paused_until"]),
        hidden=bool(r["hidden"]),
        unreachable=bool(r["unreachable"]),
        plan_since=r["plan_since"],
        pending=PendingLog(r["pending_log"], aware(r["pending_at"])) if r["pending_log"] else None,
        merged=bool(r.get("merged") or False),
    )


class RunnerReader:
    """Runners, their book rows and week rows read by position from the rows of one result: a club's
    members are thousands of rows, and a name lookup per column per row was most of their read."""

    def __init__(self, fields: Sequence[str]) -> None:
        at: dict[str, int] = {}
        for i, name in enumerate(fields):
            at.setdefault(name, i)
        self.id_at = at["id"]
        self._runner = itemgetter(*(at[c] for c in _RUNNER_FIELDS))
        self._profile = itemgetter(*(at[c] for c in PROFILE_COLUMNS))
        merged = at.get("merged")
        self._merged = itemgetter(merged) if merged is not None else None
        book = [(i, k[2:]) for i, k in enumerate(fields) if k.startswith("b_")]
        self._book_names = tuple(name for _, name in book)
        self._book = itemgetter(*(i for i, _ in book)) if book else None
        self._book_id = at.get("b_runner_id")
        week = [at.get(f"w_{c}") for c in _WEEK_FIELDS]
        self._week = itemgetter(*week) if None not in week else None  # type: ignore[arg-type]

    def runner(self, row: Sequence[Any]) -> Runner:
        (
            rid,
            platform,
            user_id,
            name,
            configured,
            created_at,
            created_on,
            paused_from,
            paused_until,
            hidden,
            unreachable,
            plan_since,
            pending_log,
            pending_at,
        ) = self._runner(row)
        return Runner(
            id=rid,
            platform=platform,
            user_id=user_id,
            name=name,
            profile=_shared_profile(self._profile(row)),
            configured=bool(configured),
            created_at=aware(created_at),
            created_on=created_on,
            pause=Pause(paused_from, paused_until)
            if paused_from is not None and paused_until is not None
            else None,
            hidden=bool(hidden),
            unreachable=bool(unreachable),
            plan_since=plan_since,
            pending=PendingLog(pending_log, aware(pending_at)) if pending_log else None,
            merged=bool(self._merged(row)) if self._merged is not None else False,
        )

    def book_row(self, row: Sequence[Any]) -> dict[str, Any] | None:
        if self._book is None or self._book_id is None or row[self._book_id] is None:
            return None
        return dict(zip(self._book_names, self._book(row), strict=True))

    def week_row(self, row: Sequence[Any]) -> WeekRow | None:
        if self._week is None:
            return None
        rid, monday, mask, hard_mask, target, paused, outcome, current, best, freezes, toward, n, hard = (
            self._week(row)
        )
        if rid is None:
            return None
        inputs = _week_inputs(monday, mask, hard_mask, target, bool(paused))
        return WeekRow(inputs, outcome, FoldState(current, best, freezes, toward, n, hard))


@lru_cache(maxsize=8192)
def _week_inputs(monday: date, mask: int, hard_mask: int, target: int, paused: bool) -> WeekInputs:
    """Week inputs are frozen and a club's members share most of them (the same Monday, a few masks)."""
    return WeekInputs(monday, mask, hard_mask, target, paused)


_RUNNER_FIELDS = (
    "id",
    "platform",
    "user_id",
    "name",
    "configured",
    "created_at",
    "created_on",
    "paused_from",
    "paused_until",
    "hidden",
    "unreachable",
    "plan_since",
    "pending_log",
    "pending_at",
)
_WEEK_FIELDS = (
    "runner_id",
    "monday",
    "mask",
    "hard_mask",
    "target",
    "paused",
    "outcome",
    "current",
    "best",
    "freezes",
    "toward",
    "sessions",
    "hard",
)


def plan_change_from(r: Row) -> PlanChange:
    hard = frozenset(int(d) for d in r["hard_days"].split(",") if d)
    return PlanChange(r["effective_on"], r["sessions"], hard)


def hard_days_text(change: PlanChange) -> str:
    return ",".join(str(d) for d in sorted(change.hard))


# logbook


def set_from(r: Row) -> LoggedSet:
    return LoggedSet(
        r["local_date"],
        r["exercise"],
        r["set_no"],
        r["reps"],
        r["weight_kg"],
        r["entry_id"],
        r["seconds"],
        r["unit"],
        bool(r.get("warmup", False)),
    )


def set_columns(entry_id: int, runner_id: int, s: LoggedSet) -> dict[str, object]:
    return {
        "entry_id": entry_id,
        "runner_id": runner_id,
        "local_date": s.local_date,
        "exercise": s.exercise,
        "set_no": s.set_no,
        "reps": s.reps,
        "weight_kg": s.weight_kg,
        "unit": s.unit,
        "seconds": s.seconds,
        "warmup": s.warmup,
    }


def entry_from(r: Row, sets: tuple[LoggedSet, ...]) -> Entry:
    logged_at = r["logged_at"]
    return Entry(
        r["id"], r["kind"], r["local_date"], r["group_id"], sets, aware(logged_at) if logged_at else None
    )


def own_from(r: Row) -> OwnExercise:
    return OwnExercise(r["key"], r["name"], r["movement"])


def goal_from(r: Row) -> Goal:
    return Goal(r["exercise"], r["weight_kg"], r["reps"], r["set_on"], r["reached_on"])


# the ledger's caches


def week_columns(row: WeekRow) -> dict[str, object]:
    i, a = row.inputs, row.after
    return {
        "monday": i.monday,
        "mask": i.mask,
        "hard_mask": i.hard_mask,
        "target": i.target,
        "paused": i.paused,
        "outcome": row.outcome,
        "current": a.current,
        "best": a.best,
        "freezes": a.freezes,
        "toward": a.toward,
        "sessions": a.sessions,
        "hard": a.hard,
    }


def week_from(r: Row) -> WeekRow:
    inputs = WeekInputs(r["monday"], r["mask"], r["hard_mask"], r["target"], bool(r["paused"]))
    after = FoldState(r["current"], r["best"], r["freezes"], r["toward"], r["sessions"], r["hard"])
    return WeekRow(inputs, r["outcome"], after)


def _dates(text: str) -> dict[str, date]:
    return _parsed_dates(text).copy() if text else {}  # a copy: a book's dicts are changed in place


@lru_cache(maxsize=8192)
def _parsed_dates(text: str) -> dict[str, date]:
    """Badges and groups trained as stored (``key:YYYY-MM-DD,…``); club members share many. Never
    handed out itself: :func:`_dates` copies it."""
    out = {}
    for item in filter(None, text.split(",")):
        key, _, day = item.partition(":")
        out[key] = date.fromisoformat(day)
    return out


def _dates_text(values: Mapping[str, date]) -> str:
    return ",".join(f"{k}:{d.isoformat()}" for k, d in sorted(values.items()))


def book_columns(book: Book) -> dict[str, object]:
    return {
        "closed_through": book.closed_through,
        "badges": _dates_text(book.badges),
        "trained": _dates_text(book.trained),
        "goals_open": ",".join(sorted(book.goals_open)),
        "next_reward": book.next_reward,
        "pending": NOTE_SEP.join(book.pending),
    }


_NO_GOALS: frozenset[str] = frozenset()


def book_from(r: Row, weeks: list[WeekRow]) -> Book:
    """A book from its row and the week rows from its last kept week on."""
    closed_through = r["closed_through"]
    closed = None
    open_weeks: dict[date, WeekInputs] = {}
    for w in weeks:
        monday = w.inputs.monday
        if monday == closed_through:
            closed = w
        elif closed_through is None or monday > closed_through:
            open_weeks[monday] = w.inputs
    goals, pending = r["goals_open"], r["pending"]
    return Book(
        closed=closed,
        open=open_weeks,
        badges=_dates(r["badges"]),
        trained=_dates(r["trained"]),
        goals_open=frozenset(filter(None, goals.split(","))) if goals else _NO_GOALS,
        next_reward=r["next_reward"],
        pending=tuple(filter(None, pending.split(NOTE_SEP))) if pending else (),
    )


def best_columns(b: Best) -> dict[str, object]:
    return {
        "exercise": b.exercise,
        "reps": b.reps,
        "weight_kg": b.weight_kg,
        "local_date": b.local_date,
        "entry_id": b.entry,
        "is_pr": b.is_pr,
    }


def best_from(r: Row) -> Best:
    return Best(r["exercise"], r["reps"], r["weight_kg"], r["local_date"], r["entry_id"], bool(r["is_pr"]))


# groups and rewards


def group_from(r: Row) -> Group:
    return Group(r["id"], r["platform"], r["chat_id"], r["title"], r["tz"])


def group_week_from(r: Row) -> GroupWeek:
    hitters = tuple(int(x) for x in r["hitters"].split(",") if x)
    return GroupWeek(r["group_id"], r["monday"], hitters, r["completed_on"])


def group_week_columns(w: GroupWeek) -> dict[str, object]:
    return {
        "group_id": w.group_id,
        "monday": w.monday,
        "hitters": ",".join(str(h) for h in w.hitters),
        "completed_on": w.completed_on,
    }


def post_from(r: Row) -> Post:
    return Post(r["runner_id"], r["local_date"], r["kind"], r["key"])


def reward_from(r: Row) -> Reward:
    return Reward(
        id=r["id"],
        text=r["text"],
        set_on=r["set_on"],
        runner_id=r["runner_id"],
        group_id=r["group_id"],
        after=r["after_sessions"],
        unlock_at=r["unlock_at"],
        unlocked_on=r["unlocked_on"],
        week_start=r["week_start"],
        announced=bool(r["announced"]),
    )


def reward_columns(reward: Reward) -> dict[str, object]:
    return {
        "runner_id": reward.runner_id,
        "group_id": reward.group_id,
        "text": reward.text,
        "after_sessions": reward.after,
        "unlock_at": reward.unlock_at,
        "set_on": reward.set_on,
        "unlocked_on": reward.unlocked_on,
        "week_start": reward.week_start,
        "announced": reward.announced,
    }

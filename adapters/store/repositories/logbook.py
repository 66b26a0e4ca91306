"""The logbook: entries and their sets, days logged, and goals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update

from adapters.store.hot import Hot
from adapters.store.later import Later, values_text
from adapters.store.repositories.base import Repository, chunks
from adapters.store.repositories.ledger import BEST_WEIGHTS, SqlLedger
from adapters.store.rows import entry_from, goal_from, own_from, set_from
from adapters.store.tables import entries, goals, own_exercises, set_logs
from core.ports import DaySummary
from core.progress.series import DayBest
from core.training.model import Entry, Goal, LoggedSet, OwnExercise

_SETS_PER_EXERCISE_ON = (
    select(set_logs.c.exercise, func.count())
    .where(set_logs.c.runner_id == bindparam("runner_id"), set_logs.c.local_date == bindparam("day"))
    .group_by(set_logs.c.exercise)
)
_ADD_ENTRY = "INSERT INTO entries (runner_id, kind, local_date, group_id, logged_at) VALUES (?, ?, ?, ?, ?) RETURNING id"
_ADD_SETS = (
    "INSERT INTO set_logs (entry_id, runner_id, local_date, exercise, set_no, reps, weight_kg, unit,"
    " seconds, warmup) VALUES "
)
# A runner's sets of some exercises summed up per exercise and day, as core.progress.series.day_bests
# does it: the heaviest weighted set (not a hold) with the most reps done at that weight, the best
# set by what it counts (seconds for a hold, else reps), and whether any set was a hold.
_DAY_BESTS = (
    "SELECT d.exercise, d.local_date, d.top, d.best, d.timed,"
    " (SELECT max(s.reps) FROM set_logs s WHERE s.runner_id = ? AND s.exercise = d.exercise"
    " AND s.local_date = d.local_date AND s.seconds IS NULL AND s.weight_kg = d.top) FROM"
    " (SELECT exercise, local_date,"
    " max(CASE WHEN weight_kg IS NOT NULL AND seconds IS NULL THEN weight_kg END) AS top,"
    " max(CASE WHEN seconds IS NOT NULL THEN seconds ELSE reps END) AS best,"
    " max(CASE WHEN seconds IS NOT NULL THEN 1 ELSE 0 END) AS timed"
    " FROM set_logs WHERE runner_id = ? AND {among} GROUP BY exercise, local_date) d"
    " ORDER BY d.exercise, d.local_date"
)
_SET_COLUMNS = (
    set_logs.c.local_date,
    set_logs.c.exercise,
    set_logs.c.set_no,
    set_logs.c.reps,
    set_logs.c.weight_kg,
    set_logs.c.entry_id,
    set_logs.c.unit,
    set_logs.c.seconds,
    set_logs.c.warmup,
)
# A day's entries with their sets (driver-level: read by every /log).
_DAY_ENTRIES = (
    "SELECT e.id, e.kind, e.group_id, e.logged_at, s.exercise, s.set_no, s.reps, s.weight_kg, s.unit,"
    " s.seconds, s.warmup FROM entries e LEFT JOIN set_logs s ON s.entry_id = e.id"
    " WHERE e.runner_id = ? AND e.local_date = ? ORDER BY e.id, s.id"
)
# The same with the best weights of some exercises (SqlLedger.best_weights' statement) after the
# day's rows: what a /log is checked against, in one round trip. Rows of the second part have
# NULL where the first has an entry id.
_DAY_THEN_BESTS = (
    "SELECT e.id, e.kind, e.group_id, e.logged_at, s.exercise, s.set_no, s.reps, s.weight_kg, s.unit,"
    " s.seconds, s.warmup, 0 AS part, s.id AS set_id FROM entries e LEFT JOIN set_logs s ON s.entry_id = e.id"
    " WHERE e.runner_id = ? AND e.local_date = ?"
    " UNION ALL SELECT NULL, NULL, NULL, NULL, b.exercise, NULL, b.reps, b.top, NULL, NULL, NULL, 1, NULL"
    f" FROM ({BEST_WEIGHTS}) AS b (exercise, reps, top)"
    " ORDER BY part, 1, set_id"
)
_STREAM_SIZE = 2000


class SqlLogbook(Repository):
    def add_entry(
        self,
        runner_id: int,
        kind: str,
        day: date,
        group_id: int | None,
        at: datetime,
        sets: Sequence[LoggedSet],
    ) -> Entry:
        later = Later.of(self.conn)
        day_value = later.hot.day(day)
        found = later.hot.rows(_ADD_ENTRY, (runner_id, kind, day_value, group_id, later.hot.instant(at)))
        entry_id = int(found[0][0])
        stored = tuple(replace(s, entry=entry_id) for s in sets)
        if stored:
            values: list[Any] = []
            for s in stored:
                local = day_value if s.local_date == day else later.hot.day(s.local_date)
                values += (entry_id, runner_id, local, s.exercise, s.set_no, s.reps, s.weight_kg)
                values += (s.unit, s.seconds, s.warmup)
            later.write(_ADD_SETS + values_text(10, len(stored)), values)
        return Entry(entry_id, kind, day, group_id, stored, at)

    def _entries(self, where: object, limit: int | None = None) -> list[Entry]:
        query = select(entries).where(where).order_by(entries.c.id.desc())  # type: ignore[arg-type]
        if limit is not None:
            query = query.limit(limit)
        heads = list(self.conn.execute(query))
        if not heads:
            return []
        by_entry: dict[int, list[LoggedSet]] = defaultdict(list)
        ids = [h.id for h in heads]
        rows = self.conn.execute(
            select(*_SET_COLUMNS).where(set_logs.c.entry_id.in_(ids)).order_by(set_logs.c.id)
        )
        for r in rows:
            s = set_from(r._mapping)
            by_entry[s.entry].append(s)
        return [entry_from(h._mapping, tuple(by_entry[h.id])) for h in heads]

    def last_entry(self, runner_id: int) -> Entry | None:
        found = self._entries(entries.c.runner_id == runner_id, limit=1)
        return found[0] if found else None

    def entry(self, runner_id: int, entry_id: int) -> Entry | None:
        found = self._entries((entries.c.runner_id == runner_id) & (entries.c.id == entry_id))
        return found[0] if found else None

    def recent_entries(self, runner_id: int, limit: int) -> list[Entry]:
        return self._entries(entries.c.runner_id == runner_id, limit=limit)

    def all_entries(self, runner_id: int) -> list[Entry]:
        return list(reversed(self._entries(entries.c.runner_id == runner_id)))

    def delete_entry(self, runner_id: int, entry_id: int) -> None:
        self.conn.execute(
            delete(set_logs).where(set_logs.c.entry_id == entry_id, set_logs.c.runner_id == runner_id)
        )
        self.conn.execute(delete(entries).where(entries.c.id == entry_id, entries.c.runner_id == runner_id))

    def move_entries(self, from_id: int, to_id: int, entry_ids: Sequence[int] | None = None) -> list[int]:
        mine = select(entries.c.id).where(entries.c.runner_id == from_id).order_by(entries.c.id)
        ids = list(self.conn.execute(mine).scalars())
        if entry_ids is not None:
            wanted = set(entry_ids)
            ids = [i for i in ids if i in wanted]
        for part in chunks(ids):
            self.conn.execute(update(set_logs).where(set_logs.c.entry_id.in_(part)).values(runner_id=to_id))
            self.conn.execute(update(entries).where(entries.c.id.in_(part)).values(runner_id=to_id))
        return ids

    def sets_per_exercise_on(self, runner_id: int, day: date) -> dict[str, int]:
        rows = self.conn.execute(_SETS_PER_EXERCISE_ON, {"runner_id": runner_id, "day": day})
        return {exercise: count for exercise, count in rows}

    def days(self, runner_id: int, start: date, end: date) -> list[DaySummary]:
        marked = set(
            self.conn.execute(
                select(entries.c.local_date).where(
                    entries.c.runner_id == runner_id,
                    entries.c.kind == "done",
                    entries.c.local_date >= start,
                    entries.c.local_date <= end,
                )
            ).scalars()
        )
        counts: dict[date, int] = dict(
            self.conn.execute(
                select(set_logs.c.local_date, func.count(func.distinct(set_logs.c.exercise)))
                .where(
                    set_logs.c.runner_id == runner_id,
                    set_logs.c.local_date >= start,
                    set_logs.c.local_date <= end,
                    set_logs.c.warmup.is_(False),
                )
                .group_by(set_logs.c.local_date)
            ).all()
        )
        days = sorted(marked | set(counts))
        return [DaySummary(d, d in marked, int(counts.get(d, 0))) for d in days]

    def sets_on(self, runner_id: int, day: date) -> list[LoggedSet]:
        rows = self.conn.execute(
            select(*_SET_COLUMNS)
            .where(set_logs.c.runner_id == runner_id, set_logs.c.local_date == day)
            .order_by(set_logs.c.id)
        )
        return [set_from(r._mapping) for r in rows]

    def entries_on(self, runner_id: int, day: date) -> list[Entry]:
        hot = Hot(self.conn)
        return _day_entries(hot, day, hot.rows(_DAY_ENTRIES, (runner_id, hot.day(day))))

    def day_and_best_weights(
        self, runner_id: int, day: date, exercises: Sequence[str]
    ) -> tuple[list[Entry], dict[tuple[str, int], float]]:
        hot = Hot(self.conn)
        if not hot.pg or not exercises:  # SQLite has no round trips to save
            return self.entries_on(runner_id, day), SqlLedger(self.conn).best_weights(runner_id, exercises)
        rows = hot.rows(
            _DAY_THEN_BESTS.format(marks=hot.marks(len(exercises))),
            (runner_id, hot.day(day), runner_id, *exercises),
        )
        split = next((i for i, row in enumerate(rows) if row[11] == 1), len(rows))
        best = {(row[4], row[6]): float(row[7]) for row in rows[split:]}
        return _day_entries(hot, day, rows[:split]), best

    def last_days(self, runner_id: int, before: date) -> dict[str, list[LoggedSet]]:
        # One statement: every exercise's sets of the last day it was logged before ``before``.
        last = (
            select(set_logs.c.exercise, func.max(set_logs.c.local_date).label("day"))
            .where(
                set_logs.c.runner_id == runner_id,
                set_logs.c.local_date < before,
                set_logs.c.warmup.is_(False),
            )
            .group_by(set_logs.c.exercise)
            .subquery()
        )
        rows = self.conn.execute(
            select(*_SET_COLUMNS)
            .join(last, and_(set_logs.c.exercise == last.c.exercise, set_logs.c.local_date == last.c.day))
            .where(set_logs.c.runner_id == runner_id, set_logs.c.warmup.is_(False))
            .order_by(set_logs.c.id)
        )
        out: dict[str, list[LoggedSet]] = defaultdict(list)
        for r in rows:
            s = set_from(r._mapping)
            out[s.exercise].append(s)
        return dict(out)

    def last_sets(self, runner_id: int, exercise: str, before: date) -> list[LoggedSet]:
        last_day = self.conn.execute(
            select(func.max(set_logs.c.local_date)).where(
                set_logs.c.runner_id == runner_id,
                set_logs.c.exercise == exercise,
                set_logs.c.local_date < before,
                set_logs.c.warmup.is_(False),
            )
        ).scalar()
        if last_day is None:
            return []
        rows = self.conn.execute(
            select(*_SET_COLUMNS)
            .where(
                set_logs.c.runner_id == runner_id,
                set_logs.c.exercise == exercise,
                set_logs.c.local_date == last_day,
                set_logs.c.warmup.is_(False),
            )
            .order_by(set_logs.c.id)
        )
        return [set_from(r._mapping) for r in rows]

    def exercise_sets(self, runner_id: int, exercise: str, since: date | None = None) -> list[LoggedSet]:
        query = select(*_SET_COLUMNS).where(
            set_logs.c.runner_id == runner_id, set_logs.c.exercise == exercise
        )
        if since is not None:
            query = query.where(set_logs.c.local_date >= since)
        rows = self.conn.execute(query.order_by(set_logs.c.local_date, set_logs.c.id))
        return [set_from(r._mapping) for r in rows]

    def day_bests(self, runner_id: int, exercises: Sequence[str]) -> list[DayBest]:
        if not exercises:
            return []
        hot = Hot(self.conn)
        among, values = hot.among("exercise", list(exercises))
        rows = hot.rows(_DAY_BESTS.format(among=among), (runner_id, runner_id, values))
        return [
            DayBest(exercise, hot.read_day(day), top, int(reps or 0), int(best), bool(timed))
            for exercise, day, top, best, timed, reps in rows
        ]

    def all_sets(self, runner_id: int) -> Iterator[LoggedSet]:
        result = self.conn.execute(
            select(*_SET_COLUMNS)
            .where(set_logs.c.runner_id == runner_id)
            .order_by(set_logs.c.local_date, set_logs.c.entry_id, set_logs.c.id)
            .execution_options(yield_per=_STREAM_SIZE)
        )
        for r in result:
            yield set_from(r._mapping)

    def exercise_counts(self, runner_id: int) -> dict[str, tuple[int, date]]:
        rows = self.conn.execute(
            select(set_logs.c.exercise, func.count(), func.max(set_logs.c.local_date))
            .where(set_logs.c.runner_id == runner_id)
            .group_by(set_logs.c.exercise)
        )
        return {ex: (n, last) for ex, n, last in rows}

    def first_dates(self, runner_id: int, exercises: Sequence[str]) -> dict[str, date]:
        if not exercises:
            return {}
        rows = self.conn.execute(
            select(set_logs.c.exercise, func.min(set_logs.c.local_date))
            .where(set_logs.c.runner_id == runner_id, set_logs.c.exercise.in_(list(exercises)))
            .group_by(set_logs.c.exercise)
        )
        return {ex: day for ex, day in rows}

    def goals(self, runner_id: int) -> list[Goal]:
        rows = self.conn.execute(select(goals).where(goals.c.runner_id == runner_id).order_by(goals.c.id))
        return [goal_from(r._mapping) for r in rows]

    def set_goal(self, runner_id: int, goal: Goal) -> None:
        self.conn.execute(
            delete(goals).where(goals.c.runner_id == runner_id, goals.c.exercise == goal.exercise)
        )
        self.conn.execute(
            insert(goals).values(
                runner_id=runner_id,
                exercise=goal.exercise,
                weight_kg=goal.weight_kg,
                reps=goal.reps,
                set_on=goal.set_on,
                reached_on=goal.reached_on,
            )
        )

    def save_goal_reached(self, runner_id: int, exercise: str, day: date | None) -> None:
        self.conn.execute(
            update(goals)
            .where(goals.c.runner_id == runner_id, goals.c.exercise == exercise)
            .values(reached_on=day)
        )

    def own_exercises(self, runner_id: int) -> list[OwnExercise]:
        rows = self.conn.execute(
            select(own_exercises).where(own_exercises.c.runner_id == runner_id).order_by(own_exercises.c.id)
        )
        return [own_from(r._mapping) for r in rows]

    def add_own_exercise(self, runner_id: int, own: OwnExercise) -> None:
        self.conn.execute(
            insert(own_exercises).values(
                runner_id=runner_id, key=own.key, name=own.name, movement=own.movement
            )
        )

    def set_own_movement(self, runner_id: int, key: str, movement: str) -> None:
        self.conn.execute(
            update(own_exercises)
            .where(own_exercises.c.runner_id == runner_id, own_exercises.c.key == key)
            .values(movement=movement)
        )


def _day_entries(hot: Hot, day: date, rows: Sequence[Sequence[Any]]) -> list[Entry]:
    """Entries from the day's rows (one per set, or one with NULL set columns for an entry without)."""
    by_entry: dict[int, tuple[Any, list[LoggedSet]]] = {}
    for row in rows:
        entry_id, kind, group_id, logged_at, exercise, set_no, reps, weight, unit, seconds, warmup = row[:11]
        held = by_entry.get(entry_id)
        if held is None:
            at = hot.read_instant(logged_at) if logged_at is not None else None
            held = by_entry[entry_id] = ((kind, group_id, at), [])
        if exercise is not None:
            held[1].append(
                LoggedSet(day, exercise, set_no, reps, weight, entry_id, seconds, unit, bool(warmup))
            )
    return [
        Entry(entry_id, kind, day, group_id, tuple(sets), at)
        for entry_id, ((kind, group_id, at), sets) in by_entry.items()
    ]

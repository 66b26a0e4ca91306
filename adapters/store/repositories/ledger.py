"""The ledger's caches: week rows, books and bests (all rebuilt from the record when missing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select

from adapters.store.hot import Hot
from adapters.store.later import Later, values_text
from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import best_from, book_columns, week_columns, week_from
from adapters.store.tables import bests, books, weeks
from core.ledger.model import Best, Book, WeekRow, bits

_SAVE_BOOK = (
    "INSERT INTO books (runner_id, closed_through, badges, trained, goals_open, next_reward, pending)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (runner_id) DO UPDATE SET"
    " closed_through = excluded.closed_through, badges = excluded.badges, trained = excluded.trained,"
    " goals_open = excluded.goals_open, next_reward = excluded.next_reward, pending = excluded.pending"
)
_ADD_BESTS = "INSERT INTO bests (runner_id, exercise, reps, weight_kg, local_date, entry_id, is_pr) VALUES "
_BESTS = select(bests).where(bests.c.runner_id == bindparam("runner_id"))
# The heaviest weight per exercise and rep count (``marks``: one ``?`` per exercise). Driver-level:
# read by every /log; the (runner_id, exercise, reps, weight_kg) index answers it.
BEST_WEIGHTS = (
    "SELECT exercise, reps, max(weight_kg) FROM bests WHERE runner_id = ?"
    " AND exercise IN ({marks}) GROUP BY exercise, reps"
)
_BESTS_OF = select(bests).where(
    bests.c.runner_id == bindparam("runner_id"), bests.c.exercise.in_(bindparam("exercises", expanding=True))
)


class SqlLedger(Repository):
    def save_book(self, runner_id: int, book: Book) -> None:
        later = Later.of(self.conn)
        c = book_columns(book)
        closed = book.closed_through
        values = (runner_id, None if closed is None else later.hot.day(closed), c["badges"], c["trained"])
        later.write(_SAVE_BOOK, (*values, c["goals_open"], c["next_reward"], c["pending"]))

    def weeks(self, runner_id: int, start: date, end: date) -> dict[date, WeekRow]:
        rows = self.conn.execute(
            select(weeks).where(
                weeks.c.runner_id == runner_id, weeks.c.monday >= start, weeks.c.monday <= end
            )
        )
        return {r.monday: week_from(r._mapping) for r in rows}

    def save_weeks(self, runner_id: int, rows: Sequence[WeekRow]) -> None:
        self.upsert(
            weeks, [{"runner_id": runner_id, **week_columns(r)} for r in rows], ("runner_id", "monday")
        )

    def drop_weeks(self, runner_id: int, mondays: Sequence[date]) -> None:
        if mondays:
            self.conn.execute(
                delete(weeks).where(weeks.c.runner_id == runner_id, weeks.c.monday.in_(list(mondays)))
            )

    def week_of(self, runner_ids: Sequence[int], monday: date) -> dict[int, WeekRow]:
        out: dict[int, WeekRow] = {}
        for part in chunks(list(runner_ids)):
            rows = self.conn.execute(
                select(weeks).where(weeks.c.runner_id.in_(part), weeks.c.monday == monday)
            )
            out.update({r.runner_id: week_from(r._mapping) for r in rows})
        return out

    def done_days(self, runner_ids: Sequence[int], start: date, end: date) -> dict[int, set[date]]:
        hot = Hot(self.conn)  # read by every chunk of the nudge pass: driver-level SQL
        out: dict[int, set[date]] = defaultdict(set)
        first = start - timedelta(days=start.weekday())
        for part in chunks(list(runner_ids)):
            rows = hot.rows(
                f"SELECT runner_id, monday, mask FROM weeks WHERE runner_id IN ({hot.marks(len(part))})"
                " AND monday >= ? AND monday <= ? AND mask <> 0",
                (*part, hot.day(first), hot.day(end)),
            )
            for runner_id, raw_monday, mask in rows:
                monday = hot.read_day(raw_monday)
                for d in bits(mask):
                    day = monday + timedelta(days=d)
                    if start <= day <= end:
                        out[runner_id].add(day)
        return dict(out)

    def bests(self, runner_id: int, exercises: Sequence[str] | None = None) -> list[Best]:
        if exercises is None:
            rows = self.conn.execute(_BESTS, {"runner_id": runner_id})
        else:
            rows = self.conn.execute(_BESTS_OF, {"runner_id": runner_id, "exercises": list(exercises)})
        found = [best_from(r._mapping) for r in rows]
        return sorted(found, key=lambda b: (b.local_date, b.entry, b.exercise, b.reps))

    def best_weights(self, runner_id: int, exercises: Sequence[str]) -> dict[tuple[str, int], float]:
        if not exercises:
            return {}
        hot = Hot(self.conn)
        rows = hot.rows(BEST_WEIGHTS.format(marks=hot.marks(len(exercises))), (runner_id, *exercises))
        return {(exercise, reps): float(weight) for exercise, reps, weight in rows}

    def add_bests(self, runner_id: int, new: Sequence[Best]) -> None:
        if not new:
            return
        later = Later.of(self.conn)
        values: list[Any] = []
        for b in new:
            values += (
                runner_id,
                b.exercise,
                b.reps,
                b.weight_kg,
                later.hot.day(b.local_date),
                b.entry,
                b.is_pr,
            )
        later.write(_ADD_BESTS + values_text(7, len(new)), values)

    def replace_bests(self, runner_id: int, exercise: str, since: date, new: Sequence[Best]) -> None:
        self.conn.execute(
            delete(bests).where(
                bests.c.runner_id == runner_id, bests.c.exercise == exercise, bests.c.local_date >= since
            )
        )
        self.add_bests(runner_id, new)

    def clear(self, runner_id: int) -> None:
        for table in (weeks, bests, books):
            self.conn.execute(delete(table).where(table.c.runner_id == runner_id))

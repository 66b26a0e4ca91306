"""Runners with their books, pauses of the past and plan changes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from adapters.store import raw
from adapters.store.repositories.base import Repository
from adapters.store.rows import (
    RunnerReader,
    book_columns,
    book_from,
    hard_days_text,
    plan_change_from,
    runner_columns,
    utc,
)
from adapters.store.tables import (
    bests,
    books,
    calendars,
    entries,
    goals,
    group_members,
    imports,
    link_codes,
    own_exercises,
    past_pauses,
    plan_changes,
    posts,
    rewards,
    runner_merges,
    runners,
    set_logs,
    weeks,
)
from core.ledger.inputs import PlanChange
from core.ledger.model import Book
from core.training.model import Pause, Runner

BOOK_COLUMNS = [c.label(f"b_{c.name}") for c in books.c]
WEEK_COLUMNS = [c.label(f"w_{c.name}") for c in weeks.c]
# The week rows a book needs: from its last kept week on.
BOOK_WEEKS = and_(
    weeks.c.runner_id == runners.c.id,
    books.c.runner_id.is_not(None),
    # A range the (runner_id, monday) key can seek to: an OR with IS NULL made SQLite read every
    # week the runner ever had (520 rows at ten years) to keep the last few.
    weeks.c.monday >= func.coalesce(books.c.closed_through, literal(date.min, Date)),
)


def with_books(query: Select[Any]) -> Select[Any]:
    """Runners joined with their book and the week rows from the book's last kept week on."""
    return (
        query.add_columns(*BOOK_COLUMNS, *WEEK_COLUMNS)
        .outerjoin(books, books.c.runner_id == runners.c.id)
        .outerjoin(weeks, BOOK_WEEKS)
    )


def runners_with_books(
    rows: Iterable[Any], keep: Sequence[str] = (), fields: Sequence[str] | None = None
) -> list[tuple[Runner, Book | None, tuple[Any, ...]]]:
    """Fold joined rows (one per week row) into ``(runner, book, kept)``, in the order met; ``kept``
    holds the first row's values of the columns named in ``keep``; ``fields`` names the columns
    (by default, the rows' own ``_fields``). Rows are let go as they are read: a club's thousands
    are not held (nor aged by the collector) while the members are built."""
    found: dict[int, tuple[Runner, dict[str, Any] | None, list[Any], tuple[Any, ...]]] = {}
    reader: RunnerReader | None = None
    for row in rows:
        if reader is None:  # the same for every row of the result: worked out once
            if fields is None:
                fields = row._fields
            reader = RunnerReader(fields)
            id_at = reader.id_at
            at = {name: i for i, name in reversed(list(enumerate(fields)))}
            kept_at = [at[name] for name in keep]
        rid = row[id_at]
        if rid is None:  # a group without members
            continue
        held = found.get(rid)
        if held is None:
            # Profiles are frozen: runners with equal settings (most of a club) share one object.
            kept = tuple(row[i] for i in kept_at)
            held = found[rid] = (reader.runner(row), reader.book_row(row), [], kept)
        week = reader.week_row(row)
        if week is not None:
            held[2].append(week)
    out = []
    for runner, book_row, week_rows, kept in found.values():
        out.append((runner, book_from(book_row, week_rows) if book_row is not None else None, kept))
    return out


# Whether the runner is one of a linked pair, in the same read: most runners are not.
MERGED = (
    exists()
    .where(or_(runner_merges.c.runner_id == runners.c.id, runner_merges.c.other_id == runners.c.id))
    .label("merged")
)
# Read on every command: compiled once and run on psycopg's cursor directly (PostgreSQL).
_FIND = raw.Prepared(
    with_books(select(runners, MERGED)).where(
        runners.c.platform == bindparam("platform"), runners.c.user_id == bindparam("user_id")
    )
)
_GET = raw.Prepared(with_books(select(runners, MERGED)).where(runners.c.id == bindparam("runner_id")))


class SqlRunners(Repository):
    def find(self, platform: str, user_id: str) -> tuple[Runner, Book | None] | None:
        fields, rows = _FIND.run(self.conn, {"platform": platform, "user_id": user_id})
        found = runners_with_books(rows, fields=fields)
        return (found[0][0], found[0][1]) if found else None

    def get(self, runner_id: int) -> tuple[Runner, Book | None] | None:
        fields, rows = _GET.run(self.conn, {"runner_id": runner_id})
        found = runners_with_books(rows, fields=fields)
        return (found[0][0], found[0][1]) if found else None

    def add(self, runner: Runner) -> Runner:
        assert runner.created_at is not None
        new_id = self.conn.execute(
            insert(runners)
            .values(
                platform=runner.platform,
                user_id=runner.user_id,
                unreachable=False,
                created_at=utc(runner.created_at),
                **runner_columns(runner),
            )
            .returning(runners.c.id)
        ).scalar_one()
        self.conn.execute(insert(books).values(runner_id=new_id, **book_columns(Book())))
        runner.id = new_id
        return runner

    def save(self, runner: Runner) -> None:
        self.conn.execute(update(runners).where(runners.c.id == runner.id).values(**runner_columns(runner)))

    def set_unreachable(self, platform: str, user_id: str, unreachable: bool) -> None:
        self.conn.execute(
            update(runners)
            .where(runners.c.platform == platform, runners.c.user_id == user_id)
            .where(runners.c.unreachable != unreachable)
            .values(unreachable=unreachable)
        )

    def delete(self, runner_id: int) -> None:
        children = (
            set_logs,
            entries,
            bests,
            weeks,
            books,
            posts,
            group_members,
            rewards,
            goals,
            own_exercises,
            imports,
            calendars,
        )
        for table in (*children, plan_changes, past_pauses, link_codes):
            self.conn.execute(delete(table).where(table.c.runner_id == runner_id))
        self.conn.execute(
            delete(runner_merges).where(
                (runner_merges.c.runner_id == runner_id) | (runner_merges.c.other_id == runner_id)
            )
        )
        self.conn.execute(delete(runners).where(runners.c.id == runner_id))

    def ids(self) -> list[int]:
        return list(self.conn.execute(select(runners.c.id).order_by(runners.c.id)).scalars())

    def past_pauses(self, runner_id: int) -> list[Pause]:
        rows = self.conn.execute(
            select(past_pauses.c.start, past_pauses.c.until)
            .where(past_pauses.c.runner_id == runner_id)
            .order_by(past_pauses.c.start)
        )
        return [Pause(start, until) for start, until in rows]

    def add_past_pause(self, runner_id: int, pause: Pause) -> None:
        self.conn.execute(
            insert(past_pauses).values(runner_id=runner_id, start=pause.start, until=pause.until)
        )

    def plan_history(self, runner_id: int) -> list[PlanChange]:
        rows = self.conn.execute(
            select(plan_changes)
            .where(plan_changes.c.runner_id == runner_id)
            .order_by(plan_changes.c.effective_on)
        )
        return [plan_change_from(r._mapping) for r in rows]

    def add_plan_change(self, runner_id: int, change: PlanChange) -> None:
        self.upsert(
            plan_changes,
            [
                {
                    "runner_id": runner_id,
                    "effective_on": change.effective,
                    "sessions": change.sessions,
                    "hard_days": hard_days_text(change),
                }
            ],
            ("runner_id", "effective_on"),
        )

"""The SQLAlchemy unit of work: one transaction, repository methods returning core records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import Connection, Engine, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from adapters.store.accountability_queries import AccountabilityQueries
from adapters.store.group_queries import GroupQueries
from adapters.store.nudge_queries import NudgeQueries
from adapters.store.rows import profile_columns, runner_from_row
from adapters.store.tables import goals, processed_events, records, runners, sessions_done, set_logs
from core.model import Goal, LoggedSet, Record, Runner
from core.profile import Profile

# Statements on the hot path of every command are built once: SQLAlchemy then reuses their
# compiled form without rebuilding and re-keying the expression at each call.
# A claim returns the id only when this insert made the row (rowcount is not reliable here).
_CLAIM_EVENT = {
    "sqlite": sqlite_insert(processed_events).on_conflict_do_nothing().returning(processed_events.c.event_id),
    "postgresql": pg_insert(processed_events).on_conflict_do_nothing().returning(processed_events.c.event_id),
}
_RUNNER_BY_USER = select(runners).where(
    runners.c.platform == bindparam("platform"), runners.c.user_id == bindparam("user_id")
)
_EXERCISE_SETS_ON = (
    select(set_logs.c.exercise, func.count())
    .where(set_logs.c.runner_id == bindparam("runner_id"), set_logs.c.local_date == bindparam("day"))
    .group_by(set_logs.c.exercise)
)
_BEST_WEIGHT = select(func.max(set_logs.c.weight_kg)).where(
    set_logs.c.runner_id == bindparam("runner_id"),
    set_logs.c.exercise == bindparam("exercise"),
    set_logs.c.reps == bindparam("reps"),
)
_GOALS = (
    select(goals.c.exercise, goals.c.weight_kg, goals.c.reps, goals.c.set_on, goals.c.reached_on)
    .where(goals.c.runner_id == bindparam("runner_id"))
    .order_by(goals.c.id)
)
_EXERCISE_COUNTS = (
    select(set_logs.c.exercise, func.count(), func.max(set_logs.c.local_date))
    .where(set_logs.c.runner_id == bindparam("runner_id"))
    .group_by(set_logs.c.exercise)
)


def _set(row: object) -> LoggedSet:
    r = row._mapping  # type: ignore[attr-defined]
    return LoggedSet(r["local_date"], r["exercise"], r["set_no"], r["reps"], r["weight_kg"], r["batch"])


_SET_COLUMNS = (
    set_logs.c.local_date,
    set_logs.c.exercise,
    set_logs.c.set_no,
    set_logs.c.reps,
    set_logs.c.weight_kg,
    set_logs.c.batch,
)


class SqlUnitOfWork(AccountabilityQueries, GroupQueries, NudgeQueries):
    """Repository methods over one connection inside one transaction."""

    def __init__(self, connection: Connection) -> None:
        self.conn = connection
        self._committed = False
        self._memo: dict[tuple[object, ...], object] = {}

    def commit(self) -> None:
        self._committed = True

    @property
    def committed(self) -> bool:
        return self._committed

    def claim_event(self, event_id: str, at: datetime) -> bool:
        claim = _CLAIM_EVENT[self.conn.dialect.name]
        return self.conn.execute(claim, {"event_id": event_id, "handled_at": at}).first() is not None

    def prune_events(self, before: datetime) -> int:
        result = self.conn.execute(delete(processed_events).where(processed_events.c.handled_at < before))
        return int(result.rowcount or 0)

    # runners
    def get_runner(self, platform: str, user_id: str) -> Runner | None:
        row = self.conn.execute(_RUNNER_BY_USER, {"platform": platform, "user_id": user_id}).first()
        return runner_from_row(row) if row else None

    def add_runner(self, platform: str, user_id: str, name: str, profile: Profile, at: datetime) -> Runner:
        new_id = self.conn.execute(
            insert(runners)
            .values(
                platform=platform,
                user_id=user_id,
                name=name[:200],
                configured=False,
                unreachable=False,
                created_at=at,
                **profile_columns(profile),
            )
            .returning(runners.c.id)
        ).scalar_one()
        return Runner(new_id, platform, user_id, name[:200], profile, False, at)

    def save_runner(self, runner: Runner) -> None:
        self.conn.execute(
            update(runners)
            .where(runners.c.id == runner.id)
            .values(name=runner.name[:200], configured=runner.configured, **profile_columns(runner.profile))
        )

    def set_unreachable(self, platform: str, user_id: str, unreachable: bool) -> None:
        self.conn.execute(
            update(runners)
            .where(runners.c.platform == platform, runners.c.user_id == user_id)
            .where(runners.c.unreachable != unreachable)
            .values(unreachable=unreachable)
        )

    def delete_runner(self, runner_id: int) -> None:
        self.delete_accountability(runner_id)
        for table in (set_logs, sessions_done, goals, records):
            self.conn.execute(delete(table).where(table.c.runner_id == runner_id))
        self.conn.execute(delete(runners).where(runners.c.id == runner_id))

    # sets and sessions
    def add_sets(self, runner_id: int, sets: Sequence[LoggedSet], at: datetime) -> None:
        if not sets:
            return
        self.conn.execute(
            insert(set_logs),
            [
                {
                    "runner_id": runner_id,
                    "local_date": s.local_date,
                    "exercise": s.exercise,
                    "set_no": s.set_no,
                    "reps": s.reps,
                    "weight_kg": s.weight_kg,
                    "batch": s.batch,
                    "logged_at": at,
                }
                for s in sets
            ],
        )

    def sets_on(self, runner_id: int, day: date) -> list[LoggedSet]:
        rows = self.conn.execute(
            select(*_SET_COLUMNS)
            .where(set_logs.c.runner_id == runner_id, set_logs.c.local_date == day)
            .order_by(set_logs.c.id)
        )
        return [_set(r) for r in rows]

    def exercise_sets_on(self, runner_id: int, day: date) -> dict[str, int]:
        rows = self.conn.execute(_EXERCISE_SETS_ON, {"runner_id": runner_id, "day": day})
        return {exercise: count for exercise, count in rows}

    def last_sets(self, runner_id: int, exercise: str, before: date) -> list[LoggedSet]:
        last_day = self.conn.execute(
            select(func.max(set_logs.c.local_date)).where(
                set_logs.c.runner_id == runner_id,
                set_logs.c.exercise == exercise,
                set_logs.c.local_date < before,
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
            )
            .order_by(set_logs.c.id)
        )
        return [_set(r) for r in rows]

    def exercise_sets(self, runner_id: int, exercise: str) -> list[LoggedSet]:
        rows = self.conn.execute(
            select(*_SET_COLUMNS)
            .where(set_logs.c.runner_id == runner_id, set_logs.c.exercise == exercise)
            .order_by(set_logs.c.local_date, set_logs.c.id)
        )
        return [_set(r) for r in rows]

    def all_sets(self, runner_id: int) -> list[LoggedSet]:
        rows = self.conn.execute(
            select(*_SET_COLUMNS)
            .where(set_logs.c.runner_id == runner_id)
            .order_by(set_logs.c.local_date, set_logs.c.id)
        )
        return [_set(r) for r in rows]

    def exercise_counts(self, runner_id: int) -> dict[str, tuple[int, date]]:
        rows = self.conn.execute(_EXERCISE_COUNTS, {"runner_id": runner_id})
        return {ex: (n, last) for ex, n, last in rows}

    def best_weight(self, runner_id: int, exercise: str, reps: int) -> float | None:
        params = {"runner_id": runner_id, "exercise": exercise, "reps": reps}
        return self.conn.execute(_BEST_WEIGHT, params).scalar()

    def last_batch(self, runner_id: int) -> str | None:
        a = self.conn.execute(
            select(func.max(set_logs.c.batch)).where(set_logs.c.runner_id == runner_id)
        ).scalar()
        b = self.conn.execute(
            select(func.max(sessions_done.c.batch)).where(sessions_done.c.runner_id == runner_id)
        ).scalar()
        return max((x for x in (a, b) if x), default=None)

    def delete_batch(self, runner_id: int, batch: str) -> tuple[list[LoggedSet], list[date]]:
        mine = and_(set_logs.c.runner_id == runner_id, set_logs.c.batch == batch)
        removed = [
            _set(r) for r in self.conn.execute(select(*_SET_COLUMNS).where(mine).order_by(set_logs.c.id))
        ]
        self.conn.execute(delete(set_logs).where(mine))
        self.conn.execute(delete(records).where(records.c.runner_id == runner_id, records.c.batch == batch))
        done = and_(sessions_done.c.runner_id == runner_id, sessions_done.c.batch == batch)
        days = list(self.conn.execute(select(sessions_done.c.local_date).where(done)).scalars())
        self.conn.execute(delete(sessions_done).where(done))
        return removed, days

    def mark_done(self, runner_id: int, day: date, source: str, batch: str, at: datetime) -> bool:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(sessions_done).values(
                        runner_id=runner_id, local_date=day, source=source, batch=batch, created_at=at
                    )
                )
        except IntegrityError:
            return False
        return True

    def done_source(self, runner_id: int, day: date) -> str | None:
        return self.conn.execute(
            select(sessions_done.c.source).where(
                sessions_done.c.runner_id == runner_id, sessions_done.c.local_date == day
            )
        ).scalar()

    def unmark_done(self, runner_id: int, day: date) -> None:
        self.conn.execute(
            delete(sessions_done).where(
                sessions_done.c.runner_id == runner_id, sessions_done.c.local_date == day
            )
        )

    def done_days(self, runner_id: int, start: date, end: date) -> list[date]:
        rows = self.conn.execute(
            select(sessions_done.c.local_date)
            .where(
                sessions_done.c.runner_id == runner_id,
                sessions_done.c.local_date >= start,
                sessions_done.c.local_date <= end,
            )
            .order_by(sessions_done.c.local_date)
        )
        return list(rows.scalars())

    # records and goals
    def add_records(self, runner_id: int, new: Sequence[Record], batch: str) -> None:
        if new:
            self.conn.execute(
                insert(records),
                [
                    {
                        "runner_id": runner_id,
                        "exercise": r.exercise,
                        "reps": r.reps,
                        "weight_kg": r.weight_kg,
                        "local_date": r.local_date,
                        "batch": batch,
                    }
                    for r in new
                ],
            )

    def records(self, runner_id: int, exercise: str | None = None) -> list[Record]:
        query = select(records.c.exercise, records.c.reps, records.c.weight_kg, records.c.local_date).where(
            records.c.runner_id == runner_id
        )
        if exercise is not None:
            query = query.where(records.c.exercise == exercise)
        return [Record(*row) for row in self.conn.execute(query.order_by(records.c.local_date, records.c.id))]

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

    def goals(self, runner_id: int) -> list[Goal]:
        return [Goal(*row) for row in self.conn.execute(_GOALS, {"runner_id": runner_id})]

    def mark_goal_reached(self, runner_id: int, exercise: str, day: date) -> None:
        self.conn.execute(
            update(goals)
            .where(goals.c.runner_id == runner_id, goals.c.exercise == exercise, goals.c.reached_on.is_(None))
            .values(reached_on=day)
        )


class SqlStore:
    """Opens a unit of work per command: commit if asked, roll back otherwise."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def unit(self) -> Iterator[SqlUnitOfWork]:
        with self.engine.connect() as connection:
            transaction = connection.begin()
            uow = SqlUnitOfWork(connection)
            try:
                yield uow
            except BaseException:
                transaction.rollback()
                raise
            if uow.committed:
                transaction.commit()
            else:
                transaction.rollback()

"""Writes a command needs nothing back from (its sets, bests, book, kept answer) wait for the next
statement or the COMMIT on PostgreSQL: a read in the same unit sees them, a failing one fails the
commit as a conflict worth running again and takes the whole unit with it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from adapters.store.tables import kept_replies, set_logs
from adapters.store.unit_of_work import SqlStore
from core.messages import Reply
from core.ports import KeptReply
from core.training.model import LoggedSet, Runner
from core.training.profile import Profile

AT = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def _kept(event_id: str) -> KeptReply:
    return KeptReply(event_id, "test", "-1", True, "ana", (Reply("Logged"),), AT)


def test_a_read_in_the_same_unit_sees_the_writes_that_wait(store: SqlStore) -> None:
    with store.unit() as uow:
        runner = uow.runners.add(
            Runner(0, "test", "ana", "Ana", Profile(), created_at=AT, created_on=AT.date())
        )
        sets = [LoggedSet(AT.date(), "squat", i, 5, 40.0) for i in (1, 2, 3)]
        uow.logbook.add_entry(runner.id, "sets", AT.date(), None, AT, sets)
        uow.replies.keep(_kept("e1"), AT)
        assert uow.conn.execute(select(func.count()).select_from(set_logs)).scalar_one() == 3
        assert uow.logbook.sets_per_exercise_on(runner.id, AT.date()) == {"squat": 3}
        uow.commit()
    with store.unit() as uow:
        assert [k.event_id for k in uow.replies.take_due("test", AT, AT, 10)] == ["e1"]


def test_a_failing_write_that_waited_fails_the_commit_retryably_and_keeps_nothing(store: SqlStore) -> None:
    with store.unit() as uow:
        uow.replies.keep(_kept("e1"), AT)
        uow.commit()
    with pytest.raises(Exception) as failed, store.unit() as uow:
        runner = uow.runners.add(
            Runner(0, "test", "ben", "Ben", Profile(), created_at=AT, created_on=AT.date())
        )
        uow.logbook.add_entry(
            runner.id, "sets", AT.date(), None, AT, [LoggedSet(AT.date(), "row", 1, 8, 20.0)]
        )
        uow.replies.keep(_kept("e1"), AT)  # the same event's answer again: a race both sides cannot see
        uow.commit()
    assert store.retryable(failed.value)
    with store.unit() as uow:
        assert uow.runners.find("test", "ben") is None
        assert uow.conn.execute(select(func.count()).select_from(set_logs)).scalar_one() == 0
        assert uow.conn.execute(select(func.count()).select_from(kept_replies)).scalar_one() == 1

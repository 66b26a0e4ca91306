"""What one command costs the database: a group /log that completes a session reads what it needs once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event

from adapters.store.unit_of_work import SqlStore
from tests.fakes import Conversation

TUESDAY = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
SESSION = "/log squat 3x8 @20kg; rdl 3x8 @30kg; calf raise 3x10"
MAX_STATEMENTS = 12


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        # PostgreSQL's advisory locks serialize one runner's (and one group's) writes; they read
        # nothing, so they are not what this bound is about.
        if "pg_advisory_xact_lock" not in statement:
            statements.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def club(store: SqlStore) -> Conversation:
    chat = Conversation(store, at=TUESDAY - timedelta(days=1))
    for user in ("ana", "ben", "cy", "dan"):
        chat.say("/join", user=user, chat="club", event=f"join-{user}")
        chat.say("/log squat 3x5 @40kg", user=user, chat="club", event=f"warm-{user}")
    chat.at(TUESDAY)
    return chat


def test_a_group_log_that_completes_a_session_issues_at_most_twelve_statements(store: SqlStore) -> None:
    chat = club(store)
    with counted(store.engine) as statements:
        answer = chat.say(SESSION, user="ana", chat="club", event="tg:update:1")
    assert "Session complete" in answer and "Group: 0/4 have hit this week." in answer
    assert len(statements) <= MAX_STATEMENTS, statements


def test_the_log_that_meets_the_weeks_target_stays_bounded_too(store: SqlStore) -> None:
    chat = club(store)
    chat.at(TUESDAY - timedelta(days=1)).say("/done", user="ana", chat="club")
    chat.at(TUESDAY)
    with counted(store.engine) as statements:
        answer = chat.say(SESSION, user="ana", chat="club", event="tg:update:2")
    assert "Ana: 2/2 this week ✓ · Group: 1/4 have hit this week." in answer
    assert len(statements) <= MAX_STATEMENTS + 3, statements  # the group's week is looked at again


def test_a_bodyweight_runner_naming_movements_reads_their_history_once(store: SqlStore) -> None:
    chat = club(store)
    for user in ("ana", "ben", "cy", "dan"):
        chat.say("/setup equipment=bodyweight", user=user)
    chat.at(TUESDAY - timedelta(days=1)).say("/log squat 3x20; bridge 3x12; calf raise 3x15", user="ana")
    chat.at(TUESDAY)
    with counted(store.engine) as statements:
        answer = chat.say(
            "/log squat 3x8; deadlift 3x12; calf raise 3x15", user="ana", chat="club", event="tg:update:3"
        )
    assert "Logged: Split squat 3×8, Glute bridge 3×12, Single-leg calf raise 3×15." in answer
    assert len(statements) <= MAX_STATEMENTS, statements
